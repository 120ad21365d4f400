"""URL converters. ``<int:…>`` in every route means a database row id.

Werkzeug's integer converter accepts any number of digits; ids are 32-bit
integers in PostgreSQL, and a larger one made the query fail with a 500. Such a
URL cannot name a row, so it does not match the route: a plain 404.
"""
from werkzeug.routing import IntegerConverter, ValidationError

MAX_ROW_ID = 2**31 - 1


class RowIdConverter(IntegerConverter):
    regex = r"[0-9]{1,10}"  # ASCII digits only (\d would take any script's digits)

    def __init__(self, map, *args, **kwargs):  # noqa: A002 - Werkzeug's signature
        kwargs.setdefault("max", MAX_ROW_ID)
        super().__init__(map, *args, **kwargs)

    def to_python(self, value: str) -> int:
        try:
            return super().to_python(value)
        except ValueError:
            raise ValidationError() from None


def row_ids(raw: str, limit: int = 200) -> list[int]:
    """``"1,2,3"`` -> [1, 2, 3], silently leaving out what cannot be a row id."""
    parts = (p.strip() for p in raw.split(",")[:limit])
    return [int(p) for p in parts
            if p.isascii() and p.isdigit() and len(p) <= 10 and int(p) <= MAX_ROW_ID]
