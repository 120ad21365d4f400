"""Periodic reports ("Báo cáo"): briefings, documents, communication products, retention.

Who may read them: every signed-in person (``document.view``). Each number is
computed inside the reader's clearance, so a viewer's report is the archive as
that viewer sees it, and the briefing list, calendar and response times are
already open to viewers. The retention section needs ``retention.manage``
(archivists, approvers, admins), like the retention lists it summarises.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Callable

from flask_babel import force_locale
from flask_babel import gettext as _

from app.models import User
from app.models.user import utcnow
from app.services.access import require
from app.services.errors import NotFound, PermissionDenied, ValidationFailed
from app.services.report_model import Period, Report, Section, Table
from app.services.reports_briefings import briefings_section
from app.services.reports_documents import documents_section, products_section
from app.services.reports_retention import retention_section

READ, RETENTION = "document.view", "retention.manage"
SECTIONS: dict[str, tuple[Callable[[User, Period], Section], str]] = {
    "briefings": (briefings_section, READ),
    "documents": (documents_section, READ),
    "products": (products_section, READ),
    "retention": (retention_section, RETENTION),
}
KINDS = (*SECTIONS, "full")
FORMATS = ("json", "csv", "xlsx", "docx")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass
class ReportFile:
    content: bytes
    mimetype: str
    filename: str


def build_report(user: User, kind: str, period: Period) -> Report:
    """The report ``kind`` (a section, or ``full``: every section ``user`` may read)."""
    require(user, READ)
    if kind not in KINDS:
        raise NotFound(_("No such report."))
    if kind == "full":
        keys = [k for k, (_build, perm) in SECTIONS.items() if user.can(perm)]
    else:
        if not user.can(SECTIONS[kind][1]):
            raise PermissionDenied(_("You do not have permission to do this."))
        keys = [kind]
    sections = [SECTIONS[key][0](user, period) for key in keys]
    return Report(kind, period, sections, user.clearance, utcnow())


def export_report(user: User, kind: str, period: Period, fmt: str,
                  table: str | None = None) -> ReportFile:
    """The report as a file: ``docx`` (NĐ 30/2020 layout), ``csv`` or ``xlsx`` (every
    table, or only ``table``)."""
    if fmt not in ("csv", "xlsx", "docx"):
        raise ValidationFailed(_("Choose CSV, XLSX or DOCX."),
                               fields={"format": _("Not a known value.")})
    stem = f"bao-cao-{kind}-{period.start:%Y%m%d}-{period.end:%Y%m%d}"
    if fmt == "docx":
        from app.services.report_docx import render_docx  # python-docx only when asked

        # An administrative report is written in Vietnamese whatever the page language.
        with force_locale("vi"):
            content = render_docx(build_report(user, kind, period))
        return ReportFile(content,
                          "application/vnd.openxmlformats-officedocument"
                          ".wordprocessingml.document", f"{stem}.docx")
    tables = build_report(user, kind, period).tables()
    if table:
        tables = [t for t in tables if t.key == table]
        if not tables:
            raise NotFound(_("No such table in this report."))
        stem = f"{stem}-{table}"
    if fmt == "xlsx":
        from app.services.report_xlsx import to_xlsx  # openpyxl only when asked

        return ReportFile(to_xlsx(tables), XLSX, f"{stem}.xlsx")
    return ReportFile(to_csv(tables), "text/csv; charset=utf-8", f"{stem}.csv")


def to_csv(tables: list[Table]) -> bytes:
    """One block per table (its title, the headings, the rows), a blank line between.

    UTF-8 with a byte-order mark, so spreadsheet programs read the diacritics.
    """
    out = io.StringIO()
    writer = csv.writer(out)
    for n, table in enumerate(tables):
        if n:
            writer.writerow([])
        if len(tables) > 1:
            writer.writerow([table.title])
        writer.writerow([label for _key, label in table.columns])
        for row in table.rows:
            writer.writerow([_cell(row.get(key)) for key, _label in table.columns])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _cell(value) -> str:
    if value is None:
        return ""
    text = str(value)
    # A cell starting with = + - @ would run as a formula in a spreadsheet.
    if text[:1] in ("=", "+", "-", "@") and not _is_number(text):
        return "'" + text
    return text


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True
