"""The admin page of the file store: what it is, what fixity found, check and repair now."""
from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from app import storage
from app.extensions import db
from app.models import Document, User
from app.models.fixity import FixityRecord
from app.services import fixity
from app.services.access import require
from app.services.errors import NotFound, ValidationFailed
from app.services.fixity_repair import DirectorySource, RepairReport, repair
from app.storage import is_name


@dataclass
class Problem:
    record: FixityRecord
    documents: list[Document]  # those the admin may see
    hidden: int  # documents above the admin's clearance that use it too
    proposals: list[int]  # transfer packages


@dataclass
class Overview:
    backend: dict
    summary: dict
    problems: list[Problem]
    period_days: int
    mb_per_s: float
    can_repair: bool


def overview(user: User) -> Overview:
    """Everything the page shows; problem objects first found first."""
    require(user, "storage.admin")
    fixity.sync()
    records = db.session.scalars(
        select(FixityRecord).where(FixityRecord.status.in_(FixityRecord.PROBLEMS))
        .order_by(FixityRecord.failed_at, FixityRecord.sha256).limit(500)).all()
    problems = []
    for record in records:
        shown, hidden = fixity.visible_documents(user, record.sha256)
        problems.append(Problem(record, shown, hidden, fixity.users_of(record.sha256)[1]))
    config = current_app.config
    return Overview(storage.backend().describe(), fixity.summary(), problems,
                    config["FIXITY_PERIOD_DAYS"], config["FIXITY_MAX_MB_PER_S"],
                    bool(config.get("BACKUP_LOCATIONS") or config.get("FIXITY_REPAIR_DIR")))


def recheck(user: User, sha256: str) -> FixityRecord:
    """Re-hash one object now (the page's "check again")."""
    require(user, "storage.admin")
    record = db.session.get(FixityRecord, sha256) if is_name(sha256) else None
    if record is None:
        raise NotFound(_("This stored file is not tracked."))
    fixity.check_object(record, actor=user)
    return record


def repair_one(user: User, sha256: str) -> RepairReport:
    """Put one object back from the latest backup holding the right bytes
    (BACKUP_LOCATIONS), or from the folder of hash-named objects in FIXITY_REPAIR_DIR."""
    require(user, "storage.admin")
    if current_app.config.get("BACKUP_LOCATIONS"):
        from app.backup.locations import BackupSource  # the backups `flask backup` writes

        return repair(user, BackupSource(), [sha256])
    folder = current_app.config.get("FIXITY_REPAIR_DIR")
    if not folder:
        raise ValidationFailed(_("No backup is configured yet to restore files from."))
    return repair(user, DirectorySource(folder), [sha256])
