"""Periodic reports: ``GET /api/v1/reports/<kind>?from=&to=&format=json|csv|xlsx|docx``.

``kind`` is briefings, documents, products, retention or full; the period is
``from``/``to`` (dd/mm/yyyy or yyyy-mm-dd) or ``period=month|quarter|year`` with
``year``, ``month``, ``quarter``; CSV and XLSX take ``table=`` for a single table.
"""
import io

from flask import jsonify, request, send_file
from flask_login import current_user

from app.api import bp
from app.api.spec import operation
from schemas.reports import ReportQueryIn

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
from app.services import reports as report_service
from app.services.reports import XLSX
from app.services.report_model import parse_period


@bp.get("/reports/<kind>")
@operation("A periodic report: briefings, documents, products, retention or full",
           tag="Reports", query=ReportQueryIn, content={
               "application/json": {"type": "object"},
               "text/csv": {"type": "string"},
               XLSX: {"type": "string", "contentMediaType": XLSX},
               DOCX: {"type": "string", "contentMediaType": DOCX}})
def get_report(kind: str):
    period = parse_period(request.args)
    fmt = request.args.get("format") or "json"
    if fmt == "json":
        return jsonify(report_service.build_report(current_user, kind, period).to_dict())
    exported = report_service.export_report(current_user, kind, period, fmt,
                                            table=request.args.get("table") or None)
    return send_file(io.BytesIO(exported.content), mimetype=exported.mimetype,
                     as_attachment=True, download_name=exported.filename)
