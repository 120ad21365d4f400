"""Good copies of an object in the configured backup locations (fixity repair).

``BACKUP_LOCATIONS`` lists backup folders (``DEST`` of ``flask backup
create``), separated by ``:``. :func:`find_object` returns the copy that the
latest backup holding the object refers to, after hashing it: a damaged copy
is passed over for the next one. Copies encrypted with the configured
``BACKUP_KEY``, or with one of ``BACKUP_PREVIOUS_KEYS``, are found and decrypted too.
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

from app.backup import crypto, manifest, sealed


@dataclass(frozen=True)
class FoundObject:
    sha256: str
    path: Path
    location: Path
    backup: str | None  # the newest backup whose manifest lists the object
    size: int
    key: crypto.Key | None = None  # the copy is encrypted with it

    def open(self, _mode: str = "rb") -> BinaryIO:
        """The object's bytes (decrypted when the copy is encrypted)."""
        return sealed.open_object(self.path, self.sha256, self.key)


def configured_locations() -> list[Path]:
    value = current_app.config.get("BACKUP_LOCATIONS") or ""
    if isinstance(value, (list, tuple)):
        return [Path(v) for v in value]
    return [Path(v) for v in value.split(os.pathsep) if v.strip()]


def find_object(sha256: str, locations: list[Path] | None = None) -> FoundObject | None:
    """The latest backup's copy of ``sha256`` whose bytes are right, or None."""
    try:
        keys = crypto.reading_keys()
    except crypto.BackupKeyError:
        keys = []
    candidates = []
    for root in configured_locations() if locations is None else locations:
        location = manifest.Location(Path(root))
        for opener in (None, *keys):
            path = location.object_path(sha256, opener.id if opener else None)
            if path.is_file():
                finished, name = _newest_backup_listing(location, sha256)
                candidates.append((finished, name, path, location, opener))
    for _finished, name, path, location, opener in sorted(candidates, key=lambda c: c[0],
                                                          reverse=True):
        found = FoundObject(sha256, path, location.root, name, path.stat().st_size, opener)
        if _sha256(found) == sha256:
            return found
    return None


def _newest_backup_listing(location: manifest.Location, sha256: str) -> tuple[str, str | None]:
    """(when it finished, name) of the newest backup in ``location`` listing ``sha256``."""
    for name in reversed(location.names()):
        path = location.backups / name / manifest.MANIFEST
        listed, finished = _listed(str(path), path.stat().st_mtime_ns)
        if sha256 in listed:
            return finished, name
    return "", None


@lru_cache(maxsize=32)
def _listed(path: str, _mtime_ns: int) -> tuple[frozenset[str], str]:
    body = json.loads(Path(path).read_text(encoding="utf-8"))
    return frozenset(body.get("objects", {})), body.get("finished_at", "")


def _sha256(found: FoundObject) -> str | None:
    """The hash of the copy's bytes; None when an encrypted copy does not authenticate."""
    digest = hashlib.sha256()
    try:
        with found.open() as stream:
            while chunk := stream.read(manifest.CHUNK):
                digest.update(chunk)
    except crypto.BackupKeyError:
        return None
    return digest.hexdigest()


class BackupSource:
    """The configured backup locations as a repair source for fixity
    (``app.services.fixity_repair.repair``): ``find`` gives the latest good copy."""

    def __init__(self, locations: list[Path] | None = None) -> None:
        self.locations = configured_locations() if locations is None else list(locations)
        self.name = "backups: " + ", ".join(str(p) for p in self.locations)

    def find(self, sha256: str) -> FoundObject | None:
        """The latest good copy; ``.open("rb")`` gives its bytes, as a path's would."""
        return find_object(sha256, self.locations)
