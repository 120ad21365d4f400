"""Legal holds: while one covers a record, nobody destroys, transfers or deletes it.

A hold covers a document, every document of a dossier, or every document a
saved search matches (evaluated against the index when it matters, so a
document added later is covered too). When the index cannot answer, the
check fails closed: the action is refused.
"""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import or_, select

from app.domain.vocab import levels_up_to
from app.extensions import db
from app.models import Document, Dossier, LegalHold, User
from app.models.user import utcnow
from app.services import audit, notifications
from app.services.access import ensure_local, get_document, require
from app.services.errors import NotFound, RecordHeld, SearchUnavailable, ValidationFailed
from app.services.search import matching_ids
from app.services.uow import UnitOfWork


def place_hold(user: User, reason: str, document_id: int | None = None,
               dossier_id: int | None = None, query: dict | None = None) -> LegalHold:
    """Place a hold on exactly one target: a document, a dossier or a saved search."""
    require(user, "retention.manage")
    if not (reason or "").strip():
        raise ValidationFailed(_("Give the reason for the hold."), fields={"reason": _("Required.")})
    if sum(x is not None for x in (document_id, dossier_id, query)) != 1:
        raise ValidationFailed(_("Choose what the hold applies to."))
    hold = LegalHold(reason=reason.strip(), placed_by=user)
    if document_id is not None:
        document = get_document(user, document_id)
        ensure_local(document)  # its source decides when it goes, not a hold here
        hold.target_type, hold.document_id = LegalHold.DOCUMENT, document.id
    elif dossier_id is not None:
        if db.session.get(Dossier, dossier_id) is None:
            raise NotFound(_("Dossier not found."))
        hold.target_type, hold.dossier_id = LegalHold.DOSSIER, dossier_id
    else:
        query = {k: v for k, v in query.items() if v not in (None, "")}
        if not query:
            raise ValidationFailed(_("A hold on a search needs search words or filters."))
        hold.target_type, hold.query = LegalHold.SEARCH, query
    db.session.add(hold)
    db.session.flush()
    audit.record(user, "hold.place", "hold", hold.id, target=hold.target_type,
                 document_id=hold.document_id, dossier_id=hold.dossier_id, query=hold.query,
                 reason=hold.reason)
    uow = UnitOfWork()
    notifications.hold_placed(uow, hold, user)  # the uploaders, in the same transaction
    uow.commit()
    return hold


def release_hold(user: User, hold_id: int, reason: str) -> LegalHold:
    require(user, "retention.manage")
    hold = db.session.get(LegalHold, hold_id)
    if hold is None or not hold.active:
        raise NotFound(_("Active hold not found."))
    if not (reason or "").strip():
        raise ValidationFailed(_("Give the reason for releasing the hold."),
                               fields={"reason": _("Required.")})
    hold.released_by, hold.released_at, hold.release_reason = user, utcnow(), reason.strip()
    audit.record(user, "hold.release", "hold", hold.id, reason=hold.release_reason)
    db.session.commit()
    return hold


def list_holds(user: User, include_released: bool = False,
               placed_by: User | None = None) -> list[LegalHold]:
    """Holds ``user`` may see: none on a document above their clearance; with
    ``placed_by``, only the holds that person placed."""
    require(user, "retention.manage")
    query = (select(LegalHold).outerjoin(Document, LegalHold.document_id == Document.id)
             .where(or_(LegalHold.document_id.is_(None),
                        Document.secrecy.in_(levels_up_to(user.clearance))))
             .order_by(LegalHold.placed_at.desc(), LegalHold.id.desc()))
    if not include_released:
        query = query.where(LegalHold.released_at.is_(None))
    if placed_by is not None:
        query = query.where(LegalHold.placed_by_id == placed_by.id)
    return list(db.session.scalars(query))


def holds_on(document: Document) -> list[LegalHold]:
    """Active holds covering ``document``; raises SearchUnavailable if a saved search cannot be checked."""
    active = _active_holds()
    return [h for h in active if _covers(h, document)
            or (h.target_type == LegalHold.SEARCH
                and document.id in matching_ids(h.query, [document.id]))]


def ensure_not_held(documents: list[Document]) -> None:
    """Raise RecordHeld naming the held records; fail closed if holds cannot be checked.

    One database query for the holds and one index query per saved-search hold,
    however many records are checked.
    """
    active = _active_holds()
    held_ids = {d.id for d in documents if any(_covers(h, d) for h in active)}
    for hold in active:
        unheld = [d.id for d in documents if d.id not in held_ids]
        if hold.target_type != LegalHold.SEARCH or not unheld:
            continue
        try:
            held_ids |= matching_ids(hold.query, unheld)
        except SearchUnavailable:
            raise RecordHeld(_("Legal holds on saved searches cannot be checked while search "
                               "is unavailable; nothing was changed. Try again later."))
    held = [d for d in documents if d.id in held_ids]
    if held:
        names = ", ".join(f"#{d.id} {d.title[:60]}" for d in held[:10])
        raise RecordHeld(_("A legal hold covers %(names)s: it cannot be destroyed, transferred "
                           "or deleted until the hold is released.", names=names),
                         document_ids=[d.id for d in held])


def _active_holds() -> list[LegalHold]:
    return list(db.session.scalars(select(LegalHold).where(LegalHold.released_at.is_(None))))


def _covers(hold: LegalHold, document: Document) -> bool:
    """Held directly or through its dossier (saved searches need the index)."""
    if hold.target_type == LegalHold.DOCUMENT:
        return hold.document_id == document.id
    return (hold.target_type == LegalHold.DOSSIER and document.dossier_id is not None
            and hold.dossier_id == document.dossier_id)
