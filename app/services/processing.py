"""Where a document's processing stands: the task under way and its place in the queue.

Read from our own ``processing_tasks`` table (never RQ's internals), so pages
and the API answer the same while Redis is down.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from app.extensions import db
from app.models import Document, ProcessingTask


@dataclass(frozen=True)
class Progress:
    lane: str | None = None        # of the waiting task
    position: int | None = None    # 1 = next in its lane
    percent: int | None = None     # of a page-by-page step (OCR) under way


def progress_of(document: Document) -> Progress:
    """The running task's percentage, or the waiting task's place in its lane."""
    running = [t for t in document.tasks if t.status == ProcessingTask.RUNNING]
    if running and 0 < running[-1].progress < 100:
        return Progress(lane=running[-1].lane, percent=running[-1].progress)
    waiting = [t for t in document.tasks if t.status == ProcessingTask.QUEUED]
    if running or not waiting:
        return Progress()
    task = waiting[0]
    ahead = db.session.scalar(select(func.count()).where(
        ProcessingTask.status == ProcessingTask.QUEUED, ProcessingTask.lane == task.lane,
        ProcessingTask.id < task.id))
    return Progress(lane=task.lane, position=ahead + 1)
