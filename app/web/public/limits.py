"""Rate limits of the public portal: per client address, counted in Redis.

Only anonymous visitors are limited (staff are logged in and already
accountable); a search costs more than a page. When Redis is down the portal
keeps answering without limits rather than failing (RATELIMIT_SWALLOW_ERRORS).
"""
from __future__ import annotations

import math
import time

from flask import Blueprint, Flask, current_app, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from app.extensions import limiter


def init_app(app: Flask) -> None:
    """Flask-Limiter's settings for this app (each may be overridden in the config)."""
    if not app.config.get("RATELIMIT_STORAGE_URI"):
        app.config["RATELIMIT_STORAGE_URI"] = app.config["REDIS_URL"]
    app.config.setdefault("RATELIMIT_STORAGE_OPTIONS", {"socket_connect_timeout": 2,
                                                        "socket_timeout": 2})
    app.config.setdefault("RATELIMIT_HEADERS_ENABLED", True)
    app.config.setdefault("RATELIMIT_SWALLOW_ERRORS", True)
    limiter.init_app(app)


def limit_blueprint(bp: Blueprint) -> None:
    """Every page of ``bp`` counts against its visitor's limit (once, at import)."""
    # One allowance per visitor for the whole portal, not one per page.
    limiter.shared_limit(_limit, scope="public-portal", exempt_when=_staff, cost=_cost)(bp)
    bp.register_error_handler(429, too_many_requests)


def _limit() -> str:
    return current_app.config["PUBLIC_RATE_LIMIT"]


def _cost() -> int:
    return current_app.config["PUBLIC_SEARCH_COST"] if request.endpoint == "public.search" else 1


def _staff() -> bool:
    return bool(current_user.is_authenticated)


def too_many_requests(exc):
    """A sentence in Vietnamese (the wait in seconds); Flask-Limiter adds Retry-After."""
    current = limiter.current_limit
    wait = max(1, math.ceil(current.reset_at - time.time())) if current else 60
    message = _("You have made many requests in a short time. Please wait %(n)d seconds, "
                "then try again.", n=wait)
    return render_template("public/error.html", code=429, message=message), 429, {
        "Retry-After": str(wait)}
