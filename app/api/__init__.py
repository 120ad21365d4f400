"""JSON API, version 1.

One error envelope for every 4xx and 5xx:
``{"error": {"code", "message", "fields", "details"}}`` (see schemas/errors.py),
with messages in the language of ``Accept-Language`` (app/i18n.py).
"""
from flask import Blueprint, current_app, g, jsonify, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import ValidationError
from werkzeug.exceptions import HTTPException, MethodNotAllowed, RequestEntityTooLarge

from app.api.messages import translated_fields
from app.services.errors import ServiceError
from schemas.errors import flatten_messages

bp = Blueprint("api", __name__, template_folder="templates")

UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}

# Werkzeug's descriptions are English paragraphs; these are the API's sentences.
HTTP_MESSAGES = {
    400: _l("The request could not be read (malformed body or parameters)."),
    401: _l("Authentication required."),
    403: _l("You are not allowed to do this."),
    404: _l("Not found."),
    405: _l("This method is not allowed on this address."),
    406: _l("The requested response format is not available."),
    409: _l("The request conflicts with the record's current state."),
    411: _l("The request needs a Content-Length header."),
    414: _l("The address is too long."),
    415: _l("This content type is not accepted here."),
    429: _l("Too many requests; please wait a moment."),
    431: _l("The request headers are too large."),
    500: _l("An unexpected error occurred on the server."),
    503: _l("The service is unavailable right now; please try again shortly."),
}


def error_response(code: str, message, status: int, details: dict | None = None,
                   fields: dict | None = None):
    """The envelope; ``fields`` defaults to ``details["fields"]`` (flattened to lists)."""
    details = dict(details or {})
    if fields is None and isinstance(details.get("fields"), dict):
        fields = details["fields"]
    flat = translated_fields(flatten_messages(fields)) if fields else {}
    if isinstance(details.get("fields"), dict):
        details["fields"] = flat
    return jsonify(error={"code": code, "message": str(message), "fields": flat,
                          "details": details}), status


def http_error_code(exc: HTTPException) -> str:
    return exc.name.lower().replace(" ", "_")


@bp.before_request
def _unsafe_methods_need_a_token():
    # Cookies are sent by browsers automatically; without this, a session
    # cookie would let another site POST here (the API is CSRF-exempt).
    if request.method in UNSAFE and not g.get("auth_via_token"):
        return error_response("token_required",
                              _("Unsafe methods require an API token (Authorization: Bearer)."),
                              401)
    return None


@bp.errorhandler(ServiceError)
def _service_error(exc: ServiceError):
    body, status = error_response(exc.code, exc.message or exc.code, exc.http_status,
                                  exc.details)
    # A service that is down (search) is worth trying again shortly.
    return body, status, ({"Retry-After": "30"} if status == 503 else {})


@bp.errorhandler(ValidationError)
def _validation_error(exc: ValidationError):
    return error_response("validation_failed", _("Some fields are invalid."), 422,
                          {"fields": exc.messages})


@bp.errorhandler(RequestEntityTooLarge)
def _too_large(exc):
    limit = current_app.config["MAX_UPLOAD_MB"]
    return error_response("file_too_large",
                          _("The file is larger than the %(mb)s MB limit.", mb=limit),
                          413, {"max_mb": limit})


@bp.errorhandler(HTTPException)
def _http_error(exc: HTTPException):
    status = exc.code or 500
    return error_response(http_error_code(exc), HTTP_MESSAGES.get(status, exc.name), status)


@bp.app_errorhandler(HTTPException)
def _http_error_outside_routes(exc: HTTPException):
    """Errors before any API route matched (405 on a known path, a bad URL): still the
    envelope under /api/; pages keep Werkzeug's answer."""
    if not request.path.startswith("/api/"):
        return exc
    if isinstance(exc, MethodNotAllowed) and not _matches_any_method(exc.valid_methods):
        # /documents/99999999999 under DELETE: the id converter refuses it, and Werkzeug
        # answers 405 because other rules of that shape take other methods. No
        # resource has that address: 404.
        return error_response("not_found", HTTP_MESSAGES[404], 404)
    return _http_error(exc)


def _matches_any_method(methods) -> bool:
    adapter = current_app.url_map.bind_to_environ(request.environ)
    for method in methods or ():
        try:
            adapter.match(method=method)
            return True
        except HTTPException:
            continue
    return False


from app.api import briefings, bulk, dashboard, documents, reference, reports, retention, search  # noqa: E402,F401,E501
from app.api import document_files  # noqa: E402,F401
from app.api import share_links  # noqa: E402,F401
from app.api import sharing  # noqa: E402,F401
from app.api import harvest  # noqa: E402,F401
