"""Background work recorded with the data it concerns, sent to the queue after commit.

Services never import the job queue: the application factory wires the
function that enqueues a task (``set_enqueuer``), like an after-commit
operation of invenio-records-resources' unit of work. A task whose enqueue
fails (Redis down) stays queued in our table and the reconcile loop sends it.
"""
from __future__ import annotations

from typing import Callable

from app.models import Document, ProcessingTask
from app.services.uow import UnitOfWork

_enqueue: Callable[[int], None] | None = None


def set_enqueuer(fn: Callable[[int], None]) -> None:
    global _enqueue
    _enqueue = fn


def _send(task_id: int) -> None:
    if _enqueue is None:
        raise RuntimeError("no job queue wired (create_app sets it)")
    _enqueue(task_id)


def schedule(uow: UnitOfWork, document: Document, kind: str,
             lane: str = ProcessingTask.INTERACTIVE) -> ProcessingTask:
    """Record a task in the same transaction as ``document``; enqueue it after commit."""
    task = ProcessingTask(kind=kind, status=ProcessingTask.QUEUED, lane=lane)
    document.tasks.append(task)
    uow.after_commit(lambda: _send(task.id))
    return task
