"""Debris that OCR reads from seals, stamps and ornaments.

On scans a receipt stamp ("CÔNG VĂN ĐẾN / Số / Ngày / Chuyển"), a seal or the
ornament under the type name is read as characters glued to summary and recipient
lines:
"-TRUNG TÂM CÔNG 810 & Tin HỌC O.NG ÃIj Về việc tăng cường ...",
"CỤ T§6 .J}LŸ-2 ị trên địa bàn tỉnh Quảng Ngãi", "^.^A,À k4 £ ˆ Lá Â° ˆ Ẩ ° Lá `-4".
"""
from __future__ import annotations

import re

from .prep import folded, is_upper
from .syllables import is_syllable

_CLEAN_CHARS = re.compile(r"^[\w\-/.,;:()\"“”'’%&+]+$")
_PUNCT = ",.;:()\"“”'’"
_VE_VIEC = re.compile(r"\b(?:ve viec|v/v)\b")


def is_noise(token: str) -> bool:
    """A token no printed summary holds: symbols (§ } ^ ° ` #) or letters that spell
    no syllable and no abbreviation ("ÃIj", "lpệ")."""
    if not _CLEAN_CHARS.match(token):
        return True
    core = token.strip(_PUNCT + "-")
    if not core:
        return False
    for part in re.split(r"[-/.&]", core):
        if not part or part.isdigit():
            continue
        if part.isalpha():
            if is_syllable(part) or (part.isupper() and len(part) <= 8):
                continue
            return True
        if not re.fullmatch(r"[A-ZĐ]+\d+|\d+[a-z]{1,2}\d?", part):   # QH13, m2
            return True
    return False


def without_debris(line: str, first_line: bool = False) -> str | None:
    """*line* without stamp debris; None when nothing of the summary is left.
    Only lines with clear debris (a symbol, or three unreadable words) are touched,
    so a summary naming "Zalo" or "Internet" stays whole."""
    tokens = line.split()
    noise = [is_noise(t) for t in tokens]
    symbols = sum(1 for t in tokens if not _CLEAN_CHARS.match(t))
    f = folded(line) or ""
    if first_line and (m := _VE_VIEC.search(f)) and m.start() > 0:
        before = line[: m.start()]
        if is_upper(before) or any(is_noise(t) for t in before.split()):
            return without_debris(line[m.start():], first_line=False)
    if not symbols and sum(noise) < 3:
        return line
    # in a line of debris, a lone letter is debris too ("ị trên địa bàn")
    noise = [n or (len(t) == 1 and t.isalpha()) for n, t in zip(noise, tokens)]
    last = max(i for i, n in enumerate(noise) if n)
    if len(tokens) - last - 1 >= 3:
        return " ".join(tokens[last + 1:])
    first = noise.index(True)
    if first >= 3:
        return " ".join(tokens[:first])
    return None
