"""Document type and summary (trích yếu).

The type name is printed on its own line under the header, in capitals
(``KẾ HOẠCH``, ``QUYẾT ĐỊNH``, ``BỘ LUẬT``), and the summary follows it on one
or more lines. A công văn has no type line: its summary is the ``V/v ...``
block under the number. An án lệ opens with ``ÁN LỆ SỐ 69/2023/AL`` (number
included). When none of these is printed, the type is read from the symbol
(``TB-UBND`` -> TB; a symbol without a type part, ``UBND-KGVX``, is a công văn).

The summary ends at a blank line, a rule (``-----``), a change between capitals
and ordinary text, or the first words of the body (``Căn cứ``, ``Thực hiện``,
``Ngày 03/01/2025``, ``Kính gửi`` ...).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .dates import LONG_DATE
from .header import Header
from .lexicon import SYMBOL_TYPES, TYPE_LINE_NAMES
from .noise import without_debris
from .prep import Doc, all_caps, fold_key, folded, is_rule, is_upper, tidy

MAX_SUMMARY_LINES = 8
_AN_LE = re.compile(r"^an\s*le\s*so\s*(?P<num>\d{1,4}[a-z]?)\s*/\s*(?P<y>\d{4})\s*/\s*al\d*\b\s*")
_VV = re.compile(r"^(?:v\s*/\s*v|ve viec)\b[\s.:]*")
# Openings of the body (folded), for a line that starts with a capital.
_BODY_START = re.compile(
    r"^(?:can cu|thuc hien|theo|ngay \d|kinh gui|xet|de |nham|tren co so|sau khi|duoc "
    r"|chuong [ivxlc\d]+\b|dieu \d|phan thu|phan [ivx]+\b|loi noi dau|nguon an le"
    r"|[ivx]+\.|\d+\.|[a-z]\)|trong thoi gian|vua qua|hien nay|qua |tiep theo)")


@dataclass
class TypeInfo:
    doc_type: str | None = None
    summary: str | None = None
    number: str | None = None     # from an "ÁN LỆ SỐ ..." line
    symbol: str | None = None
    line: int | None = None


def read_type(doc: Doc, header: Header) -> TypeInfo:
    lines = doc.lines
    info = TypeInfo()
    first = doc.next_nonblank(0)
    if first is not None and (f := folded(lines[first])) and (m := _AN_LE.match(f)):
        info.doc_type, info.line = "AL", first
        info.number = lines[first][m.start("num"): m.end("num")]
        info.symbol = f"{m.group('y')}/AL"
        rest = lines[first][m.end():].strip()
        info.summary = _summary(doc, first + 1, rest or None)
        return info
    if not header.found:
        return info
    start = header.number_line if header.number_line is not None else header.last_line
    seen = 0
    for i in range(start + 1, len(lines)):
        line = lines[i]
        if not line:
            continue
        seen += 1
        if seen > 10:
            break
        f = folded(line) or ""
        if i > header.last_line or header.number_line is None:
            key, rest = _type_line(line)
            if key:
                info.doc_type, info.line = key, i
                info.summary = _summary(doc, i + 1, rest, header.issuing_body)
                return info
        if _VV.match(f):
            info.doc_type, info.line = "CV", i
            info.summary = _vv_summary(doc, i)
            return info
    info.doc_type = type_from_symbol(header.symbol)
    return info


def type_from_symbol(symbol: str | None) -> str | None:
    """``TB-UBND`` -> TB; ``2019/NĐ-CP`` -> ND; ``UBND-KGVX`` -> CV (NĐ 30: a
    công văn's symbol has no type part)."""
    if not symbol:
        return None
    party = re.match(r"^([A-ZĐ][A-Za-zĐđ]{0,4})/", symbol)      # "KH/TU"
    if party:
        return SYMBOL_TYPES.get(party.group(1).upper())
    body = symbol.split("/")[-1]
    first = body.split("-")[0].upper()
    if first in SYMBOL_TYPES:
        return SYMBOL_TYPES[first]
    if "/" in symbol:          # a legal normative number: unknown without its type line
        return None
    return "CV" if "-" in body else None


def _type_line(line: str) -> tuple[str | None, str | None]:
    """(type key, text after the type name on the same line) for a type line."""
    words = line.split()
    lead = 0
    while lead < len(words) and all_caps(words[lead]):
        lead += 1
    if not lead:
        return None, None
    for n in range(min(lead, 4), 0, -1):
        name = " ".join(words[:n])
        key = TYPE_LINE_NAMES.get(fold_key(name))
        if key:
            return key, " ".join(words[n:]).strip(" :-") or None
    if lead == len(words):                            # "T H Ô N G  B Á O"
        return _SPACED_NAMES.get(fold_key(line).replace(" ", "")), None
    return None, None


_SPACED_NAMES = {name.replace(" ", ""): key for name, key in TYPE_LINE_NAMES.items()}


def _summary(doc: Doc, start: int, first: str | None, issuer: str | None = None) -> str | None:
    """The trích yếu after the type line; it ends before the enacting authority printed
    on its own line (``CHÍNH PHỦ`` / ``Căn cứ ...`` in a nghị định)."""
    lines = doc.lines
    issuer_key = fold_key(issuer) if issuer else None
    parts: list[str] = [first] if first else []
    upper = is_upper(first) if first else None
    i = start
    while i < len(lines) and len(parts) < MAX_SUMMARY_LINES:
        line = lines[i]
        if not line:
            if parts:
                break
            i += 1
            if i - start > 2:
                break
            continue
        if is_rule(line) or _starts_body(line) or (issuer_key and fold_key(line) == issuer_key):
            break
        line = without_debris(line, first_line=not parts)
        if line is None:                    # a line of seal or stamp debris
            if parts:
                break
            i += 1
            continue
        line_upper = is_upper(line)
        if upper is None:
            upper = line_upper
        elif line_upper != upper and len(line.split()) > 1:
            break
        parts.append(re.sub(r"[-_]{3,}$", "", line).strip())
        i += 1
    text = tidy(" ".join(parts))
    return text or None


def _starts_body(line: str) -> bool:
    if not line[:1].isupper() and not line[:1].isdigit():
        return False
    return bool(_BODY_START.match(folded(line) or ""))


def _vv_summary(doc: Doc, i: int) -> str | None:
    lines = doc.lines
    f = folded(lines[i]) or ""
    m = _VV.match(f)
    parts = [_cut_date(lines[i][m.end():])]
    j = i + 1
    while j < len(lines) and len(parts) < MAX_SUMMARY_LINES:
        line = lines[j]
        if not line or is_rule(line) or _starts_body(line) or fold_key(line).startswith(
                ("kinh gui", "noi nhan")) or (is_upper(line) and len(line.split()) > 1):
            break
        parts.append(_cut_date(line))
        j += 1
    text = tidy(" ".join(p for p in parts if p))
    return text or None


def _cut_date(line: str) -> str:
    """Drop a place-and-date printed beside the V/v block (two columns)."""
    f = folded(line)
    m = LONG_DATE.search(f) if f else None
    if not m:
        return line.strip()
    before = line[: m.start()].rstrip(" ,")
    words = before.split()
    while words and words[-1][:1].isupper():      # the place: "Quảng Ngãi"
        words.pop()
    return " ".join(words)
