"""The local content-addressed folder: ``<root>/ab/cd/<sha256>`` (the layout since the start).

Bytes are spooled into ``<root>/tmp`` (same filesystem), fsynced, then renamed
under their hash and the directory fsynced, so an acknowledged upload survives
a crash and a name never points at half-written bytes.
"""
from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import BinaryIO

from app.storage.base import ObjectInfo, ObjectMissing, Spool, Storage, check_name, is_name


class LocalStorage(Storage):
    kind = "local"
    spool_is_kept = True

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)

    def path_for(self, sha256: str) -> Path:
        check_name(sha256)
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def spool_dir(self) -> Path:
        return self.root / "tmp"

    def work_dir(self) -> Path:
        return self.spool_dir()

    def _put(self, spool: Spool, replace: bool) -> bool:
        final = self.path_for(spool.sha256)
        if final.exists() and not replace and final.stat().st_size == spool.size:
            return False
        existed = final.exists()
        final.parent.mkdir(parents=True, exist_ok=True)
        os.replace(spool.path, final)
        _fsync_dir(final.parent)
        return not existed

    def open(self, sha256: str) -> BinaryIO:
        try:
            return self.path_for(sha256).open("rb")
        except FileNotFoundError:
            raise ObjectMissing() from None

    def stat(self, sha256: str) -> ObjectInfo | None:
        try:
            st = self.path_for(sha256).stat()
        except FileNotFoundError:
            return None
        return ObjectInfo(sha256, st.st_size,
                          modified=datetime.fromtimestamp(st.st_mtime, timezone.utc))

    def holds_intact(self, sha256: str) -> bool:
        # Bytes get a name here only by a rename after they were hashed and fsynced.
        return self.path_for(sha256).is_file()

    @contextmanager
    def local_copy(self, sha256: str) -> Iterator[Path]:
        # The stored file itself: the tools only read it, and a copy would cost a write.
        path = self.path_for(sha256)
        if not path.is_file():
            raise ObjectMissing()
        yield path

    def delete(self, sha256: str) -> None:
        self.path_for(sha256).unlink(missing_ok=True)

    def iter_hashes(self) -> Iterator[str]:
        if not self.root.is_dir():
            return
        for first in sorted(self.root.iterdir()):
            if len(first.name) != 2 or not first.is_dir():
                continue  # tmp/, staging/, exports/ live beside the objects
            for second in sorted(first.iterdir()):
                if len(second.name) != 2 or not second.is_dir():
                    continue
                for entry in sorted(second.iterdir()):
                    if is_name(entry.name) and entry.name[:2] == first.name \
                            and entry.name[2:4] == second.name:
                        yield entry.name

    def check(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        if not os.access(self.root, os.W_OK):
            raise PermissionError("storage folder not writable")

    def prepare(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)

    def describe(self) -> dict:
        return {"kind": self.kind, "location": str(self.root)}


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
