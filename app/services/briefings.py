"""Use cases for press briefings: record, edit, read, list, calendar, response times.

Reading needs ``document.view``; recording and editing briefings, materials and
coverage needs ``document.upload`` (uploader and above). Materials and coverage
are archived Documents: whatever is above a reader's clearance is left out of
everything returned here, as if it were not attached.
"""
from __future__ import annotations

import logging
import re
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import extract, select

from app.domain.briefings import HOSTS, KINDS, MATERIAL_ROLES, TOPICS
from app.domain.vocab import levels_up_to
from app.extensions import db
from app.models import (
    Briefing, BriefingCoverage, BriefingMaterial, Document, Dossier, PressArticle, RetentionSchedule,
    User,
)
from app.services import audit
from app.services.access import get_document, require
from app.services.errors import AmbiguousReference, NotFound, ValidationFailed
from app.services.uow import UnitOfWork
from app.text.vietnamese import normalize, normalize_number_symbol
from indexers import briefings as briefing_index

log = logging.getLogger(__name__)

READ, WRITE = "document.view", "document.upload"
# Control characters (NUL, bell…) come from pasted or generated text, never mean anything
# in a briefing and cannot be stored: dropped. Line breaks and tabs stay (the minutes).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_TEXT_FIELDS = ("title", "place", "chair", "spokespeople", "minutes", "incident_summary")


@dataclass
class BriefingData:
    """What a person enters for a briefing (form and API). Times are naive UTC."""

    kind: str = Briefing.PERIODIC
    title: str | None = None
    held_at: datetime | None = None
    place: str | None = None
    hosts: list[str] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    outlets: list[str] = field(default_factory=list)
    chair: str | None = None
    spokespeople: str | None = None
    minutes: str | None = None
    incident_at: datetime | None = None
    incident_summary: str | None = None

    def cleaned(self) -> BriefingData:
        errors = {}
        # Checked on the cleaned text: a title of invisible characters (a byte-order
        # mark, control characters) is no title, whatever it looked like on the wire.
        values = {name: (_CONTROL.sub("", normalize(getattr(self, name) or "")).strip() or None)
                  for name in _TEXT_FIELDS}
        if self.kind not in KINDS:
            errors["kind"] = _("Unknown kind of briefing.")
        if not values["title"]:
            errors["title"] = _("This field is required.")
        if self.held_at is None:
            errors["held_at"] = _("This field is required.")
        if [h for h in self.hosts if h not in HOSTS]:
            errors["hosts"] = _("Unknown host.")
        if [t for t in self.topics if t not in TOPICS]:
            errors["topics"] = _("Unknown topic.")
        if self.kind == Briefing.ADHOC and self.incident_at is None:
            errors["incident_at"] = _("An ad-hoc briefing needs the time of the incident.")
        if self.incident_at and self.held_at and self.incident_at > self.held_at:
            errors["incident_at"] = _("The incident cannot come after the briefing.")
        if errors:
            raise ValidationFailed(_("Some fields are invalid."), fields=errors)
        outlets = list(OrderedDict.fromkeys(
            normalize(o).strip() for o in self.outlets if o and o.strip()))
        return BriefingData(
            kind=self.kind, held_at=self.held_at, hosts=list(dict.fromkeys(self.hosts)),
            topics=list(dict.fromkeys(self.topics)), outlets=outlets,
            incident_at=self.incident_at if self.kind == Briefing.ADHOC else None,
            **values)


@dataclass
class BriefingView:
    """A briefing as one reader may see it."""

    briefing: Briefing
    materials: list[BriefingMaterial]
    stories: list[list[PressArticle]]  # coverage, near-duplicates grouped, first = earliest

    @property
    def coverage(self) -> list[PressArticle]:
        return [a for story in self.stories for a in story]


@dataclass
class BriefingFilters:
    year: int | None = None
    month: int | None = None
    kind: str | None = None
    topic: str | None = None
    host: str | None = None
    outlet: str | None = None


def create_briefing(user: User, data: BriefingData) -> Briefing:
    """Record a briefing; it becomes searchable after the commit."""
    require(user, WRITE)
    clean = data.cleaned()
    briefing = Briefing(created_by=user, **vars(clean))
    db.session.add(briefing)
    db.session.flush()
    audit.record(user, "create", "briefing", briefing.id, kind=briefing.kind,
                 title=briefing.title)
    commit_and_index(briefing)
    return briefing


def update_briefing(user: User, briefing_id: int, data: BriefingData) -> Briefing:
    require(user, WRITE)
    briefing = load_briefing(briefing_id)
    clean = data.cleaned()
    changes = audit.apply_changes(briefing, vars(clean))
    audit.record(user, "edit", "briefing", briefing.id, changes=changes)
    briefing.bump_revision()
    commit_and_index(briefing)
    return briefing


def view_briefing(user: User, briefing_id: int) -> BriefingView:
    """The briefing with the materials and coverage ``user`` may see."""
    require(user, READ)
    return _view(user, load_briefing(briefing_id))


def _view(user: User, briefing: Briefing) -> BriefingView:
    allowed = set(levels_up_to(user.clearance))
    materials = [m for m in briefing.materials if m.document.secrecy in allowed]
    articles = [c.article for c in briefing.coverage if c.article.document.secrecy in allowed]
    stories: dict[int, list[PressArticle]] = OrderedDict()
    for article in sorted(articles, key=lambda a: (a.published_on or date.max, a.id)):
        stories.setdefault(article.story_id or article.id, []).append(article)
    return BriefingView(briefing, materials, list(stories.values()))


def list_briefings(user: User, filters: BriefingFilters | None = None,
                   ids: list[int] | None = None) -> list[Briefing]:
    """Briefings matching ``filters`` (newest first); ``ids`` limits to search hits."""
    require(user, READ)
    f = filters or BriefingFilters()
    query = select(Briefing).order_by(Briefing.held_at.desc(), Briefing.id.desc())
    if ids is not None:
        query = query.where(Briefing.id.in_(ids or [0]))
    if f.kind:
        query = query.where(Briefing.kind == f.kind)
    if f.year:
        start, end = _period(f.year, f.month)
        query = query.where(Briefing.held_at >= start, Briefing.held_at < end)
    elif f.month:
        briefings_month = f.month  # any year: compared in local time below
        query = query.where(extract("month", Briefing.held_at).in_(
            [briefings_month, briefings_month % 12 + 1, (briefings_month - 2) % 12 + 1]))
    briefings = list(db.session.scalars(query))
    if f.month and not f.year:
        briefings = [b for b in briefings if local_time(b.held_at).month == f.month]
    # Hosts, topics and outlets are short lists on each row; a province holds a few
    # dozen briefings a year, so filtering them here stays portable and cheap.
    if f.topic:
        briefings = [b for b in briefings if f.topic in (b.topics or [])]
    if f.host:
        briefings = [b for b in briefings if f.host in (b.hosts or [])]
    if f.outlet:
        wanted = normalize(f.outlet).casefold()
        briefings = [b for b in briefings if wanted in {o.casefold() for o in _outlets(user, b)}]
    return briefings


def _outlets(user: User, briefing: Briefing) -> set[str]:
    """Outlets that attended or covered the briefing (coverage the user may see)."""
    allowed = levels_up_to(user.clearance)
    return set(briefing.outlets or []) | {
        c.article.outlet for c in briefing.coverage
        if c.article.outlet and c.article.document.secrecy in allowed}


def known_outlets(user: User) -> list[str]:
    require(user, READ)
    names = set()
    for briefing in db.session.scalars(select(Briefing)):
        names |= _outlets(user, briefing)
    return sorted(names, key=str.casefold)


def calendar(user: User, year: int) -> list[tuple[int, list[Briefing]]]:
    """(month, periodic briefings held that month) for the 12 months of ``year``."""
    held = list_briefings(user, BriefingFilters(year=year, kind=Briefing.PERIODIC))
    months = {m: [] for m in range(1, 13)}
    for briefing in sorted(held, key=lambda b: b.held_at):
        months[local_time(briefing.held_at).month].append(briefing)
    return list(months.items())


def adhoc_report(user: User, year: int | None = None) -> list[Briefing]:
    """Ad-hoc briefings with their response times, oldest first."""
    briefings = list_briefings(user, BriefingFilters(year=year, kind=Briefing.ADHOC))
    return sorted(briefings, key=lambda b: b.held_at)


def add_material(user: User, briefing_id: int, reference: str, role: str = "other") -> Document:
    """Attach an archived document by id (``123``, ``#123``) or number (``1079/QĐ-TTg``)."""
    require(user, WRITE)
    briefing = load_briefing(briefing_id)
    if role not in MATERIAL_ROLES:
        raise ValidationFailed(_("Unknown role."), fields={"role": _("Unknown role.")})
    document = find_document(user, reference)
    if any(m.document_id == document.id for m in briefing.materials):
        return document
    briefing.materials.append(BriefingMaterial(document=document, role=role))
    # Recorded against the document, so the audit trail hides it from readers
    # below its clearance, as it hides every entry about that document.
    audit.record(user, "edit", "document", document.id, attached_to_briefing=briefing.id,
                 role=role)
    briefing.bump_revision()
    commit_and_index(briefing)
    return document


def remove_material(user: User, briefing_id: int, document_id: int) -> None:
    require(user, WRITE)
    briefing = load_briefing(briefing_id)
    get_document(user, document_id)  # only what the user can see can be removed
    for material in list(briefing.materials):
        if material.document_id == document_id:
            briefing.materials.remove(material)
            audit.record(user, "edit", "document", document_id,
                         removed_from_briefing=briefing.id)
            briefing.bump_revision()
    commit_and_index(briefing)


def find_document(user: User, reference: str) -> Document:
    """A document the user may see, by id or by number and symbol.

    Numbers restart every year, so one number/symbol may be carried by several
    documents: then nothing is picked and AmbiguousReference lists them (newest first).
    """
    text = (reference or "").strip().lstrip("#")
    if text.isdigit():
        return get_document(user, int(text))
    key = normalize_number_symbol(text) if text else None
    found = list(db.session.scalars(
        select(Document).where(Document.number_key == key,
                               Document.secrecy.in_(levels_up_to(user.clearance)))
        .order_by(Document.issue_date.desc().nulls_last(), Document.id.desc()).limit(20)
    )) if key else []
    if not found:
        raise NotFound(_("No document with this number or id."))
    if len(found) > 1:
        raise AmbiguousReference(_("%(n)d documents carry the number %(ref)s. Choose one.",
                                   n=len(found), ref=text), documents=found)
    return found[0]


def reindex_for_document(document_id: int) -> None:
    """A material or coverage document changed (text extracted, secrecy edited):
    the briefings holding it are indexed again with their new revision."""
    briefings = set(db.session.scalars(select(Briefing).join(BriefingMaterial).where(
        BriefingMaterial.document_id == document_id)))
    briefings |= set(db.session.scalars(
        select(Briefing).join(BriefingCoverage).join(PressArticle).where(
            PressArticle.document_id == document_id)))
    for briefing in briefings:
        briefing.bump_revision()
    db.session.commit()
    for briefing in briefings:
        index_now(briefing.id)


def reindex_lagging(batch: int = 200) -> int:
    """Index every briefing whose indexed revision is behind (run by reconcile)."""
    ids = list(db.session.scalars(select(Briefing.id).where(
        Briefing.indexed_revision < Briefing.revision).limit(batch)))
    for briefing_id in ids:
        index_now(briefing_id)
    return len(ids)


def index_now(briefing_id: int) -> None:
    """Write the search entries of a committed briefing; reconcile retries on failure."""
    briefing = db.session.get(Briefing, briefing_id)
    if briefing is None:
        return
    revision = briefing.revision
    briefing_index.index(briefing)
    if briefing.indexed_revision < revision:
        briefing.indexed_revision = revision
    db.session.commit()


def local_time(value: datetime) -> datetime:
    """A stored naive-UTC time in the archive's time zone (naive)."""
    tz = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    return value.replace(tzinfo=timezone.utc).astimezone(tz).replace(tzinfo=None)


def from_local(value: datetime | None) -> datetime | None:
    """A wall-clock time typed in the archive's time zone -> naive UTC for storage."""
    if value is None:
        return None
    tz = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    return value.replace(tzinfo=tz).astimezone(timezone.utc).replace(tzinfo=None)


def _period(year: int, month: int | None) -> tuple[datetime, datetime]:
    """A local calendar year or month as a naive-UTC [start, end) range."""
    if month:
        start = datetime(year, month, 1)
        end = datetime(year + (month == 12), month % 12 + 1, 1)
    else:
        start, end = datetime(year, 1, 1), datetime(year + 1, 1, 1)
    return from_local(start), from_local(end)


# Retention series of a briefing -> the schedule its dossier is kept under.
BRIEFING_SCHEDULES = {"briefing": "HB-01"}


def file_in_dossier(briefing: Briefing) -> Dossier:
    """Keep every briefing as a dossier (hồ sơ họp báo) under its retention series.

    The dossier closes on the day of the briefing, so its period runs from the
    end of that year; the coverage documents are filed in it (unless an
    archivist filed them elsewhere), while the materials keep their own series.
    An archivist may change the dossier's code, title or schedule; only its
    dates follow the briefing.
    """
    held = local_time(briefing.held_at).date()
    dossier = briefing.dossier
    if dossier is None:
        code = BRIEFING_SCHEDULES.get(briefing.retention_series, "HB-01")
        dossier = Dossier(
            code=f"HB-{held:%Y%m%d}-{briefing.id}", title=f"Hồ sơ họp báo: {briefing.title}"[:500],
            schedule=db.session.scalar(select(RetentionSchedule).where(
                RetentionSchedule.code == code)))
        briefing.dossier = dossier
        db.session.add(dossier)
        db.session.flush()
        audit.record(None, "dossier.save", "dossier", dossier.id, code=dossier.code,
                     briefing=briefing.id)
    dossier.year, dossier.start_date, dossier.end_date = held.year, held, held
    for coverage in briefing.coverage:
        document = coverage.article.document
        if document.dossier_id is None:
            document.dossier = dossier
    return dossier


def commit_and_index(briefing: Briefing, uow: UnitOfWork | None = None) -> None:
    """Commit (with ``uow``'s after-commit work, if any), then index the briefing."""
    file_in_dossier(briefing)
    uow = uow or UnitOfWork()
    briefing_id = briefing.id
    uow.after_commit(lambda: index_now(briefing_id))
    uow.commit()


def load_briefing(briefing_id: int) -> Briefing:
    briefing = db.session.get(Briefing, briefing_id)
    if briefing is None:
        raise NotFound(_("Briefing not found."))
    return briefing
