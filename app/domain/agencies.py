"""Issuing bodies as an authority list: one canonical name per body.

What people type and what OCR reads vary (``UBND TỈNH QUẢNG NGÃI``,
``ỦY BAN NHÂN DÂN TỈNH PHÚ THỌ , | LJ``, ``Uỷ ban nhân dân tỉnh Phú Thọ``); facets and
filters must group them under one name, shown in proper case. The shipped list
(``data/agencies.json``: central bodies, and the provincial bodies of every
province before and after the 2025 merger) is extended by names and aliases
archivists confirm in the application. Pure functions; no database.
"""
from __future__ import annotations

import difflib
import json
import re
from functools import lru_cache
from pathlib import Path

from app.text.vietnamese import fold, normalize

DATA = Path(__file__).resolve().parent / "data" / "agencies.json"
ABBREVIATIONS = {
    "ubnd": "ủy ban nhân dân", "hđnd": "hội đồng nhân dân", "tt&tt": "thông tin và truyền thông",
    "tttt": "thông tin và truyền thông", "kh&cn": "khoa học và công nghệ",
    "khcn": "khoa học và công nghệ", "vhttdl": "văn hóa, thể thao và du lịch",
    "vh,tt&dl": "văn hóa, thể thao và du lịch", "tp": "thành phố", "tp.": "thành phố",
}
LOCALITY = ("tỉnh", "thành phố", "huyện", "quận", "thị xã", "xã", "phường", "thị trấn",
            "tỉnh ủy", "thành ủy")
# Capitalised inside a name although not after a locality word.
PROPER_WORDS = {"việt nam": "Việt Nam", "trung ương": "Trung ương", "quốc hội": "Quốc hội",
                "chính phủ": "Chính phủ", "tỉnh ủy": "Tỉnh ủy", "thành ủy": "Thành ủy",
                "mặt trận tổ quốc": "Mặt trận Tổ quốc", "thường vụ": "Thường vụ"}
_DEBRIS = re.compile(r"[|\\_~`^*#@$%<>{}\[\]=+]")
_SPACES = re.compile(r"\s+")
MATCH_CUTOFF = 0.9
_ACRONYM = re.compile(r"^[b-df-hj-np-tv-xz&]+$", re.IGNORECASE)


@lru_cache(maxsize=1)
def shipped_names() -> tuple[str, ...]:
    return tuple(normalize(n) for n in json.loads(DATA.read_text(encoding="utf-8"))["names"])


@lru_cache(maxsize=1)
def _shipped_table() -> dict[str, str]:
    return {key(n): n for n in shipped_names()}


def clean(raw: str | None) -> str:
    """The name without OCR debris: stray marks, trailing crumbs, doubled spaces."""
    text = normalize(raw or "").replace("\n", " ")
    text = _DEBRIS.split(text, maxsplit=1)[0]  # what follows a stray "|" is seal debris
    text = _SPACES.sub(" ", text).strip(" ,.;:-–")
    words = text.split(" ")
    # Trailing crumbs: a final one- or two-letter token without diacritics ("LJ").
    while len(words) > 2 and len(words[-1]) <= 2 and fold(words[-1]) == words[-1]:
        words.pop()
    return " ".join(words).strip(" ,.;:-–")


def key(name: str) -> str:
    """What two spellings of one body share: folded, abbreviations expanded, no punctuation."""
    words = []
    for word in clean(name).lower().split(" "):
        words.append(ABBREVIATIONS.get(word, word))
    return " ".join(re.sub(r"[^\w&]+", " ", fold(" ".join(words))).split())


def proper_case(name: str) -> str:
    """``ỦY BAN NHÂN DÂN TỈNH PHÚ THỌ`` -> ``Ủy ban nhân dân tỉnh Phú Thọ``."""
    text = clean(name)
    if text != text.upper():
        return text  # typed with care: keep it
    # A token without a vowel is an acronym (BCĐ, VKSND), never a Vietnamese syllable.
    lower = " ".join(ABBREVIATIONS.get(w.lower(), w if _ACRONYM.match(fold(w)) else w.lower())
                     for w in text.split(" "))
    for plain, proper in PROPER_WORDS.items():
        lower = re.sub(rf"\b{plain}\b", proper, lower)
    for marker in sorted(LOCALITY, key=len, reverse=True):
        match = re.search(rf"\b{marker}\b\s+(.+)$", lower, flags=re.IGNORECASE)
        if match:
            place = " ".join(w[:1].upper() + w[1:] for w in match.group(1).split(" "))
            lower = lower[:match.start(1)] + place
            break
    return lower[:1].upper() + lower[1:]


def canonical(raw: str | None, extra: dict[str, str] | None = None) -> str | None:
    """The authority name for ``raw``: an exact or very close match in the shipped list or
    ``extra`` (key -> name, from archivists), else ``raw`` cleaned and in proper case."""
    if not raw or not clean(raw):
        return None
    table = {**_shipped_table(), **(extra or {})}
    wanted = key(raw)
    if wanted in table:
        return table[wanted]
    close = difflib.get_close_matches(wanted, list(table), n=1, cutoff=MATCH_CUTOFF)
    return table[close[0]] if close else proper_case(raw)
