"""Helpers of the document list page."""
from __future__ import annotations

from flask import request, url_for

from app.services.document_list import params_from_args as parse_list_args  # noqa: F401


def list_url(**changes) -> str:
    """The current list URL with some parameters changed (None removes one)."""
    merged = request.args.to_dict()
    for key, value in changes.items():
        if value is None:
            merged.pop(key, None)
        else:
            merged[key] = value
    return url_for("documents.index", **merged)


def page_window(page: int, pages: int, width: int = 2) -> list[int | None]:
    """Page numbers to link: first, last and ``width`` around the current; None is a gap."""
    shown = sorted({1, pages, *range(max(1, page - width), min(pages, page + width) + 1)})
    out: list[int | None] = []
    for n in shown:
        if out and n - (out[-1] or 0) > 1:
            out.append(None)
        out.append(n)
    return out
