"""Dates as people type them here (dd/mm/yyyy), with messages that say what is wrong.

One parser for the pages and the API: ``31/02/2024`` is a day that does not
exist (not a wrong format), and a year outside 1900–2100 is refused at the
edge, because retention arithmetic on year 9999 overflows and nothing in a
provincial archive is dated before 1900 or after 2100.
"""
from __future__ import annotations

import calendar
import re
from datetime import date, datetime

from flask_babel import lazy_gettext as _l

EARLIEST = date(1900, 1, 1)
LATEST = date(2100, 12, 31)
_DMY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_YMD = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_TIME = re.compile(r"^(\d{1,2})[:.hH](\d{2})$")


class DateProblem(ValueError):
    """Raised with a sentence for the person who typed the value."""


def parse_date(raw: str) -> date:
    """``dd/mm/yyyy`` or ISO ``yyyy-mm-dd`` -> date, or DateProblem saying why not."""
    text = str(raw).strip()
    match = _DMY.match(text)
    if match:
        day, month, year = (int(g) for g in match.groups())
    elif (match := _YMD.match(text)):
        year, month, day = (int(g) for g in match.groups())
    else:
        raise DateProblem(_l("Write the date as dd/mm/yyyy."))
    if not 1 <= month <= 12:
        raise DateProblem(_l("%(value)s does not exist: there is no month %(month)d.",
                             value=text, month=month))
    last = calendar.monthrange(year, month)[1] if 1 <= year <= 9999 else 31
    if not 1 <= day <= last:
        raise DateProblem(_l("%(value)s does not exist: month %(month)d of %(year)d has "
                             "%(days)d days.", value=text, month=month, year=year, days=last))
    if not EARLIEST.year <= year <= LATEST.year:
        raise DateProblem(_l("The year must be between %(first)d and %(last)d.",
                             first=EARLIEST.year, last=LATEST.year))
    return date(year, month, day)


def parse_datetime(raw: str) -> datetime:
    """``dd/mm/yyyy HH:MM`` (or ISO ``yyyy-mm-ddTHH:MM``) -> naive datetime."""
    text = " ".join(str(raw).replace("T", " ").split())
    day_part, _, time_part = text.partition(" ")
    match = _TIME.match(time_part)
    if not match:
        raise DateProblem(_l("Write the date and time as dd/mm/yyyy HH:MM."))
    hour, minute = int(match.group(1)), int(match.group(2))
    if hour > 23 or minute > 59:
        raise DateProblem(_l("%(value)s is not a time of day.", value=time_part))
    return datetime.combine(parse_date(day_part), datetime.min.time()).replace(
        hour=hour, minute=minute)


def in_range(value: date | datetime) -> bool:
    day = value.date() if isinstance(value, datetime) else value
    return EARLIEST <= day <= LATEST
