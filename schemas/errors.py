"""The one error envelope every /api/v1 error answers with (4xx and 5xx).

``{"error": {"code", "message", "fields", "details"}}``: ``code`` is stable and
meant for programs, ``message`` is a sentence for people (Vietnamese, or English
with ``Accept-Language: en``), ``fields`` maps a request field to its problems
(empty unless some fields were refused), ``details`` carries anything else the
error knows (kept for clients written before ``fields`` existed).
"""
from marshmallow import Schema, fields


class ErrorBody(Schema):
    code = fields.String(required=True, metadata={
        "description": "Stable machine-readable code, e.g. validation_failed, not_found, "
                       "legal_hold, search_unavailable, service_unavailable."})
    message = fields.String(required=True, metadata={
        "description": "A sentence for people, in the language chosen by Accept-Language."})
    field_messages = fields.Dict(
        keys=fields.String(), values=fields.List(fields.String()), required=True,
        data_key="fields", metadata={
            "description": "Field name (dotted for nested values) -> its problems; empty "
                           "unless fields were refused."})
    details = fields.Dict(required=True, metadata={
        "description": "Extra facts about the error (also `fields`, as before, for "
                       "validation errors)."})


class ErrorOut(Schema):
    error = fields.Nested(ErrorBody, required=True)


def flatten_messages(messages, prefix: str = "") -> dict[str, list[str]]:
    """marshmallow's nested messages -> ``{"hosts.0": ["Must be one of …"]}``."""
    if isinstance(messages, (str, bytes)) or not isinstance(messages, (dict, list, tuple)):
        return {prefix or "_schema": [str(messages)]}
    if isinstance(messages, (list, tuple)):
        if all(not isinstance(m, (dict, list, tuple)) for m in messages):
            return {prefix or "_schema": [str(m) for m in messages]}
        flat: dict[str, list[str]] = {}
        for item in messages:
            for key, value in flatten_messages(item, prefix).items():
                flat.setdefault(key, []).extend(value)
        return flat
    flat = {}
    for key, value in messages.items():
        name = f"{prefix}.{key}" if prefix else str(key)
        for k, v in flatten_messages(value, name).items():
            flat.setdefault(k, []).extend(v)
    return flat
