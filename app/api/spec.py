"""The OpenAPI 3.1 description of /api/v1, generated from the code.

Paths and methods come from the app's URL map, request and response bodies from
the marshmallow schemas in schemas/ (through apispec's marshmallow plugin), and
what each route adds — its summary, body, query and answers — from the
:func:`operation` mark next to the route. A route without that mark fails the
build (and the test that every route is described), so the description cannot
quietly fall behind the code.

The document is built once per process on first request and cached; routing
never goes through apispec, so the API's other requests pay nothing for it.
"""
from __future__ import annotations

import re
from typing import Any

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from flask import Flask

from app.web.converters import MAX_ROW_ID

API_PREFIX = "/api/v1"
HIDDEN_METHODS = {"HEAD", "OPTIONS"}

# Status -> (component name, description). Every one answers with the error envelope.
ERRORS = {
    400: ("BadRequest", "The request could not be read, or a value is outside what the "
                        "archive can store."),
    401: ("Unauthorized", "No valid session or bearer token; unsafe methods need a bearer "
                          "token (`token_required`)."),
    403: ("Forbidden", "The caller's role does not allow this."),
    404: ("NotFound", "No such record, or one above the caller's secrecy clearance (the "
                      "same answer, so nothing is revealed). Ids above 2147483647 also "
                      "answer 404."),
    409: ("Conflict", "The record's state does not allow this (`conflict`, `legal_hold`, "
                      "`duplicate`)."),
    413: ("PayloadTooLarge", "The upload exceeds MAX_UPLOAD_MB (`file_too_large`)."),
    414: ("UriTooLong", "The query string exceeds 32 KB (`uri_too_long`); send long "
                        "searches with POST /api/v1/search."),
    422: ("ValidationFailed", "Some fields are invalid (`validation_failed`); `fields` "
                              "names each with its problems."),
    503: ("ServiceUnavailable", "Search or the database is not answering "
                                "(`search_unavailable`, `service_unavailable`); retry after "
                                "`Retry-After` seconds when given."),
}
COMMON_ERRORS = (400, 401, 403, 414, 503)
PATH_PARAM = re.compile(r"<(?:(?P<converter>[a-z]+):)?(?P<name>\w+)>")


def operation(summary: str, *, tag: str, ok: Any = None, status: int = 200,
              media: str = "application/json", body: Any = None, multipart: Any = None,
              query: Any = None, errors: tuple[int, ...] = (), description: str = "",
              headers: dict | None = None, also: dict | None = None,
              content: dict | None = None):
    """Mark a route with what the description needs; returns the view unchanged (no
    wrapper, so no cost per request).

    ``ok``: the response schema (a marshmallow Schema class, or a raw JSON Schema
    dict); ``body``: a JSON request schema; ``multipart``: a multipart/form-data
    request schema; ``query``: a schema whose fields are the query parameters;
    ``errors``: error statuses beyond the common ones (400, 401, 403, 414, 503;
    404 is added for routes with an id in the path, 422 for routes with input);
    ``also``: other successful answers, ``{status: (description, schema)}``;
    ``content``: the successful answer in several media types, ``{media: schema}``.
    """
    def mark(view):
        view.openapi = dict(summary=summary, tag=tag, ok=ok, status=status, media=media,
                            body=body, multipart=multipart, query=query, errors=errors,
                            description=description or (view.__doc__ or "").strip(),
                            headers=headers or {}, also=also or {}, content=content)
        return view
    return mark


def api_rules(app: Flask):
    """(rule, method) for every operation under /api/v1, in URL-map order."""
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith(API_PREFIX + "/") or rule.rule == API_PREFIX:
            for method in sorted(rule.methods - HIDDEN_METHODS):
                yield rule, method


def openapi_path(rule: str) -> str:
    return PATH_PARAM.sub(lambda m: "{" + m.group("name") + "}", rule)


def build_spec(app: Flask) -> dict:
    spec = APISpec(
        title="Kho lưu trữ hồ sơ — JSON API", version="1", openapi_version="3.1.0",
        plugins=[MarshmallowPlugin(schema_name_resolver=_schema_name)],
        info={"description": _INTRO},
        security=[{"bearerAuth": []}, {"sessionCookie": []}],
    )
    _components(spec)
    paths: dict[str, dict] = {}
    for rule, method in api_rules(app):
        view = app.view_functions[rule.endpoint]
        meta = getattr(view, "openapi", None)
        if meta is None:
            raise LookupError(f"{rule.endpoint} ({method} {rule.rule}) has no @operation mark")
        operations = paths.setdefault(rule.rule, {})
        operations[method.lower()] = _operation(rule, method, meta)
    for rule, operations in paths.items():
        spec.path(path=openapi_path(rule), operations=operations)
    document = spec.to_dict()
    _require_dumped_fields(document)
    _query_values_are_never_null(document)
    return document


def _schema_name(schema) -> str:
    cls = schema if isinstance(schema, type) else type(schema)
    return cls.__name__


def _components(spec: APISpec) -> None:
    from schemas.errors import ErrorOut

    spec.components.schema("Error", schema=ErrorOut)
    spec.components.security_scheme("bearerAuth", {
        "type": "http", "scheme": "bearer",
        "description": "A token from `flask --app wsgi tokens create USERNAME` or the "
                       "account page; required for POST and DELETE."})
    spec.components.security_scheme("sessionCookie", {
        "type": "apiKey", "in": "cookie", "name": "session",
        "description": "The session of a person logged in on the site (GET only)."})
    language = {"name": "Accept-Language", "in": "header", "required": False,
                "schema": {"type": "string", "examples": ["vi", "en"]},
                "description": "Language of error messages and labels: `vi` (default) or "
                               "`en`."}
    spec.components.parameter("AcceptLanguage", "header", language)
    for status, (name, text) in ERRORS.items():
        response = {"description": text,
                    "content": {"application/json": {"schema": "Error"}}}
        if status == 503:
            response["headers"] = {"Retry-After": {
                "description": "Seconds to wait before trying again (database outages).",
                "schema": {"type": "integer"}}}
        spec.components.response(name, response)


def _operation(rule, method: str, meta: dict) -> dict:
    names = [m.group("name") for m in PATH_PARAM.finditer(rule.rule)]
    has_input = bool(meta["body"] or meta["multipart"] or meta["query"])
    statuses = set(COMMON_ERRORS) | set(meta["errors"])
    if names:
        statuses.add(404)
    if has_input:
        statuses.add(422)
    if meta["multipart"]:
        statuses.add(413)
    parameters: list = ["AcceptLanguage"]  # a component, by name
    parameters += [{"name": n, "in": "path", "required": True,
                    "schema": {"type": "integer", "minimum": 0, "maximum": MAX_ROW_ID},
                    "example": 1,
                    "description": "A record id (32-bit; larger ids answer 404)."}
                   for n in names]
    if meta["query"] is not None:
        parameters.append({"in": "query", "schema": meta["query"]})
    ok: dict = {"description": meta["summary"]}
    if meta.get("content"):
        ok["content"] = {media: {"schema": schema} for media, schema in meta["content"].items()}
    elif meta["ok"] is not None:
        ok["content"] = {meta["media"]: {"schema": meta["ok"]}}
    if meta["headers"]:
        ok["headers"] = meta["headers"]
    operation = {
        "operationId": rule.endpoint.split(".", 1)[-1],
        "summary": meta["summary"], "tags": [meta["tag"]],
        "parameters": parameters,
        "responses": {str(meta["status"]): ok, **{
            str(s): {"description": text, "content": {meta["media"]: {"schema": schema}}}
            for s, (text, schema) in meta["also"].items()}, **{
            str(s): ERRORS[s][0]
            for s in sorted(statuses)}},
    }
    if meta["description"]:
        operation["description"] = meta["description"]
    if meta["body"] is not None:
        operation["requestBody"] = {"required": True, "content": {
            "application/json": {"schema": meta["body"]}}}
    if meta["multipart"] is not None:
        operation["requestBody"] = {"required": True, "content": {
            "multipart/form-data": {"schema": meta["multipart"]}}}
    return operation


def _require_dumped_fields(document: dict) -> None:
    """Response schemas (``…Out``) always carry every field they declare (marshmallow
    dumps them all, null where allowed): say so, so generated clients need no guesses."""
    for name, schema in document.get("components", {}).get("schemas", {}).items():
        if name.endswith("Out") and "properties" in schema:
            schema["required"] = sorted(schema["properties"])


def _query_values_are_never_null(document: dict) -> None:
    """A query string or a form field has no null: an optional value is left out (or
    sent blank), never null."""
    components = document["components"]["schemas"]
    for operations in document["paths"].values():
        for op in operations.values():
            for parameter in op.get("parameters", []):
                if parameter.get("in") == "query":
                    _not_null(parameter.get("schema", {}))
            form = op.get("requestBody", {}).get("content", {}).get("multipart/form-data")
            if form:
                name = form["schema"]["$ref"].rsplit("/", 1)[-1]
                for prop in components[name]["properties"].values():
                    _not_null(prop)


def _not_null(schema: dict) -> None:
    if not isinstance(schema.get("type"), list):
        return
    kinds = [t for t in schema["type"] if t != "null"]
    schema["type"] = kinds[0] if len(kinds) == 1 else kinds
    if "enum" in schema:
        schema["enum"] = [v for v in schema["enum"] if v is not None]
    if "default" in schema and schema["default"] is None:
        del schema["default"]


_INTRO = """\
The JSON API of the provincial communications records archive.

**Authentication.** `Authorization: Bearer <token>` (create one with
`flask --app wsgi tokens create USERNAME`, or on the account page). A logged-in
browser session may also read (GET); every unsafe method needs a token.

**Errors.** Every 4xx and 5xx answers with one envelope,
`{"error": {"code", "message", "fields", "details"}}` (schema `Error`): `code` is
stable, `message` a sentence for people, `fields` maps each refused field to its
problems (validation errors), `details` carries other facts.

**Language.** Messages and labels are Vietnamese unless `Accept-Language`
prefers English (`en`).

**Secrecy.** Records above the caller's clearance do not exist for them: 404,
and absent from every list, count and facet.
"""
