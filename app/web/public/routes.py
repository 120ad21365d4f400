"""The public portal's pages: home, a record, its files, a briefing, search, Atom feed.

Anonymous (app.auth.PUBLIC_BLUEPRINTS); every read goes through
app.sharing.portal or app.sharing.public_search, which let out only what
app.sharing.visibility allows. Anything else answers the portal's own 404.
"""
from __future__ import annotations

from flask import Blueprint, current_app, render_template, request
from flask_babel import gettext as _

from app.web.downloads import send_stored
from app.services.errors import NotFound, SearchUnavailable
from app.sharing import portal
from app.sharing.public_search import RECORD_TYPES, PublicSearchParams, search_public
from app.web.public.feed import atom_response
from app.web.public.limits import limit_blueprint

bp = Blueprint("public", __name__, template_folder="templates")
limit_blueprint(bp)


@bp.get("/")
def home():
    return render_template("public/home.html", documents=portal.latest_documents(10),
                           briefings=portal.latest_briefings(5))


@bp.get("/tai-lieu/<int:document_id>")
def record(document_id: int):
    # The template shows the NĐ 30/2020 metadata of an outgoing document; internal
    # notes, the uploader, the dossier and the retention schedule stay inside.
    return render_template("public/record.html", document=portal.public_document(document_id))


@bp.get("/tai-lieu/<int:document_id>/tep/<int:file_id>")
def download(document_id: int, file_id: int):
    _document, file = portal.public_file(document_id, file_id, request.remote_addr or "")
    return send_stored(file.sha256, media_type="application/octet-stream",
                       as_attachment=True, download_name=file.original_filename)


@bp.get("/hop-bao/<int:briefing_id>")
def briefing(briefing_id: int):
    return render_template("public/briefing.html", view=portal.public_briefing(briefing_id))


@bp.get("/tim-kiem")
def search():
    args = request.args
    record_type = args.get("record_type") if args.get("record_type") in RECORD_TYPES else None
    sort = args.get("sort") if args.get("sort") in ("relevance", "newest", "oldest") \
        else "relevance"
    page = args.get("page", type=int) or 1
    params = PublicSearchParams(q=(args.get("q") or "").strip(), record_type=record_type,
                                sort=sort, page=max(1, min(page, 1000)))
    results = search_public(params) if params.q or record_type else None
    return render_template("public/search.html", params=params, results=results)


@bp.get("/feed.atom")
def feed():
    return atom_response(portal.feed_documents(current_app.config["PUBLIC_FEED_SIZE"]))


@bp.errorhandler(NotFound)
@bp.errorhandler(404)
def not_found(exc):
    message = getattr(exc, "message", None) or _("There is nothing public at this address.")
    return render_template("public/error.html", code=404, message=message), 404


@bp.errorhandler(SearchUnavailable)
def unavailable(exc):
    return render_template("public/error.html", code=503, message=exc.message), 503, {
        "Retry-After": "30"}
