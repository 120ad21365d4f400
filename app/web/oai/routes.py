"""``/oai``: the OAI-PMH endpoint, the original files it links to, and its schemas.

No login and no CSRF (harvesters are programs). Anyone harvests public records;
a partner agency harvests partner records too with ``Authorization: Bearer``
and its harvesting token. A token that is not valid (unknown, revoked) is
refused with 401 rather than treated as anonymous, so a partner notices.
"""
from __future__ import annotations

import re

from flask import Blueprint, Response, current_app, request, send_from_directory, url_for
from flask_babel import gettext as _

from app.web.downloads import send_stored
from app.services.errors import NotFound
from app.sharing import downloads, partners
from app.sharing.oai import errors as oai_errors
from app.sharing.oai.provider import Harvester, respond
from app.sharing.visibility import Principal
from config.settings import PROJECT_ROOT

bp = Blueprint("oai", __name__)
SCHEMAS_DIR = PROJECT_ROOT / "schemas" / "oai"
SCHEMAS = {"nd30.xsd", "OAI-PMH.xsd", "oai_dc.xsd", "simpledc.xsd", "xml.xsd",
           "oai-identifier.xsd"}
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


class _Unauthorized(Exception):
    pass


@bp.errorhandler(_Unauthorized)
def _unauthorized(_exc):
    message = _("The harvesting token is not valid or has been revoked. Ask the archive for "
                "a new one, or harvest the public records without a token.")
    return Response(message + "\n", 401, mimetype="text/plain", headers={
        "WWW-Authenticate": 'Bearer realm="oai", error="invalid_token"'})


def _harvester() -> tuple[Harvester, object]:
    """Who harvests: the public, or the partner whose bearer token this is."""
    scheme, _sep, credentials = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer":
        return Harvester(Principal.PUBLIC), None
    partner = partners.authenticate(credentials) if credentials.strip() else None
    if partner is None:
        raise _Unauthorized()
    return Harvester(Principal.PARTNER, partner.id), partner


def _base_url() -> str:
    return (current_app.config["OAI_BASE_URL"] or url_for("oai.endpoint", _external=True)
            ).rstrip("/")


@bp.route("", methods=["GET", "POST"])
def endpoint():
    harvester, _partner = _harvester()
    args = request.form if request.method == "POST" else request.args
    language = oai_errors.language(request.accept_languages)  # of the errors' texts
    return Response(respond(args, harvester, _base_url(), language),
                    content_type="text/xml; charset=utf-8", headers={"Vary": "Accept-Language"})


@bp.get("/files/<int:document_id>/<sha256>")
def file(document_id: int, sha256: str):
    harvester, partner = _harvester()
    if not _SHA256.match(sha256):
        raise NotFound(_("File not found."))
    shared = downloads.open_shared_file(harvester.principal, partner, document_id, sha256)
    return send_stored(shared.sha256, media_type="application/octet-stream",
                       as_attachment=True, download_name=shared.original_filename)


@bp.get("/schemas/<name>")
def schema(name: str):
    if name not in SCHEMAS:
        raise NotFound()
    return send_from_directory(SCHEMAS_DIR, name, mimetype="application/xml")
