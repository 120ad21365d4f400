"""JSON API, version 1. One error envelope: {"error": {"code", "message", "details"}}."""
from flask import Blueprint, g, jsonify, request
from marshmallow import ValidationError
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from app.services.errors import ServiceError

bp = Blueprint("api", __name__)

UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}


def error_response(code: str, message: str, status: int, details: dict | None = None):
    return jsonify(error={"code": code, "message": message, "details": details or {}}), status


@bp.before_request
def _unsafe_methods_need_a_token():
    # Cookies are sent by browsers automatically; without this, a session
    # cookie would let another site POST here (the API is CSRF-exempt).
    if request.method in UNSAFE and not g.get("auth_via_token"):
        return error_response("token_required",
                              "Unsafe methods require an API token (Authorization: Bearer).", 401)
    return None


@bp.errorhandler(ServiceError)
def _service_error(exc: ServiceError):
    body, status = error_response(exc.code, exc.message or exc.code, exc.http_status,
                                  exc.details)
    # A service that is down (search) is worth trying again shortly.
    return body, status, ({"Retry-After": "30"} if status == 503 else {})


@bp.errorhandler(ValidationError)
def _validation_error(exc: ValidationError):
    return error_response("validation_failed", "Some fields are invalid.", 422,
                          {"fields": exc.messages})


@bp.errorhandler(RequestEntityTooLarge)
def _too_large(exc):
    from flask import current_app

    limit = current_app.config["MAX_UPLOAD_MB"]
    return error_response("file_too_large", f"The file is larger than the {limit} MB limit.",
                          413, {"max_mb": limit})


@bp.errorhandler(HTTPException)
def _http_error(exc: HTTPException):
    return error_response(exc.name.lower().replace(" ", "_"), exc.description or exc.name,
                          exc.code or 500)


from app.api import briefings, bulk, documents, retention, search  # noqa: E402,F401 - routes register on bp
