"""Retention arithmetic and rule matching: pure functions, no database.

Periods run from the end of the year in which the matter closed (DOMAIN.md):
a document issued in 2014 under a 10-year schedule is kept through
31/12/2024 and becomes due on 1/1/2025.
"""
from __future__ import annotations

from datetime import date
from typing import Iterable, Protocol


class RuleLike(Protocol):
    category: str | None
    doc_type: str | None
    funding_source: str | None

    def specificity(self) -> int: ...


def due_date(retention_years: int | None, closed_on: date | None) -> date | None:
    """The first day the record may be disposed of; None when never (permanent, open)."""
    if retention_years is None or closed_on is None:
        return None
    year = closed_on.year + retention_years + 1
    if year > date.max.year:
        return None  # beyond the calendar: in practice never (bad dates are refused at the edge)
    return date(year, 1, 1)


def is_due(retention_years: int | None, closed_on: date | None, today: date) -> bool:
    due = due_date(retention_years, closed_on)
    return due is not None and today >= due


def matching_rule(rules: Iterable[RuleLike], category: str | None, doc_type: str | None,
                  funding_source: str | None) -> RuleLike | None:
    """The most specific rule whose filled fields all match; ties go to the first."""
    best = None
    for rule in rules:
        if ((rule.category is None or rule.category == category)
                and (rule.doc_type is None or rule.doc_type == doc_type)
                and (rule.funding_source is None or rule.funding_source == funding_source)):
            if best is None or rule.specificity() > best.specificity():
                best = rule
    return best
