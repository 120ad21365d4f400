"""The ``Nơi nhận:`` list.

One recipient per bullet (``- ``, ``+ ``, ``•``); a line without a bullet
continues the bullet above while that one has not ended with ``;`` or ``.``
(``- Các Sở: Tài chính, Kế hoạch và Đầu tư,`` / ``Tài nguyên và Môi trường,``).
Signer text glued to the end of a line (two columns on one line) is cut off
first, using the columns the signer recogniser reported. The archive copy
line (``Lưu: VT, ...``) ends the list and is not a recipient; ``Như trên``
(the addressees under ``Kính gửi``) is kept as printed.
"""
from __future__ import annotations

import re

from .noise import without_debris
from .prep import Doc, fold_key, is_rule, tidy
from .signer import Signer, find_recipients_line, person_name

MAX_ITEMS = 60
_BULLET = re.compile(r"^[-+•–*]\s*")
_HEAD = re.compile(r"^\s*n[oơ]i\s*nh[aậ]n\s*[:.]?\s*", re.IGNORECASE)


def read_recipients(doc: Doc, signer: Signer) -> list[str]:
    nn = find_recipients_line(doc)
    if nn is None:
        return []
    lines = doc.lines
    items: list[str] = []
    current: list[str] | None = None
    blanks = 0
    for i in range(nn, min(len(lines), nn + 80)):
        line = lines[i]
        if i in signer.cuts:
            line = line[: signer.cuts[i]].rstrip()
        if i == nn:
            line = _HEAD.sub("", line, count=1)
        if not line:
            blanks += 1 if i != nn else 0
            if blanks >= 2 and items:
                break
            continue
        blanks = 0
        if is_rule(line) or line.strip(" .…") == "":
            continue
        bullet = _BULLET.match(line)
        text = line[bullet.end():] if bullet else line
        if bullet or current is None:
            if current is None and not bullet and i != nn and person_name(text):
                break                       # a signer's name the signer block missed
            if current is not None:
                items.append(tidy(" ".join(current)))
            if fold_key(text).startswith("luu"):
                current = None
                break
            current = [text]
        elif current[-1].rstrip().endswith((";", ".")):
            break                           # the list has ended
        else:
            current.append(text)
        if len(items) >= MAX_ITEMS:
            break
    if current is not None:
        items.append(tidy(" ".join(current)))
    return [item for item in (_strip(x) for x in items) if item]


def _strip(item: str) -> str:
    # on scans: seal debris instead of a recipient ("ˆ hi Lên, b ° ĐỘ Ã SH ÌHNHhp"),
    # doubled or added end punctuation ("CT, PCT UBND tỉnh:", "TTHC::", "tỉnh; -")
    item = without_debris(_SIGNED_MARK.sub("", item.strip())) or ""
    return _END_PUNCT.sub("", item)


# the signer column's "(Đã ký)" glued to a recipient line (two columns on one line)
_SIGNED_MARK = re.compile(r"\s*[(\[]\s*(?:đã ký|Đã ký|ĐÃ KÝ|đã ký và đóng dấu)\s*[)\]]\s*$")
_END_PUNCT = re.compile(r"[\s;,.:\-–]+$")
