"""The upload form's work: archive each chosen or kept file, keep them on errors.

Each file goes through ``archive_document`` (the same service as the API and the
importer). When the form comes back with an error, the files are kept in
``app.services.staging`` so the person does not choose them again.
"""
from __future__ import annotations

from flask_babel import gettext as _
from flask_login import current_user

from app.domain.processing import type_mismatch
from app.services import documents as document_service
from app.services import staging
from app.services.errors import FileTooLarge, ValidationFailed
from app.services.staging import StagedFile
from app.storage import StorageUnavailable


def archive_uploads(form, kept: list[StagedFile]) -> tuple[list[dict], list[StagedFile]]:
    """Archive the kept and newly chosen files with the form's metadata.

    Returns one result per file tried and the files still kept: those not
    archived because the metadata was refused (the form shows why).
    """
    sources = [(staged.filename, staged) for staged in kept] + [
        (upload.filename, upload) for upload in form.chosen_files()]
    results: list[dict] = []
    for index, (filename, source) in enumerate(sources):
        metadata = form.to_metadata()
        if len(sources) > 1:
            metadata.title = None  # each file is titled on its own (app.services.titles)
        try:
            outcome = _archive(source, filename, metadata)
        except FileTooLarge:
            results.append({"filename": filename,
                            "error": _("larger than the upload limit; not saved")})
        except StorageUnavailable as exc:
            # Not the person's fault: this file and the rest wait (on this host's disk
            # while the store is down, app.services.staging) and the form keeps what
            # was typed.
            results.append({"filename": filename, "error": exc.message, "unavailable": True})
            return results, [_keep(source) for _, source in sources[index:]]
        except ValidationFailed as exc:
            fields = exc.details.get("fields") or {}
            if set(fields) <= {"file"} and fields:  # this file is refused (e.g. empty)
                message = str(fields["file"])
                form.files.errors = [*form.files.errors, f"{filename}: {message}"]
                results.append({"filename": filename, "error": message})
            else:  # the metadata is refused: keep every file not archived yet
                show_errors(form, exc)
                return results, [_keep(source) for _, source in sources[index:]]
        else:
            file = outcome.document.main_file
            results.append({"filename": filename, "document": outcome.document,
                            "duplicate": outcome.duplicate,
                            "note": file and type_mismatch(filename, file.media_type)})
        _forget(source)
    return results, []


def attach_uploads(form, kept: list[StagedFile], document_id: int):
    """The uploader chose to add the files to the record already carrying their number."""
    from flask import flash, redirect, url_for

    from app.services.document_files import attach_file

    sources = [(staged.filename, staged) for staged in kept] + [
        (upload.filename, upload) for upload in form.chosen_files()]
    for filename, source in sources:
        try:
            if isinstance(source, StagedFile):
                with source.open() as stream:
                    outcome = attach_file(current_user, document_id, stream, filename)
            else:
                outcome = attach_file(current_user, document_id, source.stream, filename)
        except FileTooLarge:
            flash("%s: %s" % (filename, _("larger than the upload limit; not saved")), "error")
        except ValidationFailed as exc:
            flash("%s: %s" % (filename, exc.message), "error")
        else:
            flash(_("The file %(name)s was added to this record.", name=filename)
                  if not outcome.duplicate else
                  _("This record already has the file %(name)s.", name=filename), "success")
        _forget(source)
    return redirect(url_for("documents.detail", document_id=document_id))


def stage_uploads(form) -> list[StagedFile]:
    """Keep the files chosen with a form that came back with errors."""
    kept = []
    for upload in form.chosen_files():
        try:
            kept.append(staging.stage(current_user, upload.stream, upload.filename))
        except FileTooLarge:
            form.files.errors = [*form.files.errors, "%s: %s" % (
                upload.filename, _("larger than the upload limit; not saved"))]
    return kept


def show_errors(form, exc: ValidationFailed) -> None:
    """Put a refusal's field messages next to the fields; the rest as a flash."""
    from flask import flash

    for name, message in (exc.details.get("fields") or {}).items():
        field = form.files if name == "file" else getattr(form, name, None)
        if field is not None:
            field.errors = [*field.errors, str(message)]
    flash(exc.message, "error")


def _archive(source, filename: str, metadata):
    if isinstance(source, StagedFile):
        with source.open() as stream:
            return document_service.archive_document(current_user, stream, filename, metadata)
    return document_service.archive_document(current_user, source.stream, filename, metadata)


def _keep(source) -> StagedFile:
    if isinstance(source, StagedFile):
        return source
    try:
        source.stream.seek(0)
    except (AttributeError, OSError):
        pass
    return staging.stage(current_user, source.stream, source.filename)


def _forget(source) -> None:
    if isinstance(source, StagedFile):
        staging.discard(current_user, source.token)
