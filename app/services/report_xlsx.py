"""A report's tables as an XLSX workbook (openpyxl): one sheet per table.

Numbers stay numbers (so a spreadsheet can sum them), text stays text: openpyxl
writes strings as shared strings, never formulas, so a cell starting with "="
cannot run. Headings are bold and frozen; column widths follow the content.
"""
from __future__ import annotations

import io
import re

from openpyxl import Workbook
from openpyxl.styles import Font

from app.services.report_model import Table

_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


def to_xlsx(tables: list[Table]) -> bytes:
    book = Workbook()
    book.remove(book.active)
    used: set[str] = set()
    for table in tables:
        sheet = book.create_sheet(_sheet_name(table.title, used))
        sheet.append([label for _key, label in table.columns])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in table.rows:
            sheet.append([_value(row.get(key)) for key, _label in table.columns])
        sheet.freeze_panes = "A2"
        for n, (_key, label) in enumerate(table.columns, start=1):
            longest = max([len(label)] + [len(str(r.get(_key) or "")) for r in table.rows])
            sheet.column_dimensions[sheet.cell(1, n).column_letter].width = min(60, longest + 2)
    if not book.worksheets:
        book.create_sheet("Báo cáo")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _sheet_name(title: str, used: set[str]) -> str:
    """Excel's rules: at most 31 characters, none of []:*?/\\, unique in the workbook."""
    base = _BAD_SHEET_CHARS.sub(" ", title).strip()[:31] or "Bảng"
    name, n = base, 2
    while name.lower() in used:
        suffix = f" ({n})"
        name, n = base[:31 - len(suffix)] + suffix, n + 1
    used.add(name.lower())
    return name


def _value(value):
    if value is None or isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if hasattr(value, "isoformat") and hasattr(value, "strftime"):
        return value.strftime("%d/%m/%Y")
    return str(value)
