"""The RQ worker process: every job runs in a forked work horse with limits.

A hostile or broken file (a PDF object bomb, a huge DOCX) can make a parser
eat memory; the limit turns that into a failed job instead of an exhausted
machine. Time is limited by RQ's ``job_timeout`` (EXTRACT_JOB_TIMEOUT).
"""
from __future__ import annotations

import resource

from flask import current_app
from rq import Worker

from app.extensions import db


class LimitedWorker(Worker):
    """An RQ worker whose work horses run under an address-space limit."""

    memory_limit_mb: int = 2048

    def main_work_horse(self, job, queue):
        limit = self.memory_limit_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        # Connections opened by the parent must not be shared with the child.
        db.engine.dispose(close=False)
        return super().main_work_horse(job, queue)


def run(burst: bool = False) -> None:
    from app.extensions import services
    from app.jobs.queue import queue

    LimitedWorker.memory_limit_mb = current_app.config["WORKER_MEMORY_LIMIT_MB"]
    LimitedWorker([queue()], connection=services.redis).work(with_scheduler=True, burst=burst)
