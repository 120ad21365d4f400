"""Notifications: made where things happen, read from the bell, optionally e-mailed.

Events call ``notify`` inside their own transaction (the notification exists if
and only if the event was committed). Each recipient's clearance is checked
here, at creation, and again whenever a notification is shown
(app.services.notification_text): a record whose secrecy was raised later shows
neither title nor link. E-mail is never sent in the request: when SMTP_URL is
set and the recipient asked for it, one job per recipient is enqueued after the
commit through a port the application factory wires (``set_mailer``); the
periodic check (``flask notifications check``) sends what an outage left behind.
"""
from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Callable

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select, update

from app.domain.vocab import levels_up_to
from app.extensions import db
from app.models import (
    Disposition, DispositionProposal, Document, LegalHold, Notification, NotificationKind,
    NotificationSettings, SavedSearch, User,
)
from app.models.user import ROLE_PERMISSIONS, utcnow
from app.services import audit
from app.services.access import require
from app.services.errors import ValidationFailed
from app.services.uow import UnitOfWork

Kind = NotificationKind
PAGE_SIZE = 30
_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]+$")
_mailer: Callable[[int], None] | None = None


def set_mailer(fn: Callable[[int], None]) -> None:
    """The application factory wires the job queue here: ``fn(user_id)`` enqueues e-mail."""
    global _mailer
    _mailer = fn


def may_see_document(user: User, document: Document | None) -> bool:
    return document is not None and user.active and \
        document.secrecy in levels_up_to(user.clearance)


def may_see_proposal(user: User, proposal: DispositionProposal | None) -> bool:
    levels = set(levels_up_to(user.clearance))
    return proposal is not None and all(
        item.snapshot.get("secrecy", "thuong") in levels for item in proposal.items)


def notify(uow: UnitOfWork, recipient: User | None, kind: str, actor: User | None = None,
           document: Document | None = None, **refs) -> Notification | None:
    """Add a notification for ``recipient`` to the current transaction.

    Nobody is told about their own action, and nobody about a document above their
    clearance. ``refs``: briefing_id, proposal_id, saved_search_id, hold_id, data.
    """
    if recipient is None or not recipient.active or (actor is not None
                                                     and actor.id == recipient.id):
        return None
    if document is not None and not may_see_document(recipient, document):
        return None
    note = Notification(user_id=recipient.id, kind=kind,
                        document_id=document.id if document is not None else None,
                        data=refs.pop("data", None) or {}, **refs)
    db.session.add(note)
    if current_app.config.get("SMTP_URL") and _mailer is not None \
            and _wants_email(recipient.id):
        user_id = recipient.id
        uow.once(("mail", user_id), lambda: _mailer(user_id))
    return note


def _wants_email(user_id: int) -> bool:
    settings = db.session.get(NotificationSettings, user_id)
    return bool(settings and settings.email_enabled and settings.email)


# --- Events --------------------------------------------------------------------------

def processing_finished(uow: UnitOfWork, document: Document) -> None:
    """The uploader's document is searchable, or could not be read."""
    failed = document.status == "failed"
    notify(uow, document.uploaded_by,
           Kind.PROCESSING_FAILED if failed else Kind.PROCESSING_DONE, document=document,
           data={"status": document.status})


def proposal_created(uow: UnitOfWork, proposal: DispositionProposal) -> None:
    """Every approver who may decide it (not its author; clearance over all its records)."""
    roles = [r.value for r, perms in ROLE_PERMISSIONS.items() if "disposition.approve" in perms]
    for approver in db.session.scalars(select(User).where(User.role.in_(roles),
                                                          User.active.is_(True))):
        if may_see_proposal(approver, proposal):
            notify(uow, approver, Kind.PROPOSAL_WAITING, actor=proposal.proposed_by,
                   proposal_id=proposal.id)


def proposal_decided(uow: UnitOfWork, proposal: DispositionProposal, actor: User) -> None:
    if may_see_proposal(proposal.proposed_by, proposal):
        notify(uow, proposal.proposed_by, Kind.PROPOSAL_DECIDED, actor=actor,
               proposal_id=proposal.id)


def hold_placed(uow: UnitOfWork, hold: LegalHold, actor: User) -> None:
    """The uploaders of the held document, or of the documents of the held dossier.

    A hold on a saved search is evaluated against the index when it matters
    (app.services.holds); whom it covers is not known when it is placed: nobody is told.
    """
    if hold.target_type == LegalHold.DOCUMENT:
        document = db.session.get(Document, hold.document_id)
        notify(uow, document.uploaded_by, Kind.HOLD_PLACED, actor=actor, document=document,
               hold_id=hold.id)
    elif hold.target_type == LegalHold.DOSSIER:
        rows = db.session.execute(
            select(Document.uploaded_by_id, Document.secrecy, func.count())
            .where(Document.dossier_id == hold.dossier_id,
                   Document.uploaded_by_id.is_not(None),
                   Document.disposition.not_in(Disposition.GONE + (Disposition.DELETED,)))
            .group_by(Document.uploaded_by_id, Document.secrecy)).all()
        uploaders: dict[int, int] = {}
        for uploader_id, secrecy, n in rows:
            person = db.session.get(User, uploader_id)
            if secrecy in levels_up_to(person.clearance):
                uploaders[uploader_id] = uploaders.get(uploader_id, 0) + n
        for uploader_id in uploaders:
            notify(uow, db.session.get(User, uploader_id), Kind.HOLD_PLACED, actor=actor,
                   hold_id=hold.id, data={"dossier_id": hold.dossier_id})


def saved_search_matches(uow: UnitOfWork, saved: SavedSearch, count: int) -> None:
    notify(uow, saved.user, Kind.SAVED_SEARCH, saved_search_id=saved.id,
           data={"count": count})


# --- Reading -------------------------------------------------------------------------

def unread_count(user: User) -> int:
    return db.session.scalar(select(func.count()).select_from(Notification).where(
        Notification.user_id == user.id, Notification.read_at.is_(None))) or 0


def list_notifications(user: User, unread_only: bool = False, page: int = 1,
                       per_page: int = PAGE_SIZE,
                       only_id: int | None = None) -> tuple[list[Notification], int]:
    """One page of ``user``'s notifications, newest first, and how many there are
    (``only_id``: that one, if it is theirs)."""
    require(user, "document.view")
    where = [Notification.user_id == user.id]
    if unread_only:
        where.append(Notification.read_at.is_(None))
    if only_id is not None:
        where.append(Notification.id == only_id)
    total = db.session.scalar(select(func.count()).select_from(Notification).where(*where))
    items = list(db.session.scalars(
        select(Notification).where(*where).order_by(Notification.id.desc())
        .offset((max(1, page) - 1) * per_page).limit(per_page)))
    return items, total or 0


def mark_read(user: User, ids: list[int] | None = None) -> int:
    """Mark ``ids`` (or, with None, every unread one) of ``user``'s notifications read.

    Reading is the person's own state, like a last login: it is not an audit entry.
    """
    require(user, "document.view")
    where = [Notification.user_id == user.id, Notification.read_at.is_(None)]
    if ids is not None:
        if not ids:
            return 0
        where.append(Notification.id.in_(ids))
    done = db.session.execute(update(Notification).where(*where).values(read_at=utcnow()))
    db.session.commit()
    return done.rowcount or 0


# --- E-mail settings -----------------------------------------------------------------

def email_settings(user: User) -> NotificationSettings:
    return db.session.get(NotificationSettings, user.id) or NotificationSettings(
        user_id=user.id, email=None, email_enabled=False)


def save_email_settings(user: User, email: str | None, enabled: bool) -> NotificationSettings:
    """Where notifications are e-mailed, and whether; switching on sends no backlog."""
    require(user, "document.view")
    email = (email or "").strip() or None
    if email and not _EMAIL.match(email):
        raise ValidationFailed(_("Enter an e-mail address such as ten@so.gov.vn."),
                               fields={"email": _("Not an e-mail address.")})
    if enabled and not email:
        raise ValidationFailed(_("Enter the address to send notifications to."),
                               fields={"email": _("Required.")})
    settings = db.session.get(NotificationSettings, user.id)
    if settings is None:
        settings = NotificationSettings(user_id=user.id)
        db.session.add(settings)
    before = (settings.email, bool(settings.email_enabled))
    if enabled and not settings.email_enabled:
        settings.email_since = utcnow()
    settings.email, settings.email_enabled = email, enabled
    if before != (email, enabled):
        audit.record(user, "notifications.email", "user", user.id, email=email,
                     enabled=enabled)
    db.session.commit()
    return settings


def users_with_unsent_email(older_than: timedelta = timedelta(minutes=1)) -> list[int]:
    """People whose e-mail is on and who have notifications not sent yet (an outage)."""
    before: datetime = utcnow() - older_than
    return list(db.session.scalars(
        select(Notification.user_id).join(
            NotificationSettings, NotificationSettings.user_id == Notification.user_id)
        .where(NotificationSettings.email_enabled.is_(True),
               Notification.emailed_at.is_(None),
               Notification.created_at >= NotificationSettings.email_since,
               Notification.created_at < before).distinct()))


def send_unsent_email() -> int:
    """Enqueue e-mail for everyone with notifications left unsent; how many people."""
    if not current_app.config.get("SMTP_URL") or _mailer is None:
        return 0
    people = users_with_unsent_email()
    for user_id in people:
        _mailer(user_id)
    return len(people)

