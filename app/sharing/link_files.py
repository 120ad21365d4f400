"""What a share link opens: its target's public metadata and the files it may hand out.

Decided at every use, never only when the link was made: a record whose secrecy
was raised above "Thường", that was destroyed, deleted or transferred, or that
came from another archive no longer leaves through any link
(``app.sharing.visibility.may_share`` is the one rule). A briefing's link offers
only the materials and coverage that may leave *now*.
"""
from __future__ import annotations

from dataclasses import dataclass

from app.models import Briefing, Document, DocumentFile, PressArticle, ShareLink
from app.models.user import utcnow
from app.sharing.visibility import may_share

# The states a person sees in the lists of links.
ACTIVE, EXPIRED, REVOKED, UNAVAILABLE = "active", "expired", "revoked", "unavailable"


@dataclass
class SharedFile:
    """One downloadable file behind a link."""

    file: DocumentFile
    document: Document
    kind: str                      # "file" (the document's own), "material", "coverage"
    role: str | None = None        # a material's role at the briefing
    article: PressArticle | None = None  # coverage: the article it is


def target_shareable(link: ShareLink) -> bool:
    """Whether the link's document or briefing may still leave the archive."""
    if link.document_id is not None:
        return link.document is not None and may_share(link.document)
    return link.briefing is not None


def status(link: ShareLink, now=None) -> str:
    """``active``, ``expired``, ``revoked`` or ``unavailable`` (the record may no longer leave)."""
    if link.revoked_at is not None:
        return REVOKED
    if link.expires_at <= (now or utcnow()):
        return EXPIRED
    if not target_shareable(link):
        return UNAVAILABLE
    return ACTIVE


def offered_files(link: ShareLink) -> list[SharedFile]:
    """The files the link hands out now: originals only, of shareable records only."""
    if link.document_id is not None:
        document = link.document
        if document is None or not may_share(document):
            return []
        return [SharedFile(f, document, "file") for f in document.files]
    return briefing_files(link.briefing) if link.briefing is not None else []


def briefing_files(briefing: Briefing) -> list[SharedFile]:
    """A briefing dossier's materials and coverage that may leave (each one's main file)."""
    files = []
    for material in briefing.materials:
        document = material.document
        if may_share(document) and document.main_file is not None:
            files.append(SharedFile(document.main_file, document, "material", role=material.role))
    for coverage in briefing.coverage:
        document = coverage.article.document
        if may_share(document) and document.main_file is not None:
            files.append(SharedFile(document.main_file, document, "coverage",
                                    article=coverage.article))
    return files
