"""Report pages: the report with charts and tables, and its DOCX and CSV downloads."""
from __future__ import annotations

import io

from flask import Blueprint, flash, render_template, request, send_file
from flask_login import current_user

from app.services import reports as report_service
from app.services.errors import ValidationFailed
from app.services.report_model import parse_period
from app.web.reports.charts import bar_chart
from app.web.reports.forms import PERIODS, REPORT_KINDS, form_values

bp = Blueprint("reports", __name__, template_folder="templates", static_folder="static",
               static_url_path="/static")


def _period():
    try:
        return parse_period(request.args)
    except ValidationFailed as exc:
        flash(exc.message, "error")
        return parse_period({})


def _kind() -> str:
    kind = request.args.get("kind") or "full"
    return kind if kind in REPORT_KINDS else "full"


@bp.get("/")
def index():
    period = _period()
    report = report_service.build_report(current_user, _kind(), period)
    charts = {t.key: bar_chart(t) for t in report.tables()}
    return render_template("reports/index.html", report=report, charts=charts,
                           values=form_values(request.args, period), periods=PERIODS,
                           kinds=REPORT_KINDS, args={**period.as_args(), "kind": report.kind})


@bp.get("/export")
def export():
    exported = report_service.export_report(
        current_user, _kind(), parse_period(request.args), request.args.get("format") or "docx",
        table=request.args.get("table") or None)
    return send_file(io.BytesIO(exported.content), mimetype=exported.mimetype,
                     as_attachment=True, download_name=exported.filename)


@bp.app_template_filter("report_number")
def report_number(value) -> str:
    """Numbers grouped the local way (1.500.000); booleans and empty cells as words."""
    from app.services.report_docx import format_cell

    return format_cell(value)
