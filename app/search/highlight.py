"""Snippets with both exact and folded matches marked, built from escaped text.

Elasticsearch highlights the ``body`` field (with diacritics). For a query
typed without diacritics we ask it to mark every accented spelling of each
word (``nhan`` -> nhân, nhận, ...), so the snippet shows the document's own
text with its marks, never the folded copy.
"""
from __future__ import annotations

import re

from markupsafe import Markup, escape

from app.search.query import clean, plain_words
from app.text.vietnamese import fold, has_diacritics, search_form, syllable_variants

PRE, POST = "\ue000", "\ue001"  # private-use sentinels: cannot occur in documents
MAX_TERMS = 1000


def highlight_spec(text: str) -> dict:
    words = plain_words(clean(text))
    terms: list[str] = []
    # A query typed with diacritics means its own spellings ("ủy ban" marks "ban",
    # never "bàn"); one typed without any may stand for every accented spelling
    # of each word (nhan -> nhân, nhận ...).
    exact = any(has_diacritics(word) for word in words)
    for word in words[:30]:
        if exact:
            terms.append(search_form(word))
        else:
            terms.extend(syllable_variants(fold(word)))
    terms = list(dict.fromkeys(terms))[:MAX_TERMS]
    common = {"pre_tags": [PRE], "post_tags": [POST], "type": "unified"}
    if not terms:
        return {"fields": {"body": {**common, "fragment_size": 200, "number_of_fragments": 0,
                                    "no_match_size": 200}}}
    query = {"terms": {"body": terms}}
    title_query = {"terms": {"title": terms}}
    return {
        "fields": {
            # Stretches of ~200 characters around the matches: the unified
            # highlighter's sentence fragments turn short sentences and list
            # numbers into crumbs such as "lý. 2. … lý.".
            "body": {**common, "type": "plain", "fragmenter": "span", "fragment_size": 200,
                     "number_of_fragments": 2, "no_match_size": 200,
                     "highlight_query": query},
            "title": {**common, "number_of_fragments": 0, "highlight_query": title_query},
        },
        "max_analyzed_offset": 999_999,
    }


def render(fragment: str) -> Markup:
    """Escape the text, then turn the sentinels into <mark> tags."""
    # Adjacent matches read as one phrase: <mark>nhân quyền</mark>.
    fragment = re.sub(f"{POST}(\\s+){PRE}", r"\1", fragment.replace("\n", " "))
    # escape() returns Markup, whose replace() escapes plain-string arguments:
    # only these two literal tags go in unescaped.
    return escape(fragment).replace(PRE, Markup("<mark>")).replace(POST, Markup("</mark>"))
