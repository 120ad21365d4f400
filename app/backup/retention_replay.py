"""Transfers and hold releases made after a backup, replayed when it is restored.

A record handed to the historical archive, or a legal hold lifted, after a
backup was taken is back as kept (or held) in that backup's database. The
source of truth newer than the backup is the same as for destructions: the
``tombstones.json`` of every newer backup in the same place, the database a
``--force`` restore replaces, and a file from ``flask backup tombstones``;
each carries, beside the destroyed records, the records transferred (with the
executed proposal and its package) and the holds released, as the live
database had them when it was written.

Replaying a transfer gives the restored record its transferred state and date
back and brings back the executed proposal; replaying a release lifts the
restored hold with its date, reason and the person who lifted it (when that
account exists in the restored database). Each leaves an audit entry quoting
the original one. A record matches by id and upload time, a hold by id and
the time it was placed: an id taken by something else in the restored
timeline is never touched. Holds placed after the backup are placed again
first (``hold_replay.py``), so one placed and then released ends released.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select

from app.backup import hold_replay, proposals
from app.extensions import db
from app.models import (
    Disposition, DispositionItem, DispositionProposal, Document, LegalHold, User,
)
from app.services import audit


@dataclass
class LaterReport:
    transferred: list[int] = field(default_factory=list)  # record ids kept transferred
    released: list[int] = field(default_factory=list)     # hold ids kept released
    placed: list[int] = field(default_factory=list)       # hold ids placed again
    not_placed: list[int] = field(default_factory=list)   # on what the backup lacks
    packages: set[str] = field(default_factory=set)       # transfer packages brought back


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def collect() -> dict:
    """The transfers and released holds of the current database (for ``tombstones.json``)."""
    documents = list(db.session.scalars(
        select(Document).where(Document.disposition == Disposition.TRANSFERRED)
        .order_by(Document.disposed_at, Document.id)))
    entries = proposals.entries("document", "disposition.transfer", {str(d.id) for d in documents})
    executed = {item.document_id: proposals.as_dict(item) for item in db.session.scalars(
        select(DispositionItem).join(DispositionProposal).where(
            DispositionProposal.action == "transfer",
            DispositionProposal.status == DispositionProposal.EXECUTED))}
    holds = list(db.session.scalars(select(LegalHold).where(LegalHold.released_at.isnot(None))
                                    .order_by(LegalHold.released_at, LegalHold.id)))
    releases = proposals.entries("hold", "hold.release", {str(h.id) for h in holds})
    return {
        "transfers": [{"document_id": d.id, "uploaded_at": d.uploaded_at.isoformat(),
                       "disposed_at": _iso(d.disposed_at), "entry": entries.get(str(d.id)),
                       "proposal": executed.get(d.id)} for d in documents],
        "released_holds": [{"hold_id": h.id, "placed_at": h.placed_at.isoformat(),
                            "released_at": _iso(h.released_at),
                            "released_by_id": h.released_by_id,
                            "release_reason": h.release_reason,
                            "entry": releases.get(str(h.id))} for h in holds],
        "placed_holds": hold_replay.collect(),
    }


def _merge(collections: tuple[dict, ...], kind: str, key: tuple[str, str]) -> list[dict]:
    """One entry per record (or hold), the one quoting the original audit entry kept."""
    merged: dict[tuple, dict] = {}
    for collection in collections:
        for item in collection.get(kind, []):
            k = (item[key[0]], item[key[1]])
            if k not in merged or (item.get("entry") and not merged[k].get("entry")):
                merged[k] = {**item, "origin": collection.get("source")}
    return list(merged.values())


def replay(collections: tuple[dict, ...], backup_name: str) -> LaterReport:
    """Apply the holds, releases and transfers of ``collections`` to the restored
    database; commit."""
    report = LaterReport()
    ids, report.placed, report.not_placed = hold_replay.place(
        _merge(collections, "placed_holds", ("hold_id", "placed_at")), backup_name)
    for item in _merge(collections, "released_holds", ("hold_id", "placed_at")):
        _release(item, backup_name, report, ids.get((item["hold_id"], item["placed_at"])))
    for item in _merge(collections, "transfers", ("document_id", "uploaded_at")):
        _transfer(item, backup_name, report)
    db.session.commit()
    return report


def _release(item: dict, backup_name: str, report: LaterReport, placed_as: int | None) -> None:
    hold = db.session.get(LegalHold, placed_as or item["hold_id"])
    if hold is None or hold.placed_at.isoformat() != item["placed_at"] or not hold.active:
        return  # on what the backup lacks, another hold's id, or released already
    released_by = (db.session.get(User, item["released_by_id"])
                   if item.get("released_by_id") else None)
    hold.released_by_id = released_by.id if released_by else None
    hold.released_at = datetime.fromisoformat(item["released_at"])
    hold.release_reason = item.get("release_reason")
    audit.record(None, "backup.replay_release", "hold", hold.id, backup=backup_name,
                 reason=hold.release_reason, **proposals.quoted(item))
    report.released.append(hold.id)


def _transfer(item: dict, backup_name: str, report: LaterReport) -> None:
    document = db.session.get(Document, item["document_id"])
    if (document is None or document.uploaded_at.isoformat() != item["uploaded_at"]
            or document.disposition in (Disposition.TRANSFERRED, *Disposition.ERASED)):
        return
    document.disposition = Disposition.TRANSFERRED
    document.disposed_at = (datetime.fromisoformat(item["disposed_at"])
                            if item.get("disposed_at") else None)
    document.bump_revision()
    proposal_id = proposals.replay(document, item.get("proposal"))
    package = (item.get("proposal") or {}).get("package_sha256")
    if proposal_id and package:
        report.packages.add(package)
    audit.record(None, "backup.replay_transfer", "document", document.id,
                 disposed_at=item.get("disposed_at"), backup=backup_name, proposal=proposal_id,
                 decision_ref=(item.get("proposal") or {}).get("decision_ref"),
                 **proposals.quoted(item))
    report.transferred.append(document.id)
