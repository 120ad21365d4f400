from flask import (Blueprint, flash, jsonify, redirect, render_template, request, send_file,
                   url_for)
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup, escape

from app.models import Disposition
from app.services import citations
from app.services import documents as document_service
from app.services import search as search_service
from app.services import holds, retention, storage, suggestions
from app.services.errors import FileTooLarge, SearchUnavailable, ValidationFailed
from app.web.documents.forms import EditForm, UploadForm
from app.web.retention.forms import OverrideForm, ReasonForm

bp = Blueprint("documents", __name__, template_folder="templates")

# Active content is never rendered by the browser from our origin.
INLINE_SAFE = {"application/pdf", "text/plain", "image/png", "image/jpeg"}


@bp.get("/")
def index():
    mine = request.args.get("mine") == "1"
    docs = document_service.list_recent(current_user, limit=100, mine_only=mine)
    return render_template("documents/list.html", documents=docs, mine=mine)


@bp.route("/upload", methods=["GET", "POST"])
def upload():
    form = UploadForm(clearance=current_user.clearance)
    results = []
    if form.validate_on_submit():
        files = [f for f in form.files.data if f.filename]
        for file in files:
            metadata = form.to_metadata()
            if len(files) > 1:
                metadata.title = None  # each file keeps its own name as title
            try:
                outcome = document_service.archive_document(current_user, file.stream,
                                                            file.filename, metadata)
            except FileTooLarge:
                results.append({"filename": file.filename, "error": _(
                    "larger than the upload limit; not saved")})
                continue
            except ValidationFailed as exc:
                for name, message in exc.details.get("fields", {}).items():
                    getattr(form, name).errors = [message]
                flash(exc.message, "error")
                break
            results.append({"filename": file.filename, "document": outcome.document,
                            "duplicate": outcome.duplicate})
        if results and all(r.get("document") and not r["duplicate"] for r in results):
            flash(_("%(n)d file(s) uploaded. Processing has started.", n=len(results)), "success")
            if len(results) == 1:
                return redirect(url_for("documents.detail", document_id=results[0]["document"].id))
    return render_template("documents/upload.html", form=form, results=results)


@bp.post("/upload/suggest")
def suggest():
    """What the upload form offers for its fields, read from the chosen file (JSON)."""
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return jsonify(status="failed", message=_("Choose a file first."), offers={}), 400
    try:
        result = suggestions.for_upload(current_user, upload.stream, upload.filename)
    except FileTooLarge:
        return jsonify(status="failed", offers={},
                       message=_("larger than the upload limit; not saved")), 413
    return jsonify(status=result["status"], message=result["message"], offers=result["offers"])


@bp.get("/<int:document_id>")
def detail(document_id: int):
    document = document_service.view_document(current_user, document_id)
    erased = document.disposition in Disposition.ERASED
    return render_template("documents/detail.html", document=document,
                           cites=citations.cites(current_user, document),
                           cited_by=citations.cited_by(current_user, document),
                           related=[] if erased else search_service.related(current_user, document),
                           **retention_panel(document))


def retention_panel(document) -> dict:
    """Schedule, due date, holds and the archivist's forms shown on the document page."""
    try:
        covering = holds.holds_on(document)
    except SearchUnavailable:
        covering = None  # the page says the holds could not all be checked
    override = None
    if current_user.can("retention.manage"):  # only archivists see the form
        override = OverrideForm(schedules=retention.list_schedules(current_user))
        override.schedule_id.data = str(document.schedule_id or "") if (
            document.schedule_override_reason) else ""
    return {"retention": retention.info(document), "holds": covering,
            "override_form": override, "reason_form": ReasonForm()}


@bp.route("/<int:document_id>/edit", methods=["GET", "POST"])
def edit(document_id: int):
    document = document_service.get_document(current_user, document_id)
    form = EditForm(obj=document, clearance=current_user.clearance)
    if form.validate_on_submit():
        try:
            document_service.update_metadata(current_user, document_id, form.to_metadata())
        except ValidationFailed as exc:
            flash(exc.message, "error")
        else:
            flash(_("Saved. The search index is being updated."), "success")
            return redirect(url_for("documents.detail", document_id=document_id))
    return render_template("documents/edit.html", form=form, document=document,
                           suggestions=suggestions_for(document))


@bp.post("/<int:document_id>/retry")
def retry(document_id: int):
    document_service.retry_document(current_user, document_id)
    flash(_("Processing has been restarted."), "info")
    return redirect(url_for("documents.detail", document_id=document_id))


@bp.get("/<int:document_id>/download")
def download(document_id: int):
    document, file = document_service.open_original(current_user, document_id)
    path = storage.path_for(file.sha256)
    inline = request.args.get("inline") == "1" and file.media_type in INLINE_SAFE
    return send_file(path, mimetype=file.media_type if inline else "application/octet-stream",
                     as_attachment=not inline, download_name=file.original_filename,
                     conditional=True, etag=file.sha256)


def suggestions_for(document) -> dict[str, str]:
    """Recognised values that differ from the form's: field name -> value to offer."""
    from app.i18n import format_date

    current = {name: getattr(document, name) for name in suggestions.FIELDS}
    if document.issue_date:
        current["issue_date"] = format_date(document.issue_date)
    return suggestions.offers(document.extracted, current)


@bp.get("/<int:document_id>/searchable.pdf")
def download_searchable(document_id: int):
    document, file = document_service.open_original(current_user, document_id)
    if not file.searchable_sha256:
        from app.services.errors import NotFound
        raise NotFound()
    stem = file.original_filename.rsplit(".", 1)[0]
    return send_file(storage.path_for(file.searchable_sha256), mimetype="application/pdf",
                     as_attachment=True, download_name=f"{stem}.ocr.pdf")


@bp.app_template_filter("paragraphs")
def paragraphs(text: str | None) -> Markup:
    """Escaped text with line breaks kept, for showing extracted text."""
    return Markup("<br>").join(escape(line) for line in (text or "").splitlines())
