"""Locale selection and the display formats people here expect (dd/mm/yyyy)."""
from __future__ import annotations

from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

from flask import Flask, current_app, has_request_context, request, session


def select_locale() -> str:
    if not has_request_context():  # command line and jobs
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    chosen = request.args.get("lang") or session.get("lang")
    if chosen in current_app.config["LANGUAGES"]:
        session["lang"] = chosen
        return chosen
    return current_app.config["BABEL_DEFAULT_LOCALE"]


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
