"""Fields shared by the API's schemas."""
from datetime import timezone

from marshmallow import fields, validate

MAX_ROW_ID = 2**31 - 1  # ids are PostgreSQL integers (as in app/web/converters.py)


def RowId(**kwargs) -> fields.Integer:  # noqa: N802 - reads as a field class
    """A record id in a request body: a 32-bit positive integer (larger ones name no row)."""
    return fields.Integer(validate=validate.Range(min=1, max=MAX_ROW_ID), **kwargs)


class Upload(fields.Raw):
    """A file in a multipart/form-data request (read from ``request.files``)."""

    def __init__(self, **kwargs):
        metadata = {"type": "string", "format": "binary", **kwargs.pop("metadata", {})}
        super().__init__(metadata=metadata, **kwargs)


class NestedFrom(fields.Nested):
    """A nested object (or list with ``many=True``) computed from the whole record by
    ``getter``: typed in the API description, unlike a ``fields.Function``."""

    def __init__(self, nested, getter, **kwargs):
        super().__init__(nested, **kwargs)
        self.getter = getter

    def get_value(self, obj, attr, accessor=None, default=None):
        return self.getter(obj)


class UtcDateTime(fields.DateTime):
    """A stored time (naive UTC) out as RFC 3339 with its offset: ``…T07:00:00+00:00``.

    Without the offset the value is not a JSON Schema ``date-time`` and a client cannot
    tell UTC from local time."""

    def _serialize(self, value, attr, obj, **kwargs):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        return super()._serialize(value, attr, obj, **kwargs)
