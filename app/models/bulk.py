"""Bulk operations on many documents, and the indexes the document list relies on."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.document import Document
from app.models.user import User, utcnow


class BulkOperation(db.Model):
    """One bulk action over a set of documents: its status lives here, not in RQ.

    Written by the enqueue helper (queued, the resolved document ids) and by the
    job (running, progress, counts, done/failed). Pages and the API read it.
    """

    __tablename__ = "bulk_operations"

    QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"

    id: Mapped[int] = mapped_column(primary_key=True)
    action: Mapped[str] = mapped_column(String(30))
    # The action's argument: {"value": ..., "reason": ...}.
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    # Resolved when the operation is created (within the user's clearance), so a
    # re-run works on the same set whatever was archived meanwhile.
    document_ids: Mapped[list] = mapped_column(JSON, default=list)
    # The search the selection came from ("the whole result"), for the record.
    query: Mapped[dict | None] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(20), default=QUEUED, index=True)
    progress: Mapped[int] = mapped_column(default=0)  # 0..100
    total: Mapped[int] = mapped_column(default=0)
    processed: Mapped[int] = mapped_column(default=0)
    changed: Mapped[int] = mapped_column(default=0)
    unchanged: Mapped[int] = mapped_column(default=0)  # already so, or not applicable
    skipped: Mapped[int] = mapped_column(default=0)    # the user may not change it
    failed: Mapped[int] = mapped_column(default=0)
    not_found: Mapped[int] = mapped_column(default=0)  # unknown ids, or above clearance
    error: Mapped[str | None] = mapped_column(Text)
    # A ZIP made by the export action: its name, and the stored object holding it
    # (older ZIPs, without one, were kept in STORAGE_DIR/exports under the name).
    result_file: Mapped[str | None] = mapped_column(String(300))
    result_sha256: Mapped[str | None] = mapped_column(String(64))
    rq_job_id: Mapped[str | None] = mapped_column(String(100))
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]

    created_by: Mapped[User] = relationship()

    # What happened to each document (the counter of the same name goes up).
    OUTCOMES = ("changed", "unchanged", "skipped", "not_found", "failed")

    @property
    def finished(self) -> bool:
        return self.status in (self.DONE, self.FAILED)

    def count(self, outcome: str) -> None:
        """One more document processed, with this outcome."""
        assert outcome in self.OUTCOMES, outcome
        setattr(self, outcome, getattr(self, outcome) + 1)
        self.processed += 1
        # 100 only once the operation is done (the ZIP written, the counts committed).
        self.progress = min(99, self.processed * 100 // max(1, self.total))


# The document list (app.services.document_list) sorts every page by one of
# these keys with the id as tie-breaker, and filters by uploader and agency:
# without them, each page of 100,000 rows is a full sort (bench/list_latency.py).
# Descending sorts put empty dates and numbers last, which a plain index read
# backwards cannot give (it yields NULLS FIRST): hence the DESC NULLS LAST ones.
Index("ix_documents_uploaded_at_id", Document.uploaded_at, Document.id)
Index("ix_documents_issue_date_desc", Document.issue_date.desc().nulls_last(),
      Document.id.desc())
Index("ix_documents_title_id", Document.title, Document.id)
Index("ix_documents_number_key_desc", Document.number_key.desc().nulls_last(),
      Document.id.desc())
Index("ix_documents_uploaded_by_id", Document.uploaded_by_id)
Index("ix_documents_issuing_agency", Document.issuing_agency)
