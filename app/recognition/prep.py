"""Text preparation shared by the recognisers: lines as a clerk sees them.

* NFC, one tone-mark placement, odd spaces (``app.text.vietnamese.normalize``);
* page breaks become line breaks; bare page numbers are dropped;
* each line has its runs of spaces collapsed (a ``pdftotext -layout`` line and
  the same line from pypdf then look alike) and split syllables repaired;
* "double-spaced" text (a blank line after nearly every line, as in text
  pasted from Word or converted from PDF) is closed up, so that a blank line
  keeps meaning "end of a block" for the recognisers.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from app.text.vietnamese import fold, normalize, repair_d

from .syllables import repair_splits

_SPACES_RE = re.compile(r"[ \t\u00a0]+")
_PAGE_NUMBER_RE = re.compile(r"^(?:-\s*)?\d{1,3}(?:\s*-)?$")
_BEFORE_PUNCT_RE = re.compile(r"\s+([,;:.!?)\]”])")
_AFTER_OPEN_RE = re.compile(r"([(\[“])\s+")
RULE_RE = re.compile(r"^[\s\-_=*~.·•–—]+$")


@dataclass
class Doc:
    lines: list[str]          # cleaned lines; "" is a blank line
    double_spaced: bool

    def next_nonblank(self, i: int, limit: int | None = None) -> int | None:
        end = len(self.lines) if limit is None else min(len(self.lines), limit)
        for j in range(i, end):
            if self.lines[j]:
                return j
        return None


def clean_line(line: str) -> str:
    line = _SPACES_RE.sub(" ", line).strip()
    return repair_splits(line) if " " in line else line


_SYMBOL_UNDERSCORE_RE = re.compile(r"(/[A-ZĐ]{1,6})_(?=[A-ZĐ])")


def prepare(text: str) -> Doc:
    # Ð (eth) for Đ and a doubled Đ ("HĐÐĐND") are OCR and legacy-font slips; an
    # underscore between capitals is a typed hyphen ("10/2007/QĐ_BKHCN")
    text = repair_d(normalize(text or ""))
    text = _SYMBOL_UNDERSCORE_RE.sub(r"\1-", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    lines = [clean_line(raw) for raw in text.split("\n")]
    lines = [ln for ln in lines if not _PAGE_NUMBER_RE.match(ln)]
    double = _is_double_spaced(lines)
    if double:
        closed: list[str] = []
        blanks = 0
        for ln in lines:
            if not ln:
                blanks += 1
                continue
            if blanks >= 2 and closed:
                closed.append("")
            blanks = 0
            closed.append(ln)
        lines = closed
    return Doc(lines=lines, double_spaced=double)


def _is_double_spaced(lines: list[str]) -> bool:
    nonblank = sum(1 for ln in lines if ln)
    if nonblank < 6:
        return False
    spaced = sum(1 for i in range(len(lines) - 2)
                 if lines[i] and not lines[i + 1] and lines[i + 2])
    return spaced > 0.6 * nonblank


def tidy(text: str) -> str:
    """Collapse whitespace and remove spaces before closing punctuation."""
    text = _SPACES_RE.sub(" ", text.replace("\n", " ")).strip()
    text = _BEFORE_PUNCT_RE.sub(r"\1", text)
    return _AFTER_OPEN_RE.sub(r"\1", text)


def folded(text: str) -> str | None:
    """``fold(text)`` when it keeps character offsets (true for normalised
    text), else None."""
    f = fold(text)
    return f if len(f) == len(text) else None


def fold_key(text: str) -> str:
    """Folded text with runs of spaces collapsed (for dictionary look-ups)."""
    return " ".join(fold(text).split())


def all_caps(text: str) -> bool:
    """Every letter a capital (at least one letter): ``TỊCH``, ``KT.``, ``QĐ-UBND``."""
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters)


def is_upper(text: str, ratio: float = 0.85) -> bool:
    """Mostly capital letters (at least two letters)."""
    letters = [c for c in text if c.isalpha()]
    if len(letters) < 2:
        return False
    return sum(1 for c in letters if c.isupper()) >= ratio * len(letters)


def is_rule(line: str) -> bool:
    """A decorative line: ``-------``, ``____``, ``* * *``."""
    return bool(RULE_RE.match(line))
