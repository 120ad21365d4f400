"""Dates as printed in Vietnamese documents.

``ngày 23 tháng 5 năm 2024`` (the place-and-date line, blank day or month
allowed on signed PDFs), ``14/9/2022``, ``27-3-2017`` and ``15.11.2024`` (in
citations). Patterns run on *folded* text (``ngay 23 thang 5 nam 2024``), so
OCR output without diacritics is read the same way; offsets are those of the
original text because folding keeps them.
"""
from __future__ import annotations

import datetime
import re

# On folded text. Day and month may be blank (spaces, dots or underscores), and
# so may the year at the end of a line ("Hà Nội, ngày tháng năm"). On scans a
# handwritten day or month comes out of OCR as a few stray characters ("ngày4†tháng",
# "ngày Êˆ_ tháng"): groups dx/mx, the date is then unreadable but the line is still
# the place-and-date line.
def handwritten(also_not: str = "") -> str:
    """Pattern of 1-4 stray characters, at least one not a letter, standing where a
    handwritten day, month or number was (folded text); *also_not*: characters the
    debris cannot contain (``/`` before a symbol)."""
    other = rf"[^\s{also_not}]"
    return rf"(?={other}{{0,3}}[^\sa-z{also_not}]){other}{{1,4}}?"


_NOISE = handwritten()
LONG_DATE = re.compile(
    rf"ngay\s*(?:(?P<d>\d{{1,2}})|(?P<dx>{_NOISE}))?[\s._…]*"
    rf"thang\s*(?:(?P<m>\d{{1,2}})|(?P<mx>{_NOISE}))?[\s._…]*nam"
    r"(?:\s*(?P<y>\d{4})|[\s._…]*$)")


def make_date(day: str | int | None, month: str | int | None,
              year: str | int | None) -> datetime.date | None:
    """A date, or None when a part is blank or the date does not exist."""
    if not (day and month and year):
        return None
    try:
        return datetime.date(int(year), int(month), int(day))
    except (TypeError, ValueError):
        return None


_DATE_AFTER = re.compile(
    r"[\s,]{0,3}(?:(?:ban hanh|ky)\s+)?ngay\s*(?:"
    r"(?P<d>\d{1,2})\s?(?P<sep>[/.-])\s?(?P<m>\d{1,2})\s?(?P=sep)\s?(?P<y>\d{4})"
    r"|(?P<ld>\d{1,2})\s*thang\s*(?P<lm>\d{1,2})\s*nam\s*(?P<ly>\d{4}))(?!\d)")


def date_after(folded_text: str, pos: int) -> tuple[datetime.date | None, int] | None:
    """The date right after *pos* in folded text (``ngày 14/9/2022``, ``ngày 14
    tháng 9 năm 2022``, ``ngày 27-3-2017``): (date, end offset), or None."""
    m = _DATE_AFTER.match(folded_text, pos)
    if not m:
        return None
    if m.group("d"):
        return make_date(m.group("d"), m.group("m"), m.group("y")), m.end()
    return make_date(m.group("ld"), m.group("lm"), m.group("ly")), m.end()
