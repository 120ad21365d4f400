"""How much to trust the meaning of a question, from how it was typed.

e5 reads Vietnamese with its diacritics and English or French well, but a
Vietnamese question typed without diacritics ("xu phat thong tin sai su that") is
noise to it: with the same vector weight, hybrid lost MRR@10 on the ALQAC questions
in that form (bench/search_quality.py, docs/semantic-search.md). Such a question
is recognised by its words all being possible Vietnamese syllables with no
diacritic among them; English words rarely are ("the" is, "fines" is not).
"""
from __future__ import annotations

import re

from app.text.vietnamese import fold, has_diacritics, is_syllable

_WORD = re.compile(r"[^\W\d_]+")
SHARE = 0.8  # of the words that must be possible syllables


def unaccented_vietnamese(text: str) -> bool:
    words = _WORD.findall(text)
    if not words or has_diacritics(text):
        return False
    return sum(is_syllable(fold(w)) for w in words) >= SHARE * len(words)
