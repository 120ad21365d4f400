"""Briefing -> index entries in the documents index, one per clearance level
(and one per outside reader, app.sharing.visibility.Principal).

A briefing is found by its minutes and by the text of its materials and
coverage. A material above a reader's clearance must not make the briefing
findable by that material's words, so each briefing is written once per
secrecy level (``view_level``), holding only the materials of that level or
below; the search query picks the entry for the reader's own clearance
(app.search.query.Filters). The briefing itself is unclassified (what was
said to the press), so every entry carries ``secrecy: thuong``.
"""
from __future__ import annotations

from datetime import timezone
from typing import Callable
from zoneinfo import ZoneInfo

from elasticsearch import ConflictError
from elasticsearch.helpers import streaming_bulk
from flask import current_app
from sqlalchemy import select

from app.domain.briefings import HOSTS
from app.domain.vocab import SECRECY_LEVELS, levels_up_to
from app.extensions import db
from app.models import Briefing, Document
from app.sharing.visibility import Principal, is_document_visible
from app.text.vietnamese import fold, normalize
from indexers.client import alias, es
from indexers.documents import MAX_BODY_CHARS

RECORD_TYPE = "briefing"


def entry_id(briefing_id: int, level: str) -> str:
    return f"briefing-{briefing_id}-{level}"


def local_date(briefing: Briefing):
    tz = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    return briefing.held_at.replace(tzinfo=timezone.utc).astimezone(tz).date()


def _texts(briefing: Briefing, included: Callable[[Document], bool]) -> list[str]:
    parts = [briefing.minutes or "", briefing.incident_summary or "",
             briefing.spokespeople or "", briefing.chair or ""]
    documents = [m.document for m in briefing.materials] + [c.article.document
                                                            for c in briefing.coverage]
    for document in documents:
        if not included(document):
            continue
        file = document.main_file
        parts += [document.title or "", (file.extracted_text if file else None) or ""]
    return parts


def to_bodies(briefing: Briefing) -> dict[str, dict]:
    """Entry id -> body, one for each secrecy level."""
    title = normalize(briefing.title or "")
    hosts = " ".join(str(HOSTS.get(h, h)) for h in briefing.hosts or [])
    held_on = local_date(briefing)
    base = {
        "id": briefing.id, "record_type": RECORD_TYPE, "secrecy": "thuong",
        "title": title, "title_folded": fold(title),
        "agency_text": normalize(hosts), "agency_folded": fold(normalize(hosts)),
        "briefing_kind": briefing.kind, "topics": list(briefing.topics or []),
        "hosts": list(briefing.hosts or []),
        "status": "indexed", "filename": "", "filename_folded": "", "cites": [],
        "issue_date": held_on.isoformat(), "year": held_on.year,
        "uploaded_at": briefing.created_at.isoformat(),
        "revision": briefing.revision,
        "sharing": briefing.sharing or "internal",
        "public_at": briefing.public_at.isoformat() if briefing.public_at else None,
    }
    every = {o for o in briefing.outlets or []} | {
        c.article.outlet for c in briefing.coverage if c.article.outlet}
    views: dict[str, tuple[Callable[[Document], bool], set[str]]] = {
        level: ((lambda d, allowed=levels_up_to(level): d.secrecy in allowed), every)
        for level in SECRECY_LEVELS}
    # Outside readers (app.sharing.visibility.search_clause): only what may leave,
    # down to the outlets named by the coverage they may see.
    for principal in Principal:
        visible = (lambda d, p=principal: is_document_visible(p, d))
        views[principal.value] = (visible, {o for o in briefing.outlets or []} | {
            c.article.outlet for c in briefing.coverage
            if c.article.outlet and visible(c.article.document)})
    bodies = {}
    for view, (included, outlets) in views.items():
        text = normalize("\n".join(p for p in _texts(briefing, included) if p))
        text = text[:MAX_BODY_CHARS]
        summary = normalize(" ".join(filter(None, [briefing.place, ", ".join(sorted(outlets))])))
        bodies[entry_id(briefing.id, view)] = {
            **base, "view_level": view, "body": text, "body_folded": fold(text),
            "summary": summary, "summary_folded": fold(summary), "outlets": sorted(outlets)}
    return bodies


def index(briefing: Briefing, index_name: str | None = None) -> None:
    """Write every entry of ``briefing`` at its revision; older revisions never win."""
    for entry, body in to_bodies(briefing).items():
        try:
            es().index(index=index_name or alias(), id=entry, document=body,
                       version=briefing.revision, version_type="external_gte")
        except ConflictError:
            pass


def bulk_load(index_name: str, chunk: int = 100) -> tuple[int, list[dict]]:
    """Load every briefing into ``index_name`` (used by a full reindex)."""
    loaded, errors, last_id = 0, [], 0
    while True:
        batch = list(db.session.scalars(select(Briefing).where(Briefing.id > last_id)
                                        .order_by(Briefing.id).limit(chunk)))
        if not batch:
            return loaded, errors
        actions = ({"_op_type": "index", "_index": index_name, "_id": entry,
                    "_version": b.revision, "_version_type": "external_gte", "_source": body}
                   for b in batch for entry, body in to_bodies(b).items())
        for ok, item in streaming_bulk(es(), actions, raise_on_error=False,
                                       raise_on_exception=False):
            loaded += ok
            if not ok:
                errors.append(item)
        last_id = batch[-1].id
