"""Notifications as a person reads them: a sentence and where it leads.

Everything is read when shown, with the reader's clearance of now: a document
whose secrecy was raised (or a reader whose clearance was lowered) since the
notification was made shows neither its title nor a link, only that there is a
record they may no longer see. The page, the API and the e-mail use these.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.domain.processing import error_message
from app.domain.vocab import PROPOSAL_STATES, RETENTION_ACTIONS
from app.extensions import db
from app.models import (
    DispositionProposal, Document, Dossier, LegalHold, Notification, NotificationKind,
    SavedSearch, User,
)
from app.services.notifications import may_see_document, may_see_proposal

Kind = NotificationKind


@dataclass
class NotificationView:
    id: int
    kind: str
    created_at: datetime
    read: bool
    message: str
    link: tuple[str, dict] | None   # (endpoint, values) for url_for; None: nothing to open
    hidden: bool = False            # about a record above the reader's clearance now
    document_id: int | None = None  # only when the reader may see it
    secret: bool = False            # the document is above "thường" (kept out of e-mails)


def describe(user: User, notes: list[Notification]) -> list[NotificationView]:
    """Views of ``notes`` (all ``user``'s), with the records they name read in bulk."""
    documents = _load(Document, {n.document_id for n in notes})
    proposals = {p.id: p for p in db.session.scalars(
        select(DispositionProposal).options(selectinload(DispositionProposal.items))
        .where(DispositionProposal.id.in_({n.proposal_id for n in notes if n.proposal_id})))}
    holds = _load(LegalHold, {n.hold_id for n in notes})
    searches = _load(SavedSearch, {n.saved_search_id for n in notes})
    dossiers = _load(Dossier, {(n.data or {}).get("dossier_id") for n in notes})
    views = []
    for note in notes:
        view = NotificationView(note.id, note.kind, note.created_at, note.read_at is not None,
                                "", None)
        document = documents.get(note.document_id)
        if note.document_id is not None and not may_see_document(user, document):
            view.hidden = True
            view.message = _("About a document you may no longer see (its secrecy is above "
                             "your clearance).")
        elif note.kind in (Kind.PROCESSING_DONE, Kind.PROCESSING_FAILED):
            _processing(view, note, document)
        elif note.kind in (Kind.PROPOSAL_WAITING, Kind.PROPOSAL_DECIDED):
            _proposal(view, note, proposals.get(note.proposal_id), user)
        elif note.kind == Kind.SAVED_SEARCH:
            saved = searches.get(note.saved_search_id)
            view.message = _("%(n)d new documents match your saved search “%(name)s”.",
                             n=(note.data or {}).get("count", 0),
                             name=saved.name if saved else "")
            view.link = ("saved_searches.open", {"saved_id": note.saved_search_id})
        elif note.kind == Kind.HOLD_PLACED:
            _hold(view, note, holds.get(note.hold_id), document,
                  dossiers.get((note.data or {}).get("dossier_id")))
        if document is not None and not view.hidden:
            view.document_id, view.secret = document.id, document.secrecy != "thuong"
        views.append(view)
    return views


def _load(model, ids: set) -> dict:
    ids = {i for i in ids if i}
    if not ids:
        return {}
    return {row.id: row for row in db.session.scalars(select(model).where(model.id.in_(ids)))}


def _processing(view: NotificationView, note: Notification, document: Document) -> None:
    view.link = ("documents.detail", {"document_id": document.id})
    if note.kind == Kind.PROCESSING_FAILED:
        view.message = _("Processing of “%(title)s” failed: %(error)s", title=document.title,
                         error=error_message(document.error_code)
                         or _("the file could not be read."))
    elif (note.data or {}).get("status") == "no_text":
        view.message = _("“%(title)s” has been processed: it has no text layer and is "
                         "searchable by its metadata only.", title=document.title)
    else:
        view.message = _("“%(title)s” has been processed and is searchable.",
                         title=document.title)


def _proposal(view: NotificationView, note: Notification,
              proposal: DispositionProposal | None, user: User) -> None:
    if proposal is None or not may_see_proposal(user, proposal):
        view.hidden = True
        view.message = _("About a disposition proposal you may no longer see.")
        return
    facts = dict(id=proposal.id, action=str(RETENTION_ACTIONS.get(proposal.action,
                                                                   proposal.action)),
                 n=len(proposal.items), state=str(PROPOSAL_STATES.get(proposal.status,
                                                                      proposal.status)))
    view.link = ("retention.proposal", {"proposal_id": proposal.id})
    if note.kind == Kind.PROPOSAL_DECIDED:
        who = proposal.decided_by.full_name or proposal.decided_by.username \
            if proposal.decided_by else ""
        view.message = _("Your proposal #%(id)d (%(action)s, %(n)d records) was decided by "
                         "%(who)s: %(state)s.", who=who, **facts)
    elif proposal.status == DispositionProposal.PROPOSED:
        view.message = _("Proposal #%(id)d (%(action)s, %(n)d records) by %(who)s waits for "
                         "your approval.", who=proposal.proposed_by.full_name
                         or proposal.proposed_by.username, **facts)
    else:
        view.message = _("Proposal #%(id)d (%(action)s, %(n)d records) has been decided: "
                         "%(state)s.", **facts)


def _hold(view: NotificationView, note: Notification, hold: LegalHold | None,
          document: Document | None, dossier: Dossier | None) -> None:
    reason = hold.reason if hold else ""
    if document is not None:
        view.message = _("A legal hold was placed on your document “%(title)s”: %(reason)s",
                         title=document.title, reason=reason)
        view.link = ("documents.detail", {"document_id": document.id})
    elif dossier is not None:
        view.message = _("A legal hold was placed on the dossier %(code)s, which holds "
                         "documents you uploaded: %(reason)s", code=dossier.code,
                         reason=reason)
        view.link = ("retention.dossier", {"dossier_id": dossier.id})
    else:
        view.message = _("A legal hold was placed: %(reason)s", reason=reason)
