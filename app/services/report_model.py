"""What a periodic report is made of: a period, sections, figures and tables.

Every output (the page with its charts, JSON, CSV, DOCX) renders the same
``Report``, so a number can never differ between the page and the export.
"""
from __future__ import annotations

from calendar import monthrange
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Mapping

from flask_babel import gettext as _

from app.domain.dates import DateProblem
from app.domain.dates import parse_date as parse_vn_date
from app.services.errors import ValidationFailed

PERIOD_KINDS = ("month", "quarter", "year", "range")
# A report over a longer stretch is an archive query, not a periodic report.
MAX_DAYS = 20 * 366


@dataclass(frozen=True)
class Period:
    """Local calendar dates, both ends included."""

    kind: str
    start: date
    end: date

    @property
    def label(self) -> str:
        if self.kind == "month":
            return _("month %(m)02d/%(y)d", m=self.start.month, y=self.start.year)
        if self.kind == "quarter":
            return _("quarter %(q)d/%(y)d", q=(self.start.month - 1) // 3 + 1, y=self.start.year)
        if self.kind == "year":
            return _("year %(y)d", y=self.start.year)
        return _("from %(a)s to %(b)s", a=f"{self.start:%d/%m/%Y}", b=f"{self.end:%d/%m/%Y}")

    def months(self) -> list[tuple[int, int]]:
        """(year, month) of every month the period touches, in order."""
        out, year, month = [], self.start.year, self.start.month
        while (year, month) <= (self.end.year, self.end.month):
            out.append((year, month))
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return out

    def as_args(self) -> dict[str, str]:
        """Query arguments that give this period back (links to the exports)."""
        if self.kind == "range":
            return {"from": f"{self.start:%d/%m/%Y}", "to": f"{self.end:%d/%m/%Y}"}
        args = {"period": self.kind, "year": str(self.start.year)}
        if self.kind == "quarter":
            args["quarter"] = str((self.start.month - 1) // 3 + 1)
        elif self.kind == "month":
            args["month"] = str(self.start.month)
        return args


def parse_date(text: str | None, name: str) -> date | None:
    """``dd/mm/yyyy`` (also ``yyyy-mm-dd`` for the API); None when empty."""
    text = (text or "").strip()
    if not text:
        return None
    try:
        return parse_vn_date(text)
    except DateProblem as problem:
        raise ValidationFailed(str(problem), fields={name: str(problem)}) from None


def _int(args: Mapping[str, Any], name: str, low: int, high: int) -> int | None:
    raw = str(args.get(name) or "").strip()
    if not raw:
        return None
    if not raw.isdigit() or not low <= int(raw) <= high:
        raise ValidationFailed(_("Between %(a)d and %(b)d.", a=low, b=high),
                               fields={name: _("Between %(a)d and %(b)d.", a=low, b=high)})
    return int(raw)


def parse_period(args: Mapping[str, Any], today: date | None = None) -> Period:
    """A period from ``period`` (month, quarter, year, range) with ``year``, ``month``,
    ``quarter`` or ``from``/``to``; ``from``/``to`` alone mean a range; nothing means
    this year."""
    today = today or date.today()
    kind = str(args.get("period") or "").strip()
    if not kind:
        kind = "range" if (args.get("from") or args.get("to")) else "year"
    if kind not in PERIOD_KINDS:
        raise ValidationFailed(_("Choose a month, a quarter, a year or dates."),
                               fields={"period": _("Not a known value.")})
    if kind == "range":
        start = parse_date(args.get("from"), "from") or date(today.year, 1, 1)
        end = parse_date(args.get("to"), "to") or today
        if end < start:
            raise ValidationFailed(_("The end date comes before the start date."),
                                   fields={"to": _("The end date comes before the start date.")})
        if (end - start).days > MAX_DAYS:
            raise ValidationFailed(_("A report covers at most 20 years."),
                                   fields={"to": _("A report covers at most 20 years.")})
        return Period(kind, start, end)
    year = _int(args, "year", 1900, 2100) or today.year
    if kind == "year":
        return Period(kind, date(year, 1, 1), date(year, 12, 31))
    if kind == "quarter":
        quarter = _int(args, "quarter", 1, 4) or (today.month - 1) // 3 + 1
        first = 3 * quarter - 2
        return Period(kind, date(year, first, 1),
                      date(year, first + 2, monthrange(year, first + 2)[1]))
    month = _int(args, "month", 1, 12) or today.month
    return Period(kind, date(year, month, 1), date(year, month, monthrange(year, month)[1]))


@dataclass
class Chart:
    """A horizontal bar chart of a table: one bar per row, ``series`` stacked."""

    label: str                 # column giving each bar's label
    series: list[str]          # numeric columns, stacked in this order
    title: str = ""


@dataclass
class Table:
    key: str
    title: str
    columns: list[tuple[str, str]]       # (key, heading)
    rows: list[dict[str, Any]]
    chart: Chart | None = None
    empty: str = ""

    def heading(self, key: str) -> str:
        return dict(self.columns)[key]

    def to_dict(self) -> dict:
        return {"key": self.key, "title": self.title,
                "columns": [{"key": k, "label": label} for k, label in self.columns],
                "rows": self.rows}


@dataclass
class Figure:
    key: str
    label: str
    value: Any


@dataclass
class Section:
    key: str
    title: str
    figures: list[Figure] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def figure(self, key: str) -> Any:
        return next(f.value for f in self.figures if f.key == key)

    def table(self, key: str) -> Table:
        return next(t for t in self.tables if t.key == key)

    def to_dict(self) -> dict:
        return {"key": self.key, "title": self.title,
                "figures": {f.key: f.value for f in self.figures},
                "figure_labels": {f.key: f.label for f in self.figures},
                "notes": self.notes, "tables": [t.to_dict() for t in self.tables]}


@dataclass
class Report:
    kind: str
    period: Period
    sections: list[Section]
    clearance: str
    generated_at: datetime

    def section(self, key: str) -> Section:
        return next(s for s in self.sections if s.key == key)

    def tables(self) -> list[Table]:
        return [t for s in self.sections for t in s.tables]

    def to_dict(self) -> dict:
        return {"kind": self.kind, "period": {
                    "kind": self.period.kind, "label": self.period.label,
                    "from": f"{self.period.start:%d/%m/%Y}", "to": f"{self.period.end:%d/%m/%Y}"},
                "clearance": self.clearance,
                "generated_at": self.generated_at.isoformat(timespec="seconds") + "Z",
                "sections": {s.key: s.to_dict() for s in self.sections}}
