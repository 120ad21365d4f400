"""Editing a document's metadata (PUT, PATCH) and setting sharing levels (documents,
briefings). Every change goes through the services of the pages, audited there."""
from flask import jsonify, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from marshmallow import ValidationError

from app.api import bp
from app.api.spec import operation
from app.services import documents as document_service
from app.sharing import levels
from app.sharing.visibility import (Principal, is_briefing_visible, is_document_visible)
from schemas.document_api import DocumentEditIn, DocumentPatchIn
from schemas.documents import DocumentOut
from schemas.sharing import BriefingSharingIn, BriefingSharingOut, SharingIn, SharingOut

_SHARING_ERRORS = (409,)


def _body() -> dict:
    """The JSON object sent; anything else (a string, a list) is refused as invalid."""
    body = request.get_json(silent=True)
    if body is None:
        return {}
    if not isinstance(body, dict):
        raise ValidationError({"_schema": [_("Send a JSON object.")]})
    return body
_REFUSAL = ("A record above secrecy “Thường”, harvested, destroyed or transferred cannot be "
            "shared: 422 `sharing_refused` with the reason in `message`.")


@bp.put("/documents/<int:document_id>")
@operation("Replace a document's metadata (and, optionally, its sharing level)",
           tag="Documents", ok=DocumentOut, body=DocumentEditIn, errors=_SHARING_ERRORS,
           description="Fields left out take their defaults. Raising the secrecy above "
                       "“Thường” withdraws sharing at once. " + _REFUSAL)
def replace_document(document_id: int):
    data = DocumentEditIn().load(_body())
    document = document_service.update_metadata(current_user, document_id, data["metadata"],
                                                sharing=data["sharing"])
    return jsonify(DocumentOut().dump(document))


@bp.patch("/documents/<int:document_id>")
@operation("Change some of a document's metadata (and, optionally, its sharing level)",
           tag="Documents", ok=DocumentOut, body=DocumentPatchIn, errors=_SHARING_ERRORS,
           description="Only the fields sent change. Raising the secrecy above “Thường” "
                       "withdraws sharing at once. " + _REFUSAL)
def patch_document(document_id: int):
    data = DocumentPatchIn(partial=True).load(_body())
    document = document_service.edit_fields(current_user, document_id, data["values"],
                                            sharing=data["sharing"])
    return jsonify(DocumentOut().dump(document))


@bp.put("/documents/<int:document_id>/sharing")
@operation("Set who may see a document outside the archive (archivists)", tag="Sharing",
           ok=SharingOut, body=SharingIn, errors=_SHARING_ERRORS, description=_REFUSAL)
def set_document_sharing(document_id: int):
    level = SharingIn().load(_body())["level"]
    document = levels.set_document_sharing(current_user, document_id, level)
    public = is_document_visible(Principal.PUBLIC, document)
    return jsonify(SharingOut().dump({
        "id": document.id, "sharing": document.sharing, "shared_at": document.shared_at,
        "public_at": document.public_at,
        "public_url": url_for("public.record", document_id=document.id) if public else None}))


@bp.put("/briefings/<int:briefing_id>/sharing")
@operation("Set who may see a briefing outside the archive (archivists)", tag="Sharing",
           ok=BriefingSharingOut, body=BriefingSharingIn,
           description="With `level: public` and `publish_coverage` (default true) its press "
                       "coverage becomes public too, each record checked on its own; "
                       "`refused` says which could not, and why. The rule is kept: coverage "
                       "added later to the public briefing is published the same way.")
def set_briefing_sharing(briefing_id: int):
    data = BriefingSharingIn().load(_body())
    outcome = levels.set_briefing_sharing(current_user, briefing_id, data["level"],
                                          publish_coverage=data["publish_coverage"])
    briefing = outcome.briefing
    public = is_briefing_visible(Principal.PUBLIC, briefing)
    return jsonify(BriefingSharingOut().dump({
        "id": briefing.id, "sharing": briefing.sharing, "shared_at": briefing.shared_at,
        "public_at": briefing.public_at, "publish_coverage": briefing.publish_coverage,
        "public_url": url_for("public.briefing", briefing_id=briefing.id) if public else None,
        "published": [d.id for d in outcome.published],
        "refused": [{"id": d.id, "title": d.title, "message": reason}
                    for d, reason in outcome.refused]}))
