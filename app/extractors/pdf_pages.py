"""Page-level helpers of the PDF reader (app.extractors.pdf): what pypdf says about a page
(content size within limits, fonts without programs, displayed size), PDFium's text of a
page, pypdf's warnings, truncation, and the repair of document symbols split by pypdf."""
from __future__ import annotations

import logging
import re
import threading
from contextlib import contextmanager
from pathlib import Path

import pypdfium2 as pdfium
from pypdf import PdfReader
from pypdf.generic import ArrayObject


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
def capture_pypdf_warnings():
    logger = logging.getLogger("pypdf")
    handler = _Collector()
    logger.addHandler(handler)
    try:
        yield handler.messages
    finally:
        logger.removeHandler(handler)


def looks_truncated(path: Path) -> bool:
    """A complete PDF ends with %%EOF (readers tolerate up to ~1 KB of trailing junk)."""
    size = path.stat().st_size
    with path.open("rb") as fh:
        fh.seek(max(0, size - 1024))
        tail = fh.read()
    return b"%%EOF" not in tail


def meaningful_chars(text: str) -> int:
    return len(_SPACE_RE.sub("", text))


_SPACE_RE = re.compile(r"\s+")


def check_content_size(reader: PdfReader, index: int) -> None:
    """Decode the page's content streams with pypdf's limits (raises LimitReachedError)."""
    contents = reader.pages[index].get("/Contents")
    if contents is None:
        return
    contents = contents.get_object()
    for stream in (contents if isinstance(contents, ArrayObject) else [contents]):
        stream = stream.get_object()
        if hasattr(stream, "get_data"):
            stream.get_data()


def fonts_without_programs(reader: PdfReader, index: int, seen: dict) -> bool:
    """The page uses a font whose program is not embedded but whose ToUnicode map is.
    PDFium then maps some glyphs wrongly (``Đầu tư`` read as ``ầu t``); pypdf reads
    the ToUnicode map alone and gets them right. *seen*: verdicts by font object, for
    the pages that share fonts."""
    try:
        fonts = reader.pages[index].get("/Resources", {}).get_object().get("/Font", {})
        for ref in fonts.get_object().values():
            key = getattr(ref, "idnum", None)        # None: a font written inline
            verdict = seen.get(key) if key is not None else None
            if verdict is None:
                verdict = _font_without_program(ref.get_object())
                if key is not None:
                    seen[key] = verdict
            if verdict:
                return True
    except Exception:  # a damaged resource dictionary: let PDFium try
        return False
    return False


def _font_without_program(font) -> bool:
    if font.get("/Subtype") == "/Type3" or "/ToUnicode" not in font:
        return False
    described = [font, *(d.get_object() for d in font.get("/DescendantFonts", []))]
    descriptors = [d["/FontDescriptor"].get_object() for d in described if "/FontDescriptor" in d]
    return bool(descriptors) and not any(k in desc for desc in descriptors
                                         for k in ("/FontFile", "/FontFile2", "/FontFile3"))


def pdfium_page_text(doc: "pdfium.PdfDocument", index: int) -> str:
    page = doc[index]
    try:
        textpage = page.get_textpage()
        try:
            text = textpage.get_text_range()
        finally:
            textpage.close()
    finally:
        page.close()
    # CRLF line ends. A hyphen that ends a line comes back as U+FFFE with the line break
    # removed: in Vietnamese text it is a real hyphen (``01/2014/NQ-`` / ``HĐTP``), never
    # a syllable cut, so it is put back. Other control codes are unmapped glyphs.
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufffe", "-")
    return _PDFIUM_JUNK.sub("", text)


_PDFIUM_JUNK = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\uffff]")


def displayed_size(reader: PdfReader, index: int) -> tuple[float, float]:
    """Width and height in points of a page as displayed (crop box, /Rotate applied)."""
    try:
        page = reader.pages[index]
        box = page.cropbox
        w, h = abs(float(box.width)), abs(float(box.height))
        if (page.rotation or 0) % 180:
            w, h = h, w
        return w or 595.0, h or 842.0
    except Exception:  # damaged page dictionary: assume A4
        return 595.0, 842.0
