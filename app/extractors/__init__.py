"""Text extraction: a registry of small format parsers chosen by the file's real type.

Public API::

    extract(path, media_type=None, *, limits=None) -> ExtractionResult
    detect_media_type(path) -> str
    ExtractionResult, ExtractionError, ExtractionLimits, SUPPORTED_MEDIA_TYPES
    get_parser(media_type, limits=None) -> Parser | None
    register_parser(parser_cls)

``ExtractionError.code`` is one of ``empty``, ``corrupt``, ``encrypted``,
``unsupported``, ``too_large`` (permanent failures). Other exceptions
(``FileNotFoundError``, ``PermissionError``, ``MemoryError``...) are environmental.
"""
from __future__ import annotations

import os
from pathlib import Path

from .base import (
    CORRUPT,
    EMPTY,
    ENCRYPTED,
    ERROR_CODES,
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
    Usable as a class decorator, e.g. by a future legacy-Word parser."""
    for mt in parser_cls.media_types:
        _PARSERS[mt] = parser_cls
    return parser_cls


for _cls in (PdfParser, DocxParser, HtmlParser, TextParser, EncryptedOfficeParser):
    register_parser(_cls)

# Media types for which a parser produces text (EncryptedOfficeParser only refuses).
SUPPORTED_MEDIA_TYPES: tuple[str, ...] = tuple(
    mt for mt, cls in _PARSERS.items() if cls is not EncryptedOfficeParser)


def get_parser(media_type: str, limits: ExtractionLimits | None = None) -> Parser | None:
    cls = _PARSERS.get(media_type)
    return cls(limits) if cls else None


def extract(path: Path | str | os.PathLike, media_type: str | None = None, *,
            limits: ExtractionLimits | None = None) -> ExtractionResult:
    """Extract NFC text from *path*. *media_type*, when given, skips detection
    (pass the value from :func:`detect_media_type`, not one derived from a file name)."""
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
        hint = " (legacy Word 97-2003 .doc)" if media_type == MSWORD else ""
        raise ExtractionError(UNSUPPORTED, f"no parser for {media_type}{hint}")
    return parser.extract(path)


__all__ = [
    "CORRUPT", "EMPTY", "ENCRYPTED", "ERROR_CODES", "TOO_LARGE", "UNSUPPORTED",
    "DOCX", "MSWORD", "OOXML_ENCRYPTED", "SUPPORTED_MEDIA_TYPES",
    "DocxParser", "EncryptedOfficeParser", "ExtractionError", "ExtractionLimits",
    "ExtractionResult", "HtmlParser", "Parser", "PdfParser", "TextParser",
    "clean_text", "detect_media_type", "extract", "get_parser", "register_parser",
]
