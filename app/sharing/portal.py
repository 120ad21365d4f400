"""What the anonymous public portal (/cong-khai/) reads: public records and briefings.

Every query here is filtered by ``app.sharing.visibility`` for the PUBLIC
principal, so an internal, secret, harvested, destroyed or transferred record
never reaches a portal page, its files or the feed, whatever its stored
level: for the portal it does not exist (NotFound, the same answer as for an
id that was never used).
"""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import defer, selectinload

from app.extensions import db
from app.models import Briefing, Document, DocumentFile, PressArticle
from app import storage
from app.services import audit
from app.services.errors import NotFound
from app.sharing.visibility import (Principal, briefing_visible, document_visible,
                                    is_briefing_visible, is_document_visible)

PUBLIC = Principal.PUBLIC
PUBLIC_ACTOR = "Công chúng (cổng công khai)"  # who downloaded, on the audit trail


@dataclass
class PublicBriefing:
    """A public briefing with only the materials and coverage that are public themselves."""

    briefing: Briefing
    materials: list  # BriefingMaterial whose document is public
    coverage: list[PressArticle]  # articles whose archived copy is public


def _documents():
    # Never the recognised values nor the text of the files (megabytes each).
    return (select(Document).where(document_visible(PUBLIC))
            .options(defer(Document.extracted),
                     selectinload(Document.files).defer(DocumentFile.extracted_text)
                     .defer(DocumentFile.extraction_notes)))


def latest_documents(limit: int = 10, offset: int = 0) -> list[Document]:
    """Public records, the most recently published first."""
    return list(db.session.scalars(
        _documents().order_by(Document.public_at.desc().nulls_last(), Document.id.desc())
        .offset(offset).limit(limit)))


def latest_briefings(limit: int = 5) -> list[Briefing]:
    """Public briefings, the most recently published first."""
    return list(db.session.scalars(
        select(Briefing).where(briefing_visible(PUBLIC))
        .order_by(Briefing.public_at.desc().nulls_last(), Briefing.id.desc()).limit(limit)))


def public_document(document_id: int) -> Document:
    """A public record, or NotFound (never a hint that a non-public one exists)."""
    document = db.session.scalar(_documents().where(Document.id == document_id))
    if document is None:
        raise NotFound(_("There is no public document at this address."))
    return document


def public_file(document_id: int, file_id: int, address: str) -> tuple[Document, DocumentFile]:
    """An original file of a public record, for download; the download is audited.

    One entry per download, as for share links (anonymous actor, the client's
    address, the record and file); a refused one leaves none (nothing left).
    """
    document = public_document(document_id)
    file = next((f for f in document.files if f.id == file_id), None)
    if file is None or not storage.exists(file.sha256):
        raise NotFound(_("This file is not available."))
    audit.record(None, "public.download", "document", document.id, actor_name=PUBLIC_ACTOR,
                 address=address, file_id=file.id, filename=file.original_filename,
                 sha256=file.sha256)
    db.session.commit()
    return document, file


def public_briefing(briefing_id: int) -> PublicBriefing:
    """A public briefing with its public materials and coverage, or NotFound."""
    briefing = db.session.get(Briefing, briefing_id)
    if briefing is None or not is_briefing_visible(PUBLIC, briefing):
        raise NotFound(_("There is no public briefing at this address."))
    materials = [m for m in briefing.materials if is_document_visible(PUBLIC, m.document)]
    coverage = sorted((c.article for c in briefing.coverage
                       if is_document_visible(PUBLIC, c.article.document)),
                      key=lambda a: (a.published_on is None, a.published_on, a.id))
    return PublicBriefing(briefing, materials, coverage)


def feed_documents(limit: int = 50) -> list[Document]:
    """The newest public records for the Atom feed (by the time they were published)."""
    return latest_documents(limit)


def visible_ids(document_ids: list[int], briefing_ids: list[int]) -> tuple[set[int], set[int]]:
    """Which of these ids are public now, asked of the database (search hits are
    checked again here: the index may lag a withdrawal by a few seconds)."""
    documents = set(db.session.scalars(select(Document.id).where(
        Document.id.in_(document_ids), document_visible(PUBLIC)))) if document_ids else set()
    briefings = set(db.session.scalars(select(Briefing.id).where(
        Briefing.id.in_(briefing_ids), briefing_visible(PUBLIC)))) if briefing_ids else set()
    return documents, briefings
