"""A record's further files, and the records an upload's number already names."""
from flask import jsonify, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.api import bp, error_response
from app.api.spec import operation
from app.services import document_files
from app.services.same_number import same_number_as
from schemas.document_api import AttachIn, AttachOut


def same_number_body(document) -> list[dict]:
    """Visible documents already archived with ``document``'s number, symbol and issuer."""
    return [{"id": d.id, "title": d.title, "number_symbol": d.number_symbol,
             "issuing_agency": d.issuing_agency,
             "issue_date": d.issue_date.isoformat() if d.issue_date else None,
             "url": url_for("api.get_document", document_id=d.id),
             "files_url": url_for("api.attach_document_file", document_id=d.id)}
            for d in same_number_as(current_user, document)]


@bp.post("/documents/<int:document_id>/files")
@operation("Add a further file to a record (a .DOC beside its .DOCX)", tag="Documents",
           ok=AttachOut, status=201, multipart=AttachIn, errors=(409,),
           also={200: ("The record already has these bytes.", AttachOut)})
def attach_document_file(document_id: int):
    """multipart ``file``: add it to the record (201), or 200 when the record has these bytes."""
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return error_response("file_required", _("Send the file in the multipart field 'file'."),
                              400)
    outcome = document_files.attach_file(current_user, document_id, upload.stream,
                                         upload.filename)
    file = outcome.file
    body = {"document_id": outcome.document.id, "duplicate": outcome.duplicate,
            "file": {"id": file.id, "original_filename": file.original_filename,
                     "media_type": file.media_type, "size": file.size, "sha256": file.sha256},
            "files": len(outcome.document.files),
            "url": url_for("api.get_document", document_id=outcome.document.id)}
    return jsonify(body), 200 if outcome.duplicate else 201
