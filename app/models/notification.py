"""Notifications (the bell, optional e-mail), saved searches and e-mail preferences.

A notification points at what it is about (a document, a briefing, a proposal, a
legal hold, a saved search) and never copies a title: the page and the e-mail read
the record when they are shown, so a record whose secrecy was raised later shows
nothing of itself to a reader without the clearance (app.services.notifications).
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy import false as sa_false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.document import Document
from app.models.user import User, utcnow


class NotificationKind:
    PROCESSING_DONE = "processing_done"      # my upload is searchable
    PROCESSING_FAILED = "processing_failed"  # my upload could not be read
    PROPOSAL_WAITING = "proposal_waiting"    # a disposition proposal waits for my approval
    PROPOSAL_DECIDED = "proposal_decided"    # my proposal was approved or rejected
    SAVED_SEARCH = "saved_search"            # new documents match my saved search
    HOLD_PLACED = "hold_placed"              # a legal hold now covers my document(s)

    ALL = (PROCESSING_DONE, PROCESSING_FAILED, PROPOSAL_WAITING, PROPOSAL_DECIDED,
           SAVED_SEARCH, HOLD_PLACED)


class Notification(db.Model):
    __tablename__ = "notifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    kind: Mapped[str] = mapped_column(String(30))
    document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"))
    briefing_id: Mapped[int | None] = mapped_column(ForeignKey("briefings.id"))
    proposal_id: Mapped[int | None] = mapped_column(ForeignKey("disposition_proposals.id"))
    saved_search_id: Mapped[int | None] = mapped_column(
        ForeignKey("saved_searches.id", ondelete="CASCADE"))
    hold_id: Mapped[int | None] = mapped_column(ForeignKey("legal_holds.id"))
    # Small facts known when it was made: {"count": 3} new matches, a dossier's id.
    data: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None]
    emailed_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()

    __table_args__ = (
        # The bell's unread count on every page, and the list newest first.
        Index("ix_notifications_user_read", "user_id", "read_at"),
        Index("ix_notifications_user_id_id", "user_id", "id"),
    )


class SavedSearch(db.Model):
    """A person's search with its filters, kept under a name.

    ``last_seen_at``: when its owner last opened it ("new since your last look");
    ``last_checked_at``: how far the periodic check has notified new matches.
    """

    __tablename__ = "saved_searches"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    # The search page's parameters (q, category, type, year, …) as given.
    query: Mapped[dict] = mapped_column(JSON, default=dict)
    notify: Mapped[bool] = mapped_column(default=False, server_default=sa_false())
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_checked_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_count: Mapped[int] = mapped_column(default=0)  # new matches at the last count

    user: Mapped[User] = relationship()

    __table_args__ = (UniqueConstraint("user_id", "name", name="uq_saved_searches_user_name"),)


class NotificationSettings(db.Model):
    """Where and whether a person receives notifications by e-mail (when SMTP_URL is set)."""

    __tablename__ = "notification_settings"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    email: Mapped[str | None] = mapped_column(String(254))
    email_enabled: Mapped[bool] = mapped_column(default=False, server_default=sa_false())
    # Only notifications made after e-mail was switched on are sent (no backlog).
    email_since: Mapped[datetime | None]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


# The dashboard's counts read these instead of the table (index-only scans, 100,000
# documents: bench/dashboard_latency.py): documents by category, uploads per month
# and a person's uploads, each within the reader's clearance (secrecy).
Index("ix_documents_category_secrecy", Document.category, Document.secrecy)
Index("ix_documents_uploaded_at_secrecy", Document.uploaded_at, Document.secrecy)
Index("ix_documents_uploaded_by_secrecy", Document.uploaded_by_id, Document.secrecy)
