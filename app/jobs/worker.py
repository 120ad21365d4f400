"""The RQ worker process: every job runs in a forked work horse with limits.

A hostile or broken file (a PDF object bomb, a huge DOCX) can make a parser
eat memory; the limit turns that into a failed job instead of an exhausted
machine. Time is limited by RQ's ``job_timeout`` (EXTRACT_JOB_TIMEOUT).

The worker outlives its services: RQ's own loop quits on the first Redis
error ("found an unhandled exception, quitting"), so ``run`` waits for Redis
to answer again and starts a new loop; only a stop request (SIGINT/SIGTERM)
ends it. A work horse dies with its worker (it would otherwise finish a job
the archive already handed to someone else), and each worker keeps its
temporary files in a folder of its own that the next start clears.
"""
from __future__ import annotations

import ctypes
import logging
import os
import resource
import shutil
import signal
import socket
import tempfile
import time
from pathlib import Path

from flask import current_app
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from rq import Worker
from rq.worker import StopRequested

from app.extensions import db

log = logging.getLogger(__name__)
PR_SET_PDEATHSIG = 1
# A dead worker drops out of RQ's registry within this many seconds (default 420).
WORKER_TTL = 60
WORK_ROOT_NAME = "archive-worker"


def work_root() -> Path:
    return Path(tempfile.gettempdir()) / WORK_ROOT_NAME


class LimitedWorker(Worker):
    """An RQ worker whose work horses run under limits and in their own temp folder."""

    memory_limit_mb: int = 2048
    # Added to the work horse's niceness: extraction, OCR and embedding yield the
    # CPU to the web processes, so people waiting on a page go first (WORKER_NICE).
    nice: int = 0

    @property
    def temp_dir(self) -> Path:
        return work_root() / f"{socket.gethostname()}-{os.getpid()}"

    def main_work_horse(self, job, queue):
        _die_with_parent()
        limit = self.memory_limit_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        if self.nice > 0:
            os.nice(self.nice)  # inherited by the tools it runs (tesseract, LibreOffice)
        # Everything the job and its tools (tesseract, LibreOffice) write goes here.
        self.temp_dir.mkdir(parents=True, exist_ok=True)
        tempfile.tempdir = str(self.temp_dir)
        os.environ["TMPDIR"] = str(self.temp_dir)
        # Connections opened by the parent must not be shared with the child.
        db.engine.dispose(close=False)
        return super().main_work_horse(job, queue)

    def execute_job(self, job, queue):
        try:
            return super().execute_job(job, queue)
        finally:
            # A horse killed by a timeout or the memory limit cleans up nothing.
            _empty(self.temp_dir)


def _die_with_parent() -> None:
    """Ask Linux to SIGKILL this horse when its worker dies (RQ puts it in its own group)."""
    parent = os.getppid()
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):  # not Linux: the reconcile loop still recovers
        return
    if os.getppid() != parent:  # the worker died before prctl took effect
        os._exit(1)


def clean_stale_work_dirs() -> int:
    """Remove folders left by workers of this host that are no longer running."""
    root, removed = work_root(), 0
    host = socket.gethostname()
    if not root.is_dir():
        return 0
    for folder in root.iterdir():
        name, _, pid = folder.name.rpartition("-")
        if name != host or not pid.isdigit() or _pid_alive(int(pid)):
            continue
        shutil.rmtree(folder, ignore_errors=True)
        removed += 1
    return removed


def _pid_alive(pid: int) -> bool:
    if pid == os.getpid():
        return False  # a folder from a previous process that had our pid
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _empty(folder: Path) -> None:
    if folder.is_dir():
        for child in folder.iterdir():
            if child.is_dir():
                shutil.rmtree(child, ignore_errors=True)
            else:
                child.unlink(missing_ok=True)


def run(burst: bool = False, lanes: tuple[str, ...] | None = None,
        max_wait: float = 30.0) -> None:
    """Work until asked to stop, starting over whenever Redis went away."""
    from app.extensions import services
    from app.jobs.queue import worker_queues

    LimitedWorker.memory_limit_mb = current_app.config["WORKER_MEMORY_LIMIT_MB"]
    LimitedWorker.nice = current_app.config["WORKER_NICE"]
    if clean_stale_work_dirs():
        log.info("removed temporary folders of workers that died")
    delay, worker = 1.0, None
    try:
        while True:
            try:
                queues = worker_queues(lanes) if lanes else worker_queues()
                worker = LimitedWorker(queues, connection=services.redis,
                                       worker_ttl=WORKER_TTL)
                worker.work(with_scheduler=True, burst=burst)
            except (RedisConnectionError, RedisTimeoutError, OSError) as exc:
                log.warning("Redis unreachable (%s); waiting", type(exc).__name__)
            if burst or _stopping(worker):
                return
            log.warning("worker loop ended without a stop request; starting again")
            delay = 1.0 if _wait_for_redis(services, delay) else min(max_wait, delay * 2)
            if _stopping(worker):
                return
    except StopRequested:  # SIGTERM/SIGINT while waiting for Redis
        return


def _stopping(worker: Worker | None) -> bool:
    # RQ raises StopRequested (leaving _stop_requested unset) when a signal finds it idle.
    return worker is not None and (bool(worker._stop_requested)
                                   or worker._shutdown_requested_date is not None)


def _wait_for_redis(services, delay: float) -> bool:
    time.sleep(delay)
    try:
        return bool(services.redis.ping())
    except (RedisConnectionError, RedisTimeoutError, OSError):
        return False
