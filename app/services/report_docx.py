"""A report as a Word file laid out as an administrative report (NĐ 30/2020/NĐ-CP).

Top to bottom: issuing body beside the national motto, number placeholder
(``Số:   /BC-…``, stamped when the report is registered), place and date line
(day and month left blank for the signing day), "BÁO CÁO" with its summary,
the body in numbered sections with tables, then "Nơi nhận" beside the signer
block. A4, Times New Roman, margins of appendix I (top/bottom 2 cm, left 3 cm,
right 1.5 cm). The caller renders it under the Vietnamese locale.
"""
from __future__ import annotations

import io

from docx import Document as WordDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from flask import current_app
from flask_babel import format_decimal
from flask_babel import gettext as _

from app.services.report_model import Report, Table

FONT = "Times New Roman"
# Longer tables (products, materials of a busy year) are cut in the Word report,
# which is read by people; the CSV and the page keep every row.
MAX_ROWS = 40
TEXT_WIDTH_CM = 16.5  # A4 less the 3 cm and 1.5 cm side margins
ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII")
MOTTO = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")


def render_docx(report: Report) -> bytes:
    config = current_app.config
    doc = WordDocument()
    _page(doc)
    _header(doc, config, report)
    _title(doc, report)
    p = _para(doc, _("Following its tasks, %(org)s reports the results for %(period)s as "
                     "follows:", org=config["ARCHIVE_ORGANIZATION"], period=report.period.label),
              first_line=True)
    p.paragraph_format.space_before = Pt(6)
    for number, section in zip(ROMAN, report.sections):
        _para(doc, f"{number}. {section.title.upper()}", bold=True, space_before=6)
        for figure in section.figures:
            _para(doc, f"- {figure.label}: {format_cell(figure.value)}.", first_line=True)
        for note in section.notes:
            _para(doc, f"- {note}", first_line=True)
        for n, table in enumerate(section.tables, start=1):
            _para(doc, f"{n}. {table.title}", bold=True, space_before=6)
            _table(doc, table)
    _para(doc, _("Figures cover only records up to the clearance of the person who made "
                 "the report."), italic=True, size=12, space_before=6)
    _footer(doc, config)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _page(doc) -> None:
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin = section.bottom_margin = Cm(2)
    section.left_margin, section.right_margin = Cm(3), Cm(1.5)
    style = doc.styles["Normal"]
    style.font.name, style.font.size = FONT, Pt(14)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    style.paragraph_format.space_after = Pt(0)
    # Table cells take their font from a paragraph style: formatting every run
    # one by one made a busy year's report take seconds.
    for name, bold in (("Report Cell", False), ("Report Head", True)):
        cell_style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        cell_style.base_style = style
        cell_style.font.size, cell_style.font.bold = Pt(12), bold


def _header(doc, config, report: Report) -> None:
    grid = doc.add_table(rows=1, cols=2)
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    left, right = _widths(grid, Cm(6), Cm(10.5))
    _tight(grid)
    parent = (config.get("REPORT_PARENT_BODY") or "").strip()
    first = left.paragraphs[0]
    if parent:
        _run(first, parent.upper(), size=12)
        first = left.add_paragraph()
    _run(first, config["ARCHIVE_ORGANIZATION"].upper(), bold=True, size=12)
    _rule(left, Cm(1.8))
    _run(left.add_paragraph(), f"Số:      /BC-{config.get('REPORT_ISSUER_ABBR') or ''}", size=13)
    _run(right.paragraphs[0], MOTTO[0], bold=True, size=12)
    _run(right.add_paragraph(), MOTTO[1], bold=True, size=14)
    _rule(right, Cm(2.4))
    place = (config.get("REPORT_PLACE") or "").strip() or "……"
    _run(right.add_paragraph(), f"{place}, ngày      tháng      năm {report.generated_at.year}",
         italic=True, size=14)
    for cell in (left, right):
        for p in cell.paragraphs:
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER


def _title(doc, report: Report) -> None:
    _para(doc, "BÁO CÁO", bold=True, center=True, space_before=18)
    _para(doc, _("Press information and records work, %(period)s", period=report.period.label),
          bold=True, center=True)
    p = doc.add_paragraph()
    p.paragraph_format.left_indent = p.paragraph_format.right_indent = Cm(6)
    _border(p)


def _table(doc, table: Table) -> None:
    if not table.rows:
        _para(doc, table.empty or _("Nothing to report."), italic=True, first_line=True)
        return
    grid = doc.add_table(rows=1, cols=len(table.columns) + 1)
    grid.style = "Table Grid"
    _widths(grid, *_column_widths(table))
    headings = [_("No.")] + [label for _key, label in table.columns]
    for cell, text in zip(grid.rows[0].cells, headings):
        _cell(cell, text, "ReportHead").alignment = WD_ALIGN_PARAGRAPH.CENTER
    for n, row in enumerate(table.rows[:MAX_ROWS], start=1):
        cells = grid.add_row().cells
        _cell(cells[0], str(n))
        for cell, (key, _label) in zip(cells[1:], table.columns):
            value = row.get(key)
            paragraph = _cell(cell, format_cell(value))
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    if len(table.rows) > MAX_ROWS:
        _para(doc, _("%(n)d more rows are in the CSV file of this table.",
                     n=len(table.rows) - MAX_ROWS), italic=True, size=12)


def _footer(doc, config) -> None:
    left, right = _widths(doc.add_table(rows=1, cols=2), Cm(8), Cm(8.5))
    _run(left.paragraphs[0], "Nơi nhận:", bold=True, italic=True, size=12)
    recipients = [r.strip() for r in (config.get("REPORT_RECIPIENTS") or "").split(";")
                  if r.strip()]
    for recipient in [*recipients, "Lưu: VT."]:
        end = "." if recipient.endswith(".") else ";"
        _run(left.add_paragraph(), f"- {recipient.rstrip('.;')}{end}", size=11)
    title = (config.get("REPORT_SIGNER_TITLE") or "").strip().upper()
    _run(right.paragraphs[0], title, bold=True, size=14)
    _run(right.add_paragraph(), _("(Signature, seal)"), italic=True, size=13)
    for _blank in range(4):
        right.add_paragraph()
    _run(right.add_paragraph(), (config.get("REPORT_SIGNER_NAME") or "").strip(), bold=True,
         size=14)
    for p in right.paragraphs:
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER


def _widths(grid, *widths):
    """Fixed column widths (LibreOffice ignores cell widths of an autofit table)."""
    grid.autofit = False
    for column, width in zip(grid.columns, widths):
        column.width = width
    cells = grid.rows[0].cells
    for cell, width in zip(cells, widths):
        cell.width = width
    return cells


def _column_widths(table: Table) -> list:
    """A narrow "No." column, numbers 3 cm, text columns share what is left."""
    numeric = [all(isinstance(r.get(k), (int, float)) or r.get(k) is None for r in table.rows)
               for k, _label in table.columns]
    text_columns = max(1, numeric.count(False))
    text_width = (TEXT_WIDTH_CM - 1.5 - 3.0 * numeric.count(True)) / text_columns
    return [Cm(1.5)] + [Cm(3.0 if is_number else text_width) for is_number in numeric]


def _tight(grid) -> None:
    """Small cell margins, so the motto keeps to one line in narrower fonts too."""
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        element = OxmlElement(f"w:{side}")
        element.set(qn("w:w"), "40")
        element.set(qn("w:type"), "dxa")
        margins.append(element)
    grid._tbl.tblPr.append(margins)


def format_cell(value) -> str:
    """A table cell as people read it: grouped numbers, yes/no, empty for nothing."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, (int, float)):
        return format_decimal(value)
    return str(value)


def _para(doc, text: str, bold=False, italic=False, center=False, first_line=False,
          size=14, space_before=0):
    p = doc.add_paragraph()
    _run(p, text, bold=bold, italic=italic, size=size)
    if center:
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    else:
        p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    if first_line:
        p.paragraph_format.first_line_indent = Cm(1)
    p.paragraph_format.space_before = Pt(space_before)
    p.paragraph_format.space_after = Pt(3)
    return p


def _cell(cell, text: str, style: str = "ReportCell"):
    paragraph = cell.paragraphs[0]
    paragraph._p.style = style  # the style id; by name python-docx searches every style
    paragraph.add_run(text)
    return paragraph


def _run(paragraph, text: str, bold=False, italic=False, size=14):
    run = paragraph.add_run(text)
    run.bold, run.italic, run.font.size, run.font.name = bold, italic, Pt(size), FONT
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)
    return run


def _rule(cell, indent) -> None:
    """The short line under the issuing body and under the motto."""
    p = cell.add_paragraph()
    p.paragraph_format.left_indent = p.paragraph_format.right_indent = indent
    _border(p)


def _border(paragraph) -> None:
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for name, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"),
                        ("w:color", "auto")):
        bottom.set(qn(name), value)
    borders.append(bottom)
    paragraph._p.get_or_add_pPr().append(borders)
