"""What processing states and failure codes mean, in words a person understands."""
from flask_babel import lazy_gettext as _l

STATUS_LABELS = {
    "queued": _l("processing"),
    "processing": _l("processing"),
    "indexed": _l("indexed"),
    "no_text": _l("no text layer"),
    "failed": _l("failed"),
}

TASK_KINDS = {"extract": _l("Text extraction"), "index": _l("Search indexing")}

TASK_STATES = {
    "queued": _l("waiting"),
    "running": _l("running"),
    "done": _l("done"),
    "failed": _l("failed"),
}

EXTRACTION_METHODS = {
    "pdf-text-layer": _l("PDF text layer"),
    "ocr": _l("Text recognition (OCR, Vietnamese)"),
    "pdf-text-layer+ocr": _l("PDF text layer + OCR of the scanned pages"),
    "doc-libreoffice": _l("Word 97-2003 (.doc), converted by LibreOffice"),
    "doc-antiword": _l("Word 97-2003 (.doc), read by antiword"),
    "rtf-libreoffice": _l("RTF, converted by LibreOffice"),
    "docx": _l("Word document (DOCX)"),
    "html": _l("Web page (HTML)"),
    "plain-text": _l("Plain text"),
    "none": _l("none: scanned image without text"),
}

ERROR_MESSAGES = {
    "empty": _l("The file is empty (0 bytes)."),
    "corrupt": _l("The file is damaged or incomplete and cannot be read."),
    "encrypted": _l("The file is password-protected. Upload a copy without a password."),
    "unsupported": _l("This file type cannot be read yet. The original is kept."),
    "too_large": _l("The file's content is larger than the processing limits."),
    "internal": _l("Processing failed unexpectedly. Try again; if it fails again, "
                   "tell an administrator."),
}

NO_TEXT_EXPLANATION = _l(
    "This PDF has no text layer (it is a scanned image). It is searchable by its "
    "metadata only until text recognition (OCR) is available."
)


LANES = {"interactive": _l("uploads"), "long": _l("long work (OCR, imports)")}


def progress_label(label: str, progress) -> str:
    """"processing (40%)" or "processing: 3rd in the queue for long work (OCR, imports)"."""
    if progress.percent is not None:
        return f"{label} ({progress.percent}%)"
    if progress.position is not None:
        return str(_l("%(label)s: number %(n)d in the queue for %(lane)s", label=label,
                      n=progress.position, lane=LANES.get(progress.lane, progress.lane)))
    return label


def status_label(status: str) -> str:
    return str(STATUS_LABELS.get(status, status))


def error_message(code: str | None) -> str | None:
    if not code:
        return None
    return str(ERROR_MESSAGES.get(code, ERROR_MESSAGES["internal"]))
