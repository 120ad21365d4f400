from flask import Blueprint, render_template, request
from flask_login import current_user
from marshmallow import ValidationError

from app.services.search import search, source_labels
from app.web.chips import search_chips
from app.web.urls import current_url_with
from schemas.documents import SearchIn

bp = Blueprint("search", __name__, template_folder="templates")


@bp.get("/")
def index():
    try:
        params = SearchIn().load(request.args.to_dict())
    except ValidationError:
        # A hand-edited URL with a bad filter: ignore the filters, keep the words.
        params = SearchIn().load({"q": request.args.get("q", "")})
    results = search(current_user, params)
    # The "Nguồn" facet appears once records from another archive are in the results.
    elsewhere = any(value != "local" for value, _count in results.facets.get("source", []))
    sources = source_labels() if elsewhere or params.source else {}
    return render_template("search/index.html", params=params, results=results,
                           args=request.args, chips=search_chips(params, sources),
                           source_labels=sources)


@bp.app_template_global()
def search_url(**changes) -> str:
    """The current search URL with some parameters changed (None removes one)."""
    return current_url_with("search.index", **changes)
