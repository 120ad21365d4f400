"""The header of an administrative document (NĐ 30/2020, appendix I).

Reads, from the top of the text: the issuing body (parent line and issuer
line), the number and symbol (``Số: 05/TB-UBND``; blank number ``Số: /TB-UBND``
on signed PDFs; ``Luật số: 91/2015/QH13``), the place and date (``Quảng Ngãi,
ngày 23 tháng 5 năm 2024``, blank day or month allowed) and the secrecy and
urgency marks.

Three layouts reach us, all handled by the same rules:

* two columns on one line (pypdf layout mode, ``pdftotext -layout``, OCR):
  ``ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM`` /
  ``TỈNH QUẢNG NGÃI Độc lập - Tự do - Hạnh phúc`` /
  ``Số: /TB-UBND Quảng Ngãi, ngày tháng 01 năm 2025``: the issuer is the text
  left of the national motto, the place starts after the symbol;
* table cells in order (DOCX): issuer, ``Số:`` line, then motto, then date;
* one block per line (HTML, text converted from PDF): issuer, motto, number.

Digital-signature stamps printed above the header (``TRUNG TÂM CÔNG BÁO VÀ TIN
HỌC`` / e-mail / ``09.01.2025 10:21:11 +07:00``) are skipped.
"""
from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from .dates import LONG_DATE, handwritten, make_date
from .lexicon import GENERIC_ORGANS, ORGAN_HEADS, SECRECY, URGENCY
from .prep import Doc, fold_key, folded, is_rule, is_upper, tidy

ZONE_LINES = 30           # non-blank lines at the top where a header may sit

_MOTTO_1 = re.compile(r"cong\s*hoa\s*xa\s*hoi\s*chu\s*nghia\s*viet\s*nam"
                      r"|dang\s*cong\s*san\s*viet\s*nam")
_MOTTO_2 = re.compile(r"doc\s*lap\s*[-–]?\s*tu\s*do\s*[-–]?\s*hanh\s*phuc")
# A handwritten number read by OCR as a few stray characters ("Số: 9{ /QĐ-UBND",
# "Số: # /CT-UBND"): group nx; the number is unreadable, not blank.
_NUMBER = re.compile(
    r"^(?P<pre>(?:bo luat|luat|phap lenh|nghi quyet|an le)\s+)?so\s*(?P<colon>[:.])?\s*"
    rf"(?:(?P<num>\d{{1,5}}[a-z]?)|(?P<nx>{handwritten('/')}))?"
    r"[\s._…]*/\s*(?P<sym>[^\s,;]+)")
# OCR strews marks over the header ("ỦY BAN NHÂN DÂN _CỘNG HÒA ... ` VIỆT NAM")
_JUNK = re.compile(r"[^\w\s-]|_")
# Party documents: "Số 123-KH/TU" (number, type/issuer)
_PARTY_NUMBER = re.compile(r"^so\s*[:.]?\s*(?P<num>\d{1,5})\s*-\s*(?P<sym>[a-z]{1,5}/[^\s,;]+)")
_NO_NUMBER = re.compile(r"^so\s*:\s*khong so\b")
_STAMP = re.compile(r"\S+@\S+\.[a-z]{2,}|\d{1,2}:\d{2}(?::\d{2})?\s*[+-]\d{2}:?\d{2}"
                    r"|^(?:ky boi|nguoi ky|co quan|thoi gian ky|email)\s*:")
_PLACE_TOKEN = re.compile(r"^(?:TP\.|Tp\.|[^\W\d_][^\W\d_]*)$")


@dataclass
class Header:
    parent_body: str | None = None
    issuing_body: str | None = None
    number: str | None = None
    symbol: str | None = None
    number_blank: bool = False
    place: str | None = None
    issue_date: datetime.date | None = None
    issue_date_text: str | None = None
    secrecy: str | None = None
    urgency: str | None = None
    number_line: int | None = None
    last_line: int = -1       # index of the last header line (motto, number, date)
    found: bool = False       # a motto or a number line was seen


def read_header(doc: Doc) -> Header:
    h = Header()
    zone = _zone(doc)
    lines = doc.lines
    start = _after_stamps(lines, zone)
    m1 = m2 = None
    prefixes: dict[int, str] = {}
    for i in range(start, zone):
        f = folded(lines[i]) or ""
        fm = _JUNK.sub(" ", f)                   # same offsets
        if m1 is None and (m := _MOTTO_1.search(fm)):
            m1, prefixes[i] = i, _strip_junk(lines[i][: m.start()])
        elif m1 is not None and m2 is None and (m := _MOTTO_2.search(fm)):
            m2, prefixes[i] = i, _strip_junk(lines[i][: m.start()])
        if h.number_line is None:
            _read_number(h, lines[i], f, i)
    if m1 is None and h.number_line is None:
        return h
    h.found = True
    h.last_line = max(x for x in (m1, m2, h.number_line) if x is not None)
    _read_place_date(h, doc, start, min(zone, h.last_line + 6))
    _read_issuer(h, doc, start, m1, m2, prefixes)
    _read_marks(h, doc, start, min(zone, h.last_line + 4))
    return h


def _zone(doc: Doc) -> int:
    seen = 0
    for i, line in enumerate(doc.lines):
        if line:
            seen += 1
            if seen >= ZONE_LINES:
                return i + 1
    return len(doc.lines)


def _after_stamps(lines: list[str], zone: int) -> int:
    start = 0
    for i in range(min(zone, 12)):
        f = folded(lines[i]) or ""
        if _MOTTO_1.search(f) or f.startswith("so"):
            break
        if _STAMP.search(f):
            start = i + 1
    return start


def _read_number(h: Header, line: str, f: str, i: int) -> None:
    if _NO_NUMBER.match(f):
        h.number_line = i
        return
    p = _PARTY_NUMBER.match(f)
    if p and line[:1].isupper():
        h.number_line = i
        h.number = line[p.start("num"): p.end("num")]
        h.symbol = line[p.start("sym"): p.end("sym")].rstrip(".:")
        return
    m = _NUMBER.match(f)
    if not m:
        return
    # "Số:" with a capital at the start of a line, not the "số" of a sentence
    # that wraps onto a new line; without a colon only on a short line.
    if not m.group("pre") and not (line[:1].isupper()
                                   and (m.group("colon") or len(line) < 80)):
        return
    if m.group("nx") and not m.group("colon"):
        return
    symbol = line[m.start("sym"): m.end("sym")].rstrip(".:")
    if m.group("pre") and fold_key(m.group("pre")) == "an le":
        symbol = re.sub(r"(?<=AL)\d+$", "", symbol)   # footnote mark: "2023/AL1"
    if not re.search(r"[A-ZĐ]", symbol):
        return
    h.number_line = i
    h.symbol = symbol
    if m.group("num"):
        h.number = line[m.start("num"): m.end("num")]
    elif not m.group("nx"):
        h.number_blank = True


def _read_place_date(h: Header, doc: Doc, start: int, zone: int) -> None:
    for i in range(start, zone):
        line = doc.lines[i]
        f = folded(line)
        if not f or not (m := LONG_DATE.search(f)):
            continue
        place = _place_before(line[: m.start()])
        # Without a place, only a line holding nothing but the date counts.
        if not place and (line[: m.start()].strip(" ,") or line[m.end():].strip(" .")):
            continue
        h.place = place
        h.issue_date = make_date(m.group("d"), m.group("m"), m.group("y"))
        if h.issue_date is not None:           # as printed, spaced ("ngày 04tháng 02")
            h.issue_date_text = (f"ngày {m.group('d')} tháng {m.group('m')} "
                                 f"năm {m.group('y')}")
        elif not (m.group("dx") or m.group("mx")) and not (
                m.group("d") and m.group("m") and m.group("y")):
            h.issue_date_text = tidy(line[m.start(): m.end()])   # blank day or month
        # else: OCR misread the day or month ("ngày 80 tháng 3"): unreadable
        h.last_line = max(h.last_line, i)
        return


def _place_before(text: str) -> str | None:
    text = text.rstrip()
    if not text.endswith(","):
        return None
    words: list[str] = []
    for tok in reversed(text[:-1].split()):
        if not _PLACE_TOKEN.match(tok) or not tok[0].isupper() or (
                len(tok) > 1 and tok[1:].isupper() and not tok.endswith(".")):
            if tok.lower() in ("phố",) and words:    # "Thành phố Hồ Chí Minh"
                words.append(tok)
                continue
            break
        words.append(tok)
        if len(words) >= 6:
            break
    return " ".join(reversed(words)) or None


def _read_issuer(h: Header, doc: Doc, start: int, m1: int | None, m2: int | None,
                 prefixes: dict[int, str]) -> None:
    lines = doc.lines
    parts: list[str] = []
    anchors = [x for x in (m1, h.number_line) if x is not None]
    i = min(anchors) - 1
    while i >= start:                       # stacked: lines above the motto / number
        line = lines[i]
        if line and not is_rule(line):
            if not is_upper(line) or _MOTTO_2.search(folded(line) or ""):
                break
            parts.insert(0, _strip_rules(line))
        i -= 1
    beside = [prefixes[i] for i in (m1, m2)
              if i is not None and is_upper(prefixes.get(i, "")) and not is_rule(prefixes[i])]
    if beside:                              # two columns on one line
        parts.extend(beside)
        last = m2 if m2 is not None else m1
        stop = h.number_line if h.number_line is not None and h.number_line > last \
            else min(len(lines), last + 3)
        for i in range(last + 1, stop):
            if lines[i] and not is_rule(lines[i]):
                if not is_upper(lines[i]):
                    break
                parts.append(_strip_rules(lines[i]))
    bodies = _merge_bodies([p for p in parts if p])
    if bodies:
        h.issuing_body = bodies[-1]
        h.parent_body = bodies[-2] if len(bodies) >= 2 else None


def _strip_junk(text: str) -> str:
    return text.strip(" _-`'’|~^*.,:;\"“”")


def _strip_rules(line: str) -> str:
    return re.sub(r"[-_=*]{2,}", " ", line).strip()


def _merge_bodies(parts: list[str]) -> list[str]:
    """Join wrapped lines of one name; keep parent and issuer apart.

    ``ỦY BAN NHÂN DÂN`` + ``TỈNH QUẢNG NGÃI`` and ``HỘI ĐỒNG THẨM PHÁN`` +
    ``TÒA ÁN NHÂN DÂN TỐI CAO`` are one name; ``UBND TỈNH QUẢNG NGÃI`` +
    ``SỞ TƯ PHÁP`` are parent and issuer."""
    bodies: list[str] = []
    for part in parts:
        part = tidy(part)
        if bodies and _continues(bodies[-1], part):
            bodies[-1] = f"{bodies[-1]} {part}"
        else:
            bodies.append(part)
    return bodies


def _continues(prev: str, line: str) -> bool:
    fp, fl = fold_key(prev), fold_key(line)
    if fp.endswith((" va", " &", ",", "-")) or fl.startswith(("va ", "& ", "- ")):
        return True
    if fp in GENERIC_ORGANS:
        return True
    if any(fl == o or fl.startswith(o + " ") for o in ORGAN_HEADS):
        return False
    return True          # "TỈNH QUẢNG NGÃI", "TRUYỀN THÔNG": the rest of a name


def _read_marks(h: Header, doc: Doc, start: int, stop: int) -> None:
    for i in range(start, min(stop, len(doc.lines))):
        line = doc.lines[i]
        if not line:
            continue
        for table, attr in ((SECRECY, "secrecy"), (URGENCY, "urgency")):
            if getattr(h, attr) is None:
                value = _mark_in(line, table)
                if value:
                    setattr(h, attr, value)


def _mark_in(line: str, table: dict[str, str]) -> str | None:
    bare = re.sub(r"^[\s\[(|*\"“]+|[\s\])|*\"”.]+$", "", line)
    bare = re.sub(r"^(?:ĐỘ MẬT|ĐỘ KHẨN)\s*:\s*", "", bare)
    key = fold_key(bare)
    if key in table and is_upper(bare, 1.0):
        return table[key]
    # a mark printed at the end of a header line (two columns on one line)
    words = line.split()
    for n in (2, 1):
        if len(words) > n:
            tail = " ".join(words[-n:])
            before = words[-n - 1]
            if (fold_key(tail) in table and is_upper(tail, 1.0)
                    and not is_upper(before)):
                return table[fold_key(tail)]
    return None
