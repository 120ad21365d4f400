"""Metadata suggestions: what the recogniser read, offered for the form fields.

Two moments: on the upload form, before the file is archived (:func:`for_upload`
reads the file in a child process with a time and memory limit: text layers, DOCX,
HTML, text and legacy Word, no OCR), and on the edit page, from what the
background extraction recognised (:func:`offers`). Either way the values are only
offered; nothing is written to a document here.
"""
from __future__ import annotations

import json
import subprocess  # nosec B404 - runs our own module with a fixed argument list
import sys
import tempfile
import threading
from datetime import date
from pathlib import Path
from typing import BinaryIO

from flask import current_app
from flask_babel import gettext as _

from app.domain.processing import error_message
from app.i18n import format_date
from app.models import User
from app.services.access import require
from app.storage import read_limited

ROOT = Path(__file__).resolve().parents[2]
FIELDS = ("number", "symbol", "doc_type", "issuing_agency", "issue_date", "place", "summary",
          "signer_name", "signer_position", "recipients", "secrecy", "urgency")


def offers(extracted: dict | None, current: dict | None = None) -> dict[str, str]:
    """Form field -> recognised value, as the form shows it (dates dd/mm/yyyy),
    leaving out values equal to what the field already holds (*current*)."""
    extracted = extracted or {}
    values = {
        "number": extracted.get("number"), "symbol": extracted.get("symbol"),
        "doc_type": extracted.get("doc_type"), "issuing_agency": extracted.get("issuing_body"),
        "issue_date": (format_date(date.fromisoformat(extracted["issue_date"]))
                       if extracted.get("issue_date") else None),
        "place": extracted.get("place"), "summary": extracted.get("summary"),
        "signer_name": extracted.get("signer_name"),
        "signer_position": extracted.get("signer_position"),
        "recipients": "\n".join(extracted.get("recipients") or []) or None,
        "secrecy": extracted.get("secrecy"), "urgency": extracted.get("urgency"),
    }
    current = current or {}
    return {name: str(value) for name, value in values.items()
            if value and str(value) != str(current.get(name) or "")}


def current_fields(document) -> dict[str, str]:
    """The document's values as the edit form shows them, to compare with ``offers``."""
    current = {name: getattr(document, name) for name in FIELDS}
    if document.issue_date:
        current["issue_date"] = format_date(document.issue_date)
    return current


def labels(offered: dict[str, str]) -> dict[str, str]:
    """How each offered value reads for a person: "Quyết định" for the key ``QD``."""
    from app.domain.vocab import DOCUMENT_TYPES, SECRECY_LEVELS, URGENCY_LEVELS

    names = {"doc_type": DOCUMENT_TYPES, "urgency": URGENCY_LEVELS,
             "secrecy": {key: label for key, (_rank, label) in SECRECY_LEVELS.items()}}
    return {field: str(names[field].get(value, value)) if field in names else value
            for field, value in offered.items()}


def for_upload(user: User, stream: BinaryIO, filename: str) -> dict:
    """Read an uploaded file without archiving it; returns ``status`` (ok, no_text,
    failed, timeout), ``message`` for the person, ``offers`` and ``extracted``."""
    require(user, "document.upload")
    limit = current_app.config["MAX_UPLOAD_MB"] * 1024 * 1024
    suffix = Path(filename or "").suffix[:10]
    with tempfile.TemporaryDirectory(prefix="suggest-") as tmp:
        path = Path(tmp) / f"upload{suffix}"      # never the uploader's name as a path
        with path.open("wb") as out:
            for chunk in read_limited(stream, limit):
                out.write(chunk)
        result = _read_in_child(path)
    status = result.get("status")
    extracted = result.get("extracted") or {}
    message = {
        "ok": _("Recognised from the file. Check each value, then use it or leave your own."),
        "no_text": _("No text could be read without OCR (a scan?). Suggestions will appear "
                     "on the edit page once the document has been processed."),
        "failed": error_message(result.get("code")) or _("The file could not be read."),
        "timeout": _("Reading the file took too long; suggestions will appear on the edit "
                     "page once the document has been processed."),
    }.get(status, _("The file could not be read."))
    offered = offers(extracted)
    return {"status": status, "message": message, "offers": offered,
            "labels": labels(offered), "extracted": extracted, "method": result.get("method")}


# At most this many files are read at once per web process (each reader is a child
# process of up to WORKER_MEMORY_LIMIT_MB); others wait up to the time limit.
READERS = threading.BoundedSemaphore(2)


def _read_in_child(path: Path) -> dict:
    timeout = current_app.config["SUGGEST_TIMEOUT_S"]
    if not READERS.acquire(timeout=timeout):
        return {"status": "timeout"}
    try:
        return _run_reader(path, timeout)
    finally:
        READERS.release()


def _run_reader(path: Path, timeout: float) -> dict:
    memory_mb = current_app.config["WORKER_MEMORY_LIMIT_MB"]
    try:
        done = subprocess.run(  # nosec B603 - fixed argv, no shell
            [sys.executable, "-m", "app.recognition.preview", f"--memory-mb={memory_mb}",
             str(path)], cwd=ROOT, capture_output=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        return {"status": "timeout"}
    if done.returncode != 0:
        current_app.logger.warning("suggestion reader failed (%s): %s", done.returncode,
                                   done.stderr.decode("utf-8", "replace")[-500:])
        return {"status": "failed", "code": "reader_failed"}
    try:
        return json.loads(done.stdout)
    except ValueError:
        return {"status": "failed", "code": "reader_failed"}
