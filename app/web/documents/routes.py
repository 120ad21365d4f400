from flask import (Blueprint, flash, jsonify, redirect, render_template, request,
                   url_for)
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup, escape

from app.models import Disposition
from app.services import citations
from app.services import documents as document_service
from app.services import search as search_service
from app.services import holds, retention, same_number, semantic, staging, suggestions
from app.services.errors import FileTooLarge, SearchUnavailable, ValidationFailed
from app.sharing import levels as sharing_levels
from app.sharing.visibility import Principal, is_document_visible
from app.web.documents.forms import EditForm, UploadForm
from app.web.chips import list_chips
from app.web.documents.listing import list_url, page_window, parse_list_args
from app.web.documents.uploads import (archive_uploads, attach_uploads, show_errors,
                                      stage_uploads)
from app.web.retention.forms import OverrideForm, ReasonForm
from app.web.downloads import send_stored
from app.web.outages import RETRY_AFTER_SECONDS

bp = Blueprint("documents", __name__, template_folder="templates")
bp.add_app_template_global(list_url)

# Active content is never rendered by the browser from our origin.
INLINE_SAFE = {"application/pdf", "text/plain", "image/png", "image/jpeg"}


@bp.get("/")
def index():
    page = document_service.list_recent(current_user, parse_list_args(request.args))
    return render_template("documents/list.html", page=page, documents=page.documents,
                           chips=list_chips(page), args=request.args,
                           window=page_window(page.params.page, page.pages))


@bp.route("/upload", methods=["GET", "POST"])
def upload():
    document_service.require(current_user, "document.upload")
    form = UploadForm(clearance=current_user.clearance)
    kept = [f for f in (staging.get(current_user, t) for t in form.staged.data or []) if f]
    form.staged.data = [f.token for f in kept]
    results = []
    if form.validate_on_submit():
        choice = request.form.get("same_number", "")  # "": not asked yet; "new"; a record id
        conflicts = [] if choice else same_number.for_metadata(current_user, form.to_metadata())
        if conflicts:  # ask first; the chosen files wait on the server
            kept += stage_uploads(form)
            flash(_("This number and symbol are already archived: choose below where the "
                    "file goes."), "error")
            return render_template("documents/upload.html", form=form, results=[],
                                   staged=kept, same_number=conflicts)
        if choice.isdigit():
            return attach_uploads(form, kept, int(choice))
        results, kept = archive_uploads(form, kept)
        if any(r.get("unavailable") for r in results):
            flash(next(r["error"] for r in results if r.get("unavailable")), "error")
            return render_template("documents/upload.html", form=form, results=results,
                                   staged=kept), 503, {"Retry-After": str(RETRY_AFTER_SECONDS)}
        done = [r for r in results if r.get("document")]
        if done and not kept and len(results) == len(done) and not any(
                r["duplicate"] for r in done):
            flash(_("%(n)d file(s) uploaded. Processing has started.", n=len(done)), "success")
            if len(done) == 1:  # the document page says what the file really is
                return redirect(url_for("documents.detail", document_id=done[0]["document"].id))
    elif form.is_submitted():
        kept += stage_uploads(form)
    return render_template("documents/upload.html", form=form, results=results, staged=kept)


@bp.post("/upload/suggest")
def suggest():
    """What the upload form offers for its fields, read from the chosen file (JSON).

    The file comes with the request, or is one kept after a form error (``staged``).
    """
    upload = request.files.get("file")
    kept = staging.get(current_user, request.form.get("staged", ""))
    if kept is None and (upload is None or not upload.filename):
        return jsonify(status="failed", message=_("Choose a file first."), offers={}), 400
    try:
        if kept is not None:
            with kept.open() as stream:
                result = suggestions.for_upload(current_user, stream, kept.filename)
        else:
            result = suggestions.for_upload(current_user, upload.stream, upload.filename)
    except FileTooLarge:
        return jsonify(status="failed", offers={},
                       message=_("larger than the upload limit; not saved")), 413
    return jsonify(status=result["status"], message=result["message"], offers=result["offers"],
                   labels=result["labels"])


@bp.get("/<int:document_id>")
def detail(document_id: int):
    document = document_service.view_document(current_user, document_id)
    erased = document.disposition in Disposition.ERASED
    return render_template("documents/detail.html", document=document,
                           can_edit=document_service.may_edit(current_user, document),
                           cites=citations.cites(current_user, document),
                           cited_by=citations.cited_by(current_user, document),
                           same_number=same_number.same_number_as(current_user, document),
                           related=[] if erased else search_service.related(current_user, document),
                           semantic=semantic.state(document),
                           public_url=url_for("public.record", document_id=document.id)
                           if is_document_visible(Principal.PUBLIC, document) else None,
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
    document = document_service.get_editable(current_user, document_id)
    form = EditForm(obj=document, clearance=current_user.clearance)
    manages_sharing = sharing_levels.may_manage(current_user)
    if form.validate_on_submit():
        was_shared = document.sharing != "internal"
        try:
            document = document_service.update_metadata(
                current_user, document_id, form.to_metadata(),
                sharing=form.sharing.data if manages_sharing else None)
        except ValidationFailed as exc:
            show_errors(form, exc)
        else:
            flash(_("Saved. The search index is being updated."), "success")
            if was_shared and document.sharing == "internal" and form.sharing.data != "internal":
                flash(_("Its secrecy is now above “Thường”, so the record is no longer shared "
                        "outside the archive."), "info")
            return redirect(url_for("documents.detail", document_id=document_id))
    offered = suggestions_for(document)
    return render_template("documents/edit.html", form=form, document=document,
                           same_number=same_number.same_number_as(current_user, document),
                           suggestions=offered, suggestion_labels=suggestions.labels(offered),
                           manages_sharing=manages_sharing,
                           sharing_refusal=sharing_levels.refusal(document))


@bp.post("/<int:document_id>/retry")
def retry(document_id: int):
    document_service.retry_document(current_user, document_id)
    flash(_("Processing has been restarted."), "info")
    return redirect(url_for("documents.detail", document_id=document_id))


@bp.get("/<int:document_id>/download")
def download(document_id: int):
    document, file = document_service.open_original(current_user, document_id)
    inline = request.args.get("inline") == "1" and file.media_type in INLINE_SAFE
    return send_stored(file.sha256,
                       media_type=file.media_type if inline else "application/octet-stream",
                       as_attachment=not inline, download_name=file.original_filename)


def suggestions_for(document) -> dict[str, str]:
    """Recognised values that differ from the form's: field name -> value to offer."""
    return suggestions.offers(document.extracted, suggestions.current_fields(document))


@bp.get("/<int:document_id>/searchable.pdf")
def download_searchable(document_id: int):
    document, file = document_service.open_original(current_user, document_id)
    if not file.searchable_sha256:
        from app.services.errors import NotFound
        raise NotFound()
    stem = file.original_filename.rsplit(".", 1)[0]
    return send_stored(file.searchable_sha256, media_type="application/pdf",
                       as_attachment=True, download_name=f"{stem}.ocr.pdf")


@bp.app_template_filter("paragraphs")
def paragraphs(text: str | None) -> Markup:
    """Escaped text with line breaks kept, for showing extracted text."""
    return Markup("<br>").join(escape(line) for line in (text or "").splitlines())


@bp.app_template_filter("agency_name")
def agency_name(raw: str | None) -> str | None:
    """The issuing body's name from the authority list (as in search hits and facets),
    not the spelling as recognised or typed ("ỦY BAN NHÂN DÂN TỈNH PHÚ THỌ , | LJ")."""
    from app.services.agencies import canonical_name

    return canonical_name(raw)
