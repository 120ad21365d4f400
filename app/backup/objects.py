"""The one place where backup and restore touch the archive's stored objects.

Everything else in ``app.backup`` asks this module for bytes by SHA-256 and
hands bytes back to it. It sits on the storage interface (``app.storage``:
the local folder or S3, chosen by ``STORAGE_URL``), so backups work the same
on either backend.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import BinaryIO, TypeVar

from flask import current_app

from app import storage
from app.storage import CHUNK, ObjectAltered, ObjectMissing

__all__ = ["CHUNK", "ObjectCorrupt", "ObjectMissing", "exists", "for_each", "open_object",
           "remove", "save"]
T = TypeVar("T")


class ObjectCorrupt(Exception):
    """Bytes that do not hash to the name they were given under."""

    def __init__(self, expected: str, actual: str | None):
        super().__init__(f"expected sha256 {expected}, got {actual}")
        self.expected, self.actual = expected, actual


def exists(sha256: str) -> bool:
    return storage.exists(sha256)


def open_object(sha256: str) -> BinaryIO:
    """The stored bytes of ``sha256`` for reading; :class:`ObjectMissing` when absent."""
    return storage.open(sha256)


def save(stream: BinaryIO, expected_sha256: str) -> bool:
    """Store ``stream``; True when it was not there yet.

    The storage hashes the bytes before anything is written under a name:
    bytes that are not ``expected_sha256`` raise :class:`ObjectCorrupt` and are
    not stored, so a damaged backup never lands in storage.
    """
    try:
        return storage.backend().save_verified(stream, expected_sha256).created
    except ObjectAltered as exc:
        raise ObjectCorrupt(expected_sha256, exc.details.get("observed")) from exc


def remove(sha256: str) -> None:
    """Delete stored bytes (a replayed destruction's, that no record refers to)."""
    storage.delete(sha256)


def for_each(work: Callable[[str], T], hashes: Iterable[str],
             progress: Callable[[int], None] | None = None) -> Iterator[tuple[str, T]]:
    """``work(sha)`` for every hash on ``BACKUP_WORKERS`` threads, yielding results in order.

    Copying an object is mostly waiting (a read, an fsync, an S3 request), so a
    few at once keep the disk or the network busy; each thread has its own app
    context (the storage backend is found through it).
    """
    app = current_app._get_current_object()

    def run(sha: str) -> T:
        with app.app_context():
            return work(sha)

    workers = max(1, int(app.config.get("BACKUP_WORKERS", 4)))
    with ThreadPoolExecutor(workers, thread_name_prefix="backup") as pool:
        hashes = list(hashes)
        for sha, result in zip(hashes, pool.map(run, hashes)):
            if progress:
                progress(1)
            yield sha, result
