"""Document endpoints: upload (202 Accepted) and read with processing status."""
from flask import jsonify, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.api import bp, error_response
from app.api.document_files import same_number_body
from app.api.spec import operation
from app.services import citations
from app.web.converters import row_ids
from app.services import documents as document_service
from app.services import search as search_service
from app.services import previews, semantic, suggestions
from app.services.processing import progress_of
from schemas.document_api import (DocumentDetailOut, DocumentUploadIn, RelatedOut, RetryOut,
                                  StatusListOut, StatusQueryIn, SuggestIn, SuggestOut,
                                  UploadOut)
from schemas.documents import CitationOut, DocumentOut, DocumentRef, MetadataIn

_out = DocumentOut()


def _file_required():
    return error_response("file_required", _("Send the file in the multipart field 'file'."),
                          400, fields={"file": [_("Required.")]})


@bp.post("/documents")
@operation("Archive a file with its metadata", tag="Documents", ok=UploadOut, status=202,
           multipart=DocumentUploadIn, errors=(409,),
           also={200: ("The same bytes are already archived: the existing document.",
                       UploadOut)},
           headers={"Location": {"schema": {"type": "string"},
                                 "description": "The new document in the API."}},
           description="Answers 202 while the text is extracted in the background; a file "
                       "already archived (the same bytes) answers 200 with `duplicate: true` "
                       "and the existing document.")
def upload_document():
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return _file_required()
    metadata = MetadataIn().load(request.form.to_dict())
    outcome = document_service.archive_document(current_user, upload.stream, upload.filename,
                                                metadata)
    document = outcome.document
    body = {"id": document.id, "status": document.status, "duplicate": outcome.duplicate,
            "url": url_for("api.get_document", document_id=document.id), "message": None,
            "same_number": []}
    if outcome.duplicate:
        body["message"] = _("This file is already archived; no new document was created.")
        return jsonify(UploadOut().dump(body)), 200
    body["same_number"] = same_number_body(document)  # add the file there instead: files_url
    return jsonify(UploadOut().dump(body)), 202, {"Location": body["url"]}


@bp.post("/documents/suggest")
@operation("Read a file's metadata without archiving it", tag="Documents", ok=SuggestOut,
           multipart=SuggestIn)
def suggest_metadata():
    """Read a file without archiving it: the metadata recognised in it (``extracted``)
    and the form fields it would fill (``offers``)."""
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return _file_required()
    result = suggestions.for_upload(current_user, upload.stream, upload.filename)
    return jsonify(SuggestOut().dump(result))


@bp.get("/documents/<int:document_id>")
@operation("A document: metadata, files, processing status, retention, citations",
           tag="Documents", ok=DocumentDetailOut)
def get_document(document_id: int):
    document = document_service.view_document(current_user, document_id)
    body = _out.dump(document)
    body["cites"] = CitationOut(many=True).dump(citations.cites(current_user, document))
    body["cited_by"] = DocumentRef(many=True).dump(citations.cited_by(current_user, document))
    body["same_number"] = same_number_body(document)
    progress = progress_of(document)
    body["queue"] = {"lane": progress.lane, "position": progress.position,
                     "percent": progress.percent}
    # Same secrecy as the download: these URLs answer 404 above the reader's clearance.
    body["thumbnail_url"] = (url_for("previews.thumbnail", document_id=document.id)
                             if previews.has_thumbnail(document) else None)
    body["preview_url"] = (url_for("previews.preview", document_id=document.id)
                           if previews.has_preview(document) else None)
    meaning = semantic.state(document)
    body["semantic"] = {"state": meaning.state, "passages": meaning.passages}
    return jsonify(body)


@bp.get("/documents/<int:document_id>/related")
@operation("Related documents (shared citations, similar text)", tag="Documents",
           ok=RelatedOut)
def related_documents(document_id: int):
    document = document_service.get_document(current_user, document_id)
    return jsonify(RelatedOut().dump(
        {"related": search_service.related(current_user, document)}))


@bp.post("/documents/<int:document_id>/retry")
@operation("Run the extraction again", tag="Documents", ok=RetryOut, status=202,
           errors=(409,))
def retry_document(document_id: int):
    document = document_service.retry_document(current_user, document_id)
    return jsonify(RetryOut().dump(document)), 202


@bp.get("/documents/status")
@operation("Processing statuses of several documents", tag="Documents", ok=StatusListOut,
           query=StatusQueryIn)
def document_statuses():
    """Compact statuses for live updates on pages: ?ids=1,2,3."""
    from app.domain.processing import error_message, retryable

    ids = row_ids(StatusQueryIn().load(request.args.to_dict())["ids"])
    return jsonify(StatusListOut().dump({"documents": [
        {"id": d.id, "status": d.status, "label": _label_with_progress(d),
         "error": error_message(d.error_code), "retryable": retryable(d.error_code)}
        for d in document_service.statuses(current_user, ids)
    ]}))


def _label_with_progress(document) -> str:
    """"đang xử lý (40%)" while OCR reports progress, or the place in the queue."""
    from app.domain.processing import progress_label, status_label

    label = status_label(document.status)
    if document.status not in ("queued", "processing"):
        return label
    return progress_label(label, progress_of(document))
