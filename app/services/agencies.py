"""Issuing bodies as an authority list: what archivists see and confirm.

The shipped list (app/domain/agencies.py) names the usual bodies; an archivist
confirms the canonical name for a spelling found in the archive (an OCR'd
header, an abbreviation), which then stands for that body in facets, filters
and hits. Records carrying the spelling are re-indexed so the facet follows.
"""
from __future__ import annotations

import time
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import func, select

from app.domain import agencies
from app.domain.vocab import levels_up_to
from app.extensions import db
from app.models import AgencyName, Disposition, Document, ProcessingTask, User
from app.services import audit
from app.services.access import require
from app.services.errors import ValidationFailed
from app.services.tasks import schedule
from app.services.uow import UnitOfWork

CACHE_SECONDS = 60
_cache: dict = {"at": 0.0, "table": {}}


@dataclass
class NameInUse:
    raw: str
    documents: int
    canonical: str | None
    confirmed: bool


def confirmed_table(max_age: float = CACHE_SECONDS) -> dict[str, str]:
    """key -> canonical name for every confirmed name and alias (cached per process)."""
    if time.monotonic() - _cache["at"] > max_age:
        table = {}
        for row in db.session.scalars(select(AgencyName)):
            for spelling in [row.name, *(row.aliases or [])]:
                table[agencies.key(spelling)] = row.name
        _cache.update(at=time.monotonic(), table=table)
    return _cache["table"]


def canonical_name(raw: str | None) -> str | None:
    return agencies.canonical(raw, confirmed_table())


def names_in_use(user: User, limit: int = 500) -> list[NameInUse]:
    """Issuing-body spellings of the records the user may see, with their canonical name."""
    require(user, "retention.manage")
    rows = db.session.execute(
        select(Document.issuing_agency, func.count()).where(
            Document.issuing_agency.is_not(None),
            Document.secrecy.in_(levels_up_to(user.clearance)))
        .group_by(Document.issuing_agency).order_by(func.count().desc()).limit(limit)).all()
    table = confirmed_table(max_age=0)
    return [NameInUse(raw, n, agencies.canonical(raw, table), agencies.key(raw) in table)
            for raw, n in rows]


def confirm(user: User, spelling: str, name: str) -> AgencyName:
    """``spelling`` stands for the body called ``name`` from now on; its records follow."""
    require(user, "retention.manage")
    name, spelling = agencies.clean(name), (spelling or "").strip()
    if not name or not spelling:
        raise ValidationFailed(_("Give the spelling and the canonical name."),
                               fields={"name": _("This field is required.")})
    row = db.session.scalar(select(AgencyName).where(AgencyName.name == name))
    if row is None:
        row = AgencyName(name=name, aliases=[], confirmed_by_id=user.id)
        db.session.add(row)
    if spelling != name and spelling not in row.aliases:
        row.aliases = [*row.aliases, spelling]
    audit.record(user, "agency.confirm", "agency", None, spelling=spelling, name=name)
    uow = UnitOfWork()
    for document in db.session.scalars(select(Document).where(
            Document.issuing_agency == spelling,
            Document.disposition.not_in(Disposition.ERASED))):
        document.bump_revision()
        schedule(uow, document, "index", ProcessingTask.LONG)
    uow.commit()
    _cache["at"] = 0.0
    return row
