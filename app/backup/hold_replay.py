"""Legal holds placed after a backup, placed again when it is restored.

A hold placed after a backup was taken is not in that backup's database:
restored as it is, the record it froze could be destroyed, transferred or
deleted the next day. Every ``tombstones.json`` (and the database a
``--force`` restore replaces, and a ``flask backup tombstones`` file) lists
every hold of the database that wrote it — what it covers, why, who placed it
and when — and the restore places again each one the restored database lacks,
before it replays releases (``retention_replay.py``): a hold placed and then
released after the backup ends released, with both steps in the trail.

A hold matches by id and the time it was placed. What it covers must be the
same thing in the restored database: a document by id and upload time, a
dossier by id and code; a saved search is evaluated when it matters, so it is
always placed again. A hold on a record or dossier the backup does not hold
(it came later, and is not restored either) is counted, not placed. The
person who placed it keeps it when their account exists with the same name;
the ``backup.replay_hold`` audit entry quotes the original ``hold.place``.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, text

from app.backup import proposals
from app.extensions import db
from app.models import Document, Dossier, LegalHold, User
from app.services import audit


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def collect() -> list[dict]:
    """Every hold of the current database, released or not (for ``tombstones.json``)."""
    holds = list(db.session.scalars(select(LegalHold).order_by(LegalHold.placed_at,
                                                               LegalHold.id)))
    placed = proposals.entries("hold", "hold.place", {str(h.id) for h in holds})
    found = []
    for hold in holds:
        document = db.session.get(Document, hold.document_id) if hold.document_id else None
        dossier = db.session.get(Dossier, hold.dossier_id) if hold.dossier_id else None
        found.append({
            "hold_id": hold.id, "placed_at": hold.placed_at.isoformat(),
            "target_type": hold.target_type, "document_id": hold.document_id,
            "document_uploaded_at": _iso(document.uploaded_at) if document else None,
            "dossier_id": hold.dossier_id, "dossier_code": dossier.code if dossier else None,
            "query": hold.query, "reason": hold.reason, "placed_by_id": hold.placed_by_id,
            "placed_by": hold.placed_by.username if hold.placed_by else None,
            "entry": placed.get(str(hold.id))})
    return found


def place(items: list[dict], backup_name: str) -> tuple[dict, list[int], list[int]]:
    """Place again the holds of ``items`` the restored database lacks (the caller commits).

    Returns ``(ids, placed, not_placed)``: the id each placed hold has now, by
    its (original id, placed at); the ids placed; the original ids of holds on
    something the backup does not hold.
    """
    ids: dict[tuple, int] = {}
    not_placed: list[int] = []
    free, taken = [], []  # a hold whose id is free keeps it; another gets a new one
    for item in sorted(items, key=lambda i: (i["placed_at"], i["hold_id"])):
        hold = db.session.get(LegalHold, item["hold_id"])
        if hold is not None and hold.placed_at.isoformat() == item["placed_at"]:
            continue  # in the backup already
        target = _target(item)
        if target is None:
            not_placed.append(item["hold_id"])
        else:
            (free if hold is None else taken).append((item, target))
    for item, target in free:
        ids[(item["hold_id"], item["placed_at"])] = _add(item, target, backup_name,
                                                          item["hold_id"])
    _follow_sequence()
    for item, target in taken:
        ids[(item["hold_id"], item["placed_at"])] = _add(item, target, backup_name, None)
    return ids, list(ids.values()), not_placed


def _target(item: dict) -> dict | None:
    """The columns naming what the hold covers in the restored database, or None."""
    if item["target_type"] == LegalHold.DOCUMENT:
        document = db.session.get(Document, item["document_id"])
        if document is None or _iso(document.uploaded_at) != item["document_uploaded_at"]:
            return None
        return {"document_id": document.id}
    if item["target_type"] == LegalHold.DOSSIER:
        dossier = db.session.get(Dossier, item["dossier_id"])
        if dossier is None or dossier.code != item["dossier_code"]:
            return None
        return {"dossier_id": dossier.id}
    return {"query": item["query"]}


def _add(item: dict, target: dict, backup_name: str, hold_id: int | None) -> int:
    placed_by = db.session.get(User, item["placed_by_id"]) if item.get("placed_by_id") else None
    if placed_by is not None and placed_by.username != item.get("placed_by"):
        placed_by = None  # another person took this id in the restored timeline
    hold = LegalHold(id=hold_id, target_type=item["target_type"], reason=item["reason"],
                     placed_by_id=placed_by.id if placed_by else None,
                     placed_at=datetime.fromisoformat(item["placed_at"]), **target)
    db.session.add(hold)
    db.session.flush()
    audit.record(None, "backup.replay_hold", "hold", hold.id, target=hold.target_type,
                 document_id=hold.document_id, dossier_id=hold.dossier_id, query=hold.query,
                 reason=hold.reason, backup=backup_name,
                 **({"original_hold_id": item["hold_id"]} if hold.id != item["hold_id"] else {}),
                 **proposals.quoted(item))
    return hold.id


def _follow_sequence() -> None:
    """After rows inserted with their own ids, the next hold placed takes a free one."""
    if db.engine.dialect.name == "postgresql":
        db.session.execute(text(
            "SELECT setval(pg_get_serial_sequence('legal_holds', 'id'), "
            "GREATEST((SELECT max(id) FROM legal_holds), 1))"))
