"""One number, one record: documents already archived under a number and issuer.

Number+symbol is unique only within a year and for one issuing agency
(DOMAIN.md), so a match needs the same number key, no contradicting agency and
no contradicting year. Only documents the person may see are ever named: a
record above their clearance stays invisible, as everywhere else.
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import select

from app.domain.vocab import levels_up_to
from app.extensions import db
from app.models import Disposition, Document, User
from app.services.errors import ValidationFailed
from app.services.metadata import DocumentMetadata
from app.text.vietnamese import fold

LIMIT = 10


def same_number(user: User, number_key: str | None, issuing_agency: str | None,
                issue_date: date | None, exclude_id: int | None = None) -> list[Document]:
    """Visible kept documents carrying this number and symbol from this issuer."""
    if not number_key or "/" not in number_key:
        return []  # "…/UBND-KGVX": the number is not stamped yet; many records share it
    candidates = db.session.scalars(
        select(Document).where(Document.number_key == number_key,
                               Document.id != (exclude_id or 0),
                               Document.secrecy.in_(levels_up_to(user.clearance)),
                               Document.disposition.not_in(Disposition.ERASED))
        .order_by(Document.id).limit(LIMIT * 5))
    agency = _agency_key(issuing_agency)
    return [d for d in candidates
            if (not agency or not d.issuing_agency or _agency_key(d.issuing_agency) == agency)
            and (issue_date is None or d.issue_date is None
                 or d.issue_date.year == issue_date.year)][:LIMIT]


def same_number_as(user: User, document: Document) -> list[Document]:
    """Other visible documents with ``document``'s number (for its page and the API)."""
    return same_number(user, document.number_key, document.issuing_agency,
                       document.issue_date, exclude_id=document.id)


def for_metadata(user: User, metadata: DocumentMetadata) -> list[Document]:
    """Documents an upload with this metadata would repeat (before archiving it)."""
    try:
        meta = metadata.cleaned()
    except ValidationFailed:
        return []  # the upload itself will say what is wrong
    return same_number(user, meta.number_key(), meta.issuing_agency, meta.issue_date)


def _agency_key(name: str | None) -> str:
    return " ".join(fold(name or "").lower().split())
