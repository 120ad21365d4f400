"""marshmallow's own validation messages, in the caller's language.

marshmallow writes its messages in English when a schema is built (Range and
Length format theirs at import time, outside any request), so they are
translated here, at the edge, where the language of the request is known.
Messages the schemas write themselves (dates, ranges of years) are already
translated and pass through unchanged.
"""
from __future__ import annotations

import re

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

FIXED = {
    "Missing data for required field.": _l("Missing data for required field."),
    "Field may not be null.": _l("Field may not be null."),
    "Invalid value.": _l("Invalid value."),
    "Not a valid string.": _l("Not a valid string."),
    "Not a valid utf-8 string.": _l("Not a valid UTF-8 string."),
    "Not a valid number.": _l("Not a valid number."),
    "Not a valid integer.": _l("Not a valid integer."),
    "Number too large.": _l("Number too large."),
    "Not a valid boolean.": _l("Not a valid boolean (true or false)."),
    "Not a valid date.": _l("Not a valid date."),
    "Not a valid datetime.": _l("Not a valid date and time."),
    "Not a valid list.": _l("Not a valid list."),
    "Not a valid mapping type.": _l("Not a valid object."),
    "Invalid type.": _l("Invalid type."),
    "Invalid input type.": _l("Invalid input type."),
    "Unknown field.": _l("Unknown field."),
}

PATTERNS = [
    (re.compile(r"Must be greater than or equal to (?P<min>.+) and less than or equal to "
                r"(?P<max>.+)\.$"),
     lambda m: _("Must be between %(min)s and %(max)s.", **m.groupdict())),
    (re.compile(r"Must be greater than or equal to (?P<min>.+)\.$"),
     lambda m: _("Must be at least %(min)s.", **m.groupdict())),
    (re.compile(r"Must be less than or equal to (?P<max>.+)\.$"),
     lambda m: _("Must be at most %(max)s.", **m.groupdict())),
    (re.compile(r"Length must be between (?P<min>\d+) and (?P<max>\d+)\.$"),
     lambda m: _("Length must be between %(min)s and %(max)s characters.", **m.groupdict())),
    (re.compile(r"Longer than maximum length (?P<max>\d+)\.$"),
     lambda m: _("Longer than the maximum of %(max)s characters.", **m.groupdict())),
    (re.compile(r"Shorter than minimum length (?P<min>\d+)\.$"),
     lambda m: _("Shorter than the minimum of %(min)s characters.", **m.groupdict())),
    (re.compile(r"Must be one of: (?P<choices>.*)\.$", re.S),
     lambda m: _("Must be one of: %(choices)s.", **m.groupdict())),
]


def translated(message) -> str:
    text = str(message)
    if text in FIXED:
        return str(FIXED[text])
    for pattern, render in PATTERNS:
        match = pattern.match(text)
        if match:
            return render(match)
    return text


def translated_fields(flat: dict[str, list[str]]) -> dict[str, list[str]]:
    return {name: [translated(m) for m in messages] for name, messages in flat.items()}
