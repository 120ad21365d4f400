"""Who is asking: session login for pages, bearer tokens for the API.

Every endpoint requires an authenticated user unless it is listed in
PUBLIC_ENDPOINTS; this is enforced once, here, rather than per view, so a new
route is private by default.
"""
from __future__ import annotations

from flask import Flask, g, redirect, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from datetime import timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import joinedload

from app.auth_cache import token_cache
from app.extensions import db, login_manager
from app.models import ApiToken, User
from app.models.user import utcnow

# The OAI-PMH provider decides for itself (public, or a partner's bearer token).
PUBLIC_ENDPOINTS = {"auth.login", "health.healthz", "static", "oai.endpoint", "oai.file",
                    "oai.schema"}
LAST_USE_RESOLUTION = timedelta(minutes=1)  # "last used" is shown to the minute


def init_app(app: Flask) -> None:
    token_cache.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please log in to continue.")
    # "basic": a session whose client identity changed is marked not fresh.
    # "strong" would also refuse a valid bearer token sent with any session
    # cookie (Flask-Login gives up before trying the request loader).
    login_manager.session_protection = "basic"
    app.before_request(_require_login)


@login_manager.user_loader
def _load_user(session_id: str) -> User | None:
    user_id, _, version = session_id.partition(":")
    if not user_id.isdigit():
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not user.active or str(user.session_version) != version:
        return None  # deactivated, or logged out everywhere since
    return user


@login_manager.request_loader
def _load_user_from_token(req) -> User | None:
    header = req.headers.get("Authorization", "")
    if not header.startswith("Bearer "):
        return None
    token_hash = ApiToken.hash(header[7:].strip())
    entry = token_cache.get(token_hash)
    if entry is not None:          # attached to this request's session without a query
        user = db.session.merge(entry.user, load=False)
        token_id, last_used_at = entry.token_id, entry.last_used_at
    else:
        token = db.session.scalar(
            select(ApiToken).options(joinedload(ApiToken.user)).where(
                ApiToken.token_hash == token_hash, ApiToken.revoked_at.is_(None)))
        if token is None or not token.user.active:
            return None
        user, token_id, last_used_at = token.user, token.id, token.last_used_at
        token_cache.remember(token_hash, token.id, user, last_used_at)
    now = utcnow()
    if last_used_at is None or now - last_used_at > LAST_USE_RESOLUTION:
        token_cache.note_use(token_hash, now)
        # On its own connection: committing the request's session would expire
        # the user just loaded and cost two more queries on every API call.
        with db.engine.begin() as conn:
            conn.execute(update(ApiToken).where(ApiToken.id == token_id)
                         .values(last_used_at=now))
    g.auth_via_token = True
    return user


def _require_login():
    if request.endpoint in PUBLIC_ENDPOINTS or request.endpoint is None:
        return None
    if current_user.is_authenticated:
        return _password_change_first()
    if request.path.startswith("/api/"):
        from app.api import HTTP_MESSAGES, error_response  # the API's one envelope

        return error_response("unauthorized", HTTP_MESSAGES[401], 401)
    return redirect(url_for("auth.login", next=request.full_path))


# What a person whose password was reset may still reach before choosing a new one.
PASSWORD_CHANGE_ENDPOINTS = {"auth.change_password", "auth.logout"}


def _password_change_first():
    """After an administrator's reset, pages ask for a new password before anything else.

    API tokens are separate credentials and keep working.
    """
    if not current_user.must_change_password or g.get("auth_via_token") \
            or request.endpoint in PASSWORD_CHANGE_ENDPOINTS:
        return None
    if request.path.startswith("/api/"):
        from app.api import error_response

        return error_response("password_change_required",
                              str(_l("Set a new password first (/account/password).")), 403)
    return redirect(url_for("auth.change_password"))
