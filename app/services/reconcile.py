"""Re-enqueue work that an outage of Redis, Elasticsearch or a worker left behind.

The database is the source of truth: a document whose text has not been
extracted, or whose indexed revision is behind its revision, gets a new task.
Running it twice only produces duplicate, idempotent jobs.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from sqlalchemy import select

from app.extensions import db
from app.jobs.queue import schedule
from app.models import Document, DocumentFile, DocumentStatus, ProcessingTask
from app.models.user import utcnow
from app.services.uow import UnitOfWork


@dataclass
class ReconcileReport:
    extract: int = 0
    index: int = 0
    briefings: int = 0


def reconcile(batch: int = 500) -> ReconcileReport:
    """Schedule extraction or indexing for every document that is behind."""
    report = ReconcileReport()
    stale_before = utcnow() - timedelta(seconds=current_app.config["RECONCILE_STALE_SECONDS"])
    for document in _behind(stale_before, batch):
        uow = UnitOfWork()
        pending = [t for t in document.tasks if t.status in (ProcessingTask.QUEUED,
                                                              ProcessingTask.RUNNING)]
        for task in pending:  # superseded by the task created below
            task.status = ProcessingTask.FAILED
            task.error = task.error or "superseded by reconcile"
        if _needs_extraction(document):
            document.status = DocumentStatus.QUEUED
            schedule(uow, document, "extract")
            report.extract += 1
        else:
            schedule(uow, document, "index")
            report.index += 1
        uow.commit()
    report.briefings = _briefings_behind(batch)
    return report


def _briefings_behind(batch: int) -> int:
    from app.services.briefings import reindex_lagging

    try:
        return reindex_lagging(batch)
    except Exception:  # noqa: BLE001 - Elasticsearch still down: next round
        db.session.rollback()
        return 0


def _behind(stale_before, batch: int) -> list[Document]:
    needs_extract = (Document.status.in_(DocumentStatus.IN_PROGRESS)
                     & Document.files.any(DocumentFile.extraction_method.is_(None)))
    lagging = Document.indexed_revision < Document.revision
    # Skip documents with a task started or queued recently: the worker may
    # simply not have reached them yet.
    busy = Document.tasks.any(
        ProcessingTask.status.in_((ProcessingTask.QUEUED, ProcessingTask.RUNNING))
        & (ProcessingTask.created_at > stale_before)
    )
    query = (select(Document).where((needs_extract | lagging) & ~busy)
             .order_by(Document.id).limit(batch))
    return list(db.session.scalars(query))


def _needs_extraction(document: Document) -> bool:
    return (document.status in DocumentStatus.IN_PROGRESS
            and any(f.extraction_method is None for f in document.files))
