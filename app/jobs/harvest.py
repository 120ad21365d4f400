"""A harvest in the background ("Thu thập ngay"): the job and the helper that enqueues it.

The job takes the run's id and reloads everything; a run already finished is
left alone, so RQ handing the job back twice does no harm. Harvests go to
the long lane: people's uploads and edits never wait behind them. There is
no automatic retry: the run records what failed, and the next scheduled run
starts again from the last successful harvest.
"""
from __future__ import annotations

from flask import current_app

from app.extensions import db
from app.models import HarvestRun, ProcessingTask


def run_harvest(run_id: int) -> str:
    from app.sharing.harvest.runner import execute

    run = execute(run_id)
    return run.status if run is not None else "missing"


def enqueue_harvest(run_id: int) -> None:
    """Send run ``run_id`` to the worker. Raises if Redis is unreachable."""
    from app.jobs.queue import queue

    run = db.session.get(HarvestRun, run_id)
    if run is None or run.status != "queued":
        return
    job = queue(ProcessingTask.LONG).enqueue(
        run_harvest, run.id, job_timeout=current_app.config.get("HARVEST_JOB_TIMEOUT", 4 * 3600),
        description=f"harvest source {run.source_id} (run {run.id})")
    run.rq_job_id = job.id
    db.session.commit()
