"""Layout of a backup folder and the manifest that describes each backup.

::

    DEST/objects/ab/cd/<sha256>          every stored object, shared by all backups
    DEST/backups/<UTC time>/manifest.json
                           database.dump   (pg_dump custom format, or a SQLite copy)
                           audit_head.json the last audit entry at dump time
                           tombstones.json records destroyed or deleted when the backup ended
                           SHA256SUMS      ``sha256sum -c`` format: the files above, the
                                           manifest and every object the backup refers to

Encrypted with ``BACKUP_KEY`` (``crypto.py``): ``database.dump.enc`` and
``tombstones.json.enc`` instead, objects as ``<sha256>.<key id>``, no object
lines in ``SHA256SUMS`` (each copy is authenticated by its own tags and the
hash of its plaintext) and ``manifest.mac``, an HMAC of ``SHA256SUMS``.

A backup is written under ``backups/.<name>.partial`` and renamed when it is
complete, so a backup folder without a dot is always whole. Objects are named
by their hash, so a second backup copies only objects it does not find.
"""
from __future__ import annotations

import ctypes
import fcntl
import hashlib
import json
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

FORMAT = "vn-archive-backup/1"
MANIFEST = "manifest.json"
DUMP = "database.dump"
AUDIT_HEAD = "audit_head.json"
TOMBSTONES = "tombstones.json"
SUMS = "SHA256SUMS"
MAC = "manifest.mac"      # encrypted backups: HMAC of SHA256SUMS under BACKUP_KEY
SEALED = ".enc"           # encrypted backups: database.dump.enc, tombstones.json.enc
CHUNK = 1024 * 1024
_NAME = re.compile(r"^\d{8}T\d{6}Z(-\d+)?$")
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


class BackupNotFound(Exception):
    pass


class BackupBusy(Exception):
    pass


@contextmanager
def exclusive(location: "Location") -> Iterator[None]:
    """Hold ``DEST/.lock`` (flock): one backup writes into a DEST at a time."""
    with (location.root / ".lock").open("a") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BackupBusy(f"another backup is writing into {location.root}") from None
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


@dataclass(frozen=True)
class Location:
    """A backup destination folder (``DEST``)."""

    root: Path

    @property
    def objects(self) -> Path:
        return self.root / "objects"

    @property
    def backups(self) -> Path:
        return self.root / "backups"

    def object_path(self, sha256: str, key_id: str | None = None) -> Path:
        """Where the copy of ``sha256`` is: plain, or ``<sha256>.<key id>`` encrypted
        (a new key copies every object again instead of mixing keys)."""
        if not _SHA256.match(sha256):
            raise ValueError("not a sha256 hex digest")
        return self.objects / sha256[:2] / sha256[2:4] / (f"{sha256}.{key_id}" if key_id
                                                          else sha256)

    def names(self) -> list[str]:
        """Complete backups, oldest first (names are UTC times, so they sort)."""
        if not self.backups.is_dir():
            return []
        return sorted(p.name for p in self.backups.iterdir()
                      if _NAME.match(p.name) and (p / MANIFEST).is_file())

    def backup(self, name: str | None = None) -> Path:
        """The folder of backup ``name``, or of the newest complete one."""
        names = self.names()
        if name is None:
            complete = [n for n in names if read_json(self.backups / n / MANIFEST).get("complete")]
            if not complete:
                raise BackupNotFound(f"no complete backup in {self.root}")
            name = complete[-1]
        if name not in names:
            raise BackupNotFound(f"no backup {name} in {self.root}")
        return self.backups / name

    def new_name(self) -> str:
        name = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
        taken = set(self.names()) | {p.name.strip(".").removesuffix(".partial")
                                     for p in self.backups.glob(".*.partial")}
        base, n = name, 1
        while name in taken:
            n += 1
            name = f"{base}-{n}"
        return name


def locate(source: Path) -> tuple[Location, str | None]:
    """``DEST`` or ``DEST/backups/<name>`` -> the location and the backup name, if given."""
    source = Path(source)
    if source.parent.name == "backups" and _NAME.match(source.name):
        return Location(source.parent.parent), source.name
    return Location(source), None


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def write_json(path: Path, data) -> str:
    """Write ``data`` as JSON, fsync it, return its SHA-256."""
    payload = json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True,
                         default=str).encode()
    with path.open("wb") as out:
        out.write(payload)
        out.flush()
        os.fsync(out.fileno())
    return hashlib.sha256(payload).hexdigest()


def read_json(path: Path):
    return json.loads(path.read_text(encoding="utf-8"))


def key_id(body: dict) -> str | None:
    """The id of the key a backup was encrypted with; None for a plain backup."""
    return (body.get("encryption") or {}).get("key_id")


def stored_name(body: dict, name: str) -> str:
    """The file holding ``name`` (``database.dump``, ``tombstones.json``) in that backup."""
    return name + SEALED if key_id(body) else name


def read_manifest(folder: Path) -> dict:
    manifest = read_json(folder / MANIFEST)
    if manifest.get("format") != FORMAT:
        raise ValueError(f"{folder / MANIFEST}: not a backup manifest ({manifest.get('format')})")
    return manifest


def write_sums(folder: Path, files: dict[str, str], objects: list[str]) -> None:
    """``SHA256SUMS`` in the format ``sha256sum -c`` reads, from inside the backup folder."""
    lines = [f"{sha}  {name}" for name, sha in sorted(files.items())]
    lines += [f"{sha}  ../../objects/{sha[:2]}/{sha[2:4]}/{sha}" for sha in sorted(objects)]
    with (folder / SUMS).open("w", encoding="utf-8") as out:
        out.write("\n".join(lines) + "\n")
        out.flush()
        os.fsync(out.fileno())


def read_sums(folder: Path) -> dict[str, str]:
    """The backup's own files (not the objects) and their recorded SHA-256."""
    sums = {}
    for line in (folder / SUMS).read_text(encoding="utf-8").splitlines():
        sha, _, name = line.partition("  ")
        if not name.startswith("../"):
            sums[name] = sha
    return sums


def sync_files(root: Path, files: list[Path], directories=()) -> None:
    """Make ``files`` and ``directories`` (all under ``root``) durable.

    Linux's ``syncfs`` flushes the whole filesystem holding ``root`` in one
    call, which lets the disk write thousands of small files in one sweep; an
    fsync per file and directory where it is not available.
    """
    if _syncfs(root):
        return
    for path in files:
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
    for directory in directories:
        fsync_dir(directory)


def _syncfs(root: Path) -> bool:
    try:
        call = ctypes.CDLL(None, use_errno=True).syncfs
    except (OSError, AttributeError):
        return False
    fd = os.open(root, os.O_RDONLY)
    try:
        if call(fd) != 0:
            error = ctypes.get_errno()
            raise OSError(error, f"syncfs {root}: {os.strerror(error)}")
    finally:
        os.close(fd)
    return True


def fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
