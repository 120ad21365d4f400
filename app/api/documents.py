"""Document endpoints: upload (202 Accepted) and read with processing status."""
from flask import jsonify, request, url_for
from flask_login import current_user

from app.api import bp, error_response
from app.services import citations
from app.web.converters import row_ids
from app.services import documents as document_service
from app.services import search as search_service
from app.services import previews, suggestions
from app.services.processing import progress_of
from schemas.documents import CitationOut, DocumentOut, DocumentRef, MetadataIn

_out = DocumentOut()


@bp.post("/documents")
def upload_document():
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return error_response("file_required", "Send the file in the multipart field 'file'.", 400)
    metadata = MetadataIn().load(request.form.to_dict())
    outcome = document_service.archive_document(current_user, upload.stream, upload.filename,
                                                metadata)
    document = outcome.document
    body = {"id": document.id, "status": document.status, "duplicate": outcome.duplicate,
            "url": url_for("api.get_document", document_id=document.id)}
    if outcome.duplicate:
        body["message"] = "This file is already archived; no new document was created."
        return jsonify(body), 200
    return jsonify(body), 202, {"Location": body["url"]}


@bp.post("/documents/suggest")
def suggest_metadata():
    """Read a file without archiving it: the metadata recognised in it (``extracted``)
    and the form fields it would fill (``offers``)."""
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return error_response("file_required", "Send the file in the multipart field 'file'.", 400)
    result = suggestions.for_upload(current_user, upload.stream, upload.filename)
    return jsonify(result)


@bp.get("/documents/<int:document_id>")
def get_document(document_id: int):
    document = document_service.view_document(current_user, document_id)
    body = _out.dump(document)
    body["cites"] = CitationOut(many=True).dump(citations.cites(current_user, document))
    body["cited_by"] = DocumentRef(many=True).dump(citations.cited_by(current_user, document))
    progress = progress_of(document)
    body["queue"] = {"lane": progress.lane, "position": progress.position,
                     "percent": progress.percent}
    # Same secrecy as the download: these URLs answer 404 above the reader's clearance.
    body["thumbnail_url"] = (url_for("previews.thumbnail", document_id=document.id)
                             if previews.has_thumbnail(document) else None)
    body["preview_url"] = (url_for("previews.preview", document_id=document.id)
                           if previews.has_preview(document) else None)
    return jsonify(body)


@bp.get("/documents/<int:document_id>/related")
def related_documents(document_id: int):
    document = document_service.get_document(current_user, document_id)
    return jsonify(related=[{"id": h.id, "title": str(h.title), "number_symbol": h.number_symbol,
                             "issue_date": h.issue_date.isoformat() if h.issue_date else None}
                            for h in search_service.related(current_user, document)])


@bp.post("/documents/<int:document_id>/retry")
def retry_document(document_id: int):
    document = document_service.retry_document(current_user, document_id)
    return jsonify({"id": document.id, "status": document.status}), 202


@bp.get("/documents/status")
def document_statuses():
    """Compact statuses for live updates on pages: ?ids=1,2,3."""
    from app.domain.processing import error_message, retryable

    ids = row_ids(request.args.get("ids", ""))
    return jsonify(documents=[
        {"id": d.id, "status": d.status, "label": _label_with_progress(d),
         "error": error_message(d.error_code), "retryable": retryable(d.error_code)}
        for d in document_service.statuses(current_user, ids)
    ])


def _label_with_progress(document) -> str:
    """"đang xử lý (40%)" while OCR reports progress, or the place in the queue."""
    from app.domain.processing import progress_label, status_label

    label = status_label(document.status)
    if document.status not in ("queued", "processing"):
        return label
    return progress_label(label, progress_of(document))
