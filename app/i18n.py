"""Locale selection and the display formats people here expect (dd/mm/yyyy)."""
from __future__ import annotations

from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

from flask import Flask, current_app, has_request_context, request, session


def select_locale() -> str:
    if not has_request_context():  # command line and jobs
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if request.path.startswith("/api/") and not _called_from_a_page():
        return _from_accept_language()
    chosen = request.args.get("lang") or session.get("lang")
    if chosen in current_app.config["LANGUAGES"]:
        session["lang"] = chosen
        return chosen
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def _called_from_a_page() -> bool:
    """A logged-in browser (session cookie, no bearer token) calling the API from one of
    our pages, e.g. the live status labels: it gets the page's language, so a browser
    set to English does not put English labels on a Vietnamese page."""
    return (not request.headers.get("Authorization", "").startswith("Bearer ")
            and "_user_id" in session)


def _from_accept_language() -> str:
    """API clients choose with Accept-Language (vi unless they prefer en); no language
    is kept in the session for them."""
    languages = current_app.config["LANGUAGES"]
    default = current_app.config["BABEL_DEFAULT_LOCALE"]
    return request.accept_languages.best_match(languages, default=default)


def format_date(value: date | datetime | str | None) -> str:
    if value is None:
        return ""
    if isinstance(value, str):  # ISO dates kept in JSON snapshots
        value = date.fromisoformat(value[:10])
    if isinstance(value, datetime):
        return format_datetime(value)
    return value.strftime("%d/%m/%Y")


def format_datetime(value: datetime | None) -> str:
    """Stored times are naive UTC; show them in the archive's time zone."""
    if value is None:
        return ""
    tz = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    return value.replace(tzinfo=timezone.utc).astimezone(tz).strftime("%d/%m/%Y %H:%M")


def init_app(app: Flask) -> None:
    app.jinja_env.filters["vn_date"] = format_date
    app.jinja_env.filters["vn_datetime"] = format_datetime
