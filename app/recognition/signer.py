"""The signer block: authority marks, position, name.

``TL. CHỦ TỊCH`` / ``KT. CHÁNH VĂN PHÒNG`` / ``PHÓ CHÁNH VĂN PHÒNG`` /
``Nguyễn Phước Bình``. The block sits beside the ``Nơi nhận:`` list, so in text
from a PDF (pypdf layout mode, pdftotext, OCR) each of its lines is often glued
to the end of a recipient line: ``- CT, PCT UBND tỉnh; KT. CHÁNH VĂN PHÒNG``,
``- Lưu: VT, KTTHh5. Nguyễn Phước Bình``; in reading order (PDFium) the first mark
may follow ``Nơi nhận:`` and the others come after the whole list. The recogniser finds the pieces at
line ends and reports where each starts (``Signer.cuts``), so the recipients
recogniser can cut them off again.

Order of reading: the first run of authority marks (TM., KT., Q., TL., TUQ.)
near ``Nơi nhận``; the position is the capital line after the last mark (or
the text of the last mark); without marks, a line that is a position
(``CHỦ TỊCH QUỐC HỘI``, ``Chủ tịch Quốc hội``) followed by a name. The name is
the first person's name after that (2-5 capitalised words starting with a
family name), skipping ``(Đã ký)``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from app.text.vietnamese import has_diacritics

from .lexicon import POSITION_HEADS, POSITION_NAMES, SURNAMES, SURNAMES_FOLDED
from .prep import Doc, all_caps, fold_key, folded, is_upper, tidy

_MARK = re.compile(r"(?:^|(?<=[\s;,.:)]))(?P<mark>TM|KT|TL|TUQ|Q|T/M|K/T|T/L)\s*\.\s*"
                   r"(?P<rest>\S.*?)\s*$")
_SIGNED = re.compile(r"^[(\[]?\s*(?:da ky|ky|ky ten|ky so|ky, dong dau|daky|chu ky)\b.*$")
_NOT_NAMES = frozenset(("ha noi", "ha tinh", "ha giang", "ha nam", "cao bang", "lam dong",
                        "ho chi minh", "ha long", "tay ninh", "son la", "kim boi"))
_POSITION_BY_KEY = {fold_key(name): name for name in POSITION_NAMES}
_NAME_TOKEN = re.compile(r"^[^\W\d_][^\W\d_'’-]*(?:['’-][^\W\d_]+)*$")


@dataclass
class Signer:
    authorities: list[str] = field(default_factory=list)
    position: str | None = None
    name: str | None = None
    cuts: dict[int, int] = field(default_factory=dict)   # line -> column where signer text starts


def find_recipients_line(doc: Doc) -> int | None:
    """The ``Nơi nhận:`` heading: the words alone or followed by a colon, not a sentence
    about recipients (``Nơi nhận xác định những cơ quan ...`` in a regulation)."""
    for i, line in enumerate(doc.lines):
        if line[:1] in "NnN" and _RECIPIENTS_HEAD.match(fold_key(line[:40])):
            return i
    return None


_RECIPIENTS_HEAD = re.compile(r"^noi nhan\s*(?::|\.$|$|\.\s*-)")


def read_signer(doc: Doc) -> Signer:
    lines = doc.lines
    s = Signer()
    nn = find_recipients_line(doc)
    if nn is not None:
        window = range(max(0, nn - 12), min(len(lines), nn + 45))
    else:
        window = range(max(0, len(lines) - 40), len(lines))
    marks = _marks(lines, window)
    anchor = None
    if marks:
        for i, col, mark, rest in marks:
            s.authorities.append(mark)
            s.cuts[i] = col
        last_line, _, _, last_rest = marks[-1]
        anchor = last_line
        for j in range(last_line + 1, min(window.stop, last_line + 5)):
            pos = _position_in(lines[j], fuzzy=True)
            if pos:
                s.position, s.cuts[j], anchor = pos[1], pos[0], j
                break
        if s.position is None and last_rest:
            s.position = last_rest
    else:
        for j in reversed(window):
            pos = _position_in(lines[j], whole_only=nn is None)
            if pos and _name_after(lines, j, window.stop, limit=6):
                s.position, s.cuts[j], anchor = pos[1], pos[0], j
                break
    if anchor is None:
        return s
    found = _name_after(lines, anchor, window.stop)
    if found:
        j, col, name = found
        s.name, s.cuts[j] = name, min(col, s.cuts.get(j, col))
    return s


def _marks(lines: list[str], window: range) -> list[tuple[int, int, str, str]]:
    found: list[tuple[int, int, str, str]] = []
    for i in window:
        m = _MARK.search(lines[i])
        if not m or not is_upper(m.group("rest"), 1.0):
            continue
        if found and i - found[-1][0] > 3 and not _only_recipients(lines, found[-1][0] + 1, i):
            break
        mark = m.group("mark").replace("/", "") + "."
        found.append((i, m.start(), mark, tidy(m.group("rest"))))
    return found


def _only_recipients(lines: list[str], start: int, stop: int) -> bool:
    """Lines start..stop-1 are a recipients list: text in reading order (PDFium, plain
    text) gives ``Nơi nhận: TL. CHỦ TỊCH``, the list, then ``KT. CHÁNH VĂN PHÒNG``."""
    return all(not line or line.startswith(("-", "+", "•")) or not is_upper(line)
               for line in lines[start:stop])


def _position_in(line: str, whole_only: bool = False,
                 fuzzy: bool = False) -> tuple[int, str] | None:
    """(column, text) of a position at the end of *line* (or the whole line)."""
    if not line or line.startswith(("-", "+", "•")):
        candidates = []
    else:
        candidates = [(0, line)]
    if not whole_only:
        words = line.split()
        k = len(words)
        while k > 0 and all_caps(words[k - 1]):
            k -= 1
        if 0 < k < len(words) and len(words) - k >= 2:
            tail = " ".join(words[k:])
            candidates.append((line.rfind(tail), tail))
    for col, text in candidates:
        text = text.strip()
        if text.endswith((",", ";")) or len(text.split()) > 9:
            continue
        if not (is_upper(text) or (col == 0 and text[:1].isupper())):
            continue
        key = fold_key(text)
        if any(key == h or key.startswith(h + " ") for h in POSITION_HEADS):
            return col, tidy(text)
        if fuzzy and is_upper(text) and (name := _near_position(key)):
            return col, name.upper()
    return None


def _near_position(key: str) -> str | None:
    """The position one letter away from *key* (OCR: ``PHÓ CHỦ TỊC``), if only one is."""
    if len(key) < 8:
        return None
    near = {_POSITION_BY_KEY[h] for h in POSITION_HEADS if _one_edit(key, h)}
    return near.pop() if len(near) == 1 else None


def _one_edit(a: str, b: str) -> bool:
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    return a[i:] == b[i + 1:] or (len(a) == len(b) and a[i + 1:] == b[i + 1:])


def _name_after(lines: list[str], anchor: int, stop: int,
                limit: int = 30) -> tuple[int, int, str] | None:
    for j in range(anchor + 1, min(stop, anchor + 1 + limit)):
        line = lines[j]
        if not line or _SIGNED.match(folded(line) or ""):
            continue
        name = person_name(line)
        if name:
            return j, 0, name
        m = re.search(r"[.,;:)]\s+(?=[^.,;:)]*$)", line)
        if m:
            name = person_name(line[m.end():])
            if name:
                return j, m.end(), name
    return None


def person_name(text: str) -> str | None:
    """*text* when it is a person's name: 2-5 capitalised words, the first a
    Vietnamese family name (``Nguyễn Phước Bình``, ``NGUYỄN VĂN A``)."""
    words = text.split()
    if not 2 <= len(words) <= 5:
        return None
    if not all(_NAME_TOKEN.match(w) for w in words):
        return None
    upper = all(w.isupper() for w in words)
    if not upper and not all(w[0].isupper() and (len(w) == 1 or not w[1:].isupper()
                                                 or len(w) <= 2) for w in words):
        return None
    if not upper and any(w[1:] and not w[1:].islower() and "'" not in w for w in words[1:]):
        return None
    key = fold_key(text)
    lead = " ".join(key.split()[:2])
    if any(h.startswith(lead) for h in POSITION_HEADS):    # "PHÓ CHỦ TỊC": Phó is a surname
        return None
    first = words[0].lower()
    # with diacritics the family name must match exactly (folded "Bộ" would be "Bồ")
    known = first in SURNAMES if has_diacritics(first) else key.split()[0] in SURNAMES_FOLDED
    if not known or key in _NOT_NAMES:
        return None
    return tidy(text)
