"""Bulk operations in the background: the job and the helper that enqueues it.

The job takes the operation's id and reloads everything; the runner
(app.services.bulk_run) is idempotent and resumes where an earlier attempt
stopped, so RQ may retry it safely. Bulk work goes to the long lane: people's
uploads and edits never wait behind it.
"""
from __future__ import annotations

from flask import current_app
from rq import Retry

from app.extensions import db
from app.models import BulkOperation, ProcessingTask
from app.services.bulk_run import run


def run_bulk(operation_id: int) -> str:
    return run(operation_id)


def enqueue_bulk(operation_id: int) -> None:
    """Send operation ``operation_id`` to the worker. Raises if Redis is unreachable."""
    from app.jobs.queue import queue

    operation = db.session.get(BulkOperation, operation_id)
    if operation is None or operation.status != BulkOperation.QUEUED:
        return
    job = queue(ProcessingTask.LONG).enqueue(
        run_bulk, operation.id, retry=Retry(max=2, interval=[10, 60]),
        job_timeout=current_app.config.get("BULK_JOB_TIMEOUT", 3600),
        description=f"bulk {operation.action} ({operation.total} documents)")
    operation.rq_job_id = job.id
    db.session.commit()
