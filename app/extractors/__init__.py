"""Text extraction: a registry of small format parsers chosen by the file's real type.

Public API::

    extract(path, media_type=None, *, limits=None, work_dir=None, progress=None)
        -> ExtractionResult
    detect_media_type(path) -> str
    ExtractionResult, ExtractionError, ExtractionLimits, SUPPORTED_MEDIA_TYPES
    get_parser(media_type, limits=None) -> Parser | None
    register_parser(parser_cls)

Formats: PDF (text layer, OCR of scanned pages), images (OCR), DOCX, Word 97-2003
.doc and RTF (LibreOffice; antiword for .doc), HTML, plain text; text in the
legacy TCVN3/VNI encodings is converted to Unicode. ``result.method`` says how
the text was obtained (see ``METHOD_LABELS``), ``result.quality`` how far it can
be trusted.

``ExtractionError.code`` is one of ``empty``, ``corrupt``, ``encrypted``,
``unsupported``, ``too_large`` (permanent failures). Other exceptions
(``FileNotFoundError``, ``PermissionError``, ``MemoryError``...) are environmental.
"""
from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from .base import (
    CORRUPT,
    EMPTY,
    ENCRYPTED,
    ERROR_CODES,
    METHOD_LABELS,
    OCR_SKIPPED,
    STEP_LABELS,
    TOO_LARGE,
    UNSUPPORTED,
    ExtractionError,
    ExtractionLimits,
    ExtractionResult,
    Parser,
    clean_text,
)
from .detect import (
    DOCX,
    EMPTY as EMPTY_MEDIA_TYPE,
    MSWORD,
    OOXML_ENCRYPTED,
    detect_media_type,
)
from .docx import DocxParser
from .html import HtmlParser
from .image import ImageParser
from .legacy_word import LegacyWordParser, RtfParser
from .pdf import PdfParser
from .text import TextParser


class EncryptedOfficeParser(Parser):
    """Password-protected OOXML (an OLE2 file with an EncryptedPackage stream)."""

    media_types = (OOXML_ENCRYPTED,)
    method = "ooxml-encrypted"

    def _extract(self, path: Path) -> ExtractionResult:
        raise ExtractionError(ENCRYPTED, "password-protected Office document (EncryptedPackage)")


_PARSERS: dict[str, type[Parser]] = {}


def register_parser(parser_cls: type[Parser]) -> type[Parser]:
    """Register a parser class for its ``media_types`` (later registrations win).
    Usable as a class decorator."""
    for mt in parser_cls.media_types:
        _PARSERS[mt] = parser_cls
    return parser_cls


for _cls in (PdfParser, DocxParser, HtmlParser, TextParser, EncryptedOfficeParser,
             ImageParser, LegacyWordParser, RtfParser):
    register_parser(_cls)

# Media types for which a parser produces text (EncryptedOfficeParser only refuses).
SUPPORTED_MEDIA_TYPES: tuple[str, ...] = tuple(
    mt for mt, cls in _PARSERS.items() if cls is not EncryptedOfficeParser)


def get_parser(media_type: str, limits: ExtractionLimits | None = None) -> Parser | None:
    cls = _PARSERS.get(media_type)
    return cls(limits) if cls else None


def extract(path: Path | str | os.PathLike, media_type: str | None = None, *,
            limits: ExtractionLimits | None = None, work_dir: Path | str | None = None,
            progress: Callable[[int, int], None] | None = None) -> ExtractionResult:
    """Extract NFC text from *path*. *media_type*, when given, skips detection
    (pass the value from :func:`detect_media_type`, not one derived from a file name).

    *work_dir*: a directory owned by the caller where derived files are written
    (``result.derived_files``, e.g. ``"searchable_pdf"`` after OCR); None: none written.
    *progress(done, total)*: called page by page while OCR runs (first with
    ``(0, total)``); an exception it raises aborts the extraction."""
    path = Path(path)
    if path.stat().st_size == 0:
        raise ExtractionError(EMPTY, f"{path.name}: zero-byte file")
    if media_type is None:
        media_type = detect_media_type(path)
    media_type = media_type.split(";")[0].strip().lower() if media_type else media_type
    if media_type == EMPTY_MEDIA_TYPE:
        raise ExtractionError(EMPTY, f"{path.name}: empty")
    parser = get_parser(media_type, limits)
    if parser is None:
        raise ExtractionError(UNSUPPORTED, f"no parser for {media_type}")
    return parser.extract(path, work_dir=Path(work_dir) if work_dir is not None else None,
                          progress=progress)


__all__ = [
    "CORRUPT", "EMPTY", "ENCRYPTED", "ERROR_CODES", "OCR_SKIPPED", "TOO_LARGE", "UNSUPPORTED",
    "DOCX", "MSWORD", "OOXML_ENCRYPTED", "SUPPORTED_MEDIA_TYPES",
    "DocxParser", "EncryptedOfficeParser", "ExtractionError", "ExtractionLimits",
    "ExtractionResult", "HtmlParser", "ImageParser", "LegacyWordParser", "METHOD_LABELS",
    "Parser", "PdfParser", "RtfParser", "STEP_LABELS", "TextParser",
    "clean_text", "detect_media_type", "extract", "get_parser", "register_parser",
]
