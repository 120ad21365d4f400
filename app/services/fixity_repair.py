"""Repair: put the right bytes back from a backup, for objects fixity found missing or altered.

The hook for backups: a *source* is anything with ``find(sha256) -> Path | None``
giving a local file that should hold those bytes. :class:`DirectorySource` reads
a folder of hash-named objects (flat ``<sha>``, ``ab/cd/<sha>`` as the local
store lays them out, or ``objects/ab/cd/<sha>`` as the S3 keys are), which is
what a restored backup or an unpacked transfer of the store looks like. The
backup feature can hand ``repair`` a source that looks into the latest backup
holding the right bytes. Nothing is trusted: a candidate is stored only if it
hashes to the object's name, and it replaces what the store holds.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, Protocol

from sqlalchemy import select

from app import storage
from app.extensions import db
from app.models import User
from app.models.fixity import FixityRecord
from app.models.user import utcnow
from app.services.access import require
from app.services.fixity import record_on_trail
from app.storage import ObjectAltered, is_name


class Openable(Protocol):
    def open(self, mode: str = "rb") -> BinaryIO: ...


class RepairSource(Protocol):
    """``find`` gives a local file (a ``Path``) or anything else whose ``open("rb")``
    reads the bytes (an encrypted backup's copy, decrypted)."""
    name: str

    def find(self, sha256: str) -> Openable | None: ...


class DirectorySource:
    """A folder of hash-named objects."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)
        self.name = str(self.root)

    def find(self, sha256: str) -> Path | None:
        if not is_name(sha256):
            return None
        nested = Path(sha256[:2]) / sha256[2:4] / sha256
        for candidate in (self.root / sha256, self.root / nested, self.root / "objects" / nested):
            if candidate.is_file():
                return candidate
        return None


@dataclass
class RepairReport:
    repaired: list[str] = field(default_factory=list)
    not_in_source: list[str] = field(default_factory=list)
    wrong_in_source: list[str] = field(default_factory=list)  # the backup's copy is bad too


def repair(actor: User | None, source: RepairSource,
           shas: list[str] | None = None) -> RepairReport:
    """Put back every problem object (or those in ``shas``) that ``source`` holds intact.

    Each repair is audited (``fixity.repaired``) on the records using the object.
    """
    if actor is not None:
        require(actor, "storage.admin")
    query = select(FixityRecord).where(FixityRecord.status.in_(FixityRecord.PROBLEMS))
    if shas is not None:
        query = query.where(FixityRecord.sha256.in_(shas))
    report = RepairReport()
    for record in db.session.scalars(query.order_by(FixityRecord.sha256)).all():
        candidate = source.find(record.sha256)
        if candidate is None:
            report.not_in_source.append(record.sha256)
            continue
        try:
            with candidate.open("rb") as stream:
                storage.backend().save_verified(stream, record.sha256, replace=True)
        except ObjectAltered:
            report.wrong_in_source.append(record.sha256)
            continue
        now = utcnow()
        record.status, record.last_checked_at, record.repaired_at = FixityRecord.OK, now, now
        record.observed_sha256, record.failed_at = record.sha256, None
        record.checks += 1
        record_on_trail(actor, "fixity.repaired", record.sha256, restored_from=source.name)
        db.session.commit()
        report.repaired.append(record.sha256)
    return report
