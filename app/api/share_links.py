"""Share links of a document or a briefing: create, list, revoke (archivists)."""
from flask import jsonify, request, url_for
from flask_login import current_user

from app.api import bp
from app.api.spec import operation
from app.sharing import links as link_service
from schemas.share_links import (ShareLinkCreatedOut, ShareLinkIn, ShareLinkListOut,
                                 ShareLinkOut)

_CREATE_DOC = ("Only records with secrecy \"Thường\" still kept here (not destroyed, "
               "transferred or harvested) can be shared; the answer carries the token and the "
               "address once. The link stops working when it expires, is revoked, or its "
               "record may no longer leave the archive.")


def _created(created):
    url = url_for("public_share.open_link", token=created.token, _external=True)
    return jsonify({**ShareLinkOut().dump(created.link), "token": created.token,
                    "url": url}), 201


@bp.post("/documents/<int:document_id>/share-links")
@operation("Share a record through a link", tag="Share links", ok=ShareLinkCreatedOut,
           status=201, body=ShareLinkIn, description=_CREATE_DOC)
def create_document_share_link(document_id: int):
    data = ShareLinkIn().load(request.get_json(silent=True) or {})
    return _created(link_service.share_document(current_user, document_id, data))


@bp.get("/documents/<int:document_id>/share-links")
@operation("The record's share links, newest first", tag="Share links", ok=ShareLinkListOut)
def list_document_share_links(document_id: int):
    links = link_service.links_for_document(current_user, document_id)
    return jsonify(ShareLinkListOut().dump({"links": links}))


@bp.delete("/documents/<int:document_id>/share-links/<int:link_id>")
@operation("Revoke one of the record's share links (at once; audited)", tag="Share links",
           ok=ShareLinkOut)
def revoke_document_share_link(document_id: int, link_id: int):
    link = link_service.revoke(current_user, link_id, document_id=document_id)
    return jsonify(ShareLinkOut().dump(link))


@bp.post("/briefings/<int:briefing_id>/share-links")
@operation("Share a briefing dossier through a link", tag="Share links",
           ok=ShareLinkCreatedOut, status=201, body=ShareLinkIn,
           description="The link offers the briefing's materials and coverage with secrecy "
                       "\"Thường\" that may leave the archive, decided at every use.")
def create_briefing_share_link(briefing_id: int):
    data = ShareLinkIn().load(request.get_json(silent=True) or {})
    return _created(link_service.share_briefing(current_user, briefing_id, data))


@bp.get("/briefings/<int:briefing_id>/share-links")
@operation("The briefing's share links, newest first", tag="Share links",
           ok=ShareLinkListOut)
def list_briefing_share_links(briefing_id: int):
    links = link_service.links_for_briefing(current_user, briefing_id)
    return jsonify(ShareLinkListOut().dump({"links": links}))


@bp.delete("/briefings/<int:briefing_id>/share-links/<int:link_id>")
@operation("Revoke one of the briefing's share links (at once; audited)",
           tag="Share links", ok=ShareLinkOut)
def revoke_briefing_share_link(briefing_id: int, link_id: int):
    link = link_service.revoke(current_user, link_id, briefing_id=briefing_id)
    return jsonify(ShareLinkOut().dump(link))
