"""Briefing endpoints: list with filters and search, detail, create, materials, coverage.

Times in and out are UTC ISO 8601 (``held_at``); a time without an offset is
read as local time in the archive's time zone.
"""
from flask import jsonify, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.api import bp, error_response
from app.api.spec import operation
from app.services import briefings as briefing_service
from app.services import coverage as coverage_service
from app.services import briefing_export as dossier_service
from app.services import search as search_service
from schemas.briefings import (ArticleLinkIn, ArticleLinkOut, ArticleOut, BriefingCreatedOut,
                               BriefingDetailOut, BriefingFiltersIn, BriefingIn,
                               BriefingListOut, BriefingOut, CoverageAddedOut, CoverageIn,
                               CoverageUploadIn, MaterialIn, MaterialOut)

_out = BriefingOut()


@bp.get("/briefings")
@operation("Briefings matching the filters and words", tag="Briefings", ok=BriefingListOut,
           query=BriefingFiltersIn, errors=(503,),
           description="`q` searches the minutes, the materials' text and the coverage's text.")
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
    return jsonify(BriefingListOut().dump({"total": len(briefings), "briefings": briefings}))


@bp.get("/briefings/<int:briefing_id>")
@operation("A briefing with its materials, coverage and stories", tag="Briefings",
           ok=BriefingDetailOut)
def get_briefing(briefing_id: int):
    view = briefing_service.view_briefing(current_user, briefing_id)
    return jsonify(_detail(view))


@bp.post("/briefings")
@operation("Record a press briefing", tag="Briefings", ok=BriefingCreatedOut, status=201,
           body=BriefingIn,
           description="Times as `dd/mm/yyyy HH:MM` or ISO 8601; without an offset, local time "
                       "(Asia/Ho_Chi_Minh). Answers with the briefing, times in UTC.")
def create_briefing():
    data = BriefingIn().load(request.get_json(silent=True) or {})
    briefing = briefing_service.create_briefing(current_user, data)
    url = url_for("api.get_briefing", briefing_id=briefing.id)
    return jsonify({**_out.dump(briefing), "url": url}), 201, {"Location": url}


@bp.post("/briefings/<int:briefing_id>/materials")
@operation("Attach an archived document as a material", tag="Briefings", ok=BriefingDetailOut,
           status=201, body=MaterialIn, errors=(409,))
def add_material(briefing_id: int):
    data = MaterialIn().load(request.get_json(silent=True) or {})
    briefing_service.add_material(current_user, briefing_id, data["reference"], data["role"])
    return jsonify(_detail(briefing_service.view_briefing(current_user, briefing_id))), 201


@bp.post("/briefings/articles/<int:article_id>/documents")
@operation("Say which document a covered article reports on", tag="Briefings",
           ok=ArticleLinkOut, status=201, body=ArticleLinkIn, errors=(409,))
def link_article(article_id: int):
    """``{reference: "1079/QĐ-TTg" or "123"}``: the article reports on that document."""
    reference = ArticleLinkIn().load(request.get_json(silent=True) or {})["reference"].strip()
    document = coverage_service.link_document(current_user, article_id, reference)
    return jsonify(ArticleLinkOut().dump({"article": article_id, "document": document})), 201


@bp.post("/briefings/<int:briefing_id>/coverage")
@operation("Archive press coverage of a briefing (the saved page)", tag="Briefings",
           ok=CoverageAddedOut, status=201, multipart=CoverageUploadIn, errors=(409,))
def add_coverage(briefing_id: int):
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return error_response("file_required",
                              _("Send the saved page in the multipart field 'file'."), 400,
                              fields={"file": [_("Required.")]})
    data = CoverageIn().load(request.form.to_dict())
    outcome = coverage_service.add_coverage(current_user, upload.stream, upload.filename, data,
                                            briefing_id=briefing_id)
    return jsonify(CoverageAddedOut().dump({
        "article": outcome.article, "same_story": [a.id for a in outcome.same_story],
        "duplicate_file": outcome.duplicate_file, "published": outcome.rule.published,
        "sharing_refused": outcome.rule.refused})), 201


@bp.get("/briefings/<int:briefing_id>/export")
@operation("The briefing's dossier as one ZIP (materials, coverage, index.html)",
           tag="Briefings", media="application/zip",
           ok={"type": "string", "contentMediaType": "application/zip"})
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
