"""Records management: retention schedule, dossiers, legal holds, disposition."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.user import User, utcnow


class RetentionSchedule(db.Model):
    """One series of the file plan: how long its records are kept, then what."""

    __tablename__ = "retention_schedules"

    TRIGGER_ISSUE_YEAR = "issue_year_end"      # end of the year the document was issued
    TRIGGER_DOSSIER_CLOSE = "dossier_close"    # end of the year the dossier closed
    DESTROY, TRANSFER, REVIEW = "destroy", "transfer", "review"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    # None: kept permanently, never becomes due.
    retention_years: Mapped[int | None]
    trigger: Mapped[str] = mapped_column(String(30), default=TRIGGER_ISSUE_YEAR)
    action: Mapped[str] = mapped_column(String(20), default=DESTROY)
    legal_basis: Mapped[str] = mapped_column(Text, default="")
    # Shipped values from DOMAIN.md that an archivist has not confirmed yet.
    is_default: Mapped[bool] = mapped_column(default=False)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    @property
    def permanent(self) -> bool:
        return self.retention_years is None


class RetentionRule(db.Model):
    """Assigns a schedule to documents matching category, type and funding.

    Empty match fields match anything; the most specific matching rule wins.
    """

    __tablename__ = "retention_rules"

    id: Mapped[int] = mapped_column(primary_key=True)
    category: Mapped[str | None] = mapped_column(String(40))
    doc_type: Mapped[str | None] = mapped_column(String(10))
    funding_source: Mapped[str | None] = mapped_column(String(20))
    schedule_id: Mapped[int] = mapped_column(ForeignKey("retention_schedules.id"))

    schedule: Mapped[RetentionSchedule] = relationship()

    def specificity(self) -> int:
        return sum(v is not None for v in (self.category, self.doc_type, self.funding_source))


class Dossier(db.Model):
    """A hồ sơ: documents kept together; its retention governs theirs."""

    __tablename__ = "dossiers"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(60), unique=True)
    title: Mapped[str] = mapped_column(String(500))
    year: Mapped[int | None]
    start_date: Mapped[date | None]
    # Closing date; an open dossier never becomes due.
    end_date: Mapped[date | None]
    schedule_id: Mapped[int | None] = mapped_column(ForeignKey("retention_schedules.id"))
    notes: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    schedule: Mapped[RetentionSchedule | None] = relationship()
    created_by: Mapped[User | None] = relationship()


class LegalHold(db.Model):
    """Freezes a document, a dossier or whatever a saved search matches."""

    __tablename__ = "legal_holds"

    DOCUMENT, DOSSIER, SEARCH = "document", "dossier", "search"

    id: Mapped[int] = mapped_column(primary_key=True)
    target_type: Mapped[str] = mapped_column(String(20))
    document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"), index=True)
    dossier_id: Mapped[int | None] = mapped_column(ForeignKey("dossiers.id"), index=True)
    # Saved search: {"q": ..., filter values ...}, evaluated when it matters.
    query: Mapped[dict | None] = mapped_column(JSON)
    reason: Mapped[str] = mapped_column(Text)
    placed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    placed_at: Mapped[datetime] = mapped_column(default=utcnow)
    released_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    released_at: Mapped[datetime | None]
    release_reason: Mapped[str | None] = mapped_column(Text)

    placed_by: Mapped[User | None] = relationship(foreign_keys=[placed_by_id])
    released_by: Mapped[User | None] = relationship(foreign_keys=[released_by_id])

    @property
    def active(self) -> bool:
        return self.released_at is None


class DispositionProposal(db.Model):
    """Destroy or transfer a set of records: proposed, decided by another person, executed."""

    __tablename__ = "disposition_proposals"

    PROPOSED, APPROVED, REJECTED, EXECUTED, BLOCKED = (
        "proposed", "approved", "rejected", "executed", "blocked")

    id: Mapped[int] = mapped_column(primary_key=True)
    action: Mapped[str] = mapped_column(String(20))  # destroy | transfer
    reason: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default=PROPOSED, index=True)
    proposed_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    proposed_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None]
    # The head's decision authorising it (e.g. "15/QĐ-STTTT"), and remarks.
    decision_ref: Mapped[str | None] = mapped_column(String(200))
    decision_note: Mapped[str | None] = mapped_column(Text)
    executed_at: Mapped[datetime | None]
    execution_note: Mapped[str | None] = mapped_column(Text)
    # Transfer: where the verified BagIt package is, and its manifest digest.
    package_path: Mapped[str | None] = mapped_column(String(500))
    package_sha256: Mapped[str | None] = mapped_column(String(64))

    proposed_by: Mapped[User] = relationship(foreign_keys=[proposed_by_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])
    items: Mapped[list[DispositionItem]] = relationship(
        back_populates="proposal", order_by="DispositionItem.id", cascade="all, delete-orphan")


class DispositionItem(db.Model):
    """One record in a proposal, with the metadata kept after it is gone."""

    __tablename__ = "disposition_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("disposition_proposals.id"), index=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), index=True)
    # Title, number, dates, files (name, size, sha256) as they were: the
    # destruction record lists these after the bytes are gone.
    snapshot: Mapped[dict] = mapped_column(JSON, default=dict)

    proposal: Mapped[DispositionProposal] = relationship(back_populates="items")
