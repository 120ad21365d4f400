"""The ZIP of a bulk selection: every original the user may see, and an index of them.

Same pattern as the briefing dossier export (app.services.briefing_export):
ASCII paths inside the ZIP, and an index (``index.html`` for people,
``index.csv`` for tools) listing each file's path, title, number, size and
SHA-256 so the recipient can check the package. Each exported document is
audited. The ZIP is stored like any other object (the local folder or S3) for its
author to download.
"""
from __future__ import annotations

import csv
import io
import tempfile
import zipfile
from pathlib import Path

from flask import current_app, render_template
from flask_babel import gettext as _

from app.extensions import db
from app.models import BulkOperation, Document, User
from app import storage
from app.services import audit
from app.services.briefing_export import copy_into_zip, safe_name
from app.services.documents import get_document
from app.services.errors import NotFound

PROGRESS_EVERY = 10


def exports_dir() -> Path:
    """Where ZIPs were kept before they went into the store (still served)."""
    return Path(current_app.config["STORAGE_DIR"]) / "exports"


def result_available(operation: BulkOperation) -> bool:
    if operation.result_sha256:
        return storage.exists(operation.result_sha256)
    return bool(operation.result_file) and (exports_dir() / operation.result_file).is_file()


def open_result(operation: BulkOperation):
    """The ZIP: (sha256 in the store, None) or (None, legacy local path); NotFound if gone."""
    if operation.result_sha256 and storage.exists(operation.result_sha256):
        return operation.result_sha256, None
    if not operation.result_sha256 and operation.result_file:
        legacy = exports_dir() / operation.result_file
        if legacy.is_file():
            return None, legacy
    raise NotFound(_("The ZIP file is not available."))


def export_zip(user: User, operation: BulkOperation) -> None:
    """Write the ZIP (in a process-local temporary file; an earlier attempt's is simply
    rebuilt), store it like any other object, and audit each exported document."""
    operation.processed = 0
    for counter in ("changed", "unchanged", "skipped", "failed", "not_found"):
        setattr(operation, counter, 0 if counter != "not_found" else operation.not_found)
    entries = []
    with tempfile.TemporaryFile(prefix="bulk-export-") as spool:
        with zipfile.ZipFile(spool, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for document_id in operation.document_ids:
                outcome = _add(user, archive, document_id, entries)
                operation.count(outcome)
                if operation.processed % PROGRESS_EVERY == 0:
                    db.session.commit()
            archive.writestr("index.html", render_template("documents/bulk_index.html",
                                                           entries=entries, operation=operation))
            archive.writestr("index.csv", _csv(entries))
        spool.seek(0)
        blob = storage.save(spool, 1 << 40)
    operation.result_file = f"bulk-{operation.id}.zip"
    operation.result_sha256 = blob.sha256
    for entry in entries:
        audit.record(user, "export", "document", entry["id"], bulk=operation.id,
                     sha256=entry["sha256"], secrecy=entry["secrecy"])
    db.session.commit()


def _add(user: User, archive: zipfile.ZipFile, document_id: int, entries: list) -> str:
    try:
        document: Document = get_document(user, document_id)
    except NotFound:
        return "not_found"
    file = document.main_file
    if file is None or not storage.exists(file.sha256):
        return "unchanged"  # destroyed, or never stored: nothing to put in the ZIP
    path = f"tai-lieu/{len(entries) + 1:04d}-{safe_name(file.original_filename)}"
    copy_into_zip(archive, file.sha256, path)
    entries.append({"path": path, "id": document.id, "title": document.title,
                    "number": document.number_symbol, "size": file.size,
                    "sha256": file.sha256, "secrecy": document.secrecy,
                    "issue_date": document.issue_date})
    return "changed"


def _csv(entries: list[dict]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["path", "id", "title", "number", "size", "sha256"])
    for e in entries:
        writer.writerow([e["path"], e["id"], e["title"], e["number"], e["size"], e["sha256"]])
    return out.getvalue()
