"""Translate a person's query into an Elasticsearch query.

The text is normalised the same way as at index time (app.text.vietnamese):
the folded form searches the *_folded fields, so ``nhan quyen`` finds
``nhân quyền``; the exact form searches the fields with diacritics and only
adds score, so ``bàn`` ranks above ``bán``. ``simple_query_string`` gives
people quotes, ``-word``, ``OR`` and ``prefix*`` and never raises a syntax
error, whatever the input.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field, fields
from datetime import date

from app.search.expansion import abbreviation_variants, number_clauses
from app.text.vietnamese import fold, normalize_number_symbol, search_form

MAX_QUERY_CHARS = 500
SQS_FLAGS = "AND|OR|NOT|PHRASE|PREFIX|PRECEDENCE|WHITESPACE|ESCAPE"
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_OR = re.compile(r"\s+OR\s+")
_SYNTAX = re.compile(r'["+|\-*()~]')

# Field weights and the share of words required were tuned on the ALQAC sets
# (bench/search_quality.py): heavier title weights let short, generic titles
# outrank the passage that answers the question (MRR@10 0.79 with title^4,
# 0.87 with title^1.5). Whole-title phrase matches still get a strong boost.
EXACT_FIELDS = ["title^1.5", "summary^1.5", "agency_text^2", "body"]
FOLDED_FIELDS = ["title_folded^1.5", "summary_folded^1.5", "agency_folded^2", "number_text^5",
                 "filename_folded", "body_folded"]
# What the exact spelling, the phrase and the syllable bigrams add to the folded match.
# Tuned on both ALQAC sets (bench/search_quality.py, as-written MRR@10 2022 / 2025):
# exact 2 + bigrams 1: 0.870 / 0.773; exact 1 + bigrams 1: 0.891 / 0.787; exact 1 +
# bigrams 3: 0.919 / 0.822; bigrams 6: 0.921 / 0.831 (the gain flattens). Adjacent
# syllables are Vietnamese words, which is what the bigrams reward; the exact spelling
# still decides between look-alikes (bàn above bán).
EXACT_BOOST = 1.0
BODY_PHRASE_BOOST = 2.0
TITLE_PHRASE_BOOST = 4.0
BIGRAM_BOOST = 3.0


@dataclass
class FilterValues:
    """What a person narrowed the search to (shared by the page, the API and Filters)."""

    category: str | None = None
    doc_type: str | None = None
    year: int | None = None
    agency: str | None = None
    secrecy: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    cites: str | None = None  # only documents whose text cites this number/symbol
    record_type: str | None = None  # "document" or "briefing"; None: both
    sharing: str | None = None  # internal | partner | public (the level set by the archive)
    source: str | None = None  # "local" (this archive) or a harvest source's id


@dataclass
class Filters(FilterValues):
    secrecy_levels: list[str] = field(default_factory=list)  # what the user may see
    extra: list[dict] = field(default_factory=list)

    @classmethod
    def for_user(cls, levels: list[str], values: FilterValues) -> Filters:
        return cls(secrecy_levels=levels,
                   **{f.name: getattr(values, f.name) for f in fields(FilterValues)})

    def clauses(self) -> list[dict]:
        # The secrecy filter is part of every query: what a user may not see
        # never reaches hits, totals or facet counts.
        clauses = [{"terms": {"secrecy": self.secrecy_levels}}, self._briefing_view()]
        if self.record_type == "briefing":
            clauses.append({"term": {"record_type": "briefing"}})
        elif self.record_type == "document":
            clauses.append({"bool": {"must_not": [{"term": {"record_type": "briefing"}}]}})
        if self.category:
            clauses.append({"term": {"category": self.category}})
        if self.doc_type:
            clauses.append({"term": {"doc_type": self.doc_type}})
        if self.year:
            clauses.append({"term": {"year": self.year}})
        if self.agency:
            clauses.append({"term": {"issuing_agency": self.agency}})
        if self.secrecy:
            clauses.append({"term": {"secrecy": self.secrecy}})
        if self.cites:
            clauses.append({"term": {"cites": normalize_number_symbol(self.cites)}})
        if self.sharing:
            clauses.append(self._sharing_clause())
        if self.source == "local":
            # Entries written before harvesting existed carry no source: local ones.
            clauses.append({"bool": {"should": [
                {"term": {"source": "local"}},
                {"bool": {"must_not": [{"exists": {"field": "source"}}]}}],
                "minimum_should_match": 1}})
        elif self.source:
            clauses.append({"term": {"source": self.source}})
        if self.date_from or self.date_to:
            bounds = {k: v.isoformat() for k, v in (("gte", self.date_from),
                                                    ("lte", self.date_to)) if v}
            clauses.append({"range": {"issue_date": bounds}})
        return clauses + self.extra

    def _sharing_clause(self) -> dict:
        """Entries written before sharing existed have no level: they are internal."""
        if self.sharing == "internal":
            return {"bool": {"should": [{"term": {"sharing": "internal"}},
                                        {"bool": {"must_not": [{"exists": {"field": "sharing"}}]}}],
                             "minimum_should_match": 1}}
        return {"term": {"sharing": self.sharing}}

    def _briefing_view(self) -> dict:
        """Briefings are indexed once per clearance (indexers/briefings.py): only the
        entry written for the reader's own clearance may match, so a material above
        it can neither be searched through the briefing nor counted twice."""
        clearance = self.secrecy_levels[-1] if self.secrecy_levels else "thuong"
        return {"bool": {"should": [
            {"bool": {"must_not": [{"exists": {"field": "view_level"}}]}},
            {"term": {"view_level": clearance}},
        ], "minimum_should_match": 1}}


def clean(text: str | None) -> str:
    """Strip control characters, cap the length, and turn the word OR into ``|``."""
    text = _CONTROL.sub(" ", text or "")[:MAX_QUERY_CHARS]
    return _OR.sub(" | ", text).strip()


# Short queries need every word; long ones (questions, pasted sentences) a share
# of them, or paraphrases would find nothing. Measured with bench/search_quality.py.
MIN_SHOULD_MATCH = os.environ.get("SEARCH_MIN_SHOULD_MATCH", "2<-1 5<60%")
_NEGATION = re.compile(r'(?:(?<=\s)|^)-("[^"]*"|[^\s"]+)')


def split_negations(text: str) -> tuple[str, list[str]]:
    """``nhân quyền -"báo cáo" -tháng`` -> (``nhân quyền``, [``báo cáo``, ``tháng``]).

    simple_query_string's ``-`` under an OR operator means "or not", which
    matches nearly everything; exclusions become a must_not of their own.
    """
    negatives = [m.strip('"').strip() for m in _NEGATION.findall(text)]
    return _NEGATION.sub(" ", text).strip(), [n for n in negatives if n]


def plain_words(text: str) -> list[str]:
    """Words a person wants to see, in order: no operators, no negated words."""
    words = []
    for token in text.split():
        if token.startswith("-"):
            continue
        words.extend(re.findall(r"\w+", token))
    return words


def build_query(text: str, filters: Filters) -> dict:
    text, negatives = split_negations(clean(text))
    must_not = [{"multi_match": {"query": fold(n), "type": "phrase",
                                 "fields": ["title_folded", "summary_folded", "body_folded"]}}
                for n in negatives]
    if not text.strip(' "|+()*'):
        return {"bool": {"filter": filters.clauses(), "must": [{"match_all": {}}],
                         "must_not": must_not}}
    folded, exact = fold(text), search_form(text)
    numbers = number_clauses(text)
    # The document carrying the number matches even when its text does not
    # print it (signed PDFs often leave it blank): the key is an alternative.
    by_key = [c for c in numbers if "number_key" in str(c)]
    should = [c for c in numbers if c not in by_key] + [{"simple_query_string": {
        "query": exact, "fields": EXACT_FIELDS, "default_operator": "or",
        "flags": SQS_FLAGS, "boost": EXACT_BOOST}}]
    words = plain_words(folded)
    if len(words) > 1 and not _SYNTAX.search(text):
        phrase = " ".join(words)
        should += [
            {"match_phrase": {"body_folded": {"query": phrase, "slop": 2,
                                              "boost": BODY_PHRASE_BOOST}}},
            {"match_phrase": {"title_folded": {"query": phrase, "slop": 1,
                                               "boost": TITLE_PHRASE_BOOST}}},
            {"match": {"body_folded.bigrams": {"query": phrase, "boost": BIGRAM_BOOST}}},
        ]
    return {"bool": {
        "filter": filters.clauses(),
        "must": [{"bool": {"should": [{"simple_query_string": {
            "query": variant, "fields": FOLDED_FIELDS, "default_operator": "or",
            "minimum_should_match": MIN_SHOULD_MATCH, "flags": SQS_FLAGS}}
            for variant in abbreviation_variants(folded)] + by_key}}],
        "should": should,
        "must_not": must_not,
    }}
