"""Plain-text extraction with encoding detection.

Order: BOM (UTF-8, UTF-32, UTF-16) -> BOM-less UTF-16 (NUL pattern) -> a declared
charset (HTML only) -> strict UTF-8 -> Windows-1258 when tone-mark bytes follow
vowels (Vietnamese) -> charset-normalizer restricted to cp1252/cp1258 -> cp1252.
Every guessed (BOM-less, non-UTF-8) encoding is reported in the warnings.

Legacy Vietnamese 8-bit font encodings (TCVN3/ABC ``.VnTime``, VNI) decode as
Windows-1252/1258 mojibake (``§¶ng bé``); :mod:`app.extractors.encodings` converts
them afterwards (through the codec used here, see ``Parser.legacy_codec``).
"""
from __future__ import annotations

import codecs
import re
from pathlib import Path

from .base import TOO_LARGE, UNSUPPORTED, ExtractionError, ExtractionResult, Parser

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16 LE: it starts with the same bytes
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# Windows-1258: tone marks are separate combining bytes following the vowel.
_CP1258_TONES = frozenset(b"\xcc\xec\xde\xd2\xf2")
_CP1258_VOWELS = frozenset(b"aeiouyAEIOUY\xe2\xc2\xea\xca\xf4\xd4\xf5\xd5\xfd\xdd\xe3\xc3")


_SINGLE_BYTE_CANDIDATES = ("cp1252", "cp1258")


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 text without a BOM shows NULs in every other byte for ASCII characters."""
    sample = data[:65536]
    if len(sample) < 4:
        return None
    even_nuls = sample[0::2].count(0)
    odd_nuls = sample[1::2].count(0)
    half = len(sample) / 2
    for enc, hit, other in (("utf-16-le", odd_nuls, even_nuls), ("utf-16-be", even_nuls, odd_nuls)):
        if hit > 0.25 * half and other < 0.05 * half:
            try:
                text = data[: len(data) - len(data) % 2].decode(enc)
            except UnicodeDecodeError:
                return None
            # 16-bit binary tables can show the same NUL pattern: require readable text.
            sample_text = text[:20000]
            printable = sum(1 for c in sample_text if c.isprintable() or c in "\t\n\r\f")
            return text if printable >= 0.95 * len(sample_text) else None
    return None


def _is_cp1258_vietnamese(data: bytes) -> bool:
    """True when the bytes look like Vietnamese in Windows-1258 rather than Windows-1252.

    In cp1258 the five tone marks are combining bytes (0xCC, 0xEC, 0xDE, 0xD2, 0xF2)
    written right after a vowel; in cp1252 the same bytes are Ì ì Þ Ò ò, which almost
    never follow a vowel in Western text.
    """
    tones = after_vowel = 0
    prev = 0
    for b in data:
        if b in _CP1258_TONES:
            tones += 1
            if prev in _CP1258_VOWELS:
                after_vowel += 1
        prev = b
    return after_vowel >= 1 and after_vowel * 2 >= tones


def _is_binary(data: bytes) -> bool:
    sample = data[:65536]
    if not sample:
        return False
    nuls = sample.count(0)
    ctrl = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13, 27))
    return nuls > len(sample) * 0.01 or ctrl > len(sample) * 0.05


def decode_bytes(data: bytes, declared: str | None = None) -> tuple[str, str, list[str]]:
    """Decode *data*; return (text, encoding name, warnings).

    Raises ExtractionError('unsupported') for binary (mostly NUL/control) data.
    """
    warnings: list[str] = []
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(enc), enc, warnings
            except UnicodeDecodeError as exc:
                warnings.append(f"invalid {enc} after BOM at byte {exc.start}; replaced")
                return data.decode(enc, "replace"), enc, warnings

    if b"\x00" in data[:65536]:
        text = _utf16_without_bom(data)
        if text is not None:
            warnings.append("encoding guessed: UTF-16 without BOM")
            return text, "utf-16 (no BOM)", warnings
    if _is_binary(data):
        raise ExtractionError(UNSUPPORTED, "binary content (NUL/control bytes), not text")

    is_ascii = data.isascii()
    if declared:
        try:
            declared_norm = codecs.lookup(declared).name
        except LookupError:
            warnings.append(f"unknown declared charset {declared!r}")
            declared_norm = None
        if declared_norm and not is_ascii and declared_norm != "utf-8":
            # Pages often declare a Latin charset while being UTF-8: valid UTF-8 wins.
            try:
                text = data.decode("utf-8")
                warnings.append(f"declared charset {declared} but content is UTF-8")
                return text, "utf-8", warnings
            except UnicodeDecodeError:
                pass
            if declared_norm in ("cp1252", "iso8859-1", "latin-1") and _is_cp1258_vietnamese(data):
                warnings.append(f"declared charset {declared} but content is Windows-1258")
                return data.decode("cp1258", "replace"), "cp1258", warnings
        if declared_norm:
            try:
                return data.decode(declared_norm), declared_norm, warnings
            except UnicodeDecodeError:
                warnings.append(f"content does not match declared charset {declared}")

    try:
        return data.decode("utf-8"), ("ascii" if is_ascii else "utf-8"), warnings
    except UnicodeDecodeError as exc:
        if exc.start >= len(data) - 3 and exc.reason == "unexpected end of data":
            warnings.append("text ends in the middle of a UTF-8 character")
            return data.decode("utf-8", "replace"), "utf-8", warnings

    if _is_cp1258_vietnamese(data):
        warnings.append("encoding guessed: cp1258 (Vietnamese Windows)")
        return data.decode("cp1258", "replace"), "cp1258", warnings

    try:
        from charset_normalizer import from_bytes

        # Candidates limited to the encodings this archive meets (Vietnamese Windows,
        # Western Windows): unrestricted detection picks e.g. cp1250 on short text.
        best = from_bytes(data[:1_000_000], cp_isolation=list(_SINGLE_BYTE_CANDIDATES)).best()
    except Exception:  # pragma: no cover - charset-normalizer is a hard dependency
        best = None
    if best is not None and best.encoding:
        try:
            text = data.decode(best.encoding)
            warnings.append(f"encoding guessed: {best.encoding}")
            return text, best.encoding, warnings
        except (UnicodeDecodeError, LookupError):
            pass
    try:
        text = data.decode("cp1252")
        warnings.append("encoding guessed: cp1252")
        return text, "cp1252", warnings
    except UnicodeDecodeError:
        warnings.append("unknown encoding; decoded as UTF-8 with replacement characters")
        return data.decode("utf-8", "replace"), "utf-8", warnings


class TextParser(Parser):
    media_types = ("text/plain", "text/csv", "text/markdown")
    method = "plain-text"

    def _extract(self, path: Path) -> ExtractionResult:
        data = path.read_bytes()
        # Decoding can only grow the text by a constant factor; refuse early when huge.
        if len(data) > self.limits.max_chars * 4:
            raise ExtractionError(TOO_LARGE, f"{len(data)} bytes of text")
        text, encoding, warnings = decode_bytes(data)
        self.legacy_codec = legacy_codec(encoding)
        return ExtractionResult(text=text, page_count=None, method=self.method,
                                warnings=warnings)


def legacy_codec(encoding: str) -> str:
    """The single-byte codec through which TCVN3/VNI bytes are recovered."""
    try:
        name = codecs.lookup(encoding).name
    except LookupError:
        return "cp1252"
    return name if name in ("cp1258", "cp1252", "latin-1", "iso8859-1") else "cp1252"


_META_CHARSET_RE = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_XML_ENCODING_RE = re.compile(rb"""<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""", re.I)


def declared_html_charset(data: bytes) -> str | None:
    head = data[:8192]
    m = _META_CHARSET_RE.search(head) or _XML_ENCODING_RE.search(head)
    return m.group(1).decode("ascii") if m else None
