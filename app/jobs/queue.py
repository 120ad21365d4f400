"""Enqueue helper: turns a ProcessingTask row into an RQ job on its lane's queue.

Two lanes, so a 0.2 s extraction never waits behind a bulk import: the
interactive lane (a person's upload, edit, retry) and the long lane (OCR of
scans, bulk imports, recovery by reconcile). Workers take the interactive
queue first; ``flask worker --lane interactive`` dedicates a worker to it.
"""
from __future__ import annotations

from flask import current_app
from rq import Callback, Queue, Retry

from app.extensions import db, services
from app.jobs.documents import JOBS as DOCUMENT_JOBS, on_job_failure
from app.jobs.semantic import embed_document
from app.models import ProcessingTask

JOBS = {**DOCUMENT_JOBS, "embed": embed_document}

# Transient failures (a service briefly down) are retried with backoff;
# permanent ones (a corrupt file) are recorded by the job and not raised.
RETRY = Retry(max=3, interval=[10, 60, 300])


LANES = (ProcessingTask.INTERACTIVE, ProcessingTask.LONG)


def queue(lane: str = ProcessingTask.INTERACTIVE) -> Queue:
    name = current_app.config["RQ_QUEUE"]
    return Queue(name if lane == ProcessingTask.INTERACTIVE else f"{name}-{lane}",
                 connection=services.redis)


def worker_queues(lanes: tuple[str, ...] = LANES) -> list[Queue]:
    """The queues a worker listens on, in priority order."""
    return [queue(lane) for lane in lanes]


def enqueue_task(task_id: int) -> None:
    """Send task ``task_id`` to the worker. Raises if Redis is unreachable."""
    task = db.session.get(ProcessingTask, task_id)
    if task is None or task.status != ProcessingTask.QUEUED:
        return
    job = queue(task.lane).enqueue(
        JOBS[task.kind], task.id,
        retry=RETRY,
        job_timeout=current_app.config["EXTRACT_JOB_TIMEOUT"],
        on_failure=Callback(on_job_failure),
        description=f"{task.kind} document {task.document_id}",
    )
    task.rq_job_id = job.id
    db.session.commit()


def enqueue_tasks(task_ids: list[int]) -> None:
    """Send many tasks at once (one Redis pipeline, one commit). Raises if Redis is down."""
    from sqlalchemy import select

    tasks = list(db.session.scalars(select(ProcessingTask).where(
        ProcessingTask.id.in_(task_ids), ProcessingTask.status == ProcessingTask.QUEUED)))
    for lane in LANES:
        mine = [t for t in tasks if t.lane == lane]
        if not mine:
            continue
        q = queue(lane)
        jobs = q.enqueue_many([q.prepare_data(
            JOBS[t.kind], (t.id,), retry=RETRY,
            timeout=current_app.config["EXTRACT_JOB_TIMEOUT"],
            on_failure=Callback(on_job_failure),
            description=f"{t.kind} document {t.document_id}") for t in mine])
        for task, job in zip(mine, jobs):
            task.rq_job_id = job.id
    db.session.commit()
