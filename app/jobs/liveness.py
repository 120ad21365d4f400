"""Is a task's RQ job still going to run? Read from RQ, for the reconcile loop only.

Pages and the API read our own ``processing_tasks`` table; only recovery needs
to know whether the job behind a task is still waiting in Redis or held by a
worker that is alive, so that lost work is redone once and live work never twice.
"""
from __future__ import annotations

import os
import socket

from rq import Worker
from rq.exceptions import NoSuchJobError
from rq.job import Job, JobStatus

from app.extensions import services
from app.models import ProcessingTask

# A job waiting for its turn keeps its place. A retry waiting out its backoff
# (SCHEDULED) does not count: superseding it only runs the work sooner, since
# the old job skips a superseded task.
WAITING = {JobStatus.QUEUED, JobStatus.DEFERRED}


def in_flight(task: ProcessingTask) -> bool:
    """True while the task's job waits in a queue or runs under a live worker.

    Raises redis errors when Redis cannot be asked: the caller then knows nothing.
    """
    if task.rq_job_id is None:
        return False  # the after-commit enqueue failed (Redis was down)
    try:
        job = Job.fetch(task.rq_job_id, connection=services.redis)
    except NoSuchJobError:
        return False  # lost with Redis's memory, or expired
    status = job.get_status()
    if status in WAITING:
        return True
    return status == JobStatus.STARTED and worker_alive(job.worker_name)


def worker_alive(name: str | None) -> bool:
    if not name:
        return False
    worker = Worker.find_by_key(Worker.redis_worker_namespace_prefix + name,
                                connection=services.redis)
    if worker is None:
        return False  # its key expired: no heartbeat for WORKER_TTL seconds
    if worker.hostname == socket.gethostname() and worker.pid:
        try:
            os.kill(worker.pid, 0)  # on this host we need not wait for the key to expire
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
    return True


def live_workers() -> list[Worker]:
    """Registered workers that are really running (SIGKILLed ones linger in the registry)."""
    from app.jobs.queue import worker_queues

    workers = {w.name: w for q in worker_queues()
               for w in Worker.all(connection=services.redis, queue=q)}
    return [w for w in workers.values() if worker_alive(w.name)]
