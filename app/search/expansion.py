"""Query-side expansion: abbreviations and document numbers.

Elasticsearch here has no synonym filter, so ``UBND`` and ``Ủy ban nhân
dân`` are made to find each other by searching a second form of the query
with the abbreviations swapped. The list
lives in one data file, data/abbreviations.json.
"""
from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

from app.text.vietnamese import fold, normalize_number_symbol

DATA = Path(__file__).parent / "data" / "abbreviations.json"
_QUOTED = re.compile(r'("[^"]*")')


@lru_cache
def _table() -> tuple[dict[str, list[str]], dict[str, str]]:
    raw = json.loads(DATA.read_text(encoding="utf-8"))
    short_to_long: dict[str, list[str]] = {}
    long_to_short: dict[str, str] = {}
    for short, longs in raw.items():
        if short.startswith("_"):
            continue
        key = fold(short)
        short_to_long.setdefault(key, []).extend(fold(x) for x in longs)
        for long in longs:
            long_to_short.setdefault(fold(long), key)
    return short_to_long, long_to_short


def _quote(term: str) -> str:
    return f'"{term}"' if re.search(r"[^\w]", term) else term


def abbreviation_variants(folded: str) -> list[str]:
    """The query as typed, plus the same query with every abbreviation swapped.

    ``ubnd tinh`` -> [``ubnd tinh``, ``"uy ban nhan dan" tinh``] and the reverse.
    The variants are searched as alternatives, each with its own share of
    required words. (Rewriting into one ``(ubnd | "uy ban nhan dan")`` group
    does not work: simple_query_string then applies minimum_should_match to
    the group's alternatives and requires both.)
    """
    short_to_long, long_to_short = _table()
    longs = sorted(long_to_short, key=len, reverse=True)
    long_pattern = re.compile(r"(?<![\w&])(" + "|".join(map(re.escape, longs)) + r")(?![\w&])")

    def swap(segment: str) -> str:
        parked: list[str] = []

        def park(match: re.Match) -> str:  # long -> short, protected from the next step
            parked.append(_quote(long_to_short[match.group(1)]))
            return f"\x00{len(parked) - 1}\x00"

        segment = long_pattern.sub(park, segment)
        segment = re.sub(r"(?<![\w&\-/])[\w&]+(?![\w&\-/])",
                         lambda m: f'"{short_to_long[m.group(0)][0]}"'
                         if m.group(0) in short_to_long else m.group(0), segment)
        return re.sub(r"\x00(\d+)\x00", lambda m: parked[int(m.group(1))], segment)

    swapped = "".join(p if p.startswith('"') else swap(p) for p in _QUOTED.split(folded))
    return [folded] if swapped == folded else [folded, swapped]


_FULL = re.compile(
    r"^\s*(?:so\s*:?\s*)?(\d+[a-z]?)\s*[/ ]\s*(?:(\d{4})\s*[/ ]\s*)?([a-z&]+(?:\s*[- ]\s*[a-z&]+)*)\s*$")
_TYPE_FIRST = re.compile(r"^\s*([a-z&]+(?:\s[a-z]+){0,2})\s+(?:so\s+)?(\d+[a-z]?)(?:\s*/\s*(\d{4}))?\s*$")


def number_target(text: str) -> tuple[str, str, str] | None:
    """("key", key, phrase) for ``1079/QĐ-TTg``, ("prefix", prefix, phrase) for the
    type-first ``QĐ 1079`` / ``Quyết định 1079``; None when the query is not a number."""
    folded = fold(text).strip()
    match = _FULL.match(folded)
    if match:
        number, year, parts = match.groups()
        symbol = "-".join(re.split(r"\s*[- ]\s*", parts))
        key = normalize_number_symbol(f"{number}/{year}/{symbol}" if year else
                                      f"{number}/{symbol}")
        return "key", key, " ".join([number] + ([year] if year else []) + symbol.split("-"))
    match = _TYPE_FIRST.match(folded)
    if match:
        type_words, number, year = match.groups()
        short_to_long, long_to_short = _table()
        abbr = type_words if type_words in short_to_long else long_to_short.get(type_words)
        if abbr is None:
            return None
        prefix = normalize_number_symbol(f"{number}/{year}/{abbr}" if year else
                                         f"{number}/{abbr}") + "-"  # not 1079/qdnd
        return "prefix", prefix, f"{number} {abbr}"
    return None


def number_relation(text: str, number_key: str | None, cites: list[str]) -> str | None:
    """"carries" when a hit is the document the number query names, "cites" when it cites it."""
    target = number_target(text)
    if target is None:
        return None
    kind, value, _ = target

    def hit(key: str | None) -> bool:
        return bool(key) and (key == value if kind == "key" else key.startswith(value))

    if hit(number_key):
        return "carries"
    return "cites" if any(hit(c) for c in cites or []) else None


def number_clauses(text: str) -> list[dict]:
    """Clauses that put the document carrying a number first, then those citing it.

    Understands ``1079/QĐ-TTg``, ``1079/qd-ttg``, ``1079 QD TTg``, ``19/2019/NĐ-CP``
    and the type-first ``QĐ 1079`` / ``Quyết định 1079``.
    """
    target = number_target(text)
    if target is None:
        return []
    kind, value, phrase = target
    if kind == "key":
        # constant_score: the carrier must come first whatever the text scores.
        return [{"constant_score": {"filter": {"term": {"number_key": value}}, "boost": 1000.0}},
                {"match_phrase": {"body_folded": {"query": phrase, "boost": 5.0}}}]
    return [{"constant_score": {"filter": {"prefix": {"number_key": value}}, "boost": 500.0}},
            {"match_phrase": {"body_folded": {"query": phrase, "boost": 3.0}}}]
