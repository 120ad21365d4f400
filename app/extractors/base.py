"""Common types for the extraction layer.

Every parser turns one file into an :class:`ExtractionResult` or raises an
:class:`ExtractionError` for a *permanent* failure (retrying will not help).
Any other exception (``OSError`` while reading, ``MemoryError``, a missing
optional dependency) is environmental and may be retried by the caller.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

# Stable, machine-readable failure codes.
EMPTY = "empty"            # zero-byte file
CORRUPT = "corrupt"        # truncated / damaged / unparseable
ENCRYPTED = "encrypted"    # password-protected PDF or OOXML (DOCX) we cannot open
UNSUPPORTED = "unsupported"  # a type we cannot extract: archives, spreadsheets, a missing converter...
TOO_LARGE = "too_large"    # beyond the configured limits

ERROR_CODES = (EMPTY, CORRUPT, ENCRYPTED, UNSUPPORTED, TOO_LARGE)


#: Main methods (``ExtractionResult.method``) and what a person reads for them.
METHOD_LABELS = {
    "pdf-text-layer": "PDF text layer",
    "ocr": "OCR (Tesseract, Vietnamese)",
    "pdf-text-layer+ocr": "PDF text layer + OCR of the scanned pages",
    "docx": "Word document (DOCX)",
    "doc-libreoffice": "Word 97-2003 (.doc) converted by LibreOffice",
    "doc-antiword": "Word 97-2003 (.doc) read by antiword",
    "rtf-libreoffice": "RTF converted by LibreOffice",
    "html": "HTML",
    "plain-text": "plain text",
}
#: Extra steps that may appear in ``ExtractionResult.methods``.
STEP_LABELS = {
    "tcvn3-to-unicode": "converted from TCVN3 (ABC, .VnTime fonts) to Unicode",
    "vni-to-unicode": "converted from VNI (VNI-Times fonts) to Unicode",
    "libreoffice": "converted by LibreOffice",
    "antiword": "read by antiword",
}


@dataclass
class ExtractionResult:
    text: str                 # NFC-normalised, whitespace-cleaned text
    page_count: int | None
    method: str               # main method: a key of METHOD_LABELS
    no_text_layer: bool = False   # pages but no text: OCR unavailable or it found nothing
    warnings: list[str] = field(default_factory=list)
    #: 0..1, how far the text can be trusted: 1.0 for digital text (text layers, DOCX,
    #: HTML, converted Word), Tesseract's mean word confidence for OCR (pages not read
    #: count as 0), the share of valid Vietnamese syllables after a legacy-encoding
    #: conversion, page-weighted for mixed PDFs. None when there is no text to judge.
    quality: float | None = None
    #: Every step that produced the text, in order, e.g. ["pdf-text-layer", "ocr"],
    #: ["libreoffice", "docx", "tcvn3-to-unicode"]. Defaults to [method].
    methods: list[str] = field(default_factory=list)
    #: Files produced beside the text, in the caller's ``work_dir`` (only when one was
    #: given): "searchable_pdf" -> the original PDF (or image) with an OCR text layer.
    derived_files: dict[str, Path] = field(default_factory=dict)
    #: Facts for the document page / logs: "ocr_pages" (1-based page numbers read by
    #: OCR), "ocr_seconds", "ocr_incomplete_pages", "legacy_encoding", "converter"...
    details: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.methods:
            self.methods = [self.method]


class ExtractionError(Exception):
    """Permanent failure: retrying will not help. `code` is stable and machine-readable;
    `detail` is technical text for logs/admins."""

    def __init__(self, code: str, detail: str = ""):
        if code not in ERROR_CODES:
            raise ValueError(f"unknown extraction error code: {code!r}")
        self.code = code
        self.detail = detail
        super().__init__(f"{code}: {detail}" if detail else code)

    def __reduce__(self):  # keep picklable (job queues pickle exceptions)
        return (self.__class__, (self.code, self.detail))


#: The warning of a result whose scanned pages were left unread because ``ocr`` was off.
OCR_SKIPPED = "OCR not run (quick reading)"


@dataclass(frozen=True)
class ExtractionLimits:
    """Limits beyond which a file is refused with ``too_large``."""

    max_file_bytes: int = 200 * 1024 * 1024       # on-disk size
    max_pages: int = 5000                         # PDF pages
    max_chars: int = 20_000_000                   # extracted text after clean-up
    max_unpacked_bytes: int = 512 * 1024 * 1024   # uncompressed XML inside a DOCX
    max_html_depth: int = 1000                    # element nesting in HTML
    # OCR (Tesseract). The time limit covers all OCR of one document (rendering +
    # recognition). When it runs out, the pages read so far are kept: the result
    # carries a warning, details["ocr_incomplete_pages"] and a lower quality. Only
    # when no page at all was read (and there is no text layer) is it an error:
    # ExtractionError("too_large", "OCR time limit ...").
    ocr_timeout_s: float = 600.0
    ocr_dpi: int = 300                             # rendering resolution for PDF pages
    ocr_max_pixels: int = 60_000_000               # larger pages/images are rendered smaller
    ocr_language: str = "vie"                      # Tesseract language(s), e.g. "vie+eng"
    ocr_workers: int = 2                           # pages OCRed in parallel (1 thread each)
    convert_timeout_s: float = 180.0               # LibreOffice / antiword per document
    ocr: bool = True                               # False: scans are left unread (OCR_SKIPPED)


DEFAULT_LIMITS = ExtractionLimits()


# ---------------------------------------------------------------------------
# Text clean-up shared by all parsers
# ---------------------------------------------------------------------------

# Unicode spaces that should behave like an ordinary space for search.
_SPACE_CHARS = "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"
# Invisible characters that only break matching.
_DROP_CHARS = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
_TRANSLATE = {ord(c): " " for c in _SPACE_CHARS}
_TRANSLATE.update({ord(c): None for c in _DROP_CHARS})
_TRANSLATE.update({0x0B: "\n", 0x2028: "\n", 0x2029: "\n", 0x85: "\n"})
# C0/C1 control characters other than \t \n \f (removed after the mapping above).
_CONTROL_RE = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f]")
_SPACES_RE = re.compile(r"[ \t]+")
_BLANKS_RE = re.compile(r"\n{4,}")  # more than 2 consecutive blank lines


def clean_text(text: str) -> str:
    """NFC-normalise and tidy whitespace.

    - CRLF/CR -> LF; vertical tab, LS/PS -> LF; NBSP & other Unicode spaces -> space;
      zero-width characters, soft hyphen and stray control characters removed;
    - runs of spaces/tabs collapsed to one space; each line stripped;
    - at most 2 consecutive blank lines; leading/trailing blank lines removed;
    - form feeds (PDF page breaks) are kept, one per page boundary.
    """
    if not text:
        return ""
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.translate(_TRANSLATE)
    text = _CONTROL_RE.sub("", text)
    pages = []
    for page in text.split("\f"):
        lines = [_SPACES_RE.sub(" ", line).strip() for line in page.split("\n")]
        page = "\n".join(lines)
        page = _BLANKS_RE.sub("\n\n\n", page).strip("\n")
        pages.append(page)
    text = "\f".join(pages)
    if not text.replace("\f", "").strip():
        return ""
    # Translations above never decompose, but keep the invariant explicit.
    return unicodedata.normalize("NFC", text)


def _is_dependency_error(exc: BaseException) -> bool:
    """A missing optional library (e.g. pypdf without `cryptography`) is fixable: re-raise."""
    return type(exc).__name__ in {"DependencyError", "ImportError", "ModuleNotFoundError"}


class _CallbackError(Exception):
    def __init__(self, original: BaseException):
        super().__init__(repr(original))
        self.original = original


def _guarded(progress: Callable[[int, int], None]) -> Callable[[int, int], None]:
    """Wrap the caller's progress callback so that what it raises (e.g. a job being
    cancelled) reaches the caller as is, not as a ``corrupt`` file."""
    def call(done: int, total: int) -> None:
        try:
            progress(done, total)
        except Exception as exc:
            raise _CallbackError(exc) from exc
    return call


class Parser:
    """Base class of a format parser.

    Subclasses set ``media_types`` and ``method`` and implement ``_extract``,
    which returns a raw :class:`ExtractionResult`. ``extract`` wraps it: it checks
    the file size, cleans the text (NFC, whitespace) and enforces ``max_chars``.
    """

    media_types: ClassVar[tuple[str, ...]] = ()
    method: ClassVar[str] = ""
    #: Look for TCVN3/VNI mojibake in the raw text (off for OCR output).
    legacy_encodings: ClassVar[bool] = True

    def __init__(self, limits: ExtractionLimits | None = None):
        self.limits = limits or DEFAULT_LIMITS
        self.work_dir: Path | None = None
        self.progress: Callable[[int, int], None] | None = None
        #: single-byte codec the raw text was decoded with (TCVN3/VNI bytes are
        #: recovered through it); text parsers set it from their detection.
        self.legacy_codec = "cp1252"

    def extract(self, path: Path, *, work_dir: Path | None = None,
                progress: Callable[[int, int], None] | None = None) -> ExtractionResult:
        """Extract *path*. *work_dir* (owned by the caller) receives derived files such
        as a searchable PDF; none are written when it is None. *progress(done, total)*
        is called page by page while OCR runs."""
        path = Path(path)
        self.work_dir = Path(work_dir) if work_dir is not None else None
        self.progress = _guarded(progress) if progress is not None else None
        size = path.stat().st_size
        if size == 0:
            raise ExtractionError(EMPTY, f"{path.name}: zero-byte file")
        if size > self.limits.max_file_bytes:
            raise ExtractionError(
                TOO_LARGE, f"file is {size} bytes, limit is {self.limits.max_file_bytes}")
        try:
            result = self._extract(path)
        except ExtractionError:
            raise
        except _CallbackError as exc:  # the caller's progress callback raised: not our business
            raise exc.original from None
        except (OSError, MemoryError):
            # Environmental (unreadable file, out of memory): not the file's fault.
            raise
        except Exception as exc:  # parser boundary: any parse crash is a damaged file
            if _is_dependency_error(exc):
                raise
            raise ExtractionError(CORRUPT, f"{type(exc).__name__}: {exc}") from exc
        if self.legacy_encodings and "ocr" not in result.methods:
            self.fix_legacy(result)
        result.text = clean_text(result.text)
        if result.quality is None and result.text:
            result.quality = 1.0
        if len(result.text) > self.limits.max_chars:
            raise ExtractionError(
                TOO_LARGE,
                f"extracted text is {len(result.text)} chars, limit is {self.limits.max_chars}")
        return result

    def fix_legacy(self, result: ExtractionResult) -> None:
        """Convert TCVN3/VNI mojibake in ``result.text`` (raw, before clean-up: the
        TCVN3 "ư" is U+00AD, which clean-up drops) and record it in the result.
        Never applied to OCR output (Tesseract writes Unicode)."""
        if not result.text:
            return
        from .encodings import fix_legacy_encoding

        fixed = fix_legacy_encoding(result.text, codec=self.legacy_codec)
        if not fixed.encoding:
            return
        result.text = fixed.text
        step = f"{fixed.encoding}-to-unicode"
        if step not in result.methods:
            result.methods.append(step)
        result.details["legacy_encoding"] = fixed.encoding
        result.warnings.append(
            f"text was in the legacy {fixed.encoding.upper()} encoding "
            f"({fixed.converted} words converted to Unicode"
            + (", uppercase headings may come out in lowercase" if fixed.encoding == "tcvn3" else "")
            + ")")
        if fixed.quality is not None:
            result.quality = (fixed.quality if result.quality is None
                              else min(result.quality, fixed.quality))

    def _extract(self, path: Path) -> ExtractionResult:  # pragma: no cover - abstract
        raise NotImplementedError

    def check_chars(self, n: int) -> None:
        """Early abort while accumulating text (avoids building huge strings)."""
        # Raw text shrinks a little in clean-up, so allow some slack before aborting.
        if n > self.limits.max_chars * 2:
            raise ExtractionError(
                TOO_LARGE, f"extracted text exceeds {self.limits.max_chars} chars")
