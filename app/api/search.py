"""GET /api/v1/search."""
from flask import jsonify, request
from flask_login import current_user

from app.api import bp, error_response
from app.services.search import search
from schemas.documents import SearchIn


@bp.get("/search")
def search_documents():
    return _answer(SearchIn().load(request.args.to_dict()))


@bp.post("/search")
def search_documents_by_post():
    """The same search with the parameters in a JSON body: for queries too long for a URL."""
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        return error_response("validation_failed", "Send the search parameters as a JSON object.",
                              422)
    return _answer(SearchIn().load({k: str(v) for k, v in body.items() if v is not None}))


def _answer(params):
    results = search(current_user, params)
    return jsonify(
        total=results.total, page=results.page, per_page=results.per_page, pages=results.pages,
        hits=[{
            "id": h.id, "title": str(h.title), "number_symbol": h.number_symbol,
            "issuing_agency": h.issuing_agency,
            "issue_date": h.issue_date.isoformat() if h.issue_date else None,
            "category": h.category, "doc_type": h.doc_type, "status": h.status,
            "snippet": str(h.snippet), "score": h.score,
            "record_type": h.record_type, "briefing_kind": h.briefing_kind,
            "number_relation": h.number_relation,
        } for h in results.hits],
        facets={name: [{"value": v, "count": c} for v, c in buckets]
                for name, buckets in results.facets.items()},
    )
