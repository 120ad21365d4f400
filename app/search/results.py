"""What a search returns: hits as pages show them, totals, facets; sorts and facets asked.

Shared by the lexical and the hybrid search (app.services.search, app.services.hybrid)
and the public portal's search (app.sharing.public_search).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from markupsafe import Markup

from app.search import highlight
from app.search.expansion import number_relation

SORTS = {
    "relevance": ["_score", {"issue_date": {"order": "desc", "missing": "_last"}}],
    "newest": [{"issue_date": {"order": "desc", "missing": "_last"}},
               {"uploaded_at": "desc"}],
    "oldest": [{"issue_date": {"order": "asc", "missing": "_last"}},
               {"uploaded_at": "asc"}],
}
FACETS = {
    "category": {"terms": {"field": "category", "size": 20}},
    "doc_type": {"terms": {"field": "doc_type", "size": 40}},
    "year": {"terms": {"field": "year", "size": 60, "order": {"_key": "desc"}}},
    "issuing_agency": {"terms": {"field": "issuing_agency", "size": 30}},
    "secrecy": {"terms": {"field": "secrecy", "size": 4}},
    # Entries without record_type were indexed before briefings existed: documents.
    "record_type": {"terms": {"field": "record_type", "size": 4, "missing": "document"}},
    # Entries without a level were indexed before sharing existed: internal.
    "sharing": {"terms": {"field": "sharing", "size": 3, "missing": "internal"}},
    # "Nguồn": this archive or the archive a record was harvested from.
    "source": {"terms": {"field": "source", "size": 30, "missing": "local"}},
}
MAX_WINDOW = 10_000
SOURCE_FIELDS = ["id", "title", "number_symbol", "issuing_agency", "issue_date", "category",
                 "doc_type", "status", "filename", "secrecy", "record_type", "briefing_kind",
                 "number_key", "cites", "sharing", "source"]


@dataclass
class Hit:
    id: int
    title: Markup
    number_symbol: str | None
    issuing_agency: str | None
    issue_date: date | None
    category: str | None
    doc_type: str | None
    status: str | None
    snippet: Markup
    score: float | None
    record_type: str = "document"  # or "briefing": then ``id`` is the briefing's
    briefing_kind: str | None = None
    number_relation: str | None = None  # for a number query: "carries" it or "cites" it
    sharing: str = "internal"
    source: str | None = None  # "local", or the id of the harvest source it came from
    # Search by meaning: the passage closest to the question (hybrid mode), and how
    # the hit was found: "lexical", "semantic" or both.
    passage: str | None = None
    passage_heading: str | None = None
    matched_by: tuple[str, ...] = ("lexical",)


@dataclass
class SearchResults:
    total: int
    hits: list[Hit]
    page: int
    per_page: int
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)

    @property
    def pages(self) -> int:
        return max(1, min(-(-self.total // self.per_page), MAX_WINDOW // self.per_page))


def to_hit(raw: dict, query: str = "") -> Hit:
    source, marks = raw["_source"], raw.get("highlight", {})
    title = highlight.render(marks["title"][0]) if "title" in marks else highlight.render(
        source.get("title") or "")
    snippet = Markup(" … ").join(highlight.render(f) for f in marks.get("body", []))
    issue_date = source.get("issue_date")
    return Hit(
        id=int(source["id"]), title=title, number_symbol=source.get("number_symbol"),
        issuing_agency=source.get("issuing_agency"),
        issue_date=date.fromisoformat(issue_date) if issue_date else None,
        category=source.get("category"), doc_type=source.get("doc_type"),
        status=source.get("status"), snippet=snippet, score=raw.get("_score"),
        record_type=source.get("record_type") or "document",
        briefing_kind=source.get("briefing_kind"),
        source=source.get("source") or "local",
        number_relation=number_relation(query, source.get("number_key"),
                                        source.get("cites") or []) if query else None,
        sharing=source.get("sharing") or "internal",
    )


