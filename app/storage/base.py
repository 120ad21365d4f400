"""The one interface every storage backend implements (shaped like Django's Storage API).

Objects are content-addressed: an object's name is the SHA-256 of its bytes, so
a name never comes from user input and identical bytes are stored once. Writes
go through a local spool file first: it is hashed and size-checked while the
upload streams in, so the backend can send (and have verified) the checksum,
and nothing is written under a name before the bytes are known to match it.
An upload is acknowledged only after the backend confirmed the write
(:meth:`Storage.commit_spool` returns).

Services use the module functions of :mod:`app.storage` (``save``, ``open``,
``local_copy``, ...), never paths or boto3.
"""
from __future__ import annotations

import hashlib
import os
import re
import shutil
import tempfile
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import BinaryIO

from flask_babel import gettext as _

from app.services.errors import FileTooLarge, NotFound, ServiceError

CHUNK = 1024 * 1024
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


class StorageUnavailable(ServiceError):
    """The object store did not answer or did not confirm a write: nothing was kept."""

    code = "storage_unavailable"
    http_status = 503

    def __init__(self, message: str = "", reading: bool = False, **details) -> None:
        if not message:
            message = (_("The archive's file store is not answering right now; please try "
                         "again in a minute.") if reading else
                       _("The archive's file store is not answering right now. Nothing was "
                         "saved; please try again in a minute."))
        super().__init__(message, **details)


class ObjectMissing(NotFound):
    """No object under this name (deleted behind the archive's back, or never stored)."""

    def __init__(self, message: str = "", **details) -> None:
        super().__init__(message or _("The original file is not available."), **details)


class ObjectAltered(ServiceError):
    """The stored bytes no longer hash to the object's name."""

    code = "file_damaged"
    http_status = 409

    def __init__(self, message: str = "", **details) -> None:
        super().__init__(message or _(
            "The stored file no longer matches the file that was archived, so it is not "
            "handed out. An administrator has been told and can restore it from a backup."),
            **details)


def check_name(sha256: str) -> str:
    if not isinstance(sha256, str) or not _SHA256.match(sha256):
        raise ValueError("not a sha256 hex digest")
    return sha256


def is_name(value: str) -> bool:
    return bool(_SHA256.match(value or ""))


@dataclass(frozen=True)
class StoredBlob:
    sha256: str
    size: int
    created: bool  # False when identical bytes were already stored


@dataclass(frozen=True)
class ObjectInfo:
    """What a backend knows about a stored object without reading it."""

    sha256: str
    size: int
    #: The SHA-256 the store itself vouches for (its checksum of the whole object), if any.
    verified_sha256: str | None = None
    modified: datetime | None = None


@dataclass
class Spool:
    """Bytes received into a process-local file, hashed and measured."""

    path: Path
    sha256: str
    size: int


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


class RateLimit:
    """Sleeps so that the bytes passed to :meth:`spend` average at most ``mb_per_s``."""

    def __init__(self, mb_per_s: float | None) -> None:
        self.bytes_per_s = (mb_per_s or 0) * 1024 * 1024
        self.started = time.monotonic()
        self.spent = 0

    def spend(self, nbytes: int) -> None:
        self.spent += nbytes
        if self.bytes_per_s <= 0:
            return
        ahead = self.spent / self.bytes_per_s - self.elapsed()
        if ahead > 0:
            time.sleep(ahead)

    def elapsed(self) -> float:
        return time.monotonic() - self.started


class Storage(ABC):
    """A content-addressed object store."""

    #: "local" or "s3": shown on the admin page and in /healthz.
    kind = "abstract"
    #: The spool file becomes the stored file (a rename), so it must reach the disk first.
    spool_is_kept = False

    # ---------------------------------------------------------------- writing

    def save(self, stream: BinaryIO, max_bytes: int) -> StoredBlob:
        """Store ``stream`` (at most ``max_bytes``) and return once the store confirmed it."""
        with self.receive(stream, max_bytes) as spool:
            return self.commit_spool(spool)

    @contextmanager
    def receive(self, stream: BinaryIO, max_bytes: int) -> Iterator[Spool]:
        """Spool ``stream`` into a local file while hashing it; removed on leaving.

        The caller may look at the file (its media type) and then
        :meth:`commit_spool` it, or leave without committing: nothing is stored.
        """
        spool_dir = self.spool_dir()
        spool_dir.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(dir=spool_dir, prefix="in-")
        path = Path(name)
        try:
            digest, size = hashlib.sha256(), 0
            with os.fdopen(fd, "wb") as out:
                for chunk in read_limited(stream, max_bytes):
                    size += len(chunk)
                    digest.update(chunk)
                    out.write(chunk)
                out.flush()
                if self.spool_is_kept:
                    os.fsync(out.fileno())
            yield Spool(path, digest.hexdigest(), size)
        finally:
            path.unlink(missing_ok=True)

    def commit_spool(self, spool: Spool, replace: bool = False) -> StoredBlob:
        """Write the spooled bytes under their hash; ``replace`` overwrites what is there
        (a repair). Raises StorageUnavailable when the store did not confirm the write."""
        created = self._put(spool, replace)
        return StoredBlob(spool.sha256, spool.size, created)

    def save_verified(self, stream: BinaryIO, sha256: str, replace: bool = False) -> StoredBlob:
        """Store bytes that must hash to ``sha256`` (migration, repair from a backup);
        ObjectAltered, and nothing stored, when they do not."""
        check_name(sha256)
        with self.receive(stream, 1 << 62) as spool:
            if spool.sha256 != sha256:
                raise ObjectAltered(expected=sha256, observed=spool.sha256)
            return self.commit_spool(spool, replace=replace)

    # ---------------------------------------------------------------- reading

    @abstractmethod
    def open(self, sha256: str) -> BinaryIO:
        """A seekable binary stream of the object, read in chunks (ObjectMissing)."""

    @abstractmethod
    def stat(self, sha256: str) -> ObjectInfo | None:
        """What the store knows about the object, None when there is none."""

    def exists(self, sha256: str) -> bool:
        return self.stat(sha256) is not None

    def holds_intact(self, sha256: str) -> bool:
        """The store vouches for the object's bytes without reading them (the checksum
        it verified when they were written): a migration may skip it."""
        info = self.stat(sha256)
        return info is not None and info.verified_sha256 == sha256

    def size(self, sha256: str) -> int:
        info = self.stat(sha256)
        if info is None:
            raise ObjectMissing()
        return info.size

    @contextmanager
    def local_copy(self, sha256: str) -> Iterator[Path]:
        """A local file with the object's bytes for tools that need a path (pdftoppm,
        LibreOffice, Tesseract); read-only, removed on leaving."""
        work = Path(tempfile.mkdtemp(prefix="object-", dir=self.work_dir()))
        try:
            target = work / check_name(sha256)
            with self.open(sha256) as source, target.open("wb") as out:
                shutil.copyfileobj(source, out, CHUNK)
            yield target
        finally:
            shutil.rmtree(work, ignore_errors=True)

    def hash_object(self, sha256: str,
                    on_chunk: Callable[[int], None] | None = None) -> tuple[str, int]:
        """Read the whole object and return (its SHA-256, its size): a real re-hash."""
        digest, size = hashlib.sha256(), 0
        with self.open(sha256) as source:
            while chunk := source.read(CHUNK):
                digest.update(chunk)
                size += len(chunk)
                if on_chunk:
                    on_chunk(len(chunk))
        return digest.hexdigest(), size

    def presigned_url(self, sha256: str, filename: str, media_type: str,
                      attachment: bool = True) -> str | None:
        """A short-lived URL the client may fetch the bytes from directly (S3 only)."""
        return None

    # ---------------------------------------------------------------- housekeeping

    @abstractmethod
    def delete(self, sha256: str) -> None:
        """Remove the object if it is there."""

    @abstractmethod
    def iter_hashes(self) -> Iterator[str]:
        """Every stored object's name."""

    @abstractmethod
    def check(self) -> None:
        """Raise if the store cannot be reached (health)."""

    def prepare(self) -> None:
        """Create what the store needs (a bucket) if it is missing."""

    @abstractmethod
    def describe(self) -> dict:
        """Where the objects are, without secrets (admin page, /healthz, CLI)."""

    @abstractmethod
    def _put(self, spool: Spool, replace: bool) -> bool:
        """Write the spool under its hash; True if a new object was created."""

    def spool_dir(self) -> Path:
        return Path(tempfile.gettempdir()) / "archive-spool"

    def work_dir(self) -> Path:
        path = Path(tempfile.gettempdir()) / "archive-work"
        path.mkdir(parents=True, exist_ok=True)
        return path
