"""Hybrid search: the lexical ranking and the nearest passages by meaning, fused.

Two round trips to Elasticsearch:

1. one ``msearch`` with (a) the lexical query plus the kNN clause at boost 0, for the
   total, the facet counts of the union and the lexical ranking of its first
   HYBRID_WINDOW hits, and (b) the kNN search alone, for the vector ranking and each
   document's best passage (nested ``inner_hits``);
2. the page's hits with their highlights, in the fused order (app.semantic.fusion:
   a convex combination of normalised scores by default, RRF with HYBRID_FUSION=rrf).

The secrecy and every other filter are inside the kNN clause itself (``filter``), so
a passage above the reader's clearance is never a candidate, not even for the count.
Positions beyond the fused window continue with the lexical ranking.
"""
from __future__ import annotations

import logging

import numpy as np

from elasticsearch import ApiError, TransportError
from flask import current_app
from flask_babel import gettext as _

from app.search import highlight
from app.search.query import Filters, build_query
from app.search.results import FACETS, SORTS, SOURCE_FIELDS, SearchResults, to_hit
from app.semantic import embedder
from app.semantic.embedder import from_bytes
from app.semantic.fusion import convex, rrf
from app.semantic.language import unaccented_vietnamese
from app.services import semantic
from app.services.errors import SearchUnavailable
from indexers.client import alias, es

log = logging.getLogger(__name__)
PASSAGE_CHARS = 320  # of the matched passage shown on a hit


def knn_clause(vector: list[float], filters: Filters, k: int) -> dict:
    config = current_app.config
    return {"field": "passages.vector", "query_vector": vector, "k": k,
            "num_candidates": max(k, config["HYBRID_CANDIDATES"]),
            "filter": filters.clauses()}


def matches(q: str, filters: Filters, knn: dict) -> dict:
    """The query and kNN clause (at boost 0) whose union is what a hybrid search counts:
    the documents the words find and the nearest by meaning."""
    return {"query": build_query(q, filters), "knn": {**knn, "boost": 0.0}}


def search(q: str, filters: Filters, page: int, per_page: int) -> SearchResults:
    """The page ``page`` of the fused ranking of ``q``; raises EmbedderUnavailable when
    the model cannot load (the caller falls back to lexical)."""
    config = current_app.config
    window, k = config["HYBRID_WINDOW"], config["HYBRID_K"]
    knn = knn_clause(embedder.query(q), filters, k)
    union = {**matches(q, filters, knn), "aggs": FACETS, "size": window,
             "_source": False, "track_total_hits": True, "track_scores": True,
             "sort": SORTS["relevance"]}
    nearest = {"knn": {**knn, "inner_hits": {"size": 1, "_source": False}}, "size": k,
               "_source": False}
    first, second = _msearch([union, nearest])
    if first is None:
        return SearchResults(0, [], page, per_page)
    lexical_scores = {int(h["_id"]): h["_score"] for h in first["hits"]["hits"]
                      if (h.get("_score") or 0) > 0}
    lexical_ids = list(lexical_scores)
    best_passage = {int(h["_id"]): _offset(h) for h in second["hits"]["hits"]}
    vector_ids = list(best_passage)
    weight = config["HYBRID_VECTOR_WEIGHT"]
    if unaccented_vietnamese(q):
        weight *= config["HYBRID_UNACCENTED_FACTOR"]  # e5 reads such questions poorly
    if config["HYBRID_FUSION"] == "rrf":
        fused = rrf([lexical_ids, vector_ids], [1.0, weight])
    else:
        fused = convex(lexical_scores, {int(h["_id"]): h["_score"]
                                        for h in second["hits"]["hits"]}, weight)
    total = first["hits"]["total"]["value"]
    vector_only = len(set(vector_ids) - set(lexical_ids))
    start, end = (page - 1) * per_page, page * per_page
    head = fused[start:end]
    # Beyond the window: the lexical ranking goes on where the window stopped.
    tail_from = window + max(0, start - len(fused))
    tail_size = max(0, min(end, total) - max(start, len(fused)))
    hits = _page(q, filters, head, tail_from, tail_size) if head or tail_size else []
    by_id = {h.id: h for h in hits}
    ordered = [by_id[i] for i in head if i in by_id] + [h for h in hits if h.id not in head]
    passages = semantic.passage_texts([(i, best_passage[i]) for i in head if i in best_passage])
    lexical_set = set(lexical_ids)
    for hit in ordered:
        hit.matched_by = tuple(m for m, found in (("lexical", hit.id in lexical_set or
                                                   hit.id not in best_passage),
                                                  ("semantic", hit.id in best_passage)) if found)
        passage = passages.get((hit.id, best_passage.get(hit.id)))
        if passage is not None:
            hit.passage, hit.passage_heading = _shorten(passage.text), passage.heading
    log.debug("hybrid %r: %d lexical, %d nearest, %d only by meaning", q, len(lexical_ids),
              len(vector_ids), vector_only)
    return SearchResults(
        total=total, hits=ordered, page=page, per_page=per_page,
        facets={name: [(str(b["key"]), b["doc_count"]) for b in agg["buckets"]]
                for name, agg in first.get("aggregations", {}).items()})


def document_vector(document) -> list[float] | None:
    """A document's meaning as one vector: the mean of its passages', normalised."""
    if not document.passages:
        return None
    vectors = np.array([from_bytes(p.vector) for p in document.passages])
    mean = vectors.mean(axis=0)
    norm = float(np.linalg.norm(mean))
    return (mean / norm).astype(float).tolist() if norm else None


def related(query: dict, vector: list[float], scope: dict, limit: int) -> list:
    """Related documents: the text neighbours (``query``) and the nearest by meaning
    within ``scope``, fused like a hybrid search (RELATED_VECTOR_WEIGHT)."""
    config = current_app.config
    window = max(limit * 4, 20)
    knn = {"field": "passages.vector", "query_vector": vector, "k": window,
           "num_candidates": max(window, config["HYBRID_CANDIDATES"]), "filter": scope}
    text, nearest = _msearch([{"query": query, "size": window, "_source": SOURCE_FIELDS},
                              {"knn": knn, "size": window, "_source": SOURCE_FIELDS}])
    text_hits, nearest_hits = (r["hits"]["hits"] if r else [] for r in (text, nearest))
    sources = {int(h["_id"]): h for h in nearest_hits + text_hits}
    fused = convex({int(h["_id"]): h["_score"] for h in text_hits},
                   {int(h["_id"]): h["_score"] for h in nearest_hits},
                   config["RELATED_VECTOR_WEIGHT"])
    return [to_hit(sources[i]) for i in fused[:limit]]


def _page(q: str, filters: Filters, ids: list[int], tail_from: int, tail_size: int):
    """Sources and highlights of the fused ids, and the lexical hits after the window."""
    bodies = []
    if ids:
        bodies.append({"query": {"bool": {"filter": [{"ids": {"values": [str(i) for i in ids]}}],
                                          "should": [build_query(q, filters)]}},
                       "highlight": highlight.highlight_spec(q), "size": len(ids),
                       "_source": SOURCE_FIELDS})
    if tail_size:
        bodies.append({"query": build_query(q, filters), "sort": SORTS["relevance"],
                       "highlight": highlight.highlight_spec(q), "from": tail_from,
                       "size": tail_size, "_source": SOURCE_FIELDS})
    hits = []
    for response in _msearch(bodies):
        if response is not None:
            hits += [to_hit(h, q) for h in response["hits"]["hits"]]
    return hits


def _msearch(bodies: list[dict]) -> list[dict | None]:
    """Responses in order; None for a query Elasticsearch refused (bad input)."""
    lines = []
    for body in bodies:
        lines += [{"index": alias()}, body]
    try:
        responses = es().msearch(searches=lines)["responses"]
    except (TransportError, ApiError) as exc:
        log.warning("search unavailable: %s", exc)
        raise SearchUnavailable(_("Search is temporarily unavailable. Please try again shortly."))
    out = []
    for response in responses:
        if "error" in response:
            if response.get("status") == 400:
                log.info("hybrid query rejected by Elasticsearch: %s", response["error"])
                out.append(None)
                continue
            raise SearchUnavailable(
                _("Search is temporarily unavailable. Please try again shortly."))
        out.append(response)
    return out


def _offset(hit: dict) -> int:
    inner = hit.get("inner_hits", {}).get("passages", {}).get("hits", {}).get("hits", [])
    return int(inner[0]["_nested"]["offset"]) if inner else 0


def _shorten(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= PASSAGE_CHARS else text[:PASSAGE_CHARS].rsplit(" ", 1)[0] + " …"
