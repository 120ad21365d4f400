"""Good copies of an object in the configured backup locations (fixity repair).

``BACKUP_LOCATIONS`` lists backup folders (``DEST`` of ``flask backup
create``), separated by ``:``. :func:`find_object` returns the copy that the
latest backup holding the object refers to, after hashing it: a damaged copy
is passed over for the next one.
"""
from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import BinaryIO

from flask import current_app

from app.backup import manifest


@dataclass(frozen=True)
class FoundObject:
    sha256: str
    path: Path
    location: Path
    backup: str | None  # the newest backup whose manifest lists the object
    size: int

    def open(self) -> BinaryIO:
        return self.path.open("rb")


def configured_locations() -> list[Path]:
    value = current_app.config.get("BACKUP_LOCATIONS") or ""
    if isinstance(value, (list, tuple)):
        return [Path(v) for v in value]
    return [Path(v) for v in value.split(os.pathsep) if v.strip()]


def find_object(sha256: str, locations: list[Path] | None = None) -> FoundObject | None:
    """The latest backup's copy of ``sha256`` whose bytes are right, or None."""
    candidates = []
    for root in configured_locations() if locations is None else locations:
        location = manifest.Location(Path(root))
        path = location.object_path(sha256)
        if path.is_file():
            candidates.append((_newest_backup_listing(location, sha256) or "", path, location))
    for backup, path, location in sorted(candidates, key=lambda c: c[0], reverse=True):
        if _sha256(path) == sha256:
            return FoundObject(sha256, path, location.root, backup or None, path.stat().st_size)
    return None


def _newest_backup_listing(location: manifest.Location, sha256: str) -> str | None:
    for name in reversed(location.names()):
        path = location.backups / name / manifest.MANIFEST
        if sha256 in _listed(str(path), path.stat().st_mtime_ns):
            return name
    return None


@lru_cache(maxsize=32)
def _listed(path: str, _mtime_ns: int) -> frozenset[str]:
    body = json.loads(Path(path).read_text(encoding="utf-8"))
    return frozenset(body.get("objects", {})) | {p["sha256"] for p in body.get("packages", [])}


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(manifest.CHUNK):
            digest.update(chunk)
    return digest.hexdigest()
