"""Archived documents, their original files and their processing tasks."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, BigInteger, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy import false as sa_false
from sqlalchemy import text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.citation import DocumentCitation
from app.models.retention import Dossier, RetentionSchedule
from app.models.user import User, utcnow


class DocumentStatus:
    """Processing states a person sees on the document page."""

    QUEUED = "queued"          # stored, waiting for a worker
    PROCESSING = "processing"  # text extraction or indexing under way
    INDEXED = "indexed"        # searchable by its text
    NO_TEXT = "no_text"        # searchable by metadata only: image-only scan
    FAILED = "failed"          # extraction failed; see error_code, retry possible

    IN_PROGRESS = (QUEUED, PROCESSING)
    FINAL = (INDEXED, NO_TEXT, FAILED)


class Disposition:
    """Where a record stands in its life cycle (retention)."""

    ACTIVE = "active"            # kept; not yet due
    DUE = "due"                  # retention ended: waiting for an archivist's review
    PROPOSED = "proposed"        # in a destruction or transfer proposal
    DESTROYED = "destroyed"      # tombstone: metadata and destruction record only
    TRANSFERRED = "transferred"  # handed to the historical archive
    DELETED = "deleted"          # tombstone: erased outside the schedule (by an admin)

    GONE = (DESTROYED, TRANSFERRED)
    ERASED = (DESTROYED, DELETED)  # bytes, text and search entry removed


class Document(db.Model):
    """One archived record with its NĐ 30/2020 metadata."""

    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(500))
    # Who titled it (app.domain.titles.TitleSource): a person's title is kept;
    # any other is composed again when type, number or summary become known.
    title_source: Mapped[str] = mapped_column(String(20), server_default="file_name")
    category: Mapped[str] = mapped_column(String(40), default="other", index=True)
    doc_type: Mapped[str | None] = mapped_column(String(10), index=True)
    number: Mapped[str | None] = mapped_column(String(20))
    symbol: Mapped[str | None] = mapped_column(String(100))
    # Normalised "number/symbol" used for exact look-ups (see app.text).
    number_key: Mapped[str | None] = mapped_column(String(140), index=True)
    issuing_agency: Mapped[str | None] = mapped_column(String(300))
    place: Mapped[str | None] = mapped_column(String(120))
    issue_date: Mapped[date | None] = mapped_column(index=True)
    summary: Mapped[str | None] = mapped_column(Text)
    signer_name: Mapped[str | None] = mapped_column(String(200))
    signer_position: Mapped[str | None] = mapped_column(String(200))
    recipients: Mapped[str | None] = mapped_column(Text)
    secrecy: Mapped[str] = mapped_column(String(20), default="thuong")
    urgency: Mapped[str] = mapped_column(String(20), default="thuong")
    language: Mapped[str] = mapped_column(String(10), default="vi")
    page_count: Mapped[int | None]
    notes: Mapped[str | None] = mapped_column(Text)

    # Communication products paid for by the state (category
    # communication_product): funding decides which schedule applies.
    funding_source: Mapped[str | None] = mapped_column(String(20))
    product_kind: Mapped[str | None] = mapped_column(String(20))
    product_cost: Mapped[int | None] = mapped_column(BigInteger)  # VND
    approving_decision: Mapped[str | None] = mapped_column(String(200))

    # Records management (app.services.retention): the schedule the rules
    # assigned, or an archivist's override with its reason; a dossier's
    # schedule takes precedence over both.
    dossier_id: Mapped[int | None] = mapped_column(ForeignKey("dossiers.id"), index=True)
    schedule_id: Mapped[int | None] = mapped_column(ForeignKey("retention_schedules.id"))
    schedule_override_reason: Mapped[str | None] = mapped_column(Text)
    disposition: Mapped[str] = mapped_column(String(20), default="active", index=True)
    disposed_at: Mapped[datetime | None]

    # Sharing (app.sharing): internal | partner | public; only secrecy "Thường"
    # may be shared. shared_at/public_at: first time it left as partner/public,
    # so a later withdrawal is reported to harvesters as a deletion.
    sharing: Mapped[str] = mapped_column(String(20), default="internal",
                                         server_default="internal", index=True)
    shared_at: Mapped[datetime | None]
    public_at: Mapped[datetime | None]
    # Harvested from another archive (read-only here): its source and identifier there.
    source_id: Mapped[int | None] = mapped_column(ForeignKey("harvest_sources.id"), index=True)
    source_identifier: Mapped[str | None] = mapped_column(String(300))
    source_datestamp: Mapped[datetime | None]
    source: Mapped["HarvestSource | None"] = relationship()  # noqa: F821 - app.models.sharing

    status: Mapped[str] = mapped_column(String(20), default=DocumentStatus.QUEUED, index=True)
    error_code: Mapped[str | None] = mapped_column(String(40))
    error_detail: Mapped[str | None] = mapped_column(Text)
    # revision grows with every change that must reach the index;
    # indexed_revision is what Elasticsearch last acknowledged.
    revision: Mapped[int] = mapped_column(default=1)
    indexed_revision: Mapped[int] = mapped_column(default=0)

    # What the recognisers read from the text (app.recognition), kept as
    # suggestions: it fills empty fields only, never what a person entered.
    extracted: Mapped[dict | None] = mapped_column(JSON)
    # The recogniser filled fields or offers values no person has checked yet: set by
    # the extraction job, cleared when someone saves the edit form (the dashboard's
    # "suggestions to confirm").
    suggestions_pending: Mapped[bool] = mapped_column(default=False, server_default=sa_false())

    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    uploaded_by: Mapped[User | None] = relationship()
    files: Mapped[list[DocumentFile]] = relationship(
        back_populates="document", order_by="DocumentFile.id", cascade="all, delete-orphan"
    )
    tasks: Mapped[list[ProcessingTask]] = relationship(
        back_populates="document", order_by="ProcessingTask.id", cascade="all, delete-orphan"
    )
    dossier: Mapped[Dossier | None] = relationship()
    schedule: Mapped[RetentionSchedule | None] = relationship()
    citations: Mapped[list[DocumentCitation]] = relationship(
        foreign_keys="DocumentCitation.document_id", back_populates="document",
        order_by="DocumentCitation.id", cascade="all, delete-orphan"
    )

    # Passages and their vectors (app.models.passage), in order.
    passages: Mapped[list["DocumentPassage"]] = relationship(  # noqa: F821
        back_populates="document", order_by="DocumentPassage.ordinal",
        cascade="all, delete-orphan", passive_deletes=True)

    __table_args__ = (
        Index("ix_documents_index_lag", "indexed_revision", "revision"),
        # OAI-PMH lists records in (updated_at, id) order, from/until on updated_at.
        Index("ix_documents_updated_at_id", "updated_at", "id"),
        # Small: only the documents whose suggestions wait for a person.
        Index("ix_documents_suggestions_pending", "uploaded_by_id",
              postgresql_where=text("suggestions_pending"),
              sqlite_where=text("suggestions_pending")),
        UniqueConstraint("source_id", "source_identifier", name="uq_documents_source_identifier"),
    )

    @property
    def is_external(self) -> bool:
        return self.source_id is not None

    @property
    def main_file(self) -> DocumentFile | None:
        return self.files[0] if self.files else None

    @property
    def number_symbol(self) -> str:
        """As printed: ``1079/QĐ-TTg``; just the symbol when the number is blank."""
        if self.number and self.symbol:
            return f"{self.number}/{self.symbol}"
        return self.symbol or self.number or ""

    def bump_revision(self) -> None:
        self.revision += 1


class DocumentFile(db.Model):
    """An original file, stored content-addressed by its SHA-256."""

    __tablename__ = "document_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), index=True)
    original_filename: Mapped[str] = mapped_column(String(500))
    media_type: Mapped[str] = mapped_column(String(120))
    size: Mapped[int]
    # Not unique: a record above one uploader's clearance and their own copy share bytes.
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    page_count: Mapped[int | None]
    extracted_text: Mapped[str | None] = mapped_column(Text)
    extraction_method: Mapped[str | None] = mapped_column(String(40))
    # 0..1: 1.0 for a digital text layer, OCR word confidence for scans.
    extraction_quality: Mapped[float | None]
    # Steps (e.g. libreoffice, tcvn3-to-unicode), warnings and OCR details.
    extraction_notes: Mapped[dict | None] = mapped_column(JSON)
    # A PDF with the OCR text laid over the scan, stored beside the original.
    searchable_sha256: Mapped[str | None] = mapped_column(String(64))
    # First page as a PNG (app.previews), and for originals that are not PDFs the
    # PDF LibreOffice printed of them, shown page by page; both content-addressed.
    thumbnail_sha256: Mapped[str | None] = mapped_column(String(64))
    preview_sha256: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    document: Mapped[Document] = relationship(back_populates="files")


class ProcessingTask(db.Model):
    """Status of one background job, written by the enqueuer and the job.

    Pages and the API read this table, never RQ's internals, so they keep
    working when Redis is down.
    """

    __tablename__ = "processing_tasks"

    QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
    INTERACTIVE, LONG = "interactive", "long"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # extract | index
    # interactive: a person's upload, edit or retry; long: OCR, bulk import, recovery.
    lane: Mapped[str] = mapped_column(String(20), server_default="interactive")
    status: Mapped[str] = mapped_column(String(20), default=QUEUED)
    progress: Mapped[int] = mapped_column(default=0)
    attempts: Mapped[int] = mapped_column(default=0)
    error: Mapped[str | None] = mapped_column(Text)
    rq_job_id: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]

    document: Mapped[Document] = relationship(back_populates="tasks")

    __table_args__ = (Index("ix_processing_tasks_status_lane", "status", "lane"),)
