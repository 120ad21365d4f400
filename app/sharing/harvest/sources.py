"""The administrator's use cases: harvest sources, "harvest now", what is due.

Sources need the "sharing.admin" permission. The access token is write-only:
it is stored because every run sends it, and never shown or returned again
(pages and the API say only whether one is set). Starting a harvest records a
queued run and sends it to the job queue after the commit, through a port the
application factory wires (``set_enqueuer``): services never import app.jobs.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta
from typing import Callable
from urllib.parse import urlsplit

from flask_babel import gettext as _
from sqlalchemy import func, select

from app.extensions import db
from app.models import Document, HarvestRun, HarvestSource, User
from app.models.user import utcnow
from app.services import audit
from app.services.access import require
from app.services.errors import Conflict, NotFound, ValidationFailed
from app.sharing.harvest import messages
from app.sharing.harvest.runner import ACTIVE, DONE, FAILED, QUEUED, active_run, execute

log = logging.getLogger(__name__)

PREFIXES = ("nd30", "oai_dc")
MAX_SCHEDULE_HOURS = 24 * 30

_enqueue: Callable[[int], None] | None = None


def set_enqueuer(fn: Callable[[int], None]) -> None:
    global _enqueue
    _enqueue = fn


@dataclass
class SourceValues:
    name: str
    base_url: str
    set_spec: str | None = None
    metadata_prefix: str = "nd30"
    token: str | None = None       # None or "": keep the current token
    clear_token: bool = False
    schedule_hours: int = 24       # 0: by hand only
    enabled: bool = True


@dataclass
class SourceRow:
    source: HarvestSource
    records: int          # records from it kept here (not withdrawn)
    last_run: HarvestRun | None


def list_sources(user: User) -> list[SourceRow]:
    require(user, "sharing.admin")
    counts = dict(db.session.execute(
        select(Document.source_id, func.count()).where(Document.source_id.is_not(None),
                                                       Document.disposition != "deleted")
        .group_by(Document.source_id)).all())
    rows = []
    for source in db.session.scalars(select(HarvestSource).order_by(HarvestSource.name)):
        last = db.session.scalar(select(HarvestRun).where(HarvestRun.source_id == source.id)
                                 .order_by(HarvestRun.id.desc()).limit(1))
        rows.append(SourceRow(source, counts.get(source.id, 0), last))
    return rows


def get_source(user: User, source_id: int) -> HarvestSource:
    require(user, "sharing.admin")
    source = db.session.get(HarvestSource, source_id)
    if source is None:
        raise NotFound(_("Harvest source not found."))
    return source


def find_source(reference: str) -> HarvestSource:
    """By id or by name (the command line)."""
    source = db.session.scalar(select(HarvestSource).where(HarvestSource.name == reference))
    if source is None and reference.isdigit():
        source = db.session.get(HarvestSource, int(reference))
    if source is None:
        raise NotFound(_("Harvest source not found."))
    return source


def source_records(source_id: int) -> int:
    return db.session.scalar(select(func.count()).select_from(Document).where(
        Document.source_id == source_id, Document.disposition != "deleted")) or 0


def recent_runs(user: User, source_id: int, limit: int = 20) -> list[HarvestRun]:
    get_source(user, source_id)
    return list(db.session.scalars(select(HarvestRun).where(HarvestRun.source_id == source_id)
                                   .order_by(HarvestRun.id.desc()).limit(limit)))


def get_run(user: User, run_id: int) -> HarvestRun:
    require(user, "sharing.admin")
    run = db.session.get(HarvestRun, run_id)
    if run is None:
        raise NotFound(_("Harvest run not found."))
    return run


def save_source(user: User, source_id: int | None, values: SourceValues) -> HarvestSource:
    """Create or change a source (audited; the token itself never enters the trail)."""
    require(user, "sharing.admin")
    clean = _validate(values, source_id)
    source = HarvestSource(created_by_id=user.id) if source_id is None else \
        get_source(user, source_id)
    changes = audit.apply_changes(source, {
        "name": clean.name, "base_url": clean.base_url, "set_spec": clean.set_spec,
        "metadata_prefix": clean.metadata_prefix, "schedule_hours": clean.schedule_hours,
        "enabled": clean.enabled})
    if clean.token:
        source.token = clean.token
        changes["token"] = "set"
    elif clean.clear_token and source.token:
        source.token = None
        changes["token"] = "removed"
    if source_id is not None and ("base_url" in changes or "set_spec" in changes
                                  or "metadata_prefix" in changes):
        source.harvested_until = None  # another list: the next run takes all of it
    db.session.add(source)
    db.session.flush()
    audit.record(user, "harvest_source.create" if source_id is None else "harvest_source.edit",
                 "harvest_source", source.id, name=source.name, changes=changes)
    db.session.commit()
    return source


def start_harvest(user: User | None, source_id: int) -> HarvestRun:
    """"Harvest now": a queued run, sent to the job queue after the commit."""
    if user is not None:
        source = get_source(user, source_id)
    else:
        source = db.session.get(HarvestSource, source_id)
    if active_run(source.id) is not None:
        raise Conflict(_("This source is already being harvested."))
    run = _new_run(user, source)
    db.session.commit()
    try:
        if _enqueue is None:
            raise RuntimeError("no job queue wired (create_app sets it)")
        _enqueue(run.id)
    except Exception:  # noqa: BLE001 - Redis down: said on the run
        log.warning("harvest run %s could not be queued", run.id, exc_info=True)
        db.session.rollback()
        run.status, run.finished_at = FAILED, utcnow()
        run.errors = [messages.entry("queue_unavailable")]
        db.session.commit()
    return run


def run_now(user: User | None, source: HarvestSource, progress=None) -> HarvestRun:
    """A harvest in this process (the command line and the schedule)."""
    if active_run(source.id) is not None:
        raise Conflict(_("This source is already being harvested."))
    run = _new_run(user, source)
    db.session.commit()
    return execute(run.id, progress)


def _new_run(user: User | None, source: HarvestSource) -> HarvestRun:
    run = HarvestRun(source_id=source.id, status=QUEUED, started_at=utcnow(),
                     triggered_by_id=user.id if user else None, counts={}, errors=[])
    db.session.add(run)
    db.session.flush()
    audit.record(user, "harvest.start", "harvest_source", source.id, name=source.name,
                 run=run.id)
    return run


def due_sources(now=None) -> list[HarvestSource]:
    """Enabled sources with a schedule whose last run is older than their interval."""
    now = now or utcnow()
    due = []
    for source in db.session.scalars(select(HarvestSource).where(
            HarvestSource.enabled.is_(True), HarvestSource.schedule_hours > 0)
            .order_by(HarvestSource.id)):
        if source.last_run_at is None or \
                source.last_run_at <= now - timedelta(hours=source.schedule_hours):
            if active_run(source.id) is None:
                due.append(source)
    return due


def _validate(values: SourceValues, source_id: int | None) -> SourceValues:
    errors = {}
    name = (values.name or "").strip()
    url = (values.base_url or "").strip()
    set_spec = (values.set_spec or "").strip() or None
    if not name:
        errors["name"] = _("Required.")
    elif len(name) > 300:
        errors["name"] = _("At most %(n)d characters.", n=300)
    else:
        other = db.session.scalar(select(HarvestSource.id).where(HarvestSource.name == name))
        if other is not None and other != source_id:
            errors["name"] = _("Another source already has this name.")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname or len(url) > 2000:
        errors["base_url"] = _("Give the full address of the OAI-PMH endpoint, starting "
                               "with http:// or https://.")
    if set_spec and (len(set_spec) > 200 or " " in set_spec):
        errors["set_spec"] = _("A set is written without spaces (for example category:plan).")
    if values.metadata_prefix not in PREFIXES:
        errors["metadata_prefix"] = _("Not a known value.")
    if not 0 <= (values.schedule_hours or 0) <= MAX_SCHEDULE_HOURS:
        errors["schedule_hours"] = _("Must be a whole number from 0 to %(max)s.",
                                     max=MAX_SCHEDULE_HOURS)
    token = (values.token or "").strip() or None
    if token and len(token) > 300:
        errors["token"] = _("At most %(n)d characters.", n=300)
    if errors:
        raise ValidationFailed(_("Some fields are invalid."), fields=errors)
    return SourceValues(name=name, base_url=url, set_spec=set_spec,
                        metadata_prefix=values.metadata_prefix, token=token,
                        clear_token=values.clear_token,
                        schedule_hours=values.schedule_hours or 0, enabled=values.enabled)


__all__ = ["ACTIVE", "DONE", "FAILED", "SourceValues", "list_sources", "get_source",
           "save_source", "start_harvest", "run_now", "due_sources", "get_run", "recent_runs"]
