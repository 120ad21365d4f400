"""The one place where backup and restore touch the archive's stored objects.

Everything else in ``app.backup`` asks this module for bytes by SHA-256 and
hands bytes back to it. It sits on the storage interface (``app.storage``:
the local folder or S3, chosen by ``STORAGE_URL``), so backups work the same
on either backend.
"""
from __future__ import annotations

from typing import BinaryIO

from app import storage
from app.storage import CHUNK, ObjectAltered, ObjectMissing

__all__ = ["CHUNK", "ObjectCorrupt", "ObjectMissing", "exists", "open_object", "remove", "save"]


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
