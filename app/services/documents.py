"""Use cases for documents: archive an upload, read, edit, retry."""
from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import PurePath
from typing import BinaryIO

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from app.domain.titles import TitleSource
from app.domain.vocab import levels_up_to, secrecy_rank
from app.extensions import db
from app.extractors import detect_media_type
from app.models import (Disposition, Document, DocumentFile, DocumentStatus, ProcessingTask,
                        User)
from app import storage
from app.services import audit, fixity
from app.services.access import ensure_local, get_document, require  # noqa: F401 - re-exported
from app.services.citations import resolve_incoming
from app.services.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from app.services.metadata import DocumentMetadata
from app.services.tasks import schedule
from app.services.titles import retitle
from app.services.uow import UnitOfWork
from app.sharing.levels import (apply_document_level, follow_coverage_rules,
                                withdraw_if_not_shareable)
from app.storage import StorageUnavailable, StoredBlob

log = logging.getLogger(__name__)


@dataclass
class ArchiveOutcome:
    document: Document
    duplicate: bool  # True: the bytes were already archived as ``document``


def assign_schedule(document: Document) -> None:
    # Imported here: the retention service builds on this module.
    from app.services.retention import assign_schedule as assign

    assign(document)


def archive_document(
    user: User, stream: BinaryIO, filename: str, metadata: DocumentMetadata,
    lane: str = ProcessingTask.INTERACTIVE,
) -> ArchiveOutcome:
    """Store an uploaded file durably and register it for background processing.

    ``lane``: the long lane for bulk imports, so people's uploads go first.

    The original is fsynced before this returns. When identical bytes are
    already archived, nothing new is created and the existing document is
    returned with ``duplicate=True``.
    """
    require(user, "document.upload")
    meta = metadata.cleaned()
    if secrecy_rank(meta.secrecy) > secrecy_rank(user.clearance):
        # Otherwise the uploader would lose sight of their own upload.
        raise ValidationFailed(_("The secrecy level is above your clearance."),
                               fields={"secrecy": _("Above your clearance.")})
    max_bytes = current_app.config["MAX_UPLOAD_MB"] * 1024 * 1024
    blob, media_type = receive_upload(stream, max_bytes)
    try:
        return _register_upload(user, blob, media_type, filename, meta, lane)
    except BaseException:
        # Nothing acknowledged: bytes that no row refers to must not stay behind
        # (the database may be down, or the file refused). Bytes stored earlier
        # belong to another record and stay.
        db.session.rollback()
        if blob.created:
            forget_blob(blob.sha256)
        raise


def receive_upload(stream: BinaryIO, max_bytes: int) -> tuple[StoredBlob, str]:
    """Receive an upload, refuse it if empty, detect its type, store it.

    Returns only once the store confirmed the write (StorageUnavailable otherwise,
    with nothing stored).
    """
    with storage.receive(stream, max_bytes) as spool:
        if spool.size == 0:
            raise ValidationFailed(_("The file is empty (0 bytes). Nothing was saved."),
                                   fields={"file": _("The file is empty (0 bytes).")})
        media_type = detect_media_type(spool.path)
        return storage.commit(spool), media_type


def forget_blob(sha256: str) -> None:
    """Remove bytes of an upload that was not acknowledged, as far as the store lets us."""
    try:
        storage.delete(sha256)
    except StorageUnavailable:
        log.warning("object %s of a refused upload could not be removed", sha256)


def _register_upload(user: User, blob: StoredBlob, media_type: str, filename: str,
                     meta: DocumentMetadata, lane: str) -> ArchiveOutcome:
    existing = _visible_copy(user, blob.sha256)
    if existing is not None:
        return ArchiveOutcome(existing, duplicate=True)

    safe_name = _display_filename(filename)
    document = Document(
        title=meta.title or "",
        title_source=TitleSource.PERSON if meta.title else TitleSource.FILE_NAME,
        uploaded_by=user,
        status=DocumentStatus.QUEUED,
        number_key=meta.number_key(),
        **{k: getattr(meta, k) for k in DocumentMetadata.field_names() if k != "title"},
    )
    document.files.append(DocumentFile(
        original_filename=safe_name,
        media_type=media_type,
        size=blob.size,
        sha256=blob.sha256,
    ))
    retitle(document)  # from the metadata entered, else the file name; extraction may improve it
    uow = UnitOfWork()
    schedule(uow, document, "extract", lane)
    assign_schedule(document)
    db.session.add(document)
    db.session.flush()
    resolve_incoming(document)
    audit.record(user, "create", "document", document.id, filename=safe_name,
                 sha256=blob.sha256, secrecy=document.secrecy)
    _note_hidden_copies(user, blob.sha256, document)
    uow.commit()
    return ArchiveOutcome(document, duplicate=False)


def _visible_copy(user: User, sha256: str) -> Document | None:
    """A kept record with these bytes that the uploader may see, if any.

    Records above the uploader's clearance are never answered as duplicates:
    that would reveal their existence, id and state. The upload then becomes a
    record of its own, exactly as new bytes would.
    """
    return db.session.scalar(
        select(Document).join(DocumentFile)
        .where(DocumentFile.sha256 == sha256,
               Document.secrecy.in_(levels_up_to(user.clearance)),
               Document.disposition.not_in(Disposition.ERASED))
        .order_by(Document.id).limit(1))


def _note_hidden_copies(user: User, sha256: str, document: Document) -> None:
    """Tell archivists (on the hidden record's own trail) that its bytes came in again."""
    hidden = db.session.scalars(
        select(Document.id).join(DocumentFile)
        .where(DocumentFile.sha256 == sha256, Document.id != document.id,
               Document.disposition.not_in(Disposition.ERASED))).all()
    for other_id in hidden:
        audit.record(user, "upload.hidden_duplicate", "document", other_id,
                     new_document=document.id, sha256=sha256)


def view_document(user: User, document_id: int) -> Document:
    """A document opened by a person; views of secret documents are audited."""
    document = get_document(user, document_id)
    if document.secrecy != "thuong":
        audit.record(user, "view", "document", document.id, secrecy=document.secrecy)
        db.session.commit()
    return document


def open_original(user: User, document_id: int) -> tuple[Document, DocumentFile]:
    """The original file for download; every download is audited."""
    document = get_document(user, document_id)
    return document, audited_download(user, document, document.main_file)


def audited_download(user: User, document: Document, file: DocumentFile | None) -> DocumentFile:
    """``file`` of ``document`` if its bytes are there and intact; the download is audited.

    The store's own word (size, the checksum it verified at write time) is checked
    before anything is sent; a file fixity found altered is not handed out.
    """
    if file is None:
        raise NotFound(_("The original file is not available."))
    fixity.ensure_intact(file.sha256, file.size)
    audit.record(user, "download", "document", document.id, sha256=file.sha256,
                 secrecy=document.secrecy)
    db.session.commit()
    return file


def list_recent(user: User, params=None):
    """The document list page: filtered, sorted and paged (app.services.document_list)."""
    from app.services.document_list import ListParams, list_documents

    return list_documents(user, params or ListParams())


def statuses(user: User, ids: list[int]) -> list[Document]:
    """Documents among ``ids`` the user may see, for live status polling."""
    require(user, "document.view")
    if not ids:
        return []
    return list(db.session.scalars(
        select(Document).where(Document.id.in_(ids[:200]),
                               Document.secrecy.in_(levels_up_to(user.clearance)))
    ))


def may_edit(user: User, document: Document) -> bool:
    """Archivists edit any record; an uploader edits their own uploads; no one edits a
    record harvested from another archive."""
    return document.source_id is None and (user.can("document.edit") or (
        user.can("document.upload") and document.uploaded_by_id == user.id))


def get_editable(user: User, document_id: int) -> Document:
    """A document the user may edit (for the edit page and for saving)."""
    document = get_document(user, document_id)
    ensure_local(document)  # said first: the refusal explains where to change it
    if not may_edit(user, document):
        raise PermissionDenied(_("You do not have permission to do this."))
    _ensure_kept(document)
    return document


def update_metadata(user: User, document_id: int, metadata: DocumentMetadata,
                    sharing: str | None = None) -> Document:
    """Replace the metadata a person entered; the search entry follows.

    ``sharing``: the level chosen with it (None, or the level the record had:
    no change asked). A secrecy above "Thường" withdraws sharing whatever was
    asked; asking to share such a record is refused.
    """
    document = get_editable(user, document_id)
    if sharing == document.sharing:
        sharing = None
    if sharing is not None:
        require(user, "sharing.manage")
    meta = metadata.cleaned()
    if secrecy_rank(meta.secrecy) > secrecy_rank(user.clearance):
        raise ValidationFailed(_("The secrecy level is above your clearance."),
                               fields={"secrecy": _("Above your clearance.")})
    values = {name: getattr(meta, name) for name in DocumentMetadata.field_names()
              if name != "title"}
    old_title = document.title
    if meta.title and meta.title != document.title:
        values["title"], document.title_source = meta.title, TitleSource.PERSON
    elif not meta.title:  # an empty title: the archive titles it from the metadata again
        document.title_source = TitleSource.FILE_NAME
    changes = audit.apply_changes(document, values)
    changes.update(withdraw_if_not_shareable(document))  # secrecy raised: sharing ends now
    if retitle(document) and document.title != old_title:
        changes["title"] = [old_title, document.title]
    audit.record(user, "edit", "document", document.id, changes=changes)
    if sharing is not None:
        try:
            shared = apply_document_level(document, sharing)
        except ValidationFailed:
            db.session.rollback()  # nothing of this edit is kept
            raise
        if shared:
            audit.record(user, "sharing.set", "document", document.id, changes=shared)
    # Saved from the edit page, which shows the recognised values: a person has seen them.
    document.suggestions_pending = False
    document.number_key = meta.number_key()
    assign_schedule(document)
    resolve_incoming(document)
    document.bump_revision()
    uow = UnitOfWork()
    if sharing is None and "secrecy" in changes:
        # Lowered to "Thường": a public briefing's coverage rule, which refused it, may
        # publish it now (a record withdrawn on purpose stays withdrawn on other edits).
        follow_coverage_rules(user, document, uow)
    schedule(uow, document, "index")
    uow.commit()
    return document


def edit_fields(user: User, document_id: int, values: dict,
                sharing: str | None = None) -> Document:
    """Change some metadata fields (the API's PATCH); the others keep their values."""
    document = get_editable(user, document_id)
    current = {name: getattr(document, name) for name in DocumentMetadata.field_names()}
    unknown = set(values) - set(current)
    if unknown:
        raise ValidationFailed(_("Some fields are invalid."),
                               fields={name: _("Not a known value.") for name in unknown})
    return update_metadata(user, document_id, DocumentMetadata(**{**current, **values}),
                           sharing=sharing)


def retry_document(user: User, document_id: int) -> Document:
    """Run extraction again, e.g. after a failure or a fixed parser."""
    document = get_document(user, document_id)
    if not (user.can("document.retry") or
            (user.can("document.upload") and document.uploaded_by_id == user.id)):
        raise PermissionDenied(_("You do not have permission to do this."))
    _ensure_kept(document)
    audit.record(user, "retry", "document", document.id, previous_error=document.error_code)
    document.status = DocumentStatus.QUEUED
    document.error_code = document.error_detail = None
    for file in document.files:
        file.extraction_method = None
    uow = UnitOfWork()
    schedule(uow, document, "extract")
    uow.commit()
    return document


def _ensure_kept(document: Document) -> None:
    """Destroyed, deleted and transferred records are closed: their metadata is the record."""
    if document.disposition in (Disposition.DESTROYED, Disposition.DELETED,
                                Disposition.TRANSFERRED):
        raise Conflict(_("This record has been disposed of and can no longer be changed."))


def _display_filename(filename: str) -> str:
    """Keep the name a person gave the file, minus any path and control characters.

    It is shown and offered as the download name; it never reaches the
    filesystem (storage paths come from the hash).
    """
    name = PurePath((filename or "").replace("\\", "/")).name
    name = "".join(ch for ch in name if ch.isprintable()).strip()
    return name[:255] or "tai-lieu"


display_filename = _display_filename  # for the other services that keep a person's file name
