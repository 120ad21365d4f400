"""What a principal outside the archive may see: the one place that decides it.

Principals: ``PUBLIC`` (anyone, no token) and ``PARTNER`` (a partner agency
with a harvesting token). A record leaves only when its sharing level allows
the principal, its secrecy is "Thường", it is not destroyed, deleted or
transferred, and it was not harvested from elsewhere. A record that once left
and no longer may is *withdrawn*: harvesters are told it was deleted.
"""
from __future__ import annotations

import enum

from sqlalchemy import ColumnElement, and_, not_, or_

from app.models import Briefing, Disposition, Document, SharingLevel

OPEN_SECRECY = "thuong"


class Principal(str, enum.Enum):
    PUBLIC = "public"
    PARTNER = "partner"


def levels_for(principal: Principal) -> tuple[str, ...]:
    return (SharingLevel.PUBLIC,) if principal is Principal.PUBLIC else SharingLevel.SHARED


def may_share(document: Document) -> bool:
    """Whether the record may be given a level above internal at all."""
    return (document.secrecy == OPEN_SECRECY and document.source_id is None
            and document.disposition not in (*Disposition.ERASED, *Disposition.GONE))


def document_visible(principal: Principal) -> ColumnElement[bool]:
    """SQL condition: documents the principal may see now."""
    return and_(Document.sharing.in_(levels_for(principal)),
                Document.secrecy == OPEN_SECRECY,
                Document.source_id.is_(None),
                Document.disposition.not_in((*Disposition.ERASED, *Disposition.GONE)))


def document_withdrawn(principal: Principal) -> ColumnElement[bool]:
    """SQL condition: documents that once left for this principal and no longer may."""
    left = (Document.public_at.is_not(None) if principal is Principal.PUBLIC
            else or_(Document.shared_at.is_not(None), Document.public_at.is_not(None)))
    return and_(left, not_(document_visible(principal)))


def is_document_visible(principal: Principal, document: Document) -> bool:
    return document.sharing in levels_for(principal) and may_share(document)


def briefing_visible(principal: Principal) -> ColumnElement[bool]:
    return Briefing.sharing.in_(levels_for(principal))


def briefing_withdrawn(principal: Principal) -> ColumnElement[bool]:
    left = (Briefing.public_at.is_not(None) if principal is Principal.PUBLIC
            else or_(Briefing.shared_at.is_not(None), Briefing.public_at.is_not(None)))
    return and_(left, not_(briefing_visible(principal)))


def is_briefing_visible(principal: Principal, briefing: Briefing) -> bool:
    return briefing.sharing in levels_for(principal)


def search_clause(principal: Principal) -> dict:
    """Elasticsearch filter: the search entries the principal may find.

    The same rule as ``document_visible`` on the indexed fields (indexers/):
    documents at the principal's levels, secrecy "Thường", not harvested, not
    destroyed, deleted or transferred; briefings at the principal's levels, and
    only the entry written for that principal (``view_level``), which holds the
    text of the materials and coverage the principal may see and nothing else.
    Entries indexed before these fields existed match neither branch.
    """
    levels = list(levels_for(principal))
    documents = {"bool": {
        "filter": [{"terms": {"sharing": levels}}, {"term": {"secrecy": OPEN_SECRECY}},
                   {"term": {"external": False}}],
        "must_not": [{"term": {"record_type": "briefing"}},
                     {"terms": {"disposition": [*Disposition.ERASED, *Disposition.GONE]}}]}}
    briefings = {"bool": {"filter": [{"term": {"record_type": "briefing"}},
                                     {"terms": {"sharing": levels}},
                                     {"term": {"view_level": principal.value}}]}}
    return {"bool": {"should": [documents, briefings], "minimum_should_match": 1}}
