"""Links to the page being shown, with some of its query parameters changed."""
from __future__ import annotations

from flask import request, url_for


def current_url_with(endpoint: str, **changes) -> str:
    """``endpoint`` with the request's query parameters, ``changes`` applied (None removes one)."""
    merged = request.args.to_dict()
    for key, value in changes.items():
        if value is None:
            merged.pop(key, None)
        else:
            merged[key] = value
    return url_for(endpoint, **merged)
