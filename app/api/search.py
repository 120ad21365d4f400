"""GET /api/v1/search."""
from flask import jsonify, request
from flask_babel import gettext as _
from flask_login import current_user

from app.api import bp, error_response
from app.api.spec import operation
from app.services.search import search
from schemas.documents import SearchIn
from schemas.search import SearchOut

SYNTAX = ("Words with or without diacritics, phrases in quotes, `-word`, `OR`, `prefix*`, "
          "document numbers (1079/QĐ-TTg). Documents above the caller's clearance are never "
          "counted. `page` × `per_page` stays within the first 10,000 hits.")


@bp.get("/search")
@operation("Search documents and briefings", tag="Search", ok=SearchOut, query=SearchIn,
           description=SYNTAX)
def search_documents():
    return _answer(SearchIn().load(request.args.to_dict()))


@bp.post("/search")
@operation("The same search, parameters in a JSON body (for long queries)", tag="Search",
           ok=SearchOut, body=SearchIn, description=SYNTAX)
def search_documents_by_post():
    """The same search with the parameters in a JSON body: for queries too long for a URL."""
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        return error_response("validation_failed",
                              _("Send the search parameters as a JSON object."), 422)
    return _answer(SearchIn().load({k: str(v) for k, v in body.items() if v is not None}))


def _answer(params):
    results = search(current_user, params)
    return jsonify(SearchOut().dump({
        "total": results.total, "page": results.page, "per_page": results.per_page,
        "pages": results.pages, "hits": results.hits,
        "facets": {name: [{"value": v, "count": c} for v, c in buckets]
                   for name, buckets in results.facets.items()},
    }))
