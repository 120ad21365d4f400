"""Common types for the extraction layer.

Every parser turns one file into an :class:`ExtractionResult` or raises an
:class:`ExtractionError` for a *permanent* failure (retrying will not help).
Any other exception (``OSError`` while reading, ``MemoryError``, a missing
optional dependency) is environmental and may be retried by the caller.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar

# Stable, machine-readable failure codes.
EMPTY = "empty"            # zero-byte file
CORRUPT = "corrupt"        # truncated / damaged / unparseable
ENCRYPTED = "encrypted"    # password-protected PDF or OOXML (DOCX) we cannot open
UNSUPPORTED = "unsupported"  # a type we cannot extract (yet): legacy .doc, RTF, images...
TOO_LARGE = "too_large"    # beyond the configured limits

ERROR_CODES = (EMPTY, CORRUPT, ENCRYPTED, UNSUPPORTED, TOO_LARGE)


@dataclass
class ExtractionResult:
    text: str                 # NFC-normalised, whitespace-cleaned text
    page_count: int | None
    method: str               # "pdf-text-layer", "docx", "html", "plain-text"
    no_text_layer: bool = False   # PDF with pages but no extractable text (image-only scan)
    warnings: list[str] = field(default_factory=list)


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


@dataclass(frozen=True)
class ExtractionLimits:
    """Limits beyond which a file is refused with ``too_large``."""

    max_file_bytes: int = 200 * 1024 * 1024       # on-disk size
    max_pages: int = 5000                         # PDF pages
    max_chars: int = 20_000_000                   # extracted text after clean-up
    max_unpacked_bytes: int = 512 * 1024 * 1024   # uncompressed XML inside a DOCX


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


class Parser:
    """Base class of a format parser.

    Subclasses set ``media_types`` and ``method`` and implement ``_extract``,
    which returns a raw :class:`ExtractionResult`. ``extract`` wraps it: it checks
    the file size, cleans the text (NFC, whitespace) and enforces ``max_chars``.
    """

    media_types: ClassVar[tuple[str, ...]] = ()
    method: ClassVar[str] = ""

    def __init__(self, limits: ExtractionLimits | None = None):
        self.limits = limits or DEFAULT_LIMITS

    def extract(self, path: Path) -> ExtractionResult:
        path = Path(path)
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
        except (OSError, MemoryError):
            # Environmental (unreadable file, out of memory): not the file's fault.
            raise
        except Exception as exc:  # parser boundary: any parse crash is a damaged file
            if _is_dependency_error(exc):
                raise
            raise ExtractionError(CORRUPT, f"{type(exc).__name__}: {exc}") from exc
        result.text = clean_text(result.text)
        if len(result.text) > self.limits.max_chars:
            raise ExtractionError(
                TOO_LARGE,
                f"extracted text is {len(result.text)} chars, limit is {self.limits.max_chars}")
        return result

    def _extract(self, path: Path) -> ExtractionResult:  # pragma: no cover - abstract
        raise NotImplementedError

    def check_chars(self, n: int) -> None:
        """Early abort while accumulating text (avoids building huge strings)."""
        # Raw text shrinks a little in clean-up, so allow some slack before aborting.
        if n > self.limits.max_chars * 2:
            raise ExtractionError(
                TOO_LARGE, f"extracted text exceeds {self.limits.max_chars} chars")
