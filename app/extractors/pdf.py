"""PDF text-layer extraction with pypdf.

Policy
- Pages are joined with a form feed (``\\f``), like pdftotext. pypdf's layout mode is
  used (fewer split words than its plain mode on Word-exported Vietnamese PDFs),
  then spurious spaces inside document symbols (``1479/QĐ -TTg``) are removed.
- A PDF whose every page carries (almost) no text is an image-only scan: the result
  has ``no_text_layer=True`` and empty text. This is not an error (OCR comes later).
- Encrypted PDFs are opened with the empty user password when possible (many
  "encrypted" PDFs only restrict printing/copying); otherwise ``encrypted``.
- Damaged or truncated files: ``corrupt`` when pypdf cannot open them, or when no
  page yields text and the file is truncated (no ``%%EOF``) or pages failed to parse.
  When pypdf recovers and pages yield text (e.g. a signed PDF cut inside its
  incremental signature updates), the text is returned with a warning.
- Text found only in annotation appearance streams (e.g. the document number
  stamped by a signing service on Vietnamese signed PDFs) is *not* extracted:
  pypdf reads the page content stream only (pdftotext does show it).
"""
from __future__ import annotations

import logging
import re
import threading
from contextlib import contextmanager
from pathlib import Path

from pypdf import PasswordType, PdfReader
from pypdf.errors import (
    EmptyFileError,
    FileNotDecryptedError,
    PdfReadError,
    PdfStreamError,
    WrongPasswordError,
)

from .base import (
    CORRUPT,
    EMPTY,
    ENCRYPTED,
    TOO_LARGE,
    ExtractionError,
    ExtractionLimits,
    ExtractionResult,
    Parser,
)

# pypdf sometimes splits a document symbol before a hyphen ("1479/QĐ -TTg",
# "202/BTTTT -KHTC", "01/2014/NQ -HĐTP"); symbols never contain spaces (NĐ 30/2020).
_SYMBOL_SPLIT_RE = re.compile(
    r"(\d+[A-Za-z]?/(?:\d{4}/)?[A-ZĐ][\wĐđ&]*(?:-[A-ZĐ][\wĐđ&]*)*)[ \t]+-(?=[A-ZĐ])")


def repair_symbols(text: str) -> str:
    """Remove spurious spaces inside Vietnamese document symbols."""
    for _ in range(3):
        new = _SYMBOL_SPLIT_RE.sub(r"\1-", text)
        if new == text:
            break
        text = new
    return text


# A page with fewer meaningful characters than this is treated as having no text
# (scans sometimes carry a stray page number or a few OCR-less glyphs).
MIN_CHARS_PER_PAGE = 8


class _Collector(logging.Handler):
    """Collects pypdf's warnings (it logs the damage it recovers from) for this thread."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.thread = threading.get_ident()
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.thread == self.thread and len(self.messages) < 50:
            self.messages.append(record.getMessage())


@contextmanager
def _capture_pypdf_warnings():
    logger = logging.getLogger("pypdf")
    handler = _Collector()
    logger.addHandler(handler)
    try:
        yield handler.messages
    finally:
        logger.removeHandler(handler)


def _looks_truncated(path: Path) -> bool:
    """A complete PDF ends with %%EOF (readers tolerate up to ~1 KB of trailing junk)."""
    size = path.stat().st_size
    with path.open("rb") as fh:
        fh.seek(max(0, size - 1024))
        tail = fh.read()
    return b"%%EOF" not in tail


def _meaningful(text: str) -> int:
    return sum(1 for c in text if not c.isspace())


_PAGE_ERRORS = (PdfReadError, PdfStreamError, KeyError, ValueError, TypeError, AttributeError,
                IndexError, AssertionError, RecursionError, ZeroDivisionError, UnicodeDecodeError)


class PdfParser(Parser):
    """``layout=True`` (default) uses pypdf's layout mode: on this corpus it splits far
    fewer words than the plain mode (plain gives ``Dân tộ c``, ``1479/QĐ -TTg``), at up
    to twice the time. Side by side blocks (issuer | national motto) share a line."""

    media_types = ("application/pdf",)
    method = "pdf-text-layer"

    def __init__(self, limits: ExtractionLimits | None = None, *, layout: bool = True):
        super().__init__(limits)
        self.layout = layout

    def _extract(self, path: Path) -> ExtractionResult:
        warnings_out: list[str] = []
        with _capture_pypdf_warnings() as pypdf_msgs:
            reader = self._open(path)
            try:
                n_pages = len(reader.pages)
            except (PdfReadError, PdfStreamError, KeyError, ValueError, TypeError,
                    AttributeError, IndexError, RecursionError) as exc:
                raise ExtractionError(CORRUPT, f"cannot read page tree: {type(exc).__name__}: {exc}") from exc
            if n_pages == 0:
                raise ExtractionError(CORRUPT, "PDF has no readable pages")
            if n_pages > self.limits.max_pages:
                raise ExtractionError(TOO_LARGE, f"{n_pages} pages, limit is {self.limits.max_pages}")

            texts: list[str] = []
            failed: list[int] = []
            total = 0
            for i in range(n_pages):
                try:
                    t = self._page_text(reader, i, warnings_out)
                except _PAGE_ERRORS as exc:
                    failed.append(i + 1)
                    warnings_out.append(f"page {i + 1}: {type(exc).__name__}: {exc}")
                    t = ""
                texts.append(repair_symbols(t))
                total += len(t)
                self.check_chars(total)

        truncated = _looks_truncated(path)
        with_text = [i + 1 for i, t in enumerate(texts) if _meaningful(t) >= MIN_CHARS_PER_PAGE]

        if not with_text:
            if truncated or failed:
                raise ExtractionError(
                    CORRUPT,
                    "no readable text and the file is damaged"
                    + (" (no %%EOF: truncated)" if truncated else "")
                    + (f"; pages failed: {failed}" if failed else "")
                    + (f"; pypdf: {list(dict.fromkeys(pypdf_msgs))[:3]}" if pypdf_msgs else ""))
            # Image-only scan: every page is (nearly) empty. Not an error; OCR comes later.
            return ExtractionResult(text="", page_count=n_pages, method=self.method,
                                    no_text_layer=True, warnings=warnings_out)

        if truncated:
            warnings_out.insert(0, "PDF is truncated (no %%EOF); text may be incomplete")
        if failed:
            warnings_out.insert(0, f"text could not be read from pages {failed}")
        without = [p for p in range(1, n_pages + 1) if p not in with_text and p not in failed]
        if without:
            warnings_out.append(f"pages without a text layer (image-only?): {without}")
        if pypdf_msgs and (truncated or failed):
            warnings_out.append("pypdf: " + "; ".join(dict.fromkeys(pypdf_msgs))[:500])
        return ExtractionResult(text="\f".join(texts), page_count=n_pages,
                                method=self.method, warnings=warnings_out)

    def _page_text(self, reader: PdfReader, index: int, warnings_out: list[str]) -> str:
        page = reader.pages[index]
        if self.layout:
            try:
                return page.extract_text(extraction_mode="layout") or ""
            except MemoryError:
                raise
            except Exception as exc:  # layout mode is the less travelled path: fall back
                warnings_out.append(
                    f"page {index + 1}: layout extraction failed ({type(exc).__name__}: {exc}); "
                    "used plain mode")
        return page.extract_text() or ""

    def _open(self, path: Path) -> PdfReader:
        try:
            reader = PdfReader(path, strict=False)
        except EmptyFileError as exc:
            raise ExtractionError(EMPTY, str(exc)) from exc
        except (PdfReadError, PdfStreamError, ValueError, KeyError, TypeError,
                AttributeError, IndexError, RecursionError) as exc:
            raise ExtractionError(CORRUPT, f"{type(exc).__name__}: {exc}") from exc
        if reader.is_encrypted:
            try:
                ok = reader.decrypt("")
            except (FileNotDecryptedError, WrongPasswordError) as exc:
                raise ExtractionError(ENCRYPTED, str(exc)) from exc
            except (PdfReadError, KeyError, ValueError, TypeError, NotImplementedError) as exc:
                # e.g. certificate (public-key) security handlers pypdf does not implement
                raise ExtractionError(
                    ENCRYPTED, f"cannot decrypt: {type(exc).__name__}: {exc}") from exc
            if ok == PasswordType.NOT_DECRYPTED:
                raise ExtractionError(ENCRYPTED, "PDF needs a user password")
        return reader
