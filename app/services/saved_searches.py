"""Saved searches: a person's search kept under a name, with its new matches.

"New" means arrived (uploaded) after the owner's last look, counted through the
search service with the owner's secrecy filter, so a match above their
clearance is never counted. Opening a saved search is the look. The periodic
check (``flask notifications check``, also run as part of ``make run``) tells
the owners who asked for it about matches newer than its previous check.

A document is searchable only once processed: the moments remembered are never
later than the upload time of the oldest document still being processed (at most
a day back), so a slow OCR job cannot slip a match past a look. The price: a
document uploaded in that window and already searchable may be counted new twice.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import delete, func, select

from app.domain.dates import DateProblem, parse_date
from app.domain.vocab import CATEGORIES, DOCUMENT_TYPES, SECRECY_LEVELS
from app.extensions import db
from app.models import Disposition, Document, DocumentStatus, Notification, SavedSearch, User
from app.models.user import utcnow
from app.services import audit, notifications
from app.services.access import require
from app.services.errors import NotFound, SearchUnavailable, ValidationFailed
from app.services.search import count_new
from app.services.uow import UnitOfWork

# The search page's parameters a saved search keeps (page and per_page are not kept).
CHOICES = {"category": CATEGORIES, "type": DOCUMENT_TYPES, "secrecy": SECRECY_LEVELS,
           "record_type": ("document", "briefing"), "sort": ("relevance", "newest", "oldest")}
LENGTHS = {"q": 500, "agency": 300, "cites": 140}
KEYS = ("q", "category", "type", "year", "agency", "secrecy", "date_from", "date_to", "cites",
        "record_type", "sort")
MAX_LAG = timedelta(days=1)
MAX_PER_USER = 100


@dataclass
class SavedSearchView:
    saved: SavedSearch
    new: int | None  # None: search unavailable just now


def clean_query(raw) -> dict:
    """The known search parameters of ``raw``, checked; empty ones left out."""
    query, problems = {}, {}
    for key in KEYS:
        value = str(raw.get(key) or "").strip()
        if not value:
            continue
        if key in CHOICES and value not in CHOICES[key]:
            problems[key] = _("Not a known value.")
        elif key in LENGTHS and len(value) > LENGTHS[key]:
            problems[key] = _("At most %(n)d characters.", n=LENGTHS[key])
        elif key == "year" and not (value.isdigit() and 1900 <= int(value) <= 2100):
            problems[key] = _("Between %(a)d and %(b)d.", a=1900, b=2100)
        elif key in ("date_from", "date_to"):
            try:
                parse_date(value)
            except DateProblem as problem:
                problems[key] = str(problem)
        query[key] = value
    if problems:
        raise ValidationFailed(_("Some search parameters are invalid."), fields=problems)
    if not any(k != "sort" for k in query):
        raise ValidationFailed(_("A saved search needs search words or filters."))
    return query


def create(user: User, name: str, query, notify: bool = False) -> SavedSearch:
    """Keep ``query`` (the search page's parameters) under ``name``."""
    require(user, "search")
    name = " ".join((name or "").split())
    if not name or len(name) > 200:
        raise ValidationFailed(_("Give the search a name (at most 200 characters)."),
                               fields={"name": _("Required.")})
    cleaned = clean_query(query)
    mine = select(SavedSearch).where(SavedSearch.user_id == user.id)
    if db.session.scalar(mine.where(func.lower(SavedSearch.name) == name.lower())):
        raise ValidationFailed(_("You already have a saved search with this name."),
                               fields={"name": _("Already used.")})
    if db.session.scalar(select(func.count()).select_from(mine.subquery())) >= MAX_PER_USER:
        raise ValidationFailed(_("You have %(n)d saved searches; delete one first.",
                                 n=MAX_PER_USER))
    now = watermark()
    saved = SavedSearch(user_id=user.id, name=name, query=cleaned, notify=bool(notify),
                        last_seen_at=now, last_checked_at=now, created_at=utcnow())
    db.session.add(saved)
    db.session.flush()
    audit.record(user, "saved_search.create", "saved_search", saved.id, name=name,
                 query=cleaned, notify=saved.notify)
    db.session.commit()
    return saved


def get(user: User, saved_id: int) -> SavedSearch:
    """One of ``user``'s own saved searches (nobody else's exists for them)."""
    require(user, "search")
    saved = db.session.get(SavedSearch, saved_id)
    if saved is None or saved.user_id != user.id:
        raise NotFound(_("Saved search not found."))
    return saved


def delete_saved(user: User, saved_id: int) -> None:
    saved = get(user, saved_id)
    audit.record(user, "saved_search.delete", "saved_search", saved.id, name=saved.name)
    db.session.execute(delete(Notification).where(Notification.saved_search_id == saved.id))
    db.session.delete(saved)
    db.session.commit()


def set_notify(user: User, saved_id: int, notify: bool) -> SavedSearch:
    """Be told (bell, e-mail) of new matches, or not; from now on, not about the past."""
    saved = get(user, saved_id)
    if saved.notify != bool(notify):
        saved.notify = bool(notify)
        saved.last_checked_at = watermark()
        audit.record(user, "saved_search.notify", "saved_search", saved.id, notify=saved.notify)
    db.session.commit()
    return saved


def list_with_counts(user: User) -> list[SavedSearchView]:
    """``user``'s saved searches with their new matches since the last look."""
    require(user, "search")
    searches = list(db.session.scalars(select(SavedSearch).where(SavedSearch.user_id == user.id)
                                       .order_by(SavedSearch.name, SavedSearch.id)))
    try:
        counts = count_new(user, [(s.query, s.last_seen_at) for s in searches])
    except SearchUnavailable:
        return [SavedSearchView(s, None) for s in searches]
    changed = False
    for saved, count in zip(searches, counts):
        if saved.last_count != count:
            saved.last_count, changed = count, True
    if changed:
        db.session.commit()
    return [SavedSearchView(s, n) for s, n in zip(searches, counts)]


def open_saved(user: User, saved_id: int) -> dict:
    """The search to show; opening it is the owner's look (new matches start again)."""
    saved = get(user, saved_id)
    saved.last_seen_at, saved.last_count = watermark(), 0
    db.session.commit()
    return dict(saved.query)


def watermark(now: datetime | None = None) -> datetime:
    """Now, or the upload time of the oldest document still being processed (not yet
    searchable), at most a day back."""
    now = now or utcnow()
    waiting = db.session.scalar(select(func.min(Document.uploaded_at)).where(
        Document.status.in_(DocumentStatus.IN_PROGRESS),
        Document.disposition.not_in(Disposition.ERASED)))
    if waiting is None:
        return now
    return min(now, max(waiting - timedelta(seconds=1), now - MAX_LAG))


@dataclass
class CheckReport:
    checked: int = 0
    notified: int = 0
    unavailable: bool = False


def check_all(now: datetime | None = None) -> CheckReport:
    """Notify the owners of saved searches that asked for it of matches newer than the
    previous check (one search round trip per owner)."""
    report = CheckReport()
    moment = watermark(now)
    owners = db.session.scalars(select(User).where(User.active.is_(True), User.id.in_(
        select(SavedSearch.user_id).where(SavedSearch.notify.is_(True)))))
    for owner in list(owners):
        searches = list(db.session.scalars(select(SavedSearch).where(
            SavedSearch.user_id == owner.id, SavedSearch.notify.is_(True))
            .order_by(SavedSearch.id)))
        try:
            counts = count_new(owner, [(s.query, s.last_checked_at) for s in searches],
                               until=moment)
        except SearchUnavailable:
            db.session.rollback()
            report.unavailable = True
            return report
        uow = UnitOfWork()
        for saved, count in zip(searches, counts):
            report.checked += 1
            if count:
                notifications.saved_search_matches(uow, saved, count)
                report.notified += 1
            saved.last_checked_at = moment
        uow.commit()
    return report
