"""Executed disposition proposals and audit entries, as tombstones carry them.

A restore that replays a destruction or a transfer brings back the proposal it
executed (with the transfer's package) and quotes the original audit entry.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from app.extensions import db
from app.models import AuditEvent, DispositionItem, DispositionProposal, Document, User


def replay(document: Document, data: dict | None) -> int | None:
    """Bring the executed proposal back (a destruction's biên bản, a transfer's
    package), when the restored database has its people; returns its id when it
    is there."""
    if not data:
        return None
    proposal = db.session.get(DispositionProposal, data["id"])
    if proposal is not None and (proposal.action != data["action"]
                                 or proposal.proposed_at.isoformat() != data["proposed_at"]):
        return None  # another proposal took this id in the restored timeline
    decided_by = db.session.get(User, data["decided_by_id"]) if data["decided_by_id"] else None
    if proposal is None:
        if db.session.get(User, data["proposed_by_id"]) is None or decided_by is None:
            return None
        proposal = DispositionProposal(id=data["id"], action=data["action"],
                                       reason=data["reason"],
                                       proposed_by_id=data["proposed_by_id"],
                                       proposed_at=datetime.fromisoformat(data["proposed_at"]))
        db.session.add(proposal)
    proposal.status = DispositionProposal.EXECUTED
    proposal.decided_by_id = decided_by.id if decided_by else proposal.decided_by_id
    for name in ("decided_at", "executed_at"):
        value = data.get(name)
        setattr(proposal, name, datetime.fromisoformat(value) if value else None)
    proposal.decision_ref, proposal.decision_note = data["decision_ref"], data["decision_note"]
    if data.get("package_sha256"):
        proposal.package_path = data.get("package_path")
        proposal.package_sha256 = data["package_sha256"]
    if not any(item.document_id == document.id for item in proposal.items):
        proposal.items.append(DispositionItem(document_id=document.id,
                                              snapshot=data.get("snapshot") or {}))
    db.session.flush()
    return proposal.id


def entry(event: AuditEvent) -> dict:
    return {"seq": event.seq, "at": event.at.isoformat(), "actor": event.actor_name,
            "action": event.action, "hash": event.hash,
            "details": {k: v for k, v in (event.details or {}).items() if k != "snapshot"}}


def entries(object_type: str, action: str, ids: set[str]) -> dict[str, dict]:
    """The last ``action`` entry of each object in ``ids``, as :func:`entry` gives it."""
    found = {}
    for event in db.session.scalars(select(AuditEvent).where(
            AuditEvent.object_type == object_type, AuditEvent.action == action)
            .order_by(AuditEvent.seq)):
        if event.object_id in ids:
            found[event.object_id] = entry(event)
    return found


def quoted(item: dict) -> dict:
    """The details of a replay entry that quote the original entry ``item`` carries."""
    original = item.get("entry") or {}
    return {"original_seq": original.get("seq"), "original_hash": original.get("hash"),
            "original_actor": original.get("actor"), "original_at": original.get("at"),
            "replayed_from": item.get("origin")}


def as_dict(item: DispositionItem) -> dict:
    p = item.proposal

    def iso(value):
        return value.isoformat() if value else None

    return {"id": p.id, "action": p.action, "reason": p.reason, "status": p.status,
            "proposed_by_id": p.proposed_by_id, "proposed_at": iso(p.proposed_at),
            "decided_by_id": p.decided_by_id, "decided_at": iso(p.decided_at),
            "decision_ref": p.decision_ref, "decision_note": p.decision_note,
            "executed_at": iso(p.executed_at), "snapshot": item.snapshot,
            "package_path": p.package_path, "package_sha256": p.package_sha256}
