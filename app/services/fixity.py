"""Fixity: every stored object is re-hashed regularly, and what went wrong is raised.

A slice job (``app.jobs.fixity``, every ``FIXITY_INTERVAL_SECONDS``) re-reads the
least recently checked objects, sized so that a full pass completes within
``FIXITY_PERIOD_DAYS``, and reads at most ``FIXITY_MAX_MB_PER_S`` so ingest is not
slowed. Each result is kept per object (``FixityRecord``). A missing or altered
object is written on the audit trail of every record that uses it
(``fixity.failed``), listed on the admin page and counted in ``/healthz``.
Downloads consult the same records (``ensure_intact``). Repair from a backup:
``app.services.fixity_repair``.
"""
from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import delete, exists, func, insert, literal, or_, select, union_all

from app import storage
from app.extensions import db
from app.models import DispositionProposal, Document, DocumentFile, User
from app.models.fixity import FixityRecord
from app.models.user import utcnow
from app.services import audit
from app.storage import ObjectAltered, ObjectMissing, RateLimit, StorageUnavailable

_FILE_COLUMNS = (DocumentFile.sha256, DocumentFile.searchable_sha256,
                 DocumentFile.thumbnail_sha256, DocumentFile.preview_sha256)
SLACK = 1.2  # a slice takes 20 % more than its share, so a pass ends before the period


@dataclass
class FixityReport:
    checked: int = 0
    bytes: int = 0
    ok: int = 0
    missing: list[str] = field(default_factory=list)
    altered: list[str] = field(default_factory=list)
    seconds: float = 0.0
    unavailable: bool = False  # the store stopped answering; the rest waits for next time

    @property
    def mb_per_s(self) -> float:
        return self.bytes / 1024 / 1024 / self.seconds if self.seconds else 0.0


def _referenced():
    """(sha256, size) of every object a record refers to; sizes known for originals."""
    parts = [select(DocumentFile.sha256.label("sha"), DocumentFile.size.label("size"))]
    parts += [select(column.label("sha"), literal(None).label("size")).where(column.is_not(None))
              for column in _FILE_COLUMNS[1:]]
    parts.append(select(DispositionProposal.package_sha256.label("sha"),
                        literal(None).label("size"))
                 .where(DispositionProposal.package_sha256.is_not(None)))
    return union_all(*parts).subquery()


def sync() -> None:
    """Track new objects (pending) and forget those no record refers to any more."""
    refs = _referenced()
    fresh = (select(refs.c.sha, func.max(refs.c.size), literal(FixityRecord.PENDING),
                    literal(0), literal(utcnow()))
             .where(~exists().where(FixityRecord.sha256 == refs.c.sha))
             .group_by(refs.c.sha))
    db.session.execute(insert(FixityRecord).from_select(
        ["sha256", "size", "status", "checks", "created_at"], fresh))
    used = select(_referenced().c.sha)
    db.session.execute(delete(FixityRecord).where(FixityRecord.sha256.not_in(used)))
    db.session.commit()


def run_slice(now: datetime | None = None, mb_per_s: float | None = None,
              on_object: Callable[[int], None] | None = None) -> FixityReport:
    """Re-hash the next slice of objects (least recently checked first)."""
    sync()
    config = current_app.config
    count, total = db.session.execute(select(
        func.count(), func.coalesce(func.sum(func.coalesce(FixityRecord.size,
                                                           FixityRecord.observed_size)), 0))
    ).one()
    runs = max(1.0, config["FIXITY_PERIOD_DAYS"] * 86400 / config["FIXITY_INTERVAL_SECONDS"])
    max_objects = math.ceil(count * SLACK / runs)
    max_bytes = math.ceil(int(total) * SLACK / runs)
    shas = db.session.scalars(
        select(FixityRecord.sha256)
        .order_by(FixityRecord.last_checked_at.asc().nulls_first(), FixityRecord.sha256)
        .limit(max_objects)).all()
    _abort_stale_uploads()
    return _check_all(shas, now, mb_per_s, byte_budget=max_bytes, on_object=on_object)


def verify_all(mb_per_s: float | None = 0,
               on_object: Callable[[int], None] | None = None) -> FixityReport:
    """A full pass over every tracked object (``flask storage verify``)."""
    sync()
    shas = db.session.scalars(select(FixityRecord.sha256).order_by(FixityRecord.sha256)).all()
    return _check_all(shas, None, mb_per_s, on_object=on_object)


def count_tracked() -> int:
    sync()
    return db.session.scalar(select(func.count()).select_from(FixityRecord))


def _check_all(shas, now, mb_per_s, byte_budget: int | None = None,
               on_object=None) -> FixityReport:
    limit = RateLimit(current_app.config["FIXITY_MAX_MB_PER_S"] if mb_per_s is None
                      else mb_per_s)
    report = FixityReport()
    for sha in shas:
        if byte_budget is not None and report.checked and report.bytes >= byte_budget:
            break
        record = db.session.get(FixityRecord, sha)
        try:
            size = check_object(record, limit, now)
        except StorageUnavailable:
            db.session.rollback()
            report.unavailable = True
            break
        report.checked += 1
        report.bytes += size
        if record.status == FixityRecord.OK:
            report.ok += 1
        else:
            (report.missing if record.status == FixityRecord.MISSING
             else report.altered).append(sha)
        if on_object:
            on_object(size)
    report.seconds = limit.elapsed()
    return report


def check_object(record: FixityRecord, limit: RateLimit | None = None,
                 now: datetime | None = None, actor: User | None = None) -> int:
    """Re-hash one object and record the result (committed); returns the bytes read."""
    try:
        observed, size = storage.backend().hash_object(
            record.sha256, on_chunk=limit.spend if limit else None)
    except ObjectMissing:
        _record(record, FixityRecord.MISSING, None, None, now, actor)
        return 0
    status = FixityRecord.OK if observed == record.sha256 else FixityRecord.ALTERED
    _record(record, status, observed, size, now, actor)
    return size


def ensure_intact(sha256: str, expected_size: int | None) -> None:
    """Before a download: the store's own facts must match, and no check found it altered.

    ObjectMissing (404) or ObjectAltered (409); what was found is recorded first.
    """
    info = storage.stat(sha256)
    record = db.session.get(FixityRecord, sha256)
    if info is None:
        _record(record or _track(sha256, expected_size), FixityRecord.MISSING, None, None)
        raise ObjectMissing()
    vouched = info.verified_sha256
    if (expected_size is not None and info.size != expected_size) or \
            (vouched is not None and vouched != sha256):
        _record(record or _track(sha256, expected_size), FixityRecord.ALTERED,
                vouched if vouched != sha256 else None, info.size)
        raise ObjectAltered()
    if record is not None and record.status == FixityRecord.ALTERED:
        raise ObjectAltered()


def _track(sha256: str, size: int | None) -> FixityRecord:
    record = FixityRecord(sha256=sha256, size=size, status=FixityRecord.PENDING, checks=0)
    db.session.add(record)
    return record


def _record(record: FixityRecord, status: str, observed: str | None, size: int | None,
            now: datetime | None = None, actor: User | None = None) -> None:
    now = now or utcnow()
    before, before_observed = record.status, record.observed_sha256
    record.status, record.last_checked_at = status, now
    record.observed_sha256, record.observed_size = observed, size
    record.checks = (record.checks or 0) + 1
    if status == FixityRecord.OK:
        record.size = record.size or size
        record.failed_at = None
        if before in FixityRecord.PROBLEMS:
            record_on_trail(actor, "fixity.recovered", record.sha256)
    elif before != status or before_observed != observed:
        record.failed_at = now
        record_on_trail(actor, "fixity.failed", record.sha256, fixity_status=status,
                        observed_sha256=observed)
    db.session.commit()


def users_of(sha256: str) -> tuple[list[int], list[int]]:
    """The ids of the documents and the transfer proposals that use this object."""
    documents = db.session.scalars(
        select(DocumentFile.document_id).distinct()
        .where(or_(*[column == sha256 for column in _FILE_COLUMNS]))
        .order_by(DocumentFile.document_id)).all()
    proposals = db.session.scalars(select(DispositionProposal.id).where(
        DispositionProposal.package_sha256 == sha256)).all()
    return list(documents), list(proposals)


def record_on_trail(actor: User | None, action: str, sha256: str, **details) -> None:
    """One entry per record using the object: each record's trail (and the secrecy
    rules of the audit page) stay whole."""
    documents, proposals = users_of(sha256)
    for document_id in documents:
        audit.record(actor, action, "document", document_id, sha256=sha256, **details)
    for proposal_id in proposals:
        audit.record(actor, action, "proposal", proposal_id, sha256=sha256, **details)
    if not documents and not proposals:
        audit.record(actor, action, "stored_object", sha256, sha256=sha256, **details)


def _abort_stale_uploads() -> None:
    abort = getattr(storage.backend(), "abort_stale_uploads", None)
    if abort is not None:
        try:
            abort(timedelta(days=1))
        except Exception:  # noqa: BLE001 - housekeeping only; the checks matter
            current_app.logger.warning("stale multipart uploads not aborted", exc_info=True)


def summary() -> dict:
    """Counts by status, bytes tracked and the oldest check (admin page, /healthz)."""
    rows = dict(db.session.execute(select(FixityRecord.status, func.count())
                                   .group_by(FixityRecord.status)).all())
    oldest, total = db.session.execute(select(
        func.min(FixityRecord.last_checked_at),
        func.coalesce(func.sum(func.coalesce(FixityRecord.size, FixityRecord.observed_size)), 0))
    ).one()
    return {status: rows.get(status, 0) for status in
            (FixityRecord.OK, FixityRecord.PENDING, FixityRecord.MISSING, FixityRecord.ALTERED)
            } | {"oldest_check": oldest, "bytes": int(total)}


def problem_count() -> int:
    return db.session.scalar(select(func.count()).select_from(FixityRecord)
                             .where(FixityRecord.status.in_(FixityRecord.PROBLEMS)))


def visible_documents(user: User, sha256: str) -> tuple[list[Document], int]:
    """The documents using the object that ``user`` may see, and how many others do."""
    from app.domain.vocab import levels_up_to

    ids, _proposals = users_of(sha256)
    if not ids:
        return [], 0
    shown = list(db.session.scalars(select(Document).where(
        Document.id.in_(ids), Document.secrecy.in_(levels_up_to(user.clearance)))
        .order_by(Document.id)))
    return shown, len(ids) - len(shown)
