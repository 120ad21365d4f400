"""What processing states and failure codes mean, in words a person understands."""
from flask_babel import lazy_gettext as _l

STATUS_LABELS = {
    "queued": _l("processing"),
    "processing": _l("processing"),
    "indexed": _l("indexed"),
    "no_text": _l("no text layer"),
    "failed": _l("failed"),
}

TASK_KINDS = {"extract": _l("Text extraction"), "index": _l("Search indexing"),
              "embed": _l("Search by meaning (passages)")}

# Search by meaning on the document page (app.services.semantic.state).
SEMANTIC_STATES = {
    "done": _l("ready (%(n)d passages)"),
    "pending": _l("being prepared (in the queue for long work)"),
    "waiting": _l("not prepared yet: an administrator prepares it with “flask search embed”"),
    "none": _l("nothing to read in this record"),
    "off": _l("not used in this archive"),
}

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

# Failures that come from the bytes themselves: processing them again gives the
# same answer, so no retry is offered; the person is told what to do instead.
PERMANENT_ERRORS = {"empty", "corrupt", "encrypted"}

# What a file really is, for telling the uploader when its name says otherwise.
MEDIA_KINDS = {
    "application/pdf": _l("a PDF document"),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document":
        _l("a Word document (DOCX)"),
    "application/msword": _l("a Word 97-2003 document"),
    "text/html": _l("a web page (HTML)"),
    "text/plain": _l("plain text"),
    "text/rtf": _l("an RTF document"),
    "image/png": _l("a PNG image"),
    "image/jpeg": _l("a JPEG image"),
    "image/tiff": _l("a TIFF image"),
    "application/zip": _l("a ZIP archive"),
}

# The media types a file name's extension promises.
EXTENSION_TYPES = {
    "pdf": {"application/pdf"},
    "docx": {"application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
    "doc": {"application/msword"},
    "html": {"text/html"}, "htm": {"text/html"},
    "txt": {"text/plain"},
    "rtf": {"text/rtf"},
    "png": {"image/png"}, "jpg": {"image/jpeg"}, "jpeg": {"image/jpeg"},
    "tif": {"image/tiff"}, "tiff": {"image/tiff"},
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


def retryable(code: str | None) -> bool:
    """Whether processing the same bytes again can succeed."""
    return code not in PERMANENT_ERRORS


def task_error_message(error: str | None) -> str | None:
    """A processing step's recorded error (``code: detail``) as a sentence."""
    if not error:
        return None
    code = error.split(":", 1)[0].strip()
    return error_message(code if code in ERROR_MESSAGES else "internal")


def type_mismatch(filename: str | None, media_type: str | None) -> str | None:
    """A sentence when the file's name promises another type than its content has:
    "The file is named .pdf but is really plain text (text/plain)."."""
    name = filename or ""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    expected = EXTENSION_TYPES.get(extension)
    if not expected or not media_type or media_type in expected \
            or media_type == "application/x-empty":
        return None
    kind = MEDIA_KINDS.get(media_type, _l("another kind of file"))
    return str(_l("The file is named .%(ext)s but is really %(kind)s (%(type)s).",
                  ext=extension, kind=kind, type=media_type))
