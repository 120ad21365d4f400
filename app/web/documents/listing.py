"""Helpers of the document list page."""
from __future__ import annotations

from app.web.urls import current_url_with

from app.services.document_list import params_from_args as parse_list_args  # noqa: F401


def list_url(**changes) -> str:
    """The current list URL with some parameters changed (None removes one)."""
    return current_url_with("documents.index", **changes)


def page_window(page: int, pages: int, width: int = 2) -> list[int | None]:
    """Page numbers to link: first, last and ``width`` around the current; None is a gap."""
    shown = sorted({1, pages, *range(max(1, page - width), min(pages, page + width) + 1)})
    out: list[int | None] = []
    for n in shown:
        if out and n - (out[-1] or 0) > 1:
            out.append(None)
        out.append(n)
    return out
