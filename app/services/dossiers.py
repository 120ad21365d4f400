"""Dossiers (hồ sơ): documents kept together under one code, title and retention."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import func, select

from app.domain.vocab import levels_up_to
from app.extensions import db
from app.models import Document, Dossier, User
from app.services import audit
from app.services.access import ensure_local, get_document, require
from app.services.errors import Conflict, NotFound, ValidationFailed
from app.services.retention import get_schedule


@dataclass
class DossierValues:
    code: str
    title: str
    year: int | None = None
    start_date: date | None = None
    end_date: date | None = None
    schedule_id: int | None = None
    notes: str | None = None


def list_dossiers(user: User) -> list[tuple[Dossier, int]]:
    """Dossiers with the number of their documents ``user`` may see."""
    require(user, "document.view")
    visible = (select(Document.dossier_id, func.count().label("n"))
               .where(Document.secrecy.in_(levels_up_to(user.clearance)))
               .group_by(Document.dossier_id).subquery())
    rows = db.session.execute(
        select(Dossier, func.coalesce(visible.c.n, 0))
        .outerjoin(visible, visible.c.dossier_id == Dossier.id)
        .order_by(Dossier.year.desc().nulls_last(), Dossier.code))
    return [(dossier, count) for dossier, count in rows]


def get_dossier(user: User, dossier_id: int) -> tuple[Dossier, list[Document]]:
    """The dossier and the documents of it ``user`` may see."""
    require(user, "document.view")
    dossier = db.session.get(Dossier, dossier_id)
    if dossier is None:
        raise NotFound(_("Dossier not found."))
    documents = list(db.session.scalars(
        select(Document).where(Document.dossier_id == dossier.id,
                               Document.secrecy.in_(levels_up_to(user.clearance)))
        .order_by(Document.issue_date.asc().nulls_last(), Document.id)))
    return dossier, documents


def save_dossier(user: User, dossier_id: int | None, values: DossierValues) -> Dossier:
    require(user, "retention.manage")
    problems = {}
    if not values.code.strip():
        problems["code"] = _("Required.")
    if not values.title.strip():
        problems["title"] = _("Required.")
    if values.start_date and values.end_date and values.end_date < values.start_date:
        problems["end_date"] = _("Before the start date.")
    if problems:
        raise ValidationFailed(_("Please correct the highlighted fields."), fields=problems)
    dossier = db.session.get(Dossier, dossier_id) if dossier_id else Dossier(created_by=user)
    if dossier is None:
        raise NotFound(_("Dossier not found."))
    clash = db.session.scalar(select(Dossier).where(Dossier.code == values.code.strip()))
    if clash is not None and clash is not dossier:
        raise ValidationFailed(_("Another dossier already has this code."),
                               fields={"code": _("Already used.")})
    if values.schedule_id is not None:
        get_schedule(values.schedule_id)
    changes = audit.apply_changes(dossier, {
        name: value.strip() if isinstance(value, str) else value
        for name, value in vars(values).items()})
    db.session.add(dossier)
    db.session.flush()
    audit.record(user, "dossier.save", "dossier", dossier.id, code=dossier.code, changes=changes)
    db.session.commit()
    return dossier


def add_document(user: User, dossier_id: int, document_id: int) -> Document:
    """File a document in a dossier; from then on the dossier's retention governs it."""
    require(user, "retention.manage")
    dossier = db.session.get(Dossier, dossier_id)
    if dossier is None:
        raise NotFound(_("Dossier not found."))
    document = get_document(user, document_id)
    ensure_local(document)  # a dossier's schedule would govern it
    if document.dossier_id not in (None, dossier.id):
        raise Conflict(_("This document is already filed in dossier %(code)s.",
                         code=document.dossier.code))
    document.dossier = dossier
    audit.record(user, "dossier.add", "document", document.id, dossier=dossier.code)
    db.session.commit()
    return document


def remove_document(user: User, dossier_id: int, document_id: int) -> Document:
    require(user, "retention.manage")
    document = get_document(user, document_id)
    if document.dossier_id != dossier_id:
        raise NotFound(_("This document is not in the dossier."))
    audit.record(user, "dossier.remove", "document", document.id, dossier=document.dossier.code)
    document.dossier = None
    db.session.commit()
    return document
