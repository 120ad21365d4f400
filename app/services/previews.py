"""Thumbnails and page-by-page previews: made after extraction, read like downloads.

The extraction job calls :func:`render_for` once the text is read; whatever goes
wrong there is logged and recorded in the file's extraction notes, never raised:
a document without a thumbnail is still archived, extracted and indexed.

Readers reach the images and PDFs through :func:`open_thumbnail` and
:func:`open_preview`, which check secrecy exactly as ``open_original`` does
(``access.get_document``: above the reader's clearance the document does not
exist, 404). Which PDF a reader sees page by page:

- a PDF original: the searchable copy OCR made of a scan (its text can be
  highlighted), else the original;
- an image: the searchable PDF OCR made of it, when there is one;
- DOCX, DOC, RTF, HTML: the PDF LibreOffice printed (uploaded HTML is never
  rendered live by the browser).
"""
from __future__ import annotations

import logging
import re
import time
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from app.extensions import db
from app.models import Document, DocumentFile, User
from app.previews import render
from app import storage
from app.services import audit
from app.services.access import get_document
from app.services.errors import NotFound
from app.storage import StorageUnavailable
from app.text.vietnamese import fold, has_diacritics, search_form

log = logging.getLogger(__name__)

THUMBNAIL_TIMEOUT_S = 30.0


@dataclass
class RenderOutcome:
    """What :func:`render_for` made and what it cost (the bench reads the timings)."""

    thumbnail: bool = False
    preview: bool = False
    seconds: dict[str, float] = field(default_factory=dict)
    error: str | None = None
    #: Images and PDFs of an earlier run that this one replaced (see ``remove_replaced``).
    replaced: list[str] = field(default_factory=list)


def render_for(file: DocumentFile, work_dir: Path, original: Path) -> RenderOutcome:
    """Render and store the thumbnail (and, for office files and HTML, the PDF
    rendition) of ``file``, whose bytes are at ``original`` (a local copy); the
    caller commits. Never raises."""
    outcome = RenderOutcome()
    before = {file.thumbnail_sha256, file.preview_sha256}
    try:
        with ExitStack() as stack:
            _render(file, work_dir, outcome, original, stack)
    except Exception as exc:  # noqa: BLE001 - a preview is never worth a failed extraction
        outcome.error = f"{type(exc).__name__}: {exc}"[:500]
        log.warning("no preview for file %s: %s", file.id, outcome.error)
    outcome.replaced = sorted(sha for sha in before - {file.thumbnail_sha256,
                                                       file.preview_sha256} if sha)
    return outcome


def remove_replaced(shas: list[str]) -> None:
    """After the commit: delete stored bytes no file refers to any more — replaced
    renderings (a LibreOffice PDF differs at every run: it carries its creation time),
    or a destroyed record's files that no other record shares."""
    if not shas:
        return
    used = set()
    for column in (DocumentFile.thumbnail_sha256, DocumentFile.preview_sha256,
                   DocumentFile.sha256, DocumentFile.searchable_sha256):
        used |= set(db.session.scalars(select(column).where(column.in_(shas))))
    for sha in set(shas) - used:
        try:
            storage.delete(sha)
        except StorageUnavailable:
            # Unreferenced bytes only cost space; fixity no longer tracks them.
            log.warning("stored object %s not removed: the store is unavailable", sha)


def _render(file: DocumentFile, work_dir: Path, outcome: RenderOutcome, original: Path,
            stack: ExitStack) -> None:
    work_dir.mkdir(parents=True, exist_ok=True)
    pdf: Path | None = None
    if file.media_type in render.OFFICE_SUFFIXES:
        started = time.perf_counter()
        timeout = current_app.config.get("PREVIEW_CONVERT_TIMEOUT", 180)
        pdf = render.office_pdf(original, file.media_type, work_dir / "office", timeout)
        file.preview_sha256 = _store(pdf)
        outcome.preview = True
        outcome.seconds["preview"] = time.perf_counter() - started
    elif file.searchable_sha256:
        pdf = stack.enter_context(storage.local_copy(file.searchable_sha256))
    elif file.media_type == render.PDF:
        pdf = original
    started = time.perf_counter()
    png = work_dir / "thumbnail.png"
    if pdf is not None:
        render.pdf_thumbnail(pdf, png, THUMBNAIL_TIMEOUT_S)
    elif file.media_type in render.IMAGE_TYPES:
        render.image_thumbnail(original, png)
    else:
        return  # plain text: the extracted text is the preview
    file.thumbnail_sha256 = _store(png)
    outcome.thumbnail = True
    outcome.seconds["thumbnail"] = time.perf_counter() - started


def _store(path: Path) -> str:
    with open(path, "rb") as stream:
        return storage.save(stream, 1 << 40).sha256


def preview_pdf(file: DocumentFile | None) -> str | None:
    """The sha256 of the PDF a reader sees page by page, if there is one."""
    if file is None:
        return None
    if file.searchable_sha256 and file.media_type in (render.PDF, *render.IMAGE_TYPES):
        return file.searchable_sha256
    if file.media_type == render.PDF:
        # Only once the job could read it: a PDF it refused (corrupt, encrypted) is
        # not handed to the reader's browser either.
        return file.sha256 if file.extraction_method is not None else None
    return file.preview_sha256


def has_thumbnail(document: Document) -> bool:
    file = document.main_file
    return bool(file and file.thumbnail_sha256)


def has_preview(document: Document) -> bool:
    return preview_pdf(document.main_file) is not None


def open_thumbnail(user: User, document_id: int) -> tuple[Document, str]:
    """The first-page PNG of a document the user may see (404 otherwise): its sha256."""
    document = get_document(user, document_id)
    file = document.main_file
    sha = file.thumbnail_sha256 if file else None
    if sha is None or not storage.exists(sha):
        raise NotFound(_("This document has no preview."))
    return document, sha


def open_preview(user: User, document_id: int) -> tuple[Document, str]:
    """The PDF shown page by page (its sha256); opening a secret one is audited."""
    document = get_document(user, document_id)
    sha = preview_pdf(document.main_file)
    if sha is None or not storage.exists(sha):
        raise NotFound(_("This document has no preview."))
    if document.secrecy != "thuong":
        audit.record(user, "preview", "document", document.id, sha256=sha,
                     secrecy=document.secrecy)
        db.session.commit()
    return document, sha


_WORD = re.compile(r"[^\W_]+(?:[-/.][^\W_]+)*")
_OPERATORS = {"or", "and", "not"}


def query_words(query: str | None) -> list[str]:
    """The words of a search worth finding on a page: no operators, no excluded words."""
    words = []
    for token in (query or "").split():
        if token.startswith("-"):
            continue
        words += [w for w in _WORD.findall(token.strip('"*'))
                  if w.lower() not in _OPERATORS]
    return words[:20]


def first_matching_page(text: str | None, query: str | None) -> int | None:
    """The 1-based page whose text holds the most of the query's words (the first
    such page); pages are separated by form feeds. A word typed without diacritics
    matches every spelling, one typed with them only its own (as snippets do)."""
    words = query_words(query)
    if not text or not words:
        return None
    wanted = [(search_form(w), True) if has_diacritics(w) else (fold(w), False) for w in words]
    best, best_count = None, 0
    for number, page in enumerate(text.split("\f"), start=1):
        exact = set(_WORD.findall(search_form(page)))
        folded = {fold(token) for token in exact}
        count = sum(1 for word, accented in wanted if word in (exact if accented else folded))
        if count > best_count:
            best, best_count = number, count
            if count == len(wanted):
                break
    return best
