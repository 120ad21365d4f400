"""Re-enqueue work that an outage of Redis, Elasticsearch or a worker left behind.

The database is the source of truth: a document whose text has not been
extracted, or whose indexed revision is behind its revision, gets a new task.
Running it twice only produces duplicate, idempotent jobs.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from redis.exceptions import RedisError
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.extensions import db, services
from app.jobs.liveness import in_flight
from app.models import Document, DocumentFile, DocumentStatus, ProcessingTask
from app.models.user import utcnow
from app.services.tasks import schedule
from app.services.uow import UnitOfWork


@dataclass
class ReconcileReport:
    extract: int = 0
    index: int = 0
    briefings: int = 0
    embed: int = 0
    redis_down: bool = False


def reconcile(batch: int = 500) -> ReconcileReport:
    """Schedule extraction or indexing for every document that is behind.

    A document whose task is still waiting in Redis, or held by a worker that
    is alive, is left alone: its job will run, and a second one would run the
    same work twice. A task whose worker died is superseded at once; when RQ
    later hands the abandoned job back, it finds its task superseded and skips.
    """
    report = ReconcileReport()
    try:
        services.redis.ping()
    except RedisError:
        report.redis_down = True  # nothing could be enqueued; and nothing is known
        return report
    stale_before = utcnow() - timedelta(seconds=current_app.config["RECONCILE_STALE_SECONDS"])
    for document in _behind(batch):
        pending = [t for t in document.tasks if t.status in (ProcessingTask.QUEUED,
                                                              ProcessingTask.RUNNING)]
        if any(_still_coming(t, stale_before) for t in pending):
            continue
        uow = UnitOfWork()
        for task in pending:  # superseded by the task created below
            task.status = ProcessingTask.FAILED
            task.error = task.error or "superseded by reconcile"
        if _needs_extraction(document):
            document.status = DocumentStatus.QUEUED
            schedule(uow, document, "extract", ProcessingTask.LONG)  # recovery is not urgent
            report.extract += 1
        else:
            schedule(uow, document, "index", ProcessingTask.LONG)
            report.index += 1
        uow.commit()
    report.briefings = _briefings_behind(batch)
    report.embed = reconcile_embeddings(batch)
    return report


def _still_coming(task: ProcessingTask, stale_before) -> bool:
    if task.rq_job_id is None:
        # Committed a moment ago, its enqueue may still be on its way.
        return task.created_at > stale_before
    return in_flight(task)


def _briefings_behind(batch: int) -> int:
    from app.services.briefings import reindex_lagging

    try:
        return reindex_lagging(batch)
    except Exception:  # noqa: BLE001 - Elasticsearch still down: next round
        db.session.rollback()
        return 0


def _behind(batch: int) -> Iterator[Document]:
    """Every document whose text or search entry is behind, in slices of ``batch``."""
    needs_extract = (Document.status.in_(DocumentStatus.IN_PROGRESS)
                     & Document.files.any(DocumentFile.extraction_method.is_(None)))
    lagging = Document.indexed_revision < Document.revision
    last_id = 0
    while True:
        documents = list(db.session.scalars(
            select(Document).where((needs_extract | lagging) & (Document.id > last_id))
            .options(selectinload(Document.tasks)).order_by(Document.id).limit(batch)))
        if not documents:
            return
        last_id = documents[-1].id
        yield from documents


def _needs_extraction(document: Document) -> bool:
    return (document.status in DocumentStatus.IN_PROGRESS
            and any(f.extraction_method is None for f in document.files))


def reconcile_embeddings(batch: int = 200) -> int:
    """Embedding tasks whose worker died, or that never reached Redis: sent again."""
    stale_before = utcnow() - timedelta(seconds=current_app.config["RECONCILE_STALE_SECONDS"])
    tasks = list(db.session.scalars(
        select(ProcessingTask).where(ProcessingTask.kind == "embed",
                                     ProcessingTask.status.in_((ProcessingTask.QUEUED,
                                                                ProcessingTask.RUNNING)),
                                     ProcessingTask.created_at <= stale_before)
        .order_by(ProcessingTask.id).limit(batch)))
    sent = 0
    for task in tasks:
        if task.rq_job_id is not None and in_flight(task):
            continue
        uow = UnitOfWork()
        task.status, task.error = ProcessingTask.FAILED, task.error or "superseded by reconcile"
        schedule(uow, task.document, "embed", ProcessingTask.LONG)
        uow.commit()
        sent += 1
    return sent
