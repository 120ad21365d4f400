"""A record's further files: upload another format onto it, download any of its files.

Routes on the documents blueprint (registered before the blueprint is).
"""
from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.services import document_files
from app.services.errors import FileTooLarge, ValidationFailed
from app.web.documents.routes import bp
from app.web.downloads import send_stored


@bp.post("/<int:document_id>/files")
def attach(document_id: int):
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        flash(_("Choose a file first."), "error")
        return redirect(url_for("documents.detail", document_id=document_id))
    try:
        outcome = document_files.attach_file(current_user, document_id, upload.stream,
                                             upload.filename)
    except FileTooLarge:
        flash(_("larger than the upload limit; not saved"), "error")
    except ValidationFailed as exc:
        flash(exc.message, "error")
    else:
        flash(_("This record already has the file %(name)s.", name=outcome.file.original_filename)
              if outcome.duplicate else
              _("The file %(name)s was added to this record.", name=outcome.file.original_filename),
              "info" if outcome.duplicate else "success")
    return redirect(url_for("documents.detail", document_id=document_id))


@bp.get("/<int:document_id>/files/<int:file_id>/download")
def download_file(document_id: int, file_id: int):
    document, file = document_files.open_file(current_user, document_id, file_id)
    return send_stored(file.sha256, media_type="application/octet-stream",
                       as_attachment=True, download_name=file.original_filename)
