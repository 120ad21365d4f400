"""The audit trail: who did what to which record, when; tamper-evident.

Every entry stores the SHA-256 of its own content and of the previous entry,
so editing, deleting or reordering a row breaks the chain, which ``verify``
(``flask audit verify``) reports. Entries are written in the same transaction
as the action they record.
"""
from __future__ import annotations

import csv
import hashlib
import io
import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import String, cast, select, text

from app.extensions import db
from app.domain.vocab import levels_up_to
from app.models import Document, User
from app.models.audit import AuditEvent
from app.models.user import utcnow

GENESIS = "0" * 64
_LOCK_KEY = 7_240_001  # pg_advisory_xact_lock key: one writer appends at a time


def record(actor: User | None, action: str, object_type: str, object_id=None, *,
           actor_name: str | None = None, **details) -> AuditEvent:
    """Append an entry to the current transaction (the caller commits).

    ``actor_name`` names someone without an account (a partner agency harvesting);
    by default the entry carries the actor's username, or "system".
    """
    if db.engine.dialect.name == "postgresql":
        db.session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _LOCK_KEY})
    last = _last()
    event = AuditEvent(
        seq=(last.seq + 1) if last else 1, at=utcnow().replace(microsecond=0),
        actor_id=actor.id if actor else None,
        actor_name=actor_name or (actor.username if actor else "system"),
        action=action, object_type=object_type,
        object_id=str(object_id) if object_id is not None else None,
        details=details, prev_hash=last.hash if last else GENESIS,
    )
    event.hash = _digest(event)
    db.session.add(event)
    return event


def record_many(actor: User | None, entries: list[tuple]) -> list[AuditEvent]:
    """Append ``(action, object_type, object_id, details)`` entries in one go, in order.

    The same chain as one ``record`` after another, at the cost of one look-up:
    for bulk work such as a harvest of thousands of records.
    """
    if not entries:
        return []
    if db.engine.dialect.name == "postgresql":
        db.session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _LOCK_KEY})
    last = _last()
    seq, prev = (last.seq, last.hash) if last else (0, GENESIS)
    at = utcnow().replace(microsecond=0)
    events = []
    for action, object_type, object_id, details in entries:
        seq += 1
        event = AuditEvent(
            seq=seq, at=at, actor_id=actor.id if actor else None,
            actor_name=actor.username if actor else "system", action=action,
            object_type=object_type, object_id=str(object_id) if object_id is not None else None,
            details=details, prev_hash=prev)
        event.hash = prev = _digest(event)
        events.append(event)
    db.session.add_all(events)
    return events


def _last():
    """(seq, hash) of the newest entry, or None; only what the next entry chains to."""
    return db.session.execute(select(AuditEvent.seq, AuditEvent.hash)
                              .order_by(AuditEvent.seq.desc()).limit(1)).first()


def apply_changes(target, values: dict) -> dict:
    """Set ``values`` on ``target``; return what changed as ``{name: [old, new]}`` for an entry."""
    changes = {}
    for name, value in values.items():
        old = getattr(target, name, None)
        if old != value:
            changes[name] = [jsonable(old), jsonable(value)]
            setattr(target, name, value)
    return changes


def jsonable(value):
    """Dates and times as ISO text, so that they fit an entry's JSON details."""
    return value.isoformat() if hasattr(value, "isoformat") else value


def _digest(event: AuditEvent) -> str:
    content = json.dumps({
        "seq": event.seq, "at": event.at.isoformat(), "actor_id": event.actor_id,
        "actor": event.actor_name, "action": event.action, "object_type": event.object_type,
        "object_id": event.object_id, "details": event.details, "prev": event.prev_hash,
    }, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(content.encode()).hexdigest()


@dataclass
class VerifyReport:
    checked: int
    problems: list[str]

    @property
    def ok(self) -> bool:
        return not self.problems


def verify() -> VerifyReport:
    """Recompute the chain; report edited, missing or reordered entries."""
    problems, expected_prev, expected_seq, checked = [], GENESIS, 1, 0
    for event in db.session.scalars(select(AuditEvent).order_by(AuditEvent.id)):
        checked += 1
        if event.seq != expected_seq:
            problems.append(f"entry {event.id}: sequence {event.seq}, expected {expected_seq} "
                            "(an entry was deleted or the order changed)")
        if event.prev_hash != expected_prev:
            problems.append(f"entry {event.id} (seq {event.seq}): does not follow the "
                            "previous entry's hash")
        if _digest(event) != event.hash:
            problems.append(f"entry {event.id} (seq {event.seq}): content was changed")
        expected_prev, expected_seq = event.hash, event.seq + 1
    return VerifyReport(checked, problems)


def search_events(actor: User, action: str | None = None, username: str | None = None,
                  object_id: str | None = None, day_from: date | None = None,
                  day_to: date | None = None, limit: int = 500) -> list[AuditEvent]:
    from app.services.access import require

    require(actor, "audit.view")
    # Entries about documents above the reader's clearance are left out: the
    # trail must not reveal that such a document exists.
    hidden = select(cast(Document.id, String)).where(
        Document.secrecy.not_in(levels_up_to(actor.clearance)))
    query = (select(AuditEvent)
             .where(~((AuditEvent.object_type == "document") & AuditEvent.object_id.in_(hidden)))
             .order_by(AuditEvent.seq.desc()).limit(limit))
    if action:
        query = query.where(AuditEvent.action == action)
    if username:
        query = query.where(AuditEvent.actor_name == username)
    if object_id:
        query = query.where(AuditEvent.object_id == object_id)
    if day_from:
        query = query.where(AuditEvent.at >= datetime.combine(day_from, datetime.min.time()))
    if day_to:
        query = query.where(AuditEvent.at < datetime.combine(day_to + timedelta(days=1),
                                                             datetime.min.time()))
    return list(db.session.scalars(query))


def to_csv(events: list[AuditEvent]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["seq", "time_utc", "user", "action", "object_type", "object_id",
                     "details", "hash"])
    for e in events:
        writer.writerow([e.seq, e.at.isoformat(), e.actor_name, e.action, e.object_type,
                         e.object_id or "", json.dumps(e.details, ensure_ascii=False), e.hash])
    return out.getvalue()
