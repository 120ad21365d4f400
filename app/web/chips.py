"""Filter chips: what narrows a list or a search, each with a link that removes it."""
from __future__ import annotations

from dataclasses import dataclass

from flask import request, url_for
from flask_babel import gettext as _

from app.domain import vocab
from app.domain.processing import status_label
from app.domain.sharing import LEVEL_LABELS
from app.i18n import format_date


@dataclass
class Chip:
    name: str      # what is filtered ("Category")
    value: str     # the value in words ("Plan")
    remove_url: str


def _without(endpoint: str, key: str) -> str:
    args = request.args.to_dict()
    args.pop(key, None)
    args.pop("page", None)  # page 7 of a wider list may not exist any more
    return url_for(endpoint, **args)


def _label(mapping: dict, value) -> str:
    return str(mapping.get(value, value))


def list_chips(page) -> list[Chip]:
    """Chips for the document list (``page``: app.services.document_list.DocumentPage)."""
    p = page.params
    shown = {
        "status": (_("Status"), p.status and status_label(p.status)),
        "category": (_("Category"), p.category and _label(vocab.CATEGORIES, p.category)),
        "type": (_("Document type"), p.doc_type and _label(vocab.DOCUMENT_TYPES, p.doc_type)),
        "year": (_("Year"), p.year and str(p.year)),
        "agency": (_("Issuing agency"), p.agency),
        "uploader": (_("Uploaded by"), p.uploader and (
            (page.uploader.full_name or page.uploader.username) if page.uploader
            else str(p.uploader))),
        "dossier": (_("Dossier"), p.dossier and (
            f"{page.dossier.code} — {page.dossier.title}" if page.dossier else str(p.dossier))),
        "sharing": (_("Sharing"), p.sharing and _label(LEVEL_LABELS, p.sharing)),
        "uploaded": (_("Uploaded in"), p.uploaded and f"{p.uploaded[5:]}/{p.uploaded[:4]}"),
        "review": (_("Waiting for a check"), p.review and _("suggestions to confirm")),
    }
    return [Chip(name, value, _without("documents.index", key))
            for key, (name, value) in shown.items() if value]


def search_chips(params, sources: dict | None = None) -> list[Chip]:
    """Chips for the search page (``params``: app.services.search.SearchParams)."""
    secrecy = {k: v[1] for k, v in vocab.SECRECY_LEVELS.items()}
    records = {"document": _("Documents"), "briefing": _("Press briefings")}
    shown = {
        "record_type": (_("Record type"), params.record_type and _label(records,
                                                                         params.record_type)),
        "category": (_("Category"), params.category and _label(vocab.CATEGORIES,
                                                               params.category)),
        "type": (_("Document type"), params.doc_type and _label(vocab.DOCUMENT_TYPES,
                                                                 params.doc_type)),
        "year": (_("Year"), params.year and str(params.year)),
        "agency": (_("Issuing agency"), params.agency),
        "secrecy": (_("Secrecy"), params.secrecy and _label(secrecy, params.secrecy)),
        "date_from": (_("Issued from"), params.date_from and format_date(params.date_from)),
        "date_to": (_("Issued until"), params.date_to and format_date(params.date_to)),
        "cites": (_("Citing"), params.cites),
        "sharing": (_("Sharing"), params.sharing and _label(LEVEL_LABELS, params.sharing)),
        "source": (_("Source"), params.source and _label(sources or {}, params.source)),
    }
    return [Chip(name, value, _without("search.index", key))
            for key, (name, value) in shown.items() if value]
