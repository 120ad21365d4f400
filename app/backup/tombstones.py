"""Tombstones: records destroyed or deleted, so that a restore never brings them back.

Every backup ends by writing the tombstones of the live database (taken
*after* its objects were copied, so a destruction that happened while the
backup ran is in them too). Restoring a backup replays the tombstones of that
backup, of every newer backup in the same place, of a file given with
``--tombstones`` and, with ``--force`` over a database that still exists, of
that database: a record restored alive whose tombstone is found loses its
files and text again, takes its destroyed/deleted state and date, gets its
destruction proposal back where the people involved exist in the restored
database, and the audit trail gets a ``backup.replay`` entry quoting the
original entry (the original cannot be appended as it was: its hash follows a
chain the restored trail does not have).

A tombstone matches a restored record by id *and* upload time, so a record
that later took the same id in another timeline is never touched.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy import select, text

from app.backup import manifest, proposals, retention_replay, sealed
from app.extensions import db
from app.models import (
    AuditEvent, Disposition, DispositionItem, DispositionProposal, Document, DocumentCitation,
)
from app.models.user import utcnow
from app.services import audit

FORMAT = "vn-archive-tombstones/1"
ERASING_ACTIONS = ("disposition.destroy", "delete")


@dataclass
class ReplayReport:
    replayed: list[int] = field(default_factory=list)
    already: int = 0       # the restored record is already a tombstone
    absent: int = 0        # the record did not exist yet when the backup was taken
    other_record: int = 0  # the id belongs to another record in the restored database
    objects: set[str] = field(default_factory=set)  # what the erased files referred to


def collect(source: str) -> dict:
    """The tombstones of the current database, as written to ``tombstones.json``.

    ``source`` says where they will be known from: a backup's name, ``file``
    (``flask backup tombstones``) or ``database`` (the one a restore replaces).
    """
    documents = list(db.session.scalars(
        select(Document).where(Document.disposition.in_(Disposition.ERASED))
        .order_by(Document.disposed_at, Document.id)))
    ids = {str(d.id) for d in documents}
    entries = {}
    for event in db.session.scalars(select(AuditEvent).where(
            AuditEvent.object_type == "document", AuditEvent.action.in_(ERASING_ACTIONS))
            .order_by(AuditEvent.seq)):
        if event.object_id in ids:
            entries[event.object_id] = proposals.entry(event)
    executed = {}
    for item in db.session.scalars(select(DispositionItem).join(DispositionProposal).where(
            DispositionProposal.action == "destroy",
            DispositionProposal.status == DispositionProposal.EXECUTED)):
        executed[item.document_id] = proposals.as_dict(item)
    return {"format": FORMAT, "written_at": utcnow().isoformat(), "source": source,
            "documents": [{
                "document_id": d.id, "uploaded_at": d.uploaded_at.isoformat(),
                "disposition": d.disposition,
                "disposed_at": d.disposed_at.isoformat() if d.disposed_at else None,
                "title": d.title, "number_symbol": d.number_symbol,
                "entry": entries.get(str(d.id)), "proposal": executed.get(d.id),
            } for d in documents],
            **retention_replay.collect()}


def of_backup(folder: Path) -> dict:
    """The tombstones a backup holds (decrypted with BACKUP_KEY when it is encrypted)."""
    return sealed.read_json(folder, manifest.read_manifest(folder), manifest.TOMBSTONES)


def read(path: Path) -> dict:
    data = manifest.read_json(path)
    if data.get("format") != FORMAT:
        raise ValueError(f"{path}: not a tombstones file")
    return data


def merge(*collections: dict) -> list[dict]:
    """One tombstone per record (id and upload time), the most complete one kept."""
    merged: dict[tuple, dict] = {}
    for collection in collections:
        for tomb in collection.get("documents", []):
            key = (tomb["document_id"], tomb["uploaded_at"])
            if key not in merged or (tomb.get("entry") and not merged[key].get("entry")):
                merged[key] = {**tomb, "origin": collection.get("source")}
    return sorted(merged.values(), key=lambda t: (t.get("disposed_at") or "", t["document_id"]))


def replay(tombstones: list[dict], backup_name: str) -> ReplayReport:
    """Apply ``tombstones`` to the restored database and commit."""
    report = ReplayReport()
    for tomb in tombstones:
        document = db.session.get(Document, tomb["document_id"])
        if document is None:
            report.absent += 1
        elif document.uploaded_at.isoformat() != tomb["uploaded_at"]:
            report.other_record += 1
        elif document.disposition in Disposition.ERASED:
            report.already += 1
        else:
            report.objects |= _erase(document, tomb)
            proposal_id = proposals.replay(document, tomb.get("proposal"))
            entry = tomb.get("entry") or {}
            audit.record(None, "backup.replay", "document", document.id,
                         disposition=tomb["disposition"], disposed_at=tomb["disposed_at"],
                         backup=backup_name, tombstone_from=tomb.get("origin"),
                         original_seq=entry.get("seq"), original_hash=entry.get("hash"),
                         original_actor=entry.get("actor"), original_at=entry.get("at"),
                         decision_ref=(entry.get("details") or {}).get("decision_ref"),
                         reason=(entry.get("details") or {}).get("reason"),
                         proposal=proposal_id)
            report.replayed.append(document.id)
    if db.engine.dialect.name == "postgresql":
        db.session.execute(text(
            "SELECT setval(pg_get_serial_sequence('disposition_proposals', 'id'), "
            "GREATEST((SELECT max(id) FROM disposition_proposals), 1))"))
    db.session.commit()
    return report


def _erase(document: Document, tomb: dict) -> set[str]:
    """What ``app.services.disposition`` does to a record it destroys, minus the
    index (rebuilt after); returns the objects its files referred to."""
    blobs = {sha for f in document.files for sha in (f.sha256, f.searchable_sha256,
                                                     f.thumbnail_sha256, f.preview_sha256) if sha}
    for file in list(document.files):
        document.files.remove(file)
    db.session.execute(DocumentCitation.__table__.delete()
                       .where(DocumentCitation.document_id == document.id))
    document.extracted = None
    document.disposition = tomb["disposition"]
    document.disposed_at = (datetime.fromisoformat(tomb["disposed_at"])
                            if tomb.get("disposed_at") else None)
    document.bump_revision()
    return blobs
