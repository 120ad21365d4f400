"""Full-text search over the documents a user may see."""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from elasticsearch import ApiError, TransportError
from flask import current_app
from flask_babel import gettext as _

from app.domain.vocab import SECRECY_LEVELS, levels_up_to
from app.models import User
from app.search import highlight
from app.search.results import (  # noqa: F401 - re-exported for the pages and the API
    FACETS, MAX_WINDOW, SORTS, SOURCE_FIELDS, Hit, SearchResults, to_hit)
from app.search.expansion import number_clauses
from app.search.query import Filters, FilterValues, build_query, clean, plain_words
from app.semantic.embedder import EmbedderUnavailable
from app.services import hybrid
from app.services.access import require
from app.services.errors import SearchUnavailable
from indexers.client import alias, es

log = logging.getLogger(__name__)
MODES = ("lexical", "hybrid")


@dataclass
class SearchParams(FilterValues):
    q: str = ""
    sort: str = "relevance"
    page: int = 1
    per_page: int | None = None
    mode: str | None = None  # lexical | hybrid; None: SEARCH_MODE


def search(user: User, params: SearchParams) -> SearchResults:
    """Run ``params`` for ``user``; documents above the user's clearance do not exist here."""
    require(user, "search")
    per_page = params.per_page or current_app.config["SEARCH_PAGE_SIZE"]
    page = max(1, min(params.page, MAX_WINDOW // per_page))
    filters = Filters.for_user(levels_up_to(user.clearance), params)
    if uses_hybrid(params):
        try:
            return hybrid.search(params.q, filters, page, per_page)
        except EmbedderUnavailable:
            log.warning("embedding model unavailable: lexical search instead")
    body = {
        "query": build_query(params.q, filters),
        "highlight": highlight.highlight_spec(params.q),
        "sort": SORTS.get(params.sort, SORTS["relevance"]),
        "aggs": FACETS,
        "from": (page - 1) * per_page,
        "size": per_page,
        "track_total_hits": True,
        "_source": SOURCE_FIELDS,
    }
    try:
        response = es().search(index=alias(), **body)
    except (TransportError, ApiError) as exc:
        if getattr(exc, "status_code", None) == 400:
            # Whatever a person types must not become an error page.
            log.info("query rejected by Elasticsearch: %r", params.q)
            return SearchResults(0, [], page, per_page)
        log.warning("search unavailable: %s", exc)
        raise SearchUnavailable(_("Search is temporarily unavailable. Please try again shortly."))
    return SearchResults(
        total=response["hits"]["total"]["value"],
        hits=[to_hit(h, params.q) for h in response["hits"]["hits"]],
        page=page, per_page=per_page,
        facets={name: [(str(b["key"]), b["doc_count"]) for b in agg["buckets"]]
                for name, agg in response.get("aggregations", {}).items()},
    )


def uses_hybrid(params: SearchParams) -> bool:
    """Hybrid only where it can change the ranking: words to understand, results by
    relevance; a number/symbol query keeps its exact lookup first."""
    mode = params.mode if params.mode in MODES else current_app.config["SEARCH_MODE"]
    if mode != "hybrid" or params.sort not in ("relevance", "", None):
        return False
    words = plain_words(clean(params.q))
    return bool(words) and not number_clauses(params.q)


def related(user: User, document, limit: int = 5) -> list[Hit]:
    """Documents sharing the citations of ``document``, then its closest neighbours by text
    and, once its passages are embedded, by meaning (scores fused like hybrid search)."""
    require(user, "search")
    keys = sorted({c.key for c in document.citations})
    should = [{"more_like_this": {
        "fields": ["title_folded", "summary_folded", "body_folded"],
        "like": [{"_index": alias(), "_id": str(document.id)}],
        "min_term_freq": 1, "min_doc_freq": 1, "max_query_terms": 30,
        "minimum_should_match": "20%"}}]
    if keys:
        should.append({"terms": {"cites": keys, "boost": 5.0}})
    if document.number_key:
        should.append({"term": {"cites": {"value": document.number_key, "boost": 5.0}}})
    scope = {"filter": [{"terms": {"secrecy": levels_up_to(user.clearance)}}],
             "must_not": [{"ids": {"values": [str(document.id)]}},
                          {"term": {"record_type": "briefing"}}]}
    query = {"bool": {**scope, "should": should, "minimum_should_match": 1}}
    vector = hybrid.document_vector(document)
    try:
        if vector is None:
            response = es().search(index=alias(), query=query, size=limit,
                                   _source=SOURCE_FIELDS)
            return [to_hit(h) for h in response["hits"]["hits"]]
        return hybrid.related(query, vector, {"bool": scope}, limit)
    except (TransportError, ApiError, SearchUnavailable) as exc:
        log.warning("related documents unavailable: %s", exc)
        return []


def source_labels() -> dict[str, str]:
    """What the "Nguồn" facet shows: this archive, or each harvest source's name."""
    from app.extensions import db
    from app.models import HarvestSource

    labels = {"local": _("This archive")}
    for source_id, name in db.session.execute(db.select(HarvestSource.id, HarvestSource.name)):
        labels[str(source_id)] = name
    return labels


SAVED_SEARCH_KEYS = ("q", "category", "type", "year", "agency", "secrecy", "date_from",
                     "date_to", "cites", "sharing")


def saved_params(saved: dict) -> SearchParams:
    """A saved search (validated by the API schema when it was saved) as parameters."""
    from app.domain.dates import parse_date

    def value(key: str):
        raw = saved.get(key)
        return None if raw in (None, "") else str(raw)

    year = value("year")
    return SearchParams(
        q=value("q") or "", category=value("category"), doc_type=value("type"),
        year=int(year) if year and year.isdigit() else None, agency=value("agency"),
        secrecy=value("secrecy"), cites=value("cites"),
        sharing=value("sharing") if value("sharing") in ("internal", "partner", "public") else None,
        date_from=parse_date(value("date_from")) if value("date_from") else None,
        date_to=parse_date(value("date_to")) if value("date_to") else None,
        mode=value("mode") if value("mode") in MODES else None)


def count_new(user: User, searches: list[tuple[dict, datetime]],
              until: datetime | None = None) -> list[int]:
    """For each (saved search, moment): how many records it matches that arrived after
    that moment (and not after ``until``), within ``user``'s clearance like every search
    (one round trip)."""
    require(user, "search")
    levels = levels_up_to(user.clearance)
    lines: list[dict] = []
    for saved, since in searches:
        params = saved_params(saved)
        params.record_type = saved.get("record_type") or None
        filters = Filters.for_user(levels, params)
        bounds = {"gt": since.isoformat(), **({"lte": until.isoformat()} if until else {})}
        filters.extra.append({"range": {"uploaded_at": bounds}})
        lines += [{"index": alias()}, {"query": build_query(params.q, filters), "size": 0,
                                       "track_total_hits": True}]
    if not lines:
        return []
    try:
        response = es().msearch(searches=lines)
    except (TransportError, ApiError) as exc:
        raise SearchUnavailable(_("Search is temporarily unavailable. Please try again shortly.")) \
            from exc
    return [r["hits"]["total"]["value"] if "hits" in r else 0 for r in response["responses"]]


def matching_ids(saved: dict, ids: list[int]) -> set[int]:
    """Which of ``ids`` a saved search (e.g. of a legal hold) matches, whatever their secrecy.

    For checks the system makes, not for showing results: raises
    SearchUnavailable rather than answering "none" when the index cannot be asked.
    """
    params = saved_params(saved)
    filters = Filters.for_user(list(SECRECY_LEVELS), params)
    filters.extra.append({"ids": {"values": [str(i) for i in ids]}})
    try:
        response = es().search(index=alias(), query=build_query(params.q, filters),
                               size=len(ids), _source=False)
    except (TransportError, ApiError) as exc:
        raise SearchUnavailable(_("Search is temporarily unavailable. Please try again shortly.")) \
            from exc
    return {int(hit["_id"]) for hit in response["hits"]["hits"]}
