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
_enqueue_many: Callable[[list[int]], None] | None = None


def set_enqueuer(fn: Callable[[int], None],
                 many: Callable[[list[int]], None] | None = None) -> None:
    global _enqueue, _enqueue_many
    _enqueue, _enqueue_many = fn, many


def _send(task_id: int) -> None:
    if _enqueue is None:
        raise RuntimeError("no job queue wired (create_app sets it)")
    _enqueue(task_id)


def schedule(uow: UnitOfWork, document: Document, kind: str,
             lane: str = ProcessingTask.INTERACTIVE,
             batch: TaskBatch | None = None) -> ProcessingTask:
    """Record a task in the same transaction as ``document``; enqueue it after commit.

    With ``batch``, the task is sent with the batch's others in one go (bulk work).
    """
    task = ProcessingTask(kind=kind, status=ProcessingTask.QUEUED, lane=lane)
    document.tasks.append(task)
    if batch is not None:
        batch.tasks.append(task)
    else:
        uow.after_commit(lambda: _send(task.id))
    return task


class TaskBatch:
    """Tasks of many documents sent to the queue together after the commit.

    One round trip to Redis and one database write for the lot, instead of one
    each: what a harvest of thousands of records needs. A task that does not
    reach the queue stays queued in our table; reconcile sends it.
    """

    def __init__(self, uow: UnitOfWork) -> None:
        self.tasks: list[ProcessingTask] = []
        uow.after_commit(self._send)

    def _send(self) -> None:
        ids = [t.id for t in self.tasks if t.id is not None]
        if not ids:
            return
        if _enqueue_many is None:
            for task_id in ids:
                _send(task_id)
        else:
            _enqueue_many(ids)
