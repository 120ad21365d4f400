"""Thumbnails and the PDF shown page by page, under the document's URLs.

Both go through ``app.services.previews``, which checks secrecy as downloads do:
a document above the reader's clearance answers 404 here too. The viewer itself
(pdf.js, vendored by scripts/preview_assets.sh) is a partial template that the
document and edit pages include; ``preview_for`` gives it what it needs.
"""
from __future__ import annotations

import mimetypes
from urllib.parse import parse_qs, urlsplit

from flask import Blueprint, request, url_for
from flask_login import current_user
from sqlalchemy import select

from app.domain.vocab import levels_up_to
from app.extensions import db
from app.models import Document, DocumentFile
from app.services import previews
from app.web.downloads import send_stored

# pdf.js ships ES modules (.mjs): browsers run them only with a JavaScript type,
# which not every system's MIME table gives.
mimetypes.add_type("text/javascript", ".mjs")

bp = Blueprint("previews", __name__, template_folder="templates")


@bp.get("/documents/<int:document_id>/thumbnail.png")
def thumbnail(document_id: int):
    _document, sha = previews.open_thumbnail(current_user, document_id)
    # Private: per reader, clearances differ.
    return send_stored(sha, media_type="image/png", as_attachment=False,
                       download_name="thumbnail.png", max_age=300, private=True)


@bp.get("/documents/<int:document_id>/preview.pdf")
def preview(document_id: int):
    document, sha = previews.open_preview(current_user, document_id)
    stem = document.main_file.original_filename.rsplit(".", 1)[0] or "preview"
    return send_stored(sha, media_type="application/pdf", as_attachment=False,
                       download_name=f"{stem}.pdf", max_age=0, private=True)


def thumbnail_url(document) -> str | None:
    return (url_for("previews.thumbnail", document_id=document.id)
            if previews.has_thumbnail(document) else None)


def preview_url(document) -> str | None:
    return (url_for("previews.preview", document_id=document.id)
            if previews.has_preview(document) else None)


def preview_for(document, query: str | None = None) -> dict:
    """What the viewer partial needs: URLs, the page to open at, the words to mark."""
    file = document.main_file
    query = search_query() if query is None else query
    return {"preview_url": preview_url(document), "thumbnail_url": thumbnail_url(document),
            "start_page": previews.first_matching_page(file.extracted_text if file else None,
                                                       query) or 1,
            "words": previews.query_words(query)}


def search_query() -> str | None:
    """The words the reader searched for: ``?q=`` on the document's URL, or the search
    page they came from (hit links stay plain ``/documents/N``; the referrer is sent
    within the site only, see Referrer-Policy)."""
    if request.args.get("q"):
        return request.args["q"]
    referrer = urlsplit(request.referrer or "")
    if referrer.netloc == request.host and referrer.path in ("/", url_for("search.index")):
        return parse_qs(referrer.query).get("q", [None])[0]
    return None


def thumbnail_ids(hits) -> set[int]:
    """Which of these search hits (already within the reader's clearance) have one."""
    ids = [h.id for h in hits if getattr(h, "record_type", "document") == "document"]
    if not ids or not current_user.is_authenticated:
        return set()
    return set(db.session.scalars(
        select(DocumentFile.document_id).join(Document)
        .where(DocumentFile.document_id.in_(ids), DocumentFile.thumbnail_sha256.is_not(None),
               Document.secrecy.in_(levels_up_to(current_user.clearance)))))


@bp.app_context_processor
def _helpers() -> dict:
    return {"preview_for": preview_for, "thumbnail_ids": thumbnail_ids,
            "has_thumbnail": previews.has_thumbnail}
