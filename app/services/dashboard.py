"""The home dashboard ("Trang chủ"): what a signed-in person needs first.

Every number is a COUNT over rows the reader may see (secrecy up to their
clearance) and carries the list behind it: the document list's own filters
(``app.services.document_list.filtered``, so the number and the list cannot
disagree), the due list, the proposals waiting, the holds, the briefing
calendar. Nothing is cached: the page is built from the database at each view
(bench/dashboard_latency.py measures it at 100,000 documents).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import load_only

from app.domain.vocab import levels_up_to
from app.extensions import db
from app.models import Briefing, Disposition, DispositionProposal, Document, User
from app.models.user import utcnow
from app.services import disposition, holds, notifications, saved_searches
from app.services.access import require
from app.services.briefings import from_local, local_time
from app.services.dashboard_parts import Count, Lane, category_counts, lanes, month_counts
from app.services.document_list import ListParams, filtered

RECENT_UPLOADS = 6
PROPOSALS_SHOWN = 5


@dataclass
class Briefings:
    next: Briefing | None
    latest: Briefing | None
    year: int
    missing_months: list[int]     # months of this year gone by without a periodic briefing
    this_month_held: bool


@dataclass
class Dashboard:
    user: User
    today: date
    recent_uploads: list[Document]
    uploads: Count
    processing: Count
    lanes: list[Lane]
    waiting: list[Count]
    proposals: list[DispositionProposal]
    briefings: Briefings
    per_month: list[Count]
    by_category: list[Count]
    total: Count
    saved_searches: list = field(default_factory=list)
    unread: int = 0

    def to_dict(self, url) -> dict:
        """The same numbers as JSON; ``url(endpoint, args)`` builds each list's address."""
        def count(c: Count) -> dict:
            return {"key": c.key, "label": c.label, "value": c.value, "url": url(*c.link)}

        b = self.briefings
        return {
            "today": self.today.isoformat(),
            "clearance": self.user.clearance,
            "unread_notifications": self.unread,
            "my_uploads": {**count(self.uploads), "recent": [
                {"id": d.id, "title": d.title, "status": d.status,
                 "uploaded_at": _utc(d.uploaded_at),
                 "url": url("documents.detail", {"document_id": d.id})}
                for d in self.recent_uploads]},
            "queue": {**count(self.processing), "lanes": [
                {"lane": lane.lane, "waiting": lane.waiting, "running": lane.running,
                 "mean_seconds": lane.mean_seconds, "wait_seconds": lane.wait_seconds}
                for lane in self.lanes]},
            "waiting_for_me": [count(c) for c in self.waiting],
            "proposals_waiting": [
                {"id": p.id, "action": p.action, "records": len(p.items),
                 "proposed_by": p.proposed_by.username,
                 "url": url("retention.proposal", {"proposal_id": p.id})}
                for p in self.proposals],
            "briefings": {
                "next": _briefing(b.next, url), "latest": _briefing(b.latest, url),
                "year": b.year, "months_without_periodic": b.missing_months,
                "this_month_held": b.this_month_held,
                "calendar_url": url("briefings.calendar", {"year": b.year})},
            "documents": {**count(self.total),
                          "per_month": [count(c) for c in self.per_month],
                          "by_category": [count(c) for c in self.by_category]},
            "saved_searches": [
                {"id": v.saved.id, "name": v.saved.name, "new": v.new,
                 "notify": v.saved.notify,
                 "url": url("saved_searches.open", {"saved_id": v.saved.id})}
                for v in self.saved_searches],
        }


def _briefing(b: Briefing | None, url) -> dict | None:
    if b is None:
        return None
    return {"id": b.id, "kind": b.kind, "title": b.title,
            "held_at": _utc(b.held_at), "url": url("briefings.detail",
                                                                {"briefing_id": b.id})}


def _utc(moment: datetime) -> str:
    """A stored (naive UTC) time as RFC 3339 with its offset."""
    return moment.replace(microsecond=0).isoformat() + "+00:00"


def build(user: User, today: date | None = None, now: datetime | None = None) -> Dashboard:
    """The dashboard of ``user``; ``today``/``now`` (local date, UTC time) for tests."""
    require(user, "document.view")
    now = now or utcnow()
    today = today or local_time(now).date()
    levels = levels_up_to(user.clearance)

    def count(key: str, label: str, **filters) -> Count:
        params = ListParams(**filters)
        value = db.session.scalar(select(func.count()).select_from(
            filtered(user, params).with_only_columns(Document.id).subquery()))
        args = {k: v for k, v in _list_args(params).items() if v}
        return Count(key, label, value or 0, ("documents.index", args))

    # First: counting new matches may save them (a commit), which would expire what is
    # loaded before it and cost every row a second query.
    searches = saved_searches.list_with_counts(user) if user.can("search") else []
    mine = db.session.scalars(
        select(Document).options(load_only(Document.id, Document.title, Document.status,
                                           Document.uploaded_at, Document.secrecy))
        .where(Document.uploaded_by_id == user.id, Document.secrecy.in_(levels))
        .order_by(Document.uploaded_at.desc(), Document.id.desc()).limit(RECENT_UPLOADS))
    proposals = (disposition.list_proposals(user, waiting_for_me=True)
                 if user.can("disposition.approve") else [])
    by_category = category_counts(user)
    return Dashboard(
        user=user, today=today, recent_uploads=list(mine),
        uploads=count("my_uploads", _("My uploads"), uploader=user.id),
        processing=count("processing", _("Being processed"), status="processing"),
        lanes=lanes(levels),
        waiting=_waiting(user, count, proposals),
        proposals=proposals[:PROPOSALS_SHOWN],
        briefings=_briefings(today, now),
        per_month=month_counts(user, today),
        by_category=by_category,
        total=Count("documents", _("Documents"), sum(c.value for c in by_category),
                    ("documents.index", {})),
        saved_searches=searches,
        unread=notifications.unread_count(user),
    )


def _list_args(p: ListParams) -> dict:
    return {"status": p.status, "uploader": p.uploader, "review": p.review,
            "category": p.category, "uploaded": p.uploaded}


def _waiting(user: User, count, proposals: list[DispositionProposal]) -> list[Count]:
    """What waits for this person, by what their role lets them do."""
    out = []
    everything = user.can("document.edit")  # archivists check any record, uploaders theirs
    if user.can("document.upload"):
        scope = {} if everything else {"uploader": user.id}
        out.append(count("suggestions", _("Suggestions to confirm"), review="suggestions",
                         **scope))
        retry_all = user.can("document.retry")
        out.append(count("failed", _("Failed processing to retry"), status="failed",
                         **({} if retry_all else {"uploader": user.id})))
    if user.can("retention.manage"):
        due = db.session.scalar(select(func.count()).select_from(Document).where(
            Document.disposition == Disposition.DUE,
            Document.secrecy.in_(levels_up_to(user.clearance))))
        out.append(Count("due", _("Records due for review"), due or 0,
                         ("retention.index", {"_anchor": "due"})))
    if user.can("disposition.approve"):
        out.append(Count("proposals", _("Proposals waiting for my approval"), len(proposals),
                         ("retention.index", {"proposals": "waiting", "_anchor": "proposals"})))
    if user.can("retention.manage"):
        mine = holds.list_holds(user, placed_by=user)
        out.append(Count("holds", _("Legal holds I placed"), len(mine),
                         ("retention.hold_list", {"mine": "1"})))
    return out


def _briefings(today: date, now: datetime) -> Briefings:
    """Next and latest briefing; months of this year gone by without a periodic one."""
    upcoming = db.session.scalar(select(Briefing).where(Briefing.held_at > now)
                                 .order_by(Briefing.held_at, Briefing.id).limit(1))
    latest = db.session.scalar(select(Briefing).where(Briefing.held_at <= now)
                               .order_by(Briefing.held_at.desc(), Briefing.id.desc()).limit(1))
    start = from_local(datetime(today.year, 1, 1))
    end = from_local(datetime(today.year + 1, 1, 1))
    held = {local_time(at).month for at in db.session.scalars(
        select(Briefing.held_at).where(Briefing.kind == Briefing.PERIODIC,
                                       Briefing.held_at >= start, Briefing.held_at < end,
                                       Briefing.held_at <= now))}
    return Briefings(upcoming, latest, today.year,
                     [m for m in range(1, today.month) if m not in held],
                     today.month in held)

