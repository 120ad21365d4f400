"""Disposition: propose → a different approver decides → destroy or transfer.

Destruction removes the original bytes (and the searchable PDF), the
extracted text and the search entry; the document row stays as a tombstone
with its metadata, and the proposal keeps the destruction record (biên bản
hủy). Transfer writes a verified BagIt package and marks the records
transferred. Legal holds are checked when proposing and again when
executing, so a hold placed in between still wins.
"""
from __future__ import annotations

from datetime import datetime
from pathlib import Path

from flask_babel import gettext as _
from sqlalchemy import select

from app import storage
from app.domain.vocab import levels_up_to
from app.extensions import db
from app.models import (
    Disposition, DispositionItem, DispositionProposal, Document, DocumentCitation,
    User,
)
from app.models.user import utcnow
from app.services import audit, notifications, retention, transfer
from app.services.access import ensure_local, get_document, require
from app.services.errors import Conflict, NotFound, PermissionDenied, RecordHeld, ValidationFailed
from app.services.holds import ensure_not_held
from app.services.tasks import schedule
from app.services.uow import UnitOfWork

ACTIONS = ("destroy", "transfer")


def propose(user: User, action: str, document_ids: list[int], reason: str) -> DispositionProposal:
    """An archivist proposes destroying (records due) or transferring records."""
    require(user, "retention.manage")
    if action not in ACTIONS:
        raise ValidationFailed(_("Choose destroy or transfer."), fields={"action": _("Required.")})
    if not (reason or "").strip():
        raise ValidationFailed(_("Give the reason for the proposal."),
                               fields={"reason": _("Required.")})
    documents = [get_document(user, i) for i in dict.fromkeys(document_ids)]
    if not documents:
        raise ValidationFailed(_("Select at least one record."))
    for document in documents:
        ensure_local(document)
    for document in documents:
        allowed = ((Disposition.DUE,) if action == "destroy"
                   else (Disposition.DUE, Disposition.ACTIVE))
        if document.disposition not in allowed:
            raise Conflict(_("#%(id)s cannot be proposed for this: %(state)s.", id=document.id,
                             state=document.disposition))
    ensure_not_held(documents)
    proposal = DispositionProposal(action=action, reason=reason.strip(), proposed_by=user)
    for document in documents:
        proposal.items.append(DispositionItem(document_id=document.id, snapshot=_snapshot(document)))
        document.disposition = Disposition.PROPOSED
    db.session.add(proposal)
    db.session.flush()
    audit.record(user, "disposition.propose", "proposal", proposal.id, kind=action,
                 reason=proposal.reason, documents=[d.id for d in documents])
    uow = UnitOfWork()
    notifications.proposal_created(uow, proposal)  # the approvers, in the same transaction
    uow.commit()
    return proposal


def list_proposals(user: User, status: str | None = None,
                   waiting_for_me: bool = False) -> list[DispositionProposal]:
    """Proposals whose every record ``user`` may see (others are not shown at all);
    ``waiting_for_me``: those still proposed that ``user`` may decide (not their own)."""
    require(user, "retention.manage")
    query = select(DispositionProposal).order_by(DispositionProposal.proposed_at.desc(),
                                                 DispositionProposal.id.desc())
    if waiting_for_me:
        if not user.can("disposition.approve"):
            return []
        status = DispositionProposal.PROPOSED
        query = query.where(DispositionProposal.proposed_by_id != user.id)
    if status:
        query = query.where(DispositionProposal.status == status)
    return [p for p in db.session.scalars(query) if _visible(user, p)]


def get_proposal(user: User, proposal_id: int) -> DispositionProposal:
    require(user, "retention.manage")
    proposal = db.session.get(DispositionProposal, proposal_id)
    if proposal is None or not _visible(user, proposal):
        raise NotFound(_("Proposal not found."))
    return proposal


def open_package(user: User, proposal_id: int) -> tuple[str | None, Path | None, str]:
    """A transfer's package for download: (sha256 in the store, None, name), or for
    packages made before the store held them (None, their local path, name)."""
    proposal = get_proposal(user, proposal_id)
    if proposal.package_sha256 and storage.exists(proposal.package_sha256):
        return proposal.package_sha256, None, Path(proposal.package_path or "package.zip").name
    legacy = Path(proposal.package_path) if proposal.package_path else None
    if legacy is not None and legacy.is_absolute() and legacy.is_file():
        return None, legacy, legacy.name
    raise NotFound(_("There is no transfer package for this proposal."))


def decide(user: User, proposal_id: int, approve: bool, decision_ref: str = "",
           note: str = "") -> DispositionProposal:
    """Approve (then execute at once) or reject; never by the person who proposed."""
    require(user, "disposition.approve")
    proposal = get_proposal(user, proposal_id)
    if proposal.proposed_by_id == user.id:
        raise PermissionDenied(_("You proposed this disposition; another approver must decide."))
    if proposal.status != DispositionProposal.PROPOSED:
        raise Conflict(_("This proposal has already been decided."))
    if approve and not (decision_ref or "").strip():
        raise ValidationFailed(_("Give the number of the decision that authorises it."),
                               fields={"decision_ref": _("Required.")})
    proposal.decided_by, proposal.decided_at = user, utcnow()
    proposal.decision_ref = (decision_ref or "").strip() or None
    proposal.decision_note = (note or "").strip() or None
    uow = UnitOfWork()
    notifications.proposal_decided(uow, proposal, user)  # its author, with the decision
    if not approve:
        proposal.status = DispositionProposal.REJECTED
        _release_items(proposal)
        audit.record(user, "disposition.reject", "proposal", proposal.id, note=proposal.decision_note)
        uow.commit()
        return proposal
    proposal.status = DispositionProposal.APPROVED
    audit.record(user, "disposition.approve", "proposal", proposal.id,
                 decision_ref=proposal.decision_ref, note=proposal.decision_note)
    uow.commit()
    return execute(user, proposal.id)


def execute(user: User, proposal_id: int) -> DispositionProposal:
    """Carry out an approved proposal; a legal hold found now blocks all of it."""
    proposal = db.session.get(DispositionProposal, proposal_id)
    if proposal is None or proposal.status != DispositionProposal.APPROVED:
        raise Conflict(_("Only an approved proposal can be executed."))
    documents = [db.session.get(Document, item.document_id) for item in proposal.items]
    try:
        ensure_not_held(documents)
    except RecordHeld as held:
        proposal.status = DispositionProposal.BLOCKED
        proposal.execution_note = held.message
        _release_items(proposal)
        audit.record(user, "disposition.blocked", "proposal", proposal.id, reason=held.message)
        db.session.commit()
        raise
    if proposal.action == "destroy":
        _destroy(user, proposal, documents)
    else:
        _transfer(user, proposal, documents)
    return proposal


def delete_document(user: User, document_id: int, reason: str) -> Document:
    """Erase a record outside the retention workflow (e.g. uploaded by mistake).

    Same erasure and tombstone as a destruction; refused under a legal hold,
    for administrators too.
    """
    require(user, "document.delete")
    document = get_document(user, document_id)
    ensure_local(document)
    if not (reason or "").strip():
        raise ValidationFailed(_("Give the reason for deleting."), fields={"reason": _("Required.")})
    if document.disposition in Disposition.GONE + (Disposition.DELETED, Disposition.PROPOSED):
        raise Conflict(_("#%(id)s cannot be deleted now: %(state)s.", id=document.id,
                         state=document.disposition))
    ensure_not_held([document])
    uow = UnitOfWork()
    audit.record(user, "delete", "document", document.id, reason=reason.strip(),
                 snapshot=_snapshot(document))
    erase_record(uow, document, Disposition.DELETED)
    uow.commit()
    return document


def _destroy(user: User, proposal: DispositionProposal, documents: list[Document]) -> None:
    uow = UnitOfWork()
    for document in documents:
        erase_record(uow, document, Disposition.DESTROYED)
        audit.record(user, "disposition.destroy", "document", document.id, proposal=proposal.id,
                     decision_ref=proposal.decision_ref)
    proposal.status, proposal.executed_at = DispositionProposal.EXECUTED, utcnow()
    audit.record(user, "disposition.execute", "proposal", proposal.id, kind="destroy",
                 documents=[d.id for d in documents])
    uow.commit()


def erase_record(uow: UnitOfWork, document: Document, state: str) -> None:
    """Remove bytes, text and search entry; keep the row as a tombstone (caller commits).

    Also used when another archive withdraws a record harvested from it.
    """
    blobs = [sha for f in document.files for sha in (f.sha256, f.searchable_sha256,
                                                     f.thumbnail_sha256, f.preview_sha256) if sha]
    for file in list(document.files):
        document.files.remove(file)  # delete-orphan: the rows and their extracted text go
    db.session.execute(DocumentCitation.__table__.delete()
                       .where(DocumentCitation.document_id == document.id))
    document.passages.clear()  # they hold the text too
    document.extracted = None
    document.disposition, document.disposed_at = state, utcnow()
    document.bump_revision()
    uow.after_commit(lambda: _remove_unreferenced(blobs))
    # The index job deletes a tombstone's entry and refreshes the briefings
    # that held its text; reconcile re-runs it after an outage.
    schedule(uow, document, "index")


def _remove_unreferenced(blobs: list[str]) -> None:
    """Delete stored bytes no other record still uses (copies above a clearance share them)."""
    from app.services.previews import remove_replaced

    remove_replaced(blobs)


def _transfer(user: User, proposal: DispositionProposal, documents: list[Document]) -> None:
    name = f"chuyen-giao-{proposal.id:05d}-{datetime.now():%Y%m%d%H%M%S}"
    snapshots = {item.document_id: item.snapshot for item in proposal.items}
    package = transfer.build_package(name, documents, snapshots)
    proposal.package_path = f"{name}.zip"  # the download name; the bytes are in the store
    proposal.package_sha256 = package.sha256
    for document in documents:
        document.disposition, document.disposed_at = Disposition.TRANSFERRED, utcnow()
        document.bump_revision()
        audit.record(user, "disposition.transfer", "document", document.id, proposal=proposal.id,
                     package=name)
    proposal.status, proposal.executed_at = DispositionProposal.EXECUTED, utcnow()
    audit.record(user, "disposition.execute", "proposal", proposal.id, kind="transfer",
                 package=name, package_sha256=proposal.package_sha256,
                 documents=[d.id for d in documents])
    uow = UnitOfWork()
    for document in documents:
        schedule(uow, document, "index")
    uow.commit()


def _release_items(proposal: DispositionProposal) -> None:
    """Records of a rejected or blocked proposal go back to due or kept."""
    for item in proposal.items:
        document = db.session.get(Document, item.document_id)
        if document.disposition == Disposition.PROPOSED:
            due_on = retention.info(document).due_on
            document.disposition = (Disposition.DUE if due_on and due_on <= utcnow().date()
                                    else Disposition.ACTIVE)


def _visible(user: User, proposal: DispositionProposal) -> bool:
    levels = set(levels_up_to(user.clearance))
    return all(item.snapshot.get("secrecy", "thuong") in levels for item in proposal.items)


def _snapshot(document: Document) -> dict:
    info = retention.info(document)
    return {
        "id": document.id, "title": document.title, "number_symbol": document.number_symbol,
        "doc_type": document.doc_type, "category": document.category,
        "issuing_agency": document.issuing_agency,
        "issue_date": document.issue_date.isoformat() if document.issue_date else None,
        "summary": document.summary, "secrecy": document.secrecy,
        "dossier": document.dossier.code if document.dossier else None,
        "schedule": info.schedule.code if info.schedule else None,
        "retention_years": info.schedule.retention_years if info.schedule else None,
        "due_on": info.due_on.isoformat() if info.due_on else None,
        "page_count": document.page_count,
        "files": [{"name": f.original_filename, "media_type": f.media_type, "size": f.size,
                   "sha256": f.sha256} for f in document.files],
    }
