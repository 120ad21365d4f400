"""Briefing endpoints: list with filters and search, detail, create, materials, coverage.

Times in and out are UTC ISO 8601 (``held_at``); a time without an offset is
read as local time in the archive's time zone.
"""
from flask import jsonify, request, send_file, url_for
from flask_login import current_user

from app.api import bp, error_response
from app.services import briefings as briefing_service
from app.services import coverage as coverage_service
from app.services import briefing_export as dossier_service
from app.services import search as search_service
from schemas.briefings import (ArticleOut, BriefingFiltersIn, BriefingIn, BriefingOut,
                               CoverageIn, MaterialIn, MaterialOut)

_out = BriefingOut()


@bp.get("/briefings")
def list_briefings():
    args = BriefingFiltersIn().load(request.args.to_dict())
    q = args.pop("q")
    ids = None
    if q:
        hits = search_service.search(current_user, search_service.SearchParams(
            q=q, record_type="briefing", per_page=100)).hits
        ids = [h.id for h in hits]
    briefings = briefing_service.list_briefings(
        current_user, briefing_service.BriefingFilters(**args), ids=ids)
    if ids is not None:
        rank = {briefing_id: n for n, briefing_id in enumerate(ids)}
        briefings.sort(key=lambda b: rank.get(b.id, len(rank)))
    return jsonify(total=len(briefings), briefings=_out.dump(briefings, many=True))


@bp.get("/briefings/<int:briefing_id>")
def get_briefing(briefing_id: int):
    view = briefing_service.view_briefing(current_user, briefing_id)
    return jsonify(_detail(view))


@bp.post("/briefings")
def create_briefing():
    data = BriefingIn().load(request.get_json(silent=True) or {})
    briefing = briefing_service.create_briefing(current_user, data)
    url = url_for("api.get_briefing", briefing_id=briefing.id)
    return jsonify({**_out.dump(briefing), "url": url}), 201, {"Location": url}


@bp.post("/briefings/<int:briefing_id>/materials")
def add_material(briefing_id: int):
    data = MaterialIn().load(request.get_json(silent=True) or {})
    briefing_service.add_material(current_user, briefing_id, data["reference"], data["role"])
    return jsonify(_detail(briefing_service.view_briefing(current_user, briefing_id))), 201


@bp.post("/briefings/articles/<int:article_id>/documents")
def link_article(article_id: int):
    """``{reference: "1079/QĐ-TTg" or "123"}``: the article reports on that document."""
    reference = str((request.get_json(silent=True) or {}).get("reference") or "").strip()
    document = coverage_service.link_document(current_user, article_id, reference)
    return jsonify(article=article_id, document={"id": document.id, "title": document.title}), 201


@bp.post("/briefings/<int:briefing_id>/coverage")
def add_coverage(briefing_id: int):
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return error_response("file_required", "Send the saved page in the multipart field "
                              "'file'.", 400)
    data = CoverageIn().load(request.form.to_dict())
    outcome = coverage_service.add_coverage(current_user, upload.stream, upload.filename, data,
                                            briefing_id=briefing_id)
    return jsonify({"article": ArticleOut().dump(outcome.article),
                    "same_story": [a.id for a in outcome.same_story],
                    "duplicate_file": outcome.duplicate_file}), 201


@bp.get("/briefings/<int:briefing_id>/export")
def export_briefing(briefing_id: int):
    dossier = dossier_service.export_dossier(current_user, briefing_id)
    return send_file(dossier.file, mimetype="application/zip", as_attachment=True,
                     download_name=dossier.filename)


def _detail(view) -> dict:
    return {**_out.dump(view.briefing),
            "materials": MaterialOut(many=True).dump(view.materials),
            "coverage": [{**ArticleOut().dump(a), "reports_on": [
                {"id": d.id, "title": d.title, "number_symbol": d.number_symbol}
                for d in coverage_service.related_documents(current_user, a)]}
                for a in view.coverage],
            "stories": [[a.id for a in story] for story in view.stories]}
