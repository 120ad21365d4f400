"""Bulk work from the document list and the search page: start, follow, download."""
from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

from flask import Blueprint, flash, jsonify, redirect, render_template, request, send_file, url_for
from flask_login import current_user

from app.domain.bulk import ACTION_LABELS
from app.services import bulk
from app.services.bulk_export import open_result, result_available
from app.services.errors import ValidationFailed
from app.web.downloads import send_stored

bp = Blueprint("bulk", __name__, template_folder="templates")

# Which form field carries the value of each action.
VALUE_FIELDS = {"set_category": "category", "set_type": "doc_type",
                "set_schedule": "schedule", "add_to_dossier": "dossier"}


@bp.app_template_global()
def bulk_schedules() -> list:
    """The retention series offered by the bulk panel (archivists only)."""
    if not current_user.can("retention.manage"):
        return []
    from app.services.retention import list_schedules

    return list_schedules(current_user)


def bulk_request(form) -> bulk.BulkRequest:
    """The bulk form (checkboxes ``ids``, or ``scope=all`` with the page's own query)."""
    action = form.get("action", "")
    query = None
    ids = [int(i) for i in form.getlist("ids") if i.isdigit()]
    if form.get("scope") == "all":
        ids = []
        query = dict(parse_qsl(form.get("query", ""), keep_blank_values=False))
        query.pop("page", None)
        if form.get("source") == "list":
            query["from"] = "list"
    return bulk.BulkRequest(action=action, document_ids=ids or None, query=query,
                            value=form.get(VALUE_FIELDS.get(action, ""), ""),
                            reason=form.get("reason", ""))


def _local(back: str) -> str:
    """``back`` if it is a path on this site, else the list: never an open redirect."""
    if (back.startswith("/") and not back.startswith("//") and "\\" not in back
            and not urlsplit(back).netloc):
        return back
    return url_for("documents.index")


def _back() -> str:
    return _local(request.form.get("back", ""))


@bp.post("/")
def start():
    try:
        operation = bulk.start(current_user, bulk_request(request.form))
    except ValidationFailed as exc:
        flash(exc.message, "error")
        return redirect(_back())
    return redirect(url_for("bulk.status", operation_id=operation.id, back=_back()))


@bp.get("/<int:operation_id>")
def status(operation_id: int):
    operation = bulk.get_operation(current_user, operation_id)
    return render_template("documents/bulk_status.html", operation=operation,
                           action_labels=ACTION_LABELS,
                           back=_local(request.args.get("back", "")),
                           has_file=result_available(operation))


@bp.get("/<int:operation_id>/download")
def download(operation_id: int):
    operation = bulk.get_operation(current_user, operation_id)
    sha, legacy = open_result(operation)
    name = f"tai-lieu-{operation.id}.zip"
    if legacy is not None:
        return send_file(legacy, mimetype="application/zip", as_attachment=True,
                         download_name=name)
    return send_stored(sha, media_type="application/zip", download_name=name)


@bp.get("/dossiers")
def dossiers():
    """Dossiers whose code or title contains ``q`` (the dossier picker), as JSON."""
    found = bulk.find_dossiers(current_user, request.args.get("q", ""))
    return jsonify(dossiers=[{"code": d.code, "title": d.title} for d in found])

