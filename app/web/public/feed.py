"""The Atom feed of newly published records (for the provincial web portal), built with
feedgen: one entry per public record, newest first, dated by when it was published."""
from __future__ import annotations

from datetime import datetime, timezone

from feedgen.feed import FeedGenerator
from flask import Response, current_app, url_for
from flask_babel import gettext as _

from app.domain.vocab import CATEGORIES, DOCUMENT_TYPES
from app.models import Document


def _utc(value: datetime | None) -> datetime:
    return (value or datetime.now(timezone.utc).replace(tzinfo=None)).replace(
        tzinfo=timezone.utc)


def _summary(document: Document) -> str:
    parts = [str(DOCUMENT_TYPES.get(document.doc_type, "")) if document.doc_type else "",
             _("No. %(n)s", n=document.number_symbol) if document.number_symbol else "",
             document.issuing_agency or "",
             document.issue_date.strftime("%d/%m/%Y") if document.issue_date else ""]
    head = " · ".join(p for p in parts if p)
    return "\n".join(p for p in (head, document.summary or "") if p) or document.title


def atom_response(documents: list[Document]) -> Response:
    organisation = current_app.config["ARCHIVE_ORGANIZATION"]
    feed = FeedGenerator()
    feed.id(url_for("public.home", _external=True))
    feed.title(_("Public documents — %(org)s", org=organisation))
    feed.subtitle(_("Records newly published by the archive, newest first."))
    feed.author({"name": organisation})
    feed.link(href=url_for("public.feed", _external=True), rel="self")
    feed.link(href=url_for("public.home", _external=True), rel="alternate")
    feed.language("vi")
    feed.updated(_utc(documents[0].public_at if documents else None))
    for document in documents:
        entry = feed.add_entry(order="append")  # newest first, as queried
        link = url_for("public.record", document_id=document.id, _external=True)
        entry.id(link)
        entry.title(document.title)
        entry.link(href=link, rel="alternate")
        entry.published(_utc(document.public_at))
        entry.updated(_utc(document.public_at))
        entry.author({"name": document.issuing_agency or organisation})
        entry.summary(_summary(document))
        entry.category(term=document.category,
                       label=str(CATEGORIES.get(document.category, document.category)))
    return Response(feed.atom_str(pretty=True), mimetype="application/atom+xml")
