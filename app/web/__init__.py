"""HTML pages. Each feature is a blueprint with routes, forms and templates."""
from flask import Flask, flash, redirect, render_template, request
from flask_babel import get_locale

from app.domain import briefings as briefing_vocab
from app.domain import vocab
from app.domain import processing
from app.domain import sharing as sharing_vocab
from app.domain.processing import error_message, status_label
from app.services.errors import NotFound, PermissionDenied, SearchUnavailable, ServiceError

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")


def register_blueprints(app: Flask) -> None:
    from app.web import health, limits, outages
    from app.web.admin import partners  # noqa: F401 - its routes join the admin pages
    from app.web.admin import storage as storage_pages  # noqa: F401 - joins the admin pages
    from app.web.admin.routes import bp as admin_bp
    from app.web.audit.routes import bp as audit_bp
    from app.web.auth.routes import bp as auth_bp
    from app.web.briefings.routes import bp as briefings_bp
    from app.web.dashboard.routes import bp as dashboard_bp
    from app.web.documents import files  # noqa: F401 - its routes join the documents blueprint
    from app.web.documents.bulk import bp as bulk_bp
    from app.web.documents.routes import bp as documents_bp
    from app.web.harvest.routes import bp as harvest_bp
    from app.web.oai.routes import bp as oai_bp
    from app.web.reports.routes import bp as reports_bp
    from app.web.retention import agencies  # noqa: F401 - its routes join the retention pages
    from app.web.previews.routes import bp as previews_bp
    from app.web.public import limits as public_limits
    from app.web.public.routes import bp as public_bp
    from app.web.retention.routes import bp as retention_bp
    from app.web.notifications.routes import bp as notifications_bp
    from app.web.saved_searches.routes import bp as saved_searches_bp
    from app.web.search.routes import bp as search_bp
    from app.web.public.share_links import bp as public_share_bp
    from app.web.sharing.routes import bp as sharing_bp

    app.register_blueprint(health.bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(dashboard_bp)
    app.register_blueprint(search_bp, url_prefix="/search")
    app.register_blueprint(saved_searches_bp, url_prefix="/saved-searches")
    app.register_blueprint(notifications_bp, url_prefix="/notifications")
    app.register_blueprint(documents_bp, url_prefix="/documents")
    app.register_blueprint(bulk_bp, url_prefix="/documents/bulk")
    app.register_blueprint(previews_bp)
    app.register_blueprint(briefings_bp, url_prefix="/briefings")
    app.register_blueprint(admin_bp, url_prefix="/admin")
    app.register_blueprint(harvest_bp, url_prefix="/admin/harvest")
    app.register_blueprint(audit_bp, url_prefix="/audit")
    app.register_blueprint(retention_bp, url_prefix="/retention")
    app.register_blueprint(reports_bp, url_prefix="/reports")
    app.register_blueprint(sharing_bp, url_prefix="/sharing")
    app.register_blueprint(public_share_bp)
    app.register_blueprint(oai_bp, url_prefix="/oai")
    from app.extensions import csrf

    csrf.exempt(oai_bp)  # harvesters POST without a session; nothing there changes state
    app.register_blueprint(public_bp, url_prefix="/cong-khai")  # anonymous (app.auth)
    public_limits.init_app(app)
    app.after_request(_security_headers)
    app.context_processor(lambda: {"vocab": vocab, "status_label": status_label,
                                   "error_message": error_message, "get_locale": get_locale,
                                   "processing": processing,
                                   "briefing_vocab": briefing_vocab,
                                   "sharing_vocab": sharing_vocab})
    app.jinja_env.filters["filesize"] = _filesize
    app.register_error_handler(NotFound, _not_found)
    app.register_error_handler(404, _not_found)
    app.register_error_handler(PermissionDenied, _forbidden)
    app.register_error_handler(SearchUnavailable, _unavailable)
    app.register_error_handler(413, _too_large)
    app.register_error_handler(ServiceError, _service_error)
    app.register_error_handler(500, _internal_error)
    outages.init_app(app)
    limits.init_app(app)


def _filesize(size: int) -> str:
    """1234567 -> '1,2 MB' in Vietnamese, '1.2 MB' in English."""
    from flask_babel import format_decimal

    for unit, factor in (("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)):
        if size >= factor:
            return f"{format_decimal(round(size / factor, 1))} {unit}"
    return f"{size} B"


def _security_headers(response):
    response.headers.setdefault("Content-Security-Policy", CSP)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    return response


def _not_found(exc):
    if request.path.startswith("/api/"):
        from app.api import HTTP_MESSAGES, error_response
        return error_response("not_found", HTTP_MESSAGES[404], 404)
    return render_template("error.html", code=404, message=getattr(exc, "message", None)), 404


def _forbidden(exc):
    return render_template("error.html", code=403, message=exc.message), 403


def _unavailable(exc):
    return render_template("error.html", code=503, message=exc.message), 503, {
        "Retry-After": "30"}


def _too_large(exc):
    from flask import current_app
    from flask_babel import gettext as _

    if request.path.startswith("/api/"):
        from app.api import error_response
        limit = current_app.config["MAX_UPLOAD_MB"]
        return error_response("file_too_large",
                              _("The file is larger than the %(mb)s MB limit.", mb=limit),
                              413, {"max_mb": limit})
    flash(_("The upload is larger than the %(mb)s MB limit. Nothing was saved.",
            mb=current_app.config["MAX_UPLOAD_MB"]), "error")
    return redirect(request.path), 303


def _internal_error(exc):
    """An unexpected failure: a page in the interface language, never Werkzeug's English."""
    from flask_babel import gettext as _

    if request.path.startswith("/api/"):
        from app.api import error_response
        return error_response("internal", "Internal error.", 500)
    return render_template("error.html", code=500, message=_(
        "Something went wrong on our side; nothing was changed. Try again, and tell an "
        "administrator if it happens again.")), 500


def _service_error(exc: ServiceError):
    return render_template("error.html", code=exc.http_status, message=exc.message), \
        exc.http_status
