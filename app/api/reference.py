"""The API's own description: /api/v1/openapi.json and a reference page (Redoc).

Both need a login or a token like the rest of the API. The description is built
once per process (see app/api/spec.py) and kept, serialised, on the app.
"""
from __future__ import annotations

import json
from pathlib import Path

from flask import Response, current_app, render_template

from app.api import bp
from app.api.spec import build_spec, operation

REDOC = Path("vendor") / "redoc" / "redoc.standalone.js"  # under app/static, see the script
# The reference page only: Redoc's styled components inject <style> elements and its
# search runs in a worker made from a blob: URL. Scripts stay 'self' only.
REFERENCE_CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
                 "img-src 'self' data:; font-src 'self' data:; worker-src blob:; "
                 "object-src 'none'; base-uri 'self'; form-action 'self'; "
                 "frame-ancestors 'none'")


def spec_json() -> bytes:
    cached = current_app.extensions.get("openapi_json")
    if cached is None:
        cached = json.dumps(build_spec(current_app), ensure_ascii=False).encode()
        current_app.extensions["openapi_json"] = cached
    return cached


@bp.get("/openapi.json")
@operation("This API's OpenAPI 3.1 description", tag="Reference",
           ok={"type": "object", "description": "An OpenAPI 3.1 document."})
def openapi_json():
    """Generated from the routes and their marshmallow schemas; built once per process."""
    return Response(spec_json(), mimetype="application/json")


@bp.get("/docs")
@operation("A readable reference of this API (Redoc)", tag="Reference", media="text/html",
           ok={"type": "string"})
def reference_page():
    """Renders openapi.json with Redoc, installed by scripts/api_docs_assets.sh."""
    installed = (Path(current_app.static_folder) / REDOC).is_file()
    html = render_template("api/reference.html", redoc=REDOC.as_posix(), installed=installed)
    return Response(html, mimetype="text/html", headers={"Content-Security-Policy":
                                                         REFERENCE_CSP})
