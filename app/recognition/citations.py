"""References to other documents in the body, and legal normative numbers.

A reference is anchored on a number/symbol (``1079/QĐ-TTg``, ``202/BTTTT-KHTC``,
``09/2017/NĐ-CP``, ``119A/QĐ-CA``, Party ``02-NQ/TW``) and read outwards like a
clerk would:

* type: the nearest capitalised type name before it in the same clause
  (``Quyết định số``, ``Luật Tổ chức Chính phủ số``, ``Bản án dân sự sơ thẩm
  số``); in a list (``Công văn số 4643/...; số 4975/...``) the type carries
  over; otherwise the type part of the symbol (``KH-UBND`` -> KH);
* date: ``ngày 14/9/2022``, ``ngày 01 tháng 10 năm 2023``, ``ngày 27-3-2017``
  right after it (or ``Ngày 25/10/2018, X đã ban hành ... số ...`` before it);
* issuer: ``của Thủ tướng Chính phủ`` after it, ``, Tòa án nhân dân tỉnh Cà Mau
  quyết định`` after the date, ``của Bộ Thông tin và Truyền thông tại Công văn
  số ...`` or ``UBND tỉnh Cao Bằng đã ban hành Kế hoạch số ...`` before it, or
  ``... do Ủy ban Thường vụ Quốc hội ban hành`` later in the clause; an issuer
  read before the type (``của X tại Tờ trình số A ... và Báo cáo số B``) holds
  for the rest of the clause.

Not references: the document's own ``Số:`` line, dates (``14/9/2022``),
``b/c``, and numbers without a symbol (``Phán quyết trọng tài số 75/17 HCM``).
Mentions of one document are merged (key and year): one Citation each.
"""
from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from app.text.vietnamese import normalize_number_symbol

from .dates import date_after, make_date
from .lexicon import ORGAN_HEADS, POSITION_HEADS, SYMBOL_TYPES, TYPE_NAMES
from .prep import Doc, folded, tidy

# Number / symbol. Parts start with a capital; "TTg", "TTr", "QyĐ" keep their
# lower-case letters. A symbol hyphenated across a line break is joined first.
NUMBER_SYMBOL = re.compile(
    r"(?<![\w/.])(?P<num>\d{1,5}[A-Za-z]?)\s?/\s?(?P<sym>(?:\d{4}\s?/\s?)?[A-ZĐ][A-Za-zĐđ0-9&]*"
    r"(?:(?:-|\s-(?=[A-ZĐ])|-\s(?=[A-ZĐ]))[A-ZĐ0-9][A-Za-zĐđ0-9&]*)*)"
    # Party documents: "02-NQ/TW", "212-TB/TU", "08-CTr/TU"
    r"|(?<![\w/.-])(?P<pnum>\d{1,5})-(?P<ptype>[A-ZĐ][A-Za-zĐđ]{0,4})/(?P<pis>[A-ZĐ][A-Za-zĐđ0-9]*"
    r"(?:-[A-ZĐ0-9][A-Za-zĐđ0-9]*)*)")
_HYPHEN_BREAK = re.compile(r"(\d/[^\s]*-)\s*\n\s*(?=[A-ZĐ])")
_GLUED_WORD = re.compile(r"(?<=[A-ZĐ0-9])(ngày|của|về|và|năm|tại)$")
# Court case symbols (bản án, quyết định giám đốc thẩm, kháng nghị): not normative.
_COURT_PARTS = frozenset(("DS", "HS", "HC", "KDTM", "LĐ", "LD", "HNGĐ", "HNGD", "PS",
                          "KN", "PQTT", "ST", "PT", "GĐT", "GDT", "DSST", "DSPT"))
_ISSUER_STOP = re.compile(
    r"\s(?:ve|phe duyet|huong dan|quy dinh|ban hanh|thuc hien|the hien|doi voi|da|duoc|"
    r"cho|nham|lap|quyet dinh|khang nghi|cho biet|ve viec|trien khai|sua doi|thi|"
    r"tai(?!\s+(?:[A-ZĐ]|thanh pho|tinh|ha noi))|va (?=[A-ZĐ]\w* so\b)|theo|de|co|ngay|nay|"
    r"hien|het|tiep|yeu cau|xac dinh|giao|gui|la|vi|nen|ma|khi|neu)\b")
_NEW_PART = re.compile(r"\n(?=(?:dieu|chuong|phan|muc|can cu|\d+\.)\s)")
_CLAUSE_END = re.compile(r"[;.:()“”\"]|\n\n")
MAX_TYPE_DISTANCE = 90     # characters between a type name and "số ..."
# longest names first, so "quyet dinh giam doc tham" wins over "quyet dinh"
_TYPE_NAME_RE = re.compile(r"(?<!\w)(?:" + "|".join(
    re.escape(n) for n in sorted(TYPE_NAMES, key=len, reverse=True)) + r")(?!\w)")
_NEXT_TO_NUMBER = re.compile(r"\s*(?:so\s*)?")
GENERIC_TYPE = "generic"   # "văn bản": a công văn unless the symbol says otherwise


@dataclass
class Citation:
    doc_type: str | None
    number_symbol: str
    key: str
    year: int | None
    date: datetime.date | None
    issuer: str | None
    text: str


def citation_text(doc: Doc) -> str:
    """The body as one string: lines joined, symbols broken at a hyphen rejoined."""
    text = "\n".join(doc.lines)
    text = _HYPHEN_BREAK.sub(r"\1", text)
    return text


def find_all(text: str) -> list[Citation]:
    folded_text = folded(text) or ""
    if len(folded_text) != len(text):
        return []
    found: list[Citation] = []
    prev_end, prev_type = -10, None
    carried: tuple[str, int] | None = None      # (issuer, clause end)
    for m in NUMBER_SYMBOL.finditer(text):
        ns = _clean_symbol(m)
        if ns is None or _is_own_number(text, m.start()):
            continue
        start, end = m.start(), m.start() + len(ns)
        type_start, doc_type = _type_before(text, folded_text, start)
        if doc_type == GENERIC_TYPE:                # "văn bản số 92/TTr-UBND"
            doc_type = _type_from_symbol(ns) or "CV"
        if doc_type is None and prev_type and _continues_list(folded_text, prev_end, start):
            doc_type = prev_type
        if doc_type is None:
            doc_type = _type_from_symbol(ns)
        date = None
        issuer = None
        ref_end = end
        d = date_after(folded_text, end)
        if d:
            date, ref_end = d[0], d[1]
        after = _issuer_after(text, folded_text, ref_end)
        if after:
            issuer, ref_end = after
        if issuer is None or date is None:
            pre_date, pre_issuer = _context_before(text, folded_text, type_start)
            date = date or pre_date
            if issuer is None and pre_issuer:
                issuer = pre_issuer
                carried = (pre_issuer, _clause_end(folded_text, ref_end))
        if issuer is None and carried and start < carried[1]:
            issuer = carried[0]
        if issuer is None:
            issuer = _issuer_later(text, folded_text, ref_end)
        year = date.year if date else _year_of(ns)
        ref_start = type_start if type_start is not None else start
        if type_start is None and re.search(r"so\s*$", folded_text[max(0, start - 5):start]):
            ref_start = folded_text.rfind("so", 0, start)      # "số 4975/UBND-KGVX" in a list
        found.append(Citation(doc_type=doc_type, number_symbol=ns,
                              key=normalize_number_symbol(ns), year=year, date=date,
                              issuer=issuer, text=tidy(text[ref_start:ref_end])))
        prev_end, prev_type = ref_end, doc_type
    return merge(found)


def _clean_symbol(m: re.Match[str]) -> str | None:
    ns = re.sub(r"\s+", "", m.group())
    ns = _GLUED_WORD.sub("", ns)            # "356/2025/NĐ-CPngày"
    if m.group("pnum"):
        return ns
    ns = re.sub(r"(?<=/AL)\d+$", "", ns)    # footnote mark: "69/2023/AL1"
    sym = ns.split("/", 1)[1]
    if not re.search(r"[A-ZĐ]{1,}", sym):
        return None
    return ns


def _is_own_number(text: str, start: int) -> bool:
    """The document's own ``Số: ...`` / ``Luật số: ...`` / ``ÁN LỆ SỐ ...`` line."""
    line_start = text.rfind("\n", 0, start) + 1
    head = text[line_start:start]
    return bool(re.match(r"^(?:Số|SỐ)\s*[:.]?\s*$"
                         r"|^(?:Bộ luật|Luật|Pháp lệnh|Nghị quyết|LUẬT)\s+(?:số|Số|SỐ)\s*:\s*$"
                         r"|^(?:ÁN LỆ|Án lệ)\s+(?:SỐ|số)\s*$", head))


def _type_before(text: str, ftext: str, start: int) -> tuple[int | None, str | None]:
    """(offset, key) of the nearest type name before *start* in the same clause:
    capitalised (``Quyết định kháng nghị ... số`` is a Quyết định) or right
    before ``số`` (``công văn số``)."""
    lo = max(0, start - MAX_TYPE_DISTANCE)
    window = ftext[lo:start]
    cut = _last_break(window, ";.:()")
    if cut >= 0:
        window, lo = window[cut + 1:], lo + cut + 1
    window = window.replace("\n", " ")       # "Công\nvăn số"
    best: tuple[int | None, str | None] = (None, None)
    for m in _TYPE_NAME_RE.finditer(window):
        pos = lo + m.start()
        if text[pos].isupper() or _NEXT_TO_NUMBER.fullmatch(window, m.end()):
            name = m.group()
            best = (pos, GENERIC_TYPE if name == "van ban" else TYPE_NAMES[name])
    return best


def _clause_end(ftext: str, pos: int) -> int:
    ends = [k for k in (ftext.find(";", pos), ftext.find(".", pos), ftext.find("\n\n", pos))
            if k >= 0]
    return min(ends) if ends else len(ftext)


def _last_break(window: str, chars: str) -> int:
    """Offset of the last clause break in *window* (a character of *chars*
    other than a decimal point or the "./." end mark, or a blank line)."""
    cut = window.rfind("\n\n")
    for c in chars:
        k = window.rfind(c)
        while k >= 0 and c == "." and 0 < k < len(window) - 1 and (
                window[k - 1].isdigit() and window[k + 1].isdigit()):
            k = window.rfind(c, 0, k)
        cut = max(cut, k)
    return cut


def _continues_list(ftext: str, prev_end: int, start: int) -> bool:
    gap = ftext[prev_end:start]
    return 0 <= len(gap) <= 12 and re.fullmatch(r"[\s;,]*(?:va\s+)?(?:so\s*)?", gap) is not None


def _type_from_symbol(ns: str) -> str | None:
    party = re.match(r"^\d+-([^/]+)/", ns)
    if party:
        return SYMBOL_TYPES.get(party.group(1).upper())
    body = ns.split("/")[-1]
    first = body.split("-")[0].upper()
    return SYMBOL_TYPES.get(first)


def _year_of(ns: str) -> int | None:
    m = re.match(r"^\d+[A-Za-z]?/(\d{4})/", ns)
    return int(m.group(1)) if m else None


def _issuer_after(text: str, ftext: str, pos: int) -> tuple[str, int] | None:
    m = re.match(r"[\s,]{0,3}cua\s+", ftext[pos: pos + 12])
    if m:
        return _issuer_at(text, ftext, pos + m.end())
    m = re.match(r"\s*,\s*", ftext[pos: pos + 5])
    if m and text[pos + m.end(): pos + m.end() + 1].isupper():
        begin = pos + m.end()
        head = ftext[begin: begin + 30].replace("\n", " ")
        if any(head.startswith(h + " ") for h in ORGAN_HEADS + POSITION_HEADS):
            found = _issuer_at(text, ftext, begin)
            if found and re.match(r"\s+(?:quyet dinh|khang nghi|cho biet|ban hanh|xet xu)\b",
                                  ftext[found[1]: found[1] + 15]):
                return found
    return None


def _issuer_at(text: str, ftext: str, begin: int) -> tuple[str, int] | None:
    limit = begin + 160
    end_m = _CLAUSE_END.search(ftext, begin, limit)
    end = end_m.start() if end_m else min(limit, len(ftext))
    comma = ftext.find(",", begin, end)
    if comma >= 0:
        end = comma
    new_part = _NEW_PART.search(ftext, begin, end)
    if new_part:
        end = new_part.start()
    stop = _ISSUER_STOP.search(ftext, begin, end)
    if stop:
        end = stop.start()
    issuer = tidy(text[begin:end])
    words = issuer.split()
    if not words or len(words) > 16 or not issuer[:1].isupper():
        return None
    return issuer, begin + len(text[begin:end].rstrip())


def _context_before(text: str, ftext: str, type_start: int | None
                    ) -> tuple[datetime.date | None, str | None]:
    if type_start is None:
        return None, None
    lo = max(0, type_start - 160)
    window = ftext[lo:type_start]
    cut = _last_break(window, ";.")
    date = None
    issuer = None
    m = re.search(r"cua\s+(?P<iss>[^,;.]{3,100}?)\s+tai\s*$", window)
    if m:
        issuer = tidy(text[lo + m.start("iss"): lo + m.end("iss")])
    m = re.search(r"ngay\s*(?P<d>\d{1,2})\s*/\s*(?P<m>\d{1,2})\s*/\s*(?P<y>\d{4})\s*,\s*"
                  r"(?P<iss>[^,;.]{3,80}?)\s+(?:da\s+)?ban hanh\s*$", window[cut + 1:])
    if m:
        base = lo + cut + 1
        date = make_date(m.group("d"), m.group("m"), m.group("y"))
        issuer = issuer or tidy(text[base + m.start("iss"): base + m.end("iss")])
    if issuer and not issuer[:1].isupper():
        issuer = None
    return date, issuer


def _issuer_later(text: str, ftext: str, pos: int) -> str | None:
    end_m = _CLAUSE_END.search(ftext, pos, pos + 250)
    end = end_m.start() if end_m else min(len(ftext), pos + 250)
    m = re.search(r"\bdo\s+(?P<iss>[^,;]{3,80}?)\s+ban hanh\b", ftext[pos:end])
    if not m:
        return None
    issuer = tidy(text[pos + m.start("iss"): pos + m.end("iss")])
    return issuer if issuer[:1].isupper() else None


def merge(citations: list[Citation]) -> list[Citation]:
    """One Citation per cited document (same key; a different explicit year
    is a different document), attributes filled from later mentions."""
    out: list[Citation] = []
    for c in citations:
        same = next((o for o in out if o.key == c.key and (
            o.year is None or c.year is None or o.year == c.year)), None)
        if same is None:
            out.append(c)
            continue
        same.doc_type = same.doc_type or c.doc_type
        same.date = same.date or c.date
        same.year = same.year or c.year
        same.issuer = same.issuer or c.issuer
        if len(c.text) > len(same.text) and c.date and c.issuer and not (
                same.date and same.issuer):
            same.text = c.text
    return out


def is_legal_number(ns: str) -> bool:
    """A normative number with its year (``09/2017/NĐ-CP``, ``91/2015/QH13``,
    ``26/2018/AL``), not a court case number (``30/2012/DS-ST``)."""
    m = re.match(r"^\d+[A-Za-z]?/\d{4}/(.+)$", ns)
    if not m:
        return False
    parts = {p.upper() for p in m.group(1).split("-")}
    return not (parts & _COURT_PARTS)


def legal_numbers(text: str) -> list[str]:
    seen: dict[str, str] = {}
    for m in NUMBER_SYMBOL.finditer(text):
        ns = _clean_symbol(m)
        if ns and is_legal_number(ns):
            seen.setdefault(normalize_number_symbol(ns), ns)
    return list(seen.values())
