"""GET /api/v1/search."""
from flask import jsonify, request
from flask_login import current_user

from app.api import bp
from app.services.search import search
from schemas.documents import SearchIn


@bp.get("/search")
def search_documents():
    results = search(current_user, SearchIn().load(request.args.to_dict()))
    return jsonify(
        total=results.total, page=results.page, per_page=results.per_page, pages=results.pages,
        hits=[{
            "id": h.id, "title": str(h.title), "number_symbol": h.number_symbol,
            "issuing_agency": h.issuing_agency,
            "issue_date": h.issue_date.isoformat() if h.issue_date else None,
            "category": h.category, "doc_type": h.doc_type, "status": h.status,
            "snippet": str(h.snippet), "score": h.score,
            "record_type": h.record_type, "briefing_kind": h.briefing_kind,
        } for h in results.hits],
        facets={name: [{"value": v, "count": c} for v, c in buckets]
                for name, buckets in results.facets.items()},
    )
