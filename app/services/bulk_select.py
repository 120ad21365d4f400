""""The whole result": the ids a search (or the document list's filters) selects for a user.

Both run with the user's clearance inside the query, like the pages they
come from, so a bulk operation can never reach a document the user cannot see.
"""
from __future__ import annotations

from elasticsearch import ApiError, TransportError
from flask import current_app
from flask_babel import gettext as _

from app.domain.vocab import levels_up_to
from app.extensions import db
from app.models import Document, User
from app.search.query import Filters, build_query
from app.semantic import embedder
from app.semantic.embedder import EmbedderUnavailable
from app.services.errors import SearchUnavailable, ValidationFailed
from app.services import hybrid
from app.services.search import saved_params, uses_hybrid
from indexers.client import alias, es


def query_ids(user: User, query: dict, limit: int) -> list[int]:
    """Ids of the documents ``query`` selects for ``user``; refused above ``limit``."""
    if query.get("from") == "list":
        return _list_ids(user, query, limit)
    return _search_ids(user, query, limit)


def _too_many(total: int, limit: int) -> ValidationFailed:
    return ValidationFailed(_("The selection has %(n)d documents; narrow it to at most "
                              "%(max)d.", n=total, max=limit))


def _search_ids(user: User, query: dict, limit: int) -> list[int]:
    params = saved_params(query)
    filters = Filters.for_user(levels_up_to(user.clearance), params)
    # Briefings are records of their own: bulk work applies to documents.
    filters.extra.append({"bool": {"must_not": [{"term": {"record_type": "briefing"}}]}})
    body = {"query": build_query(params.q, filters), "sort": ["_doc"]}
    if uses_hybrid(params):
        try:  # what the page counted
            body = hybrid.matches(params.q, filters, hybrid.knn_clause(
                embedder.query(params.q), filters, current_app.config["HYBRID_K"]))
        except EmbedderUnavailable:
            pass  # the page fell back to the words alone; so does its whole result
    try:
        response = es().search(index=alias(), size=limit, _source=False, track_total_hits=True,
                               **body)
    except (TransportError, ApiError) as exc:
        raise SearchUnavailable(_("Search is temporarily unavailable. Please try again "
                                  "shortly.")) from exc
    total = response["hits"]["total"]["value"]
    if total > limit:
        raise _too_many(total, limit)
    return sorted(int(hit["_id"]) for hit in response["hits"]["hits"])


def _list_ids(user: User, query: dict, limit: int) -> list[int]:
    from app.services.document_list import filtered, params_from_args

    params = params_from_args({k: str(v) for k, v in query.items() if v is not None})
    ids = list(db.session.scalars(
        filtered(user, params).with_only_columns(Document.id).order_by(Document.id)
        .limit(limit + 1)))
    if len(ids) > limit:
        raise _too_many(len(ids), limit)
    return ids
