"""Answers for the moments the archive's own infrastructure fails a request.

A database that is restarting, or an object store that does not answer, is not
the person's fault and not a bug: the answer is 503 with ``Retry-After`` (JSON
envelope for the API, a sentence on pages), never a 500. A value the database cannot hold (an id beyond its
integer range that slipped past validation) is the client's: 400.
"""
from __future__ import annotations

import logging

from flask import Flask, render_template, request
from flask_babel import gettext as _
from sqlalchemy.exc import DataError, InterfaceError, OperationalError

from app.extensions import db
from app.storage import StorageUnavailable

log = logging.getLogger(__name__)
RETRY_AFTER_SECONDS = 30


def init_app(app: Flask) -> None:
    app.register_error_handler(StorageUnavailable, _storage_unavailable)
    app.register_error_handler(OperationalError, _database_unavailable)
    app.register_error_handler(InterfaceError, _database_unavailable)
    app.register_error_handler(DataError, _value_out_of_range)


def _answer(status: int, code: str, message: str, headers: dict | None = None):
    if request.path.startswith("/api/"):
        from app.api import error_response

        body, status = error_response(code, message, status)
        return body, status, headers or {}
    try:
        page = render_template("error.html", code=status, message=message)
    except Exception:  # noqa: BLE001 - the page itself needs the user, i.e. the database
        page = render_template("bare_error.html", message=message)
    return page, status, headers or {}


def _database_unavailable(exc):
    log.warning("database unavailable: %s", type(exc).__name__)
    _forget_session()
    return _answer(503, "service_unavailable",
                   _("The archive's database is not answering right now. Nothing was saved; "
                     "please try again in a minute."),
                   {"Retry-After": str(RETRY_AFTER_SECONDS)})


def _storage_unavailable(exc: StorageUnavailable):
    """The object store did not confirm a write (or answer a read): nothing was kept."""
    log.warning("object store unavailable: %s", exc.__cause__ or exc)
    _forget_session()
    return _answer(503, exc.code, exc.message, {"Retry-After": str(RETRY_AFTER_SECONDS)})


def _value_out_of_range(exc):
    _forget_session()
    return _answer(400, "invalid_value", _("A value in the request is outside the allowed range."))


def _forget_session() -> None:
    try:
        db.session.rollback()
    except Exception:  # noqa: BLE001 - the connection is already gone
        db.session.remove()
