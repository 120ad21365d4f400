"""The public portal's search: the archive's own query builder and highlighter,
restricted to what anyone may see.

The filter comes from ``app.sharing.visibility.search_clause`` (public level,
secrecy "Thường", not harvested, not erased or transferred; for briefings only
the entry written for the public, whose text holds nothing but public
materials and coverage). The hits are then checked again in the database, so
a record withdrawn a moment ago never shows while the index catches up.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass

from elasticsearch import ApiError, TransportError
from flask import current_app
from flask_babel import gettext as _

from app.search import highlight
from app.search.query import Filters, build_query
from app.services.errors import SearchUnavailable
from app.services.search import MAX_WINDOW, SORTS, SOURCE_FIELDS, SearchResults, to_hit
from app.sharing.portal import visible_ids
from app.sharing.visibility import OPEN_SECRECY, Principal, search_clause
from indexers.client import alias, es

log = logging.getLogger(__name__)
RECORD_TYPES = ("document", "briefing")


@dataclass
class PublicSearchParams:
    q: str = ""
    record_type: str | None = None  # "document", "briefing" or None: both
    sort: str = "relevance"         # relevance | newest | oldest
    page: int = 1


class PublicFilters(Filters):
    """Filters without a reader's clearance: ``search_clause`` picks the briefing entry."""

    def _briefing_view(self) -> dict:
        return {"match_all": {}}


def search_public(params: PublicSearchParams) -> SearchResults:
    """Public records and briefings matching ``params.q`` (with or without diacritics)."""
    per_page = current_app.config["SEARCH_PAGE_SIZE"]
    page = max(1, min(params.page, MAX_WINDOW // per_page))
    filters = PublicFilters(secrecy_levels=[OPEN_SECRECY],
                            record_type=params.record_type if params.record_type in RECORD_TYPES
                            else None,
                            extra=[search_clause(Principal.PUBLIC)])
    body = {
        "query": build_query(params.q, filters),
        "highlight": highlight.highlight_spec(params.q),
        "sort": SORTS.get(params.sort, SORTS["relevance"]),
        "from": (page - 1) * per_page, "size": per_page,
        "track_total_hits": True, "_source": SOURCE_FIELDS,
    }
    try:
        response = es().search(index=alias(), **body)
    except (TransportError, ApiError) as exc:
        if getattr(exc, "status_code", None) == 400:
            log.info("public query rejected by Elasticsearch: %r", params.q)
            return SearchResults(0, [], page, per_page)
        log.warning("public search unavailable: %s", exc)
        raise SearchUnavailable(_("Search is temporarily unavailable. Please try again "
                                  "shortly.")) from exc
    hits = [to_hit(h, params.q) for h in response["hits"]["hits"]]
    documents, briefings = visible_ids(
        [h.id for h in hits if h.record_type != "briefing"],
        [h.id for h in hits if h.record_type == "briefing"])
    kept = [h for h in hits if h.id in (briefings if h.record_type == "briefing" else documents)]
    total = response["hits"]["total"]["value"] - (len(hits) - len(kept))
    return SearchResults(total=max(total, len(kept)), hits=kept, page=page, per_page=per_page)
