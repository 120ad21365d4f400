"""Press coverage: archive a saved article, detect copies of the same story, link it.

The saved page (HTML or PDF) goes through ``archive_document`` like any upload
(category ``press_coverage``), so it is stored, extracted, indexed and later
kept under the retention schedule like every record. What is specific to an
article (URL, outlet, author, publication date, story group) lives in
``press_articles``. Nothing is fetched from the web: people upload what they saved.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date
from typing import BinaryIO

from flask_babel import gettext as _
from sqlalchemy import select

from app.extensions import db
from app.extractors import ExtractionError
from app.extractors.html import article_text
from app.domain.vocab import levels_up_to
from app.models import BriefingCoverage, Document, PressArticle, User
from app import storage
from app.services import audit
from app.services.briefings import WRITE, commit_and_index, find_document, load_briefing
from app.services.access import get_document, require
from app.services.documents import archive_document
from app.services.errors import NotFound, ValidationFailed
from app.services.metadata import DocumentMetadata
from app.services.uow import UnitOfWork
from app.sharing.levels import RuleOutcome, apply_coverage_rule
from app.text import similarity
from app.text.vietnamese import normalize

log = logging.getLogger(__name__)

HTML_TYPES = ("text/html", "application/xhtml+xml")
MAX_PDF_PAGES = 30  # enough words to recognise a story; keeps the upload request short


@dataclass
class ArticleData:
    url: str | None = None
    outlet: str | None = None
    author: str | None = None
    published_on: date | None = None
    title: str | None = None

    def cleaned(self) -> ArticleData:
        url = (self.url or "").strip() or None
        if url and not url.lower().startswith(("http://", "https://")):
            raise ValidationFailed(_("Some fields are invalid."),
                                   fields={"url": _("Enter an address starting with http:// "
                                                    "or https://.")})
        text = {k: (normalize(getattr(self, k) or "").strip() or None)
                for k in ("outlet", "author", "title")}
        return ArticleData(url=url, published_on=self.published_on, **text)


@dataclass
class CoverageOutcome:
    article: PressArticle
    same_story: list[PressArticle]  # other copies of this story already archived
    duplicate_file: bool  # the very same file was archived before
    rule: RuleOutcome = field(default_factory=RuleOutcome)  # the briefing's publication rule


def add_coverage(user: User, stream: BinaryIO, filename: str, data: ArticleData,
                 briefing_id: int | None = None) -> CoverageOutcome:
    """Archive a saved article and attach it to a briefing (when given).

    Near-duplicates (the same story saved from another site, with other page
    chrome) are recognised from the article's main text and put in one story.
    Coverage added to a public briefing whose publication rule is on becomes
    public too ("Thường" only; ``app.sharing.levels.apply_coverage_rule``).
    """
    require(user, WRITE)
    meta = data.cleaned()
    briefing = load_briefing(briefing_id) if briefing_id is not None else None
    outcome = archive_document(user, stream, filename, DocumentMetadata(
        title=meta.title, category="press_coverage", issuing_agency=meta.outlet,
        issue_date=meta.published_on, notes=meta.url))
    document = outcome.document
    article = db.session.scalar(select(PressArticle).where(
        PressArticle.document_id == document.id))
    if article is None:
        article = PressArticle(document=document, url=meta.url, outlet=meta.outlet,
                               author=meta.author, published_on=meta.published_on,
                               created_by_id=user.id)
        text = _main_text(document)
        article.fingerprint = similarity.signature(text)
        if not meta.title and not outcome.duplicate and text.strip():
            # No headline given: the page's own (first line of the article) beats
            # the saved file's name. Set before the commit, so the index has it.
            document.title = text.strip().splitlines()[0][:300]
        db.session.add(article)
        db.session.flush()
        article.story_id = _story_for(article)
        audit.record(user, "create", "press_article", article.id, document_id=document.id,
                     url=meta.url, outlet=meta.outlet, story_id=article.story_id)
    uow, rule = UnitOfWork(), RuleOutcome()
    if briefing is not None and not any(c.article_id == article.id for c in briefing.coverage):
        briefing.coverage.append(BriefingCoverage(article=article))
        audit.record(user, "edit", "briefing", briefing.id, coverage_added=article.id)
        briefing.bump_revision()
        rule = apply_coverage_rule(user, briefing, document, uow)
    same = [a for a in story_members(article.story_id) if a.id != article.id]
    if briefing is not None:
        commit_and_index(briefing, uow)
    else:
        db.session.commit()
    return CoverageOutcome(article, same, outcome.duplicate, rule)


def link_document(user: User, article_id: int, reference: str) -> Document:
    """Record that an article reports on an archived document (by id or number/symbol)."""
    require(user, WRITE)
    article = db.session.get(PressArticle, article_id)
    if article is None:
        raise NotFound(_("Article not found."))
    get_document(user, article.document_id)  # the article itself must be visible
    document = find_document(user, reference)
    if document.id == article.document_id:
        raise ValidationFailed(_("An article cannot report on itself."))
    if document not in article.related_documents:
        article.related_documents.append(document)
        audit.record(user, "edit", "document", article.document_id, reports_on=document.id)
    db.session.commit()
    return document


def related_documents(user: User, article: PressArticle) -> list[Document]:
    """The documents an article reports on that ``user`` may see."""
    levels = levels_up_to(user.clearance)
    return [d for d in article.related_documents if d.secrecy in levels]


def story_members(story_id: int | None) -> list[PressArticle]:
    if story_id is None:
        return []
    return list(db.session.scalars(select(PressArticle).where(PressArticle.story_id == story_id)
                                   .order_by(PressArticle.id)))


def _main_text(document) -> str:
    """The article's main text, read from the stored original (no site chrome)."""
    file = document.main_file
    try:
        if file.media_type in HTML_TYPES:
            with storage.open(file.sha256) as stream:
                return article_text(stream.read())
        if file.media_type == "application/pdf":
            with storage.open(file.sha256) as stream:
                return _pdf_text(stream)
        return file.extracted_text or ""
    except (ExtractionError, OSError, ValueError, NotFound) as exc:
        log.info("no main text for document %s: %s", document.id, exc)
        return ""


def _pdf_text(stream) -> str:
    # The text layer only: OCR of a scanned page belongs in the background job.
    from pypdf import PdfReader

    reader = PdfReader(stream)
    return "\n".join(page.extract_text() or "" for page in reader.pages[:MAX_PDF_PAGES])


def _story_for(article: PressArticle) -> int:
    """The story of the most similar earlier article above the threshold, else a new one."""
    if not article.fingerprint:
        return article.id
    best, best_score = None, 0.0
    # A linear scan of signatures: coverage of one province's briefings is a few
    # thousand articles; banded LSH would be the next step beyond that.
    for other_id, story_id, fingerprint in db.session.execute(
            select(PressArticle.id, PressArticle.story_id, PressArticle.fingerprint)
            .where(PressArticle.id != article.id, PressArticle.fingerprint.is_not(None))):
        score = similarity.similarity(article.fingerprint, fingerprint)
        if score > best_score:
            best, best_score = story_id or other_id, score
    return best if best is not None and best_score >= similarity.SAME_STORY else article.id
