"""A document's title composed from what it says about itself.

A Vietnamese administrative document is named by its type, its number and
symbol and its summary (trích yếu), as in "Quyết định 15/2010/QĐ-UBND về việc
ban hành Quy định quản lý …"; a công văn by its "V/v …" summary. The title is
stored data (indexed, exported), so it uses the type names printed on the
documents (``TYPE_NAMES_VI``), whatever the reader's interface language.
"""
from __future__ import annotations

import re

from app.domain.vocab import TYPE_NAMES_VI

MAX_TITLE = 300  # characters: a readable line in lists and hits; the summary is whole elsewhere

# Types whose summary is an action ("Ban hành …", "Phê duyệt …"): "về việc" joins them.
ACTION_TYPES = {"QD", "CT", "NQ", "CD"}
LETTER_TYPES = {"CV", "THC"}  # no type part in the symbol; the summary reads "V/v …"
_VV = re.compile(r"^\s*(v/v|về việc)[\s:.,-]*", re.IGNORECASE)
_VE = re.compile(r"^\s*về\s", re.IGNORECASE)


class TitleSource:
    """Who titled a document; only a person's title is never replaced."""

    PERSON = "person"          # typed on the upload or edit form, or sent to the API
    FILE_NAME = "file_name"    # nothing better known yet: the file's name
    RECOGNISED = "recognised"  # composed from type, number and summary (read or entered)

    AUTOMATIC = (FILE_NAME, RECOGNISED)


def compose_title(doc_type: str | None, number_symbol: str | None,
                  summary: str | None) -> str | None:
    """The title for these parts, or None when they say too little.

    A title needs a summary or a number: a type name alone ("Quyết định")
    tells a reader less than the file name.
    """
    summary = " ".join((summary or "").split()).rstrip(" .;,")
    number_symbol = (number_symbol or "").strip()
    if not summary and not number_symbol:
        return None
    type_name = TYPE_NAMES_VI.get(doc_type or "") if doc_type != "OTHER" else None
    head = " ".join(part for part in (type_name, number_symbol) if part)
    if not summary:
        return head if type_name or "/" in number_symbol or "-" in number_symbol else None
    if not head:
        return _cap(_capitalise(summary))
    return _cap(f"{head} {_join(doc_type, summary)}")


def _join(doc_type: str | None, summary: str) -> str:
    if doc_type in LETTER_TYPES:
        return "V/v " + _VV.sub("", summary)
    if _VV.match(summary):
        return "về việc " + _VV.sub("", summary)
    if _VE.match(summary):
        return _lower_first(summary)
    if doc_type in ACTION_TYPES:
        return "về việc " + _lower_first(summary)
    return _lower_first(summary)


def _lower_first(text: str) -> str:
    """"Ban hành Quy định" -> "ban hành Quy định"; acronyms (UBND, MTQG) stay."""
    word = text.split(" ", 1)[0]
    if len(word) > 1 and not word[1:].islower():
        return text
    return text[:1].lower() + text[1:]


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


def _cap(title: str) -> str:
    if len(title) <= MAX_TITLE:
        return title
    cut = title[:MAX_TITLE - 1]
    if " " in cut[MAX_TITLE // 2:]:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:-") + "…"
