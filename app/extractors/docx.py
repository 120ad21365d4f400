"""DOCX (Office Open XML Word) extraction with python-docx.

Output order: headers of every section (deduplicated), the body in document
order (paragraphs and tables, nested tables and content controls included, one
table cell paragraph per line), footnotes and endnotes, then footers.
``doc.paragraphs`` alone misses tables: in Vietnamese decrees the issuer and the
number (``Số: 19/2019/NĐ-CP``) sit in a layout table at the top.

Tracked deletions, field codes (``PAGE``, ``HYPERLINK ...``) and the VML fallback
copy of text boxes are skipped; text boxes are emitted after their paragraph.
Page count comes from ``docProps/app.xml`` ``<Pages>`` (written by Word at save
time; often stale, see warnings).
"""
from __future__ import annotations

import re
import zipfile
from pathlib import Path

import docx
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml import parse_xml

from .base import CORRUPT, ENCRYPTED, TOO_LARGE, UNSUPPORTED, ExtractionError, ExtractionResult, Parser

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


P, TBL, TR, TC, SECTPR, TXBX = (_w(t) for t in ("p", "tbl", "tr", "tc", "sectPr", "txbxContent"))
T, TAB, BR, CR = _w("t"), _w("tab"), _w("br"), _w("cr")
NB_HYPHEN, SOFT_HYPHEN, PTAB = _w("noBreakHyphen"), _w("softHyphen"), _w("ptab")
MC_FALLBACK = f"{{{MC}}}Fallback"
# Subtrees without visible document text (properties, deleted text, field codes...).
_SKIP = {_w(t) for t in (
    "pPr", "rPr", "tblPr", "tblGrid", "trPr", "tcPr", "sdtPr", "sdtEndPr", "sectPr",
    "del", "delText", "instrText", "delInstrText", "fldChar", "moveFrom", "commentReference",
    "footnoteReference", "endnoteReference", "annotationRef", "footnoteRef", "endnoteRef",
    "separator", "continuationSeparator", "bookmarkStart", "bookmarkEnd", "proofErr",
    "lastRenderedPageBreak",
)} | {MC_FALLBACK}
_NOTE_SKIP_TYPES = {"separator", "continuationSeparator", "continuationNotice"}
_PAGES_RE = re.compile(rb"<(?:\w+:)?Pages>\s*(\d+)\s*</(?:\w+:)?Pages>")
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Word fits roughly 2-4k characters on an A4 page; far more per page means a stale <Pages>.
_STALE_CHARS_PER_PAGE = 15_000


class _Walker:
    """Collects lines from WordprocessingML block content. Walks with explicit stacks,
    so deeply nested tables do not hit Python's recursion limit (text boxes recurse)."""

    def __init__(self, check_chars) -> None:
        self.lines: list[str] = []
        self._chars = 0
        self._check = check_chars

    def emit(self, line: str) -> None:
        self.lines.append(line)
        self._chars += len(line) + 1
        self._check(self._chars)

    def blocks(self, container) -> None:
        # Explicit stack: block containers (body, tbl, tr, tc, sdt, customXml, ...)
        stack = [iter(container)]
        while stack:
            child = next(stack[-1], None)
            if child is None:
                stack.pop()
                continue
            tag = child.tag
            if not isinstance(tag, str) or tag in _SKIP:
                continue
            if tag == P:
                self.paragraph(child)
            else:
                # tbl/tr/tc/sdt/sdtContent/customXml/ins/smartTag/AlternateContent...
                stack.append(iter(child))

    def paragraph(self, p) -> None:
        parts: list[str] = []
        boxes: list = []
        stack = [iter(p)]
        while stack:
            el = next(stack[-1], None)
            if el is None:
                stack.pop()
                continue
            tag = el.tag
            if not isinstance(tag, str) or tag in _SKIP:
                continue
            if tag == T:
                parts.append(el.text or "")
            elif tag in (TAB, PTAB):
                parts.append("\t")
            elif tag in (BR, CR):
                parts.append("\n")
            elif tag == NB_HYPHEN:
                parts.append("-")
            elif tag == SOFT_HYPHEN:
                # kept until clean-up: in TCVN3 text (.VnTime fonts) byte 0xAD is "ư"
                parts.append("\u00ad")
            elif tag == TXBX:
                boxes.append(el)
            else:
                stack.append(iter(el))
        self.emit("".join(parts))
        for box in boxes:
            self.blocks(box)


def _page_count(zf: zipfile.ZipFile) -> int | None:
    try:
        data = zf.read("docProps/app.xml")
    except KeyError:
        return None
    m = _PAGES_RE.search(data)
    if not m:
        return None
    n = int(m.group(1))
    return n if n > 0 else None


def _part_element(part):
    element = getattr(part, "element", None)
    if element is not None:
        return element
    return parse_xml(part.blob)


class DocxParser(Parser):
    media_types = ("application/vnd.openxmlformats-officedocument.wordprocessingml.document",)
    method = "docx"

    def _extract(self, path: Path) -> ExtractionResult:
        with path.open("rb") as fh:
            magic = fh.read(8)
        if magic == _OLE_MAGIC:
            from .detect import ole_stream_names  # local: avoid import cycle at module load
            try:
                encrypted = "EncryptedPackage" in ole_stream_names(path)
            except Exception:
                encrypted = False
            if encrypted:
                raise ExtractionError(ENCRYPTED, "password-protected OOXML (EncryptedPackage)")
            raise ExtractionError(UNSUPPORTED, "OLE2 file, not a DOCX (legacy Word?)")

        try:
            with zipfile.ZipFile(path) as zf:
                infos = zf.infolist()
                names = {i.filename for i in infos}
                if "word/document.xml" not in names and "[Content_Types].xml" not in names:
                    raise ExtractionError(CORRUPT, "ZIP has neither word/document.xml nor [Content_Types].xml")
                unpacked = sum(i.file_size for i in infos if i.filename.endswith((".xml", ".rels")))
                if unpacked > self.limits.max_unpacked_bytes:
                    raise ExtractionError(
                        TOO_LARGE,
                        f"{unpacked} bytes of XML, limit is {self.limits.max_unpacked_bytes}")
                page_count = _page_count(zf)
        except zipfile.BadZipFile as exc:
            raise ExtractionError(CORRUPT, f"bad ZIP: {exc}") from exc

        try:
            document = docx.Document(str(path))
        except PackageNotFoundError as exc:
            raise ExtractionError(CORRUPT, f"not a valid OOXML package: {exc}") from exc
        except ValueError as exc:
            if "not a Word file" in str(exc):  # .docm/.dotx etc. have another content type
                raise ExtractionError(UNSUPPORTED, str(exc)) from exc
            raise

        walker = _Walker(self.check_chars)
        doc_part = document.part
        body = document.element.body

        header_parts, footer_parts = [], []
        seen: set[str] = set()
        for sect in body.iter(SECTPR):
            for ref in sect:
                kind = ref.tag.rsplit("}", 1)[-1]
                if kind not in ("headerReference", "footerReference"):
                    continue
                rid = ref.get(f"{{{R}}}id")
                part = doc_part.related_parts.get(rid) if rid else None
                if part is None or str(part.partname) in seen:
                    continue
                seen.add(str(part.partname))
                (header_parts if kind == "headerReference" else footer_parts).append(part)

        for part in header_parts:
            walker.blocks(_part_element(part))
        walker.blocks(body)
        for rel in doc_part.rels.values():
            if rel.is_external or not rel.reltype.endswith(("/footnotes", "/endnotes")):
                continue
            root = _part_element(rel.target_part)
            for note in root:
                if note.get(_w("type")) in _NOTE_SKIP_TYPES:
                    continue
                walker.blocks(note)
        for part in footer_parts:
            walker.blocks(_part_element(part))

        text = "\n".join(walker.lines)
        warnings: list[str] = []
        if page_count and len(text) / page_count > _STALE_CHARS_PER_PAGE:
            warnings.append(
                f"docProps/app.xml says {page_count} pages for {len(text)} characters; "
                "the stored page count is probably stale")
        return ExtractionResult(text=text, page_count=page_count, method=self.method,
                                warnings=warnings)
