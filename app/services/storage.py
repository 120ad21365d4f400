"""Content-addressed storage of original files.

A file lives at ``STORAGE_DIR/ab/cd/<sha256>``; the path is derived only from
the hash, never from user input. Bytes are fsynced (file and directory)
before the upload is acknowledged, so an acknowledged upload survives a crash.
"""
from __future__ import annotations

import hashlib
import os
import re
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from flask import current_app
from flask_babel import gettext as _

from app.services.errors import FileTooLarge

CHUNK = 1024 * 1024
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


@dataclass(frozen=True)
class StoredBlob:
    sha256: str
    size: int
    path: Path
    created: bool  # False when identical bytes were already stored


def storage_root() -> Path:
    return Path(current_app.config["STORAGE_DIR"])


def path_for(sha256: str) -> Path:
    if not _SHA256.match(sha256):
        raise ValueError("not a sha256 hex digest")
    return storage_root() / sha256[:2] / sha256[2:4] / sha256


def read_limited(stream: BinaryIO, max_bytes: int) -> Iterator[bytes]:
    """The chunks of ``stream``; FileTooLarge as soon as more than ``max_bytes`` came."""
    size = 0
    while chunk := stream.read(CHUNK):
        size += len(chunk)
        if size > max_bytes:
            mb = max_bytes // (1024 * 1024)
            raise FileTooLarge(_("The file is larger than the %(mb)d MB limit.", mb=mb),
                               max_mb=mb)
        yield chunk


def store(stream: BinaryIO, max_bytes: int) -> StoredBlob:
    """Copy ``stream`` into storage while hashing it; refuse more than ``max_bytes``."""
    tmp_dir = storage_root() / "tmp"
    tmp_dir.mkdir(parents=True, exist_ok=True)
    digest, size = hashlib.sha256(), 0
    fd, tmp_name = tempfile.mkstemp(dir=tmp_dir)
    try:
        with os.fdopen(fd, "wb") as out:
            for chunk in read_limited(stream, max_bytes):
                size += len(chunk)
                digest.update(chunk)
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        sha = digest.hexdigest()
        final = path_for(sha)
        if final.exists():
            os.unlink(tmp_name)
            return StoredBlob(sha, size, final, created=False)
        final.parent.mkdir(parents=True, exist_ok=True)
        os.replace(tmp_name, final)
        _fsync_dir(final.parent)
        return StoredBlob(sha, size, final, created=True)
    except BaseException:
        if os.path.exists(tmp_name):
            os.unlink(tmp_name)
        raise


def remove(sha256: str) -> None:
    path = path_for(sha256)
    if path.exists():
        path.unlink()


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
