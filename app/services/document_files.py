"""A record's further files: the .DOC and the .DOCX of one directive are one record.

The first file stays the main one (the one extracted, previewed and indexed);
files added later are kept, listed and downloadable beside it.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import BinaryIO

from flask import current_app
from flask_babel import gettext as _

from app.extensions import db
from app.models import Disposition, Document, DocumentFile, User
from app.services import audit
from app.services.access import ensure_local, get_document, require
from app.services.documents import (audited_download, display_filename, forget_blob,
                                    receive_upload)
from app.services.errors import Conflict
from app.services.tasks import schedule
from app.services.uow import UnitOfWork
from app.storage import StoredBlob

CLOSED = (Disposition.DESTROYED, Disposition.DELETED, Disposition.TRANSFERRED)


@dataclass
class AttachOutcome:
    document: Document
    file: DocumentFile
    duplicate: bool  # True: the record already had these bytes


def attach_file(user: User, document_id: int, stream: BinaryIO,
                filename: str) -> AttachOutcome:
    """Add a file to an existing record (audited); the record's main file is unchanged.

    Whoever may upload and sees the record may add its other format to it: adding
    changes no metadata, and the file takes the record's secrecy.
    """
    require(user, "document.upload")
    document = get_document(user, document_id)
    ensure_local(document)
    if document.disposition in CLOSED:
        raise Conflict(_("This record has been disposed of and can no longer be changed."))
    blob, media_type = receive_upload(stream,
                                      current_app.config["MAX_UPLOAD_MB"] * 1024 * 1024)
    try:
        return _attach(user, document, blob, media_type, filename)
    except BaseException:
        db.session.rollback()
        if blob.created:
            forget_blob(blob.sha256)
        raise


def _attach(user: User, document: Document, blob: StoredBlob, media_type: str,
            filename: str) -> AttachOutcome:
    for existing in document.files:
        if existing.sha256 == blob.sha256:
            return AttachOutcome(document, existing, duplicate=True)
    name = display_filename(filename)
    file = DocumentFile(original_filename=name, media_type=media_type,
                        size=blob.size, sha256=blob.sha256)
    document.files.append(file)
    audit.record(user, "file.attach", "document", document.id, filename=name,
                 sha256=blob.sha256, secrecy=document.secrecy)
    document.bump_revision()  # the index lists the record's files
    uow = UnitOfWork()
    schedule(uow, document, "index")
    uow.commit()
    return AttachOutcome(document, file, duplicate=False)


def open_file(user: User, document_id: int, file_id: int) -> tuple[Document, DocumentFile]:
    """One of a record's files for download; audited like the original."""
    document = get_document(user, document_id)
    return document, audited_download(user, document,
                                      next((f for f in document.files if f.id == file_id), None))
