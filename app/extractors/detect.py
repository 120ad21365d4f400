"""Detect a file's real media type from its content (never from its name).

libmagic (python-magic) is the primary detector; the answers are then corrected
where libmagic is vague or wrong for this archive:

- ZIP containing ``word/document.xml`` (or declaring a WordprocessingML main part
  in ``[Content_Types].xml``) -> DOCX media type;
- OLE2 compound file (``D0 CF 11 E0``) with an ``EncryptedPackage`` stream ->
  :data:`OOXML_ENCRYPTED` (a password-protected DOCX/XLSX/PPTX); with a
  ``WordDocument`` stream -> ``application/msword``;
- HTML that libmagic calls JavaScript/plain text (pages starting with comments,
  Word-HTML saved as ``.doc`` with a UTF-8 BOM) -> ``text/html``;
- ``text/x-*`` guesses (source code etc.) -> ``text/plain``;
- zero-byte file -> ``application/x-empty``.

If libmagic cannot be imported, a small magic-byte sniffer is used instead.
"""
from __future__ import annotations

import logging
import re
import struct
import zipfile
from pathlib import Path

log = logging.getLogger(__name__)

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
MSWORD = "application/msword"
OOXML_ENCRYPTED = "application/x-ooxml-encrypted"
OLE_STORAGE = "application/x-ole-storage"
HTML = "text/html"
PLAIN = "text/plain"
RTF = "text/rtf"
EMPTY = "application/x-empty"
ZIP = "application/zip"
OCTET = "application/octet-stream"

_HEAD_BYTES = 8192
_DOCX_MAIN_CT = b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

try:  # pragma: no branch
    import magic as _magic  # python-magic (needs libmagic1)

    _MAGIC = _magic.Magic(mime=True)
except Exception as exc:  # ImportError, or libmagic missing (python-magic raises ImportError/OSError)
    _MAGIC = None
    log.warning("libmagic unavailable (%s); using built-in magic-byte sniffing", exc)

# libmagic answers that mean "some OLE2 compound file"
_OLE_TYPES = {
    MSWORD, OLE_STORAGE, "application/CDFV2", "application/cdfv2",
    "application/vnd.ms-office", "application/CDFV2-corrupt", "application/encrypted",
    "application/CDFV2-encrypted",
}
# text/* answers that are not plain text for our purposes
_TEXT_KEEP = {HTML, RTF, "text/xml", "text/csv", "text/x-empty"}
_XMLISH = {"text/xml", "application/xml", "application/xhtml+xml"}


def detect_media_type(path: Path) -> str:
    """Return the media type of the file at *path*, from its content."""
    path = Path(path)
    if path.stat().st_size == 0:
        return EMPTY
    with path.open("rb") as fh:
        head = fh.read(_HEAD_BYTES)

    mime = _libmagic(path) if _MAGIC is not None else None
    if mime is None:
        mime = _sniff(head)
    return _correct(path, head, mime)


def _libmagic(path: Path) -> str | None:
    try:
        # from_file follows the path itself; python-magic returns str
        return _MAGIC.from_file(str(path)).split(";")[0].strip()
    except Exception as exc:  # magic.MagicException on odd files: fall back
        log.warning("libmagic failed on %s: %s", path, exc)
        return None


def _correct(path: Path, head: bytes, mime: str) -> str:
    if mime in ("inode/x-empty", EMPTY):
        return EMPTY
    if head.startswith(_OLE_MAGIC) or mime in _OLE_TYPES:
        if head.startswith(_OLE_MAGIC):
            return _ole_type(path, mime)
        return mime
    if head.startswith(b"PK\x03\x04") or mime in (ZIP, DOCX):
        return _zip_type(path, mime)
    if mime in (OCTET, "text/plain") and b"%PDF-" in head[:1024]:
        return PDF  # junk before the header (allowed by readers within 1 KB)
    if mime == OCTET and _looks_like_utf16(head):
        return HTML if _looks_like_html(_utf16_to_utf8(head)) else PLAIN
    if mime in _XMLISH or mime.startswith("text/") or mime in (
            "application/javascript", "application/x-javascript", "application/json",
            "text/javascript"):
        if _looks_like_html(head):
            return HTML
        if mime.startswith("text/") and mime not in _TEXT_KEEP:
            return PLAIN
    return mime


# --- ZIP / OOXML ------------------------------------------------------------

def _zip_type(path: Path, mime: str) -> str:
    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
            if "word/document.xml" not in names and "[Content_Types].xml" in names:
                # the main part may have another name (Word Online writes document2.xml)
                if _DOCX_MAIN_CT in zf.read("[Content_Types].xml"):
                    return DOCX
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        # Damaged archive: a local header naming word/document.xml still says DOCX,
        # so the DOCX parser can report it as corrupt rather than "unsupported".
        with path.open("rb") as fh:
            data = fh.read(4 * 1024 * 1024)
        if b"word/document.xml" in data or mime == DOCX:
            return DOCX
        return mime if mime != OCTET else ZIP
    if "word/document.xml" in names:
        return DOCX
    return mime if mime not in (OCTET, DOCX) else ZIP


# --- OLE2 / CFB ---------------------------------------------------------------

def ole_stream_names(path: Path) -> set[str]:
    """Names of the entries in an OLE2 compound file's directory (minimal CFB reader)."""
    with path.open("rb") as fh:
        data = fh.read()
    if not data.startswith(_OLE_MAGIC) or len(data) < 512:
        raise ValueError("not an OLE2 compound file")
    sector_shift = struct.unpack_from("<H", data, 0x1E)[0]
    if sector_shift not in (9, 12):
        raise ValueError(f"bad sector shift {sector_shift}")
    ssz = 1 << sector_shift
    num_fat, first_dir, _, _, _, first_difat, num_difat = struct.unpack_from("<IIIIIII", data, 0x2C)

    def sector(n: int) -> bytes:
        off = (n + 1) * ssz
        if off + ssz > len(data) + ssz:  # allow a short last sector
            raise ValueError(f"sector {n} beyond end of file")
        return data[off:off + ssz]

    difat = list(struct.unpack_from("<109I", data, 0x4C))
    d, guard = first_difat, 0
    while d < 0xFFFFFFFA and num_difat and guard < 10_000:
        entries = struct.unpack(f"<{ssz // 4}I", sector(d))
        difat.extend(entries[:-1])
        d, guard = entries[-1], guard + 1
    fat: list[int] = []
    for s in difat[:num_fat]:
        if s >= 0xFFFFFFFA:
            continue
        fat.extend(struct.unpack(f"<{ssz // 4}I", sector(s).ljust(ssz, b"\xff")))

    names: set[str] = set()
    s, seen = first_dir, set()
    while s < 0xFFFFFFFA and s not in seen and s < len(fat) + 1:
        seen.add(s)
        sec = sector(s)
        for i in range(0, len(sec) - 127, 128):
            name_len = struct.unpack_from("<H", sec, i + 0x40)[0]
            etype = sec[i + 0x42]
            if etype in (1, 2, 5) and 2 <= name_len <= 64:
                names.add(sec[i:i + name_len - 2].decode("utf-16-le", "replace"))
        s = fat[s] if s < len(fat) else 0xFFFFFFFE
    return names


def _ole_type(path: Path, mime: str) -> str:
    try:
        names = ole_stream_names(path)
    except Exception as exc:  # damaged directory: fall back to a byte search
        log.debug("OLE directory parse failed for %s: %s", path, exc)
        with path.open("rb") as fh:
            data = fh.read(16 * 1024 * 1024)
        names = {n for n in ("EncryptedPackage", "WordDocument")
                 if n.encode("utf-16-le") in data}
    if "EncryptedPackage" in names:
        return OOXML_ENCRYPTED
    if "WordDocument" in names:
        return MSWORD
    if mime in _OLE_TYPES or mime in (OCTET, None):
        return OLE_STORAGE
    return mime  # e.g. application/vnd.ms-excel, application/vnd.ms-powerpoint


# --- HTML / text sniffing ---------------------------------------------------------

_COMMENT_RE = re.compile(rb"\s*<!--.*?-->", re.S)
_HTML_START_RE = re.compile(
    rb"\s*<(!doctype\s+html|html[\s>]|head[\s>]|body[\s>]|meta[\s>]|title[\s>])", re.I)
_HTML_ANY_RE = re.compile(rb"<html[\s>]|<body[\s>]|<!doctype\s+html", re.I)


def _decode_head(head: bytes) -> bytes:
    """Bring UTF-16 heads to ASCII-compatible bytes for sniffing; drop a BOM."""
    if head.startswith(b"\xef\xbb\xbf"):
        return head[3:]
    for bom, enc in ((b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if head.startswith(bom):
            return head[2:].decode(enc, "ignore").encode("utf-8", "ignore")
    return head


def _looks_like_html(head: bytes) -> bool:
    h = _decode_head(head)
    pos = 0
    # skip leading comments (SharePoint pages start with <!--Timer:...-->) and <?xml ...?>
    while True:
        m = _COMMENT_RE.match(h, pos)
        if not m:
            break
        pos = m.end()
    rest = h[pos:].lstrip()
    if rest.startswith(b"<?xml"):
        end = rest.find(b"?>")
        rest = rest[end + 2:] if end >= 0 else rest
    if _HTML_START_RE.match(rest):
        return True
    return rest.startswith(b"<") and bool(_HTML_ANY_RE.search(h))


def _utf16_to_utf8(head: bytes) -> bytes:
    from .text import _utf16_without_bom

    text = _utf16_without_bom(head[: len(head) - len(head) % 2 - 2] or head)
    return text.encode("utf-8") if text is not None else b""


def _looks_like_utf16(head: bytes) -> bool:
    """BOM-less UTF-16 text (libmagic calls it data): NULs in every other byte."""
    return b"\x00" in head and bool(_utf16_to_utf8(head))


def _looks_like_text(head: bytes) -> bool:
    if head.startswith((b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf")):
        return True
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
        return True
    except UnicodeDecodeError as exc:
        if exc.start >= len(head) - 4:  # cut in the middle of a character
            return True
    # single-byte encodings (cp1258, cp1252): mostly printable bytes
    ctrl = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13))
    return ctrl <= len(head) * 0.01


def _sniff(head: bytes) -> str:
    """Fallback when libmagic is unavailable: magic bytes only."""
    if not head:
        return EMPTY
    if head.startswith(b"%PDF-") or b"%PDF-" in head[:1024]:
        return PDF
    if head.startswith(b"PK\x03\x04"):
        return ZIP
    if head.startswith(_OLE_MAGIC):
        return OLE_STORAGE
    if head.startswith(b"{\\rtf"):
        return RTF
    for magic_bytes, mime in (
        (b"\x89PNG\r\n\x1a\n", "image/png"), (b"\xff\xd8\xff", "image/jpeg"),
        (b"GIF87a", "image/gif"), (b"GIF89a", "image/gif"),
        (b"II*\x00", "image/tiff"), (b"MM\x00*", "image/tiff"),
        (b"\x1f\x8b", "application/gzip"), (b"Rar!", "application/x-rar"),
        (b"7z\xbc\xaf", "application/x-7z-compressed"),
    ):
        if head.startswith(magic_bytes):
            return mime
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if _looks_like_html(head):
        return HTML
    if _looks_like_text(head):
        return PLAIN
    if _looks_like_utf16(head):
        return HTML if _looks_like_html(_utf16_to_utf8(head)) else PLAIN
    return OCTET
