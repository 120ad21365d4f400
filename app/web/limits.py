"""Requests too long to be a reasonable ask get a sentence, not a server's error page.

gunicorn lets long request lines through (config/gunicorn_conf.py); this is
where the app draws its own line, in the API's envelope or on a page.
"""
from __future__ import annotations

from flask import Flask, render_template, request
from flask_babel import gettext as _

MAX_QUERY_STRING = 64 * 1024  # bytes; a longer query goes in a POST body instead


def init_app(app: Flask) -> None:
    app.before_request(_refuse_long_urls)


def _refuse_long_urls():
    if len(request.query_string) <= MAX_QUERY_STRING:
        return None
    message = _("The address is too long (%(kb)d KB at most). Send a long search with "
                "POST /api/v1/search and a JSON body.", kb=MAX_QUERY_STRING // 1024)
    if request.path.startswith("/api/"):
        from app.api import error_response

        return error_response("uri_too_long", message, 414)
    return render_template("error.html", code=414, message=message), 414
