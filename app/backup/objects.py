"""The one place where backup and restore touch the archive's stored objects.

Everything else in ``app.backup`` asks this module for bytes by SHA-256 and
hands bytes back to it, so moving the archive to another storage backend
(``app/storage/``: a local folder or S3 behind one interface) changes this
file only. Today it sits on ``app.services.storage`` (a local,
content-addressed folder) and on the transfer packages' folder.
"""
from __future__ import annotations

import hashlib
from pathlib import Path
from typing import BinaryIO

from app.services import storage, transfer

CHUNK = storage.CHUNK


class ObjectCorrupt(Exception):
    """Bytes that do not hash to the name they were asked for or given under."""

    def __init__(self, expected: str, actual: str):
        super().__init__(f"expected sha256 {expected}, got {actual}")
        self.expected, self.actual = expected, actual


def exists(sha256: str) -> bool:
    return storage.path_for(sha256).is_file()


def open_object(sha256: str) -> BinaryIO:
    """The stored bytes of ``sha256`` for reading; FileNotFoundError when absent."""
    return storage.path_for(sha256).open("rb")


def save(stream: BinaryIO, expected_sha256: str) -> bool:
    """Store ``stream`` in the archive's storage; True when it was not there yet.

    The bytes are hashed while they are stored (and fsynced, by the storage);
    bytes that are not ``expected_sha256`` are taken out again and
    :class:`ObjectCorrupt` is raised, so a damaged backup never lands in storage.
    """
    blob = storage.store(stream, 1 << 40)
    if blob.sha256 != expected_sha256:
        if blob.created:
            storage.remove(blob.sha256)
        raise ObjectCorrupt(expected_sha256, blob.sha256)
    return blob.created


def remove(sha256: str) -> None:
    """Delete stored bytes (a replayed destruction's, that no record refers to)."""
    storage.remove(sha256)


def package_path(name: str) -> Path:
    """Where a transfer package (BagIt ZIP) called ``name`` lives."""
    return transfer.transfer_root() / Path(name).name


def open_package(path: str) -> BinaryIO:
    return Path(path).open("rb")


def save_package(stream: BinaryIO, name: str, expected_sha256: str) -> Path:
    """Write a transfer package back to the transfer folder, checking its hash."""
    target = package_path(name)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    digest = hashlib.sha256()
    with partial.open("wb") as out:
        while chunk := stream.read(CHUNK):
            digest.update(chunk)
            out.write(chunk)
    if digest.hexdigest() != expected_sha256:
        partial.unlink()
        raise ObjectCorrupt(expected_sha256, digest.hexdigest())
    partial.replace(target)
    return target
