"""Moving an archive's objects to another backend (``flask storage migrate --to URL``).

Every object of the current store is read, re-hashed and written to the target,
which verifies it again (S3: the SHA-256 sent with the write). Objects the target
already holds intact are skipped, so an interrupted migration simply runs again
and continues where it stopped; each object is written atomically (a rename, a
single PUT, or a multipart upload that only appears once complete). Objects whose
bytes at the source no longer match their name are not copied but reported.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from app import storage
from app.storage import ObjectAltered, ObjectMissing, Storage


@dataclass
class MigrationReport:
    total: int = 0
    copied: int = 0
    already_there: int = 0
    bytes_copied: int = 0
    damaged_at_source: list[str] = field(default_factory=list)
    vanished: list[str] = field(default_factory=list)  # listed, then gone before the copy

    @property
    def complete(self) -> bool:
        return not self.damaged_at_source and not self.vanished


def plan(target: Storage) -> list[str]:
    """The names of every object in the current store (the target is made ready)."""
    target.prepare()
    return list(storage.iter_hashes())


def migrate(target: Storage, names: list[str],
            progress: Callable[[str, int], None] | None = None) -> MigrationReport:
    """Copy ``names`` from the current store to ``target``; ``progress(name, bytes)``
    after each object (bytes is 0 for one skipped)."""
    source = storage.backend()
    report = MigrationReport(total=len(names))
    for sha in names:
        size = 0
        if target.holds_intact(sha):
            report.already_there += 1
        else:
            try:
                with source.open(sha) as stream:
                    blob = target.save_verified(stream, sha, replace=True)
            except ObjectAltered:
                report.damaged_at_source.append(sha)
            except ObjectMissing:
                report.vanished.append(sha)
            else:
                report.copied += 1
                size = blob.size
                report.bytes_copied += size
        if progress:
            progress(sha, size)
    return report
