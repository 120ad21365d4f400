"""OAI sets: by category, by document type, by year, and the briefings.

``category:<code>`` and ``type:<code>`` use the archive's ASCII keys
(``category:plan``, ``type:QD``); ``year:<yyyy>`` is a document's issue year or
a briefing's year (in the archive's time zone); ``briefings`` holds the press
briefings. ``category``, ``type`` and ``year`` are the parents of their sets.

Sets are listed, and counted, from the records the principal may see, so a set
never reveals that records it cannot see exist. A record withdrawn since it was
harvested belongs to every set of its kind (documents, or briefings): a
harvester of any set learns of the deletion, and its current metadata, which is
no longer shared, is not used to place it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import ColumnElement, extract, func, select, true

from app.domain.vocab import CATEGORIES, TYPE_NAMES_VI
from app.extensions import db
from app.models import Briefing, Document
from app.sharing.visibility import Principal, briefing_visible, document_visible

# The setSpec syntax of OAI-PMH 2.0 (schemas/oai/OAI-PMH.xsd, setSpecType).
SET_SPEC = re.compile(r"^[A-Za-z0-9\-_.!~*'()]+(:[A-Za-z0-9\-_.!~*'()]+)*$")
BRIEFINGS, CATEGORY, TYPE, YEAR = "briefings", "category", "type", "year"


class MalformedSet(ValueError):
    """Not a setSpec at all (badArgument), as opposed to a set that does not exist."""


@dataclass(frozen=True)
class SetFilter:
    """Which records of each kind a set holds; None: none of that kind."""

    documents: ColumnElement[bool] | None
    briefings: ColumnElement[bool] | None


EVERYTHING = SetFilter(true(), true())


@dataclass(frozen=True)
class SetInfo:
    spec: str
    name: str
    count: int  # records the principal may see in it now


def parse(spec: str | None) -> SetFilter | None:
    """The filter of a setSpec; None when no such set exists (noRecordsMatch)."""
    if spec is None:
        return EVERYTHING
    if not SET_SPEC.match(spec):
        raise MalformedSet(spec)
    head, _sep, value = spec.partition(":")
    if ":" in value:
        return None
    if head == BRIEFINGS:
        return None if value else SetFilter(None, true())
    if head == CATEGORY:
        if not value:
            return SetFilter(true(), None)
        return SetFilter(Document.category == value, None) if value in CATEGORIES else None
    if head == TYPE:
        if not value:
            return SetFilter(Document.doc_type.is_not(None), None)
        return SetFilter(Document.doc_type == value, None) if value in TYPE_NAMES_VI else None
    if head == YEAR:
        if not value:
            return SetFilter(Document.issue_date.is_not(None), true())
        if not re.fullmatch(r"\d{4}", value):
            return None
        year = int(value)
        start, end = _year_utc(year), _year_utc(year + 1)
        return SetFilter(Document.issue_date.between(date(year, 1, 1), date(year, 12, 31)),
                         (Briefing.held_at >= start) & (Briefing.held_at < end))
    return None


def document_sets(document: Document) -> list[str]:
    specs = [f"{CATEGORY}:{document.category}"]
    if document.doc_type:
        specs.append(f"{TYPE}:{document.doc_type}")
    if document.issue_date:
        specs.append(f"{YEAR}:{document.issue_date.year:04d}")
    return specs


def briefing_sets(briefing: Briefing) -> list[str]:
    return [BRIEFINGS, f"{YEAR}:{_local_year(briefing.held_at):04d}"]


# ListSets order (and its resumption keyset): briefings, then each family, parent first.
_RANK = {BRIEFINGS: 0, CATEGORY: 1, TYPE: 2, YEAR: 3}


def order_key(spec: str) -> tuple[int, str]:
    """Where ``spec`` comes in ListSets: a total order, the same on every page."""
    head, _sep, value = spec.partition(":")
    return _RANK.get(head, len(_RANK)), value


def list_sets(principal: Principal) -> list[SetInfo]:
    """Every set holding a record the principal may see, with its count; parents always.

    In ``order_key`` order, so that ListSets can be resumed after a setSpec.
    """
    visible = document_visible(principal)
    held = [row[0] for row in db.session.execute(
        select(Briefing.held_at).where(briefing_visible(principal)))]
    docs = db.session.scalar(select(func.count()).select_from(Document).where(visible))
    with force_locale("vi"):
        result = [
            SetInfo(BRIEFINGS, _("Press information conferences on human rights and "
                                 "foreign information"), len(held)),
            SetInfo(CATEGORY, _("Documents by category"), docs),
        ]
        for code, count in _grouped(Document.category, visible):
            if code in CATEGORIES:
                result.append(SetInfo(f"{CATEGORY}:{code}", str(CATEGORIES[code]), count))
        typed = _grouped(Document.doc_type, visible)
        result.append(SetInfo(TYPE, _("Documents by type"),
                              sum(count for code, count in typed if code)))
        for code, count in typed:
            if code in TYPE_NAMES_VI:
                result.append(SetInfo(f"{TYPE}:{code}", TYPE_NAMES_VI[code], count))
        years: dict[int, int] = {}
        for year, count in _grouped(extract("year", Document.issue_date), visible):
            if year is not None:
                years[int(year)] = years.get(int(year), 0) + count
        for held_at in held:
            year = _local_year(held_at)
            years[year] = years.get(year, 0) + 1
        result.append(SetInfo(YEAR, _("Documents and briefings by year"), sum(years.values())))
        for year in sorted(years):
            result.append(SetInfo(f"{YEAR}:{year:04d}", _("Year %(year)s", year=year),
                                  years[year]))
    return sorted(result, key=lambda info: order_key(info.spec))


def _grouped(column, condition) -> list[tuple]:
    return [(value, count) for value, count in db.session.execute(
        select(column, func.count()).where(condition).group_by(column))]


def _zone() -> ZoneInfo:
    return ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])


def _local_year(held_at: datetime) -> int:
    """Briefing times are naive UTC; the year is the archive's local one."""
    return held_at.replace(tzinfo=ZoneInfo("UTC")).astimezone(_zone()).year


def _year_utc(year: int) -> datetime:
    """Local midnight of 1 January, as naive UTC (how times are stored)."""
    return datetime(year, 1, 1, tzinfo=_zone()).astimezone(ZoneInfo("UTC")).replace(tzinfo=None)
