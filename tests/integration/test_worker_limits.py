"""A job that exhausts memory fails alone; the worker and other jobs carry on."""
from rq import Queue


def allocate_a_lot() -> int:
    return len(bytearray(3 * 1024 ** 3))  # 3 GB: above the work horse's limit


def small_job() -> str:
    return "done"


def test_memory_hungry_job_fails_without_taking_the_worker_down(clean):
    from app.extensions import services
    from app.jobs.worker import LimitedWorker

    with clean.app_context():
        queue = Queue("archive-test-limits", connection=services.redis)
        hungry = queue.enqueue(allocate_a_lot)
        fine = queue.enqueue(small_job)
        LimitedWorker.memory_limit_mb = 512
        worker = LimitedWorker([queue], connection=services.redis)
        worker.work(burst=True)
        hungry.refresh()
        fine.refresh()
        assert hungry.is_failed
        assert "MemoryError" in (hungry.latest_result().exc_string or "")
        assert fine.is_finished and fine.return_value() == "done"


def report_niceness() -> int:
    import os

    return os.nice(0)


def test_jobs_run_at_a_lower_cpu_priority_than_the_worker(clean):
    """Extraction and embedding yield the CPU to the web processes (WORKER_NICE)."""
    import os

    from app.extensions import services
    from app.jobs.worker import LimitedWorker

    with clean.app_context():
        queue = Queue("archive-test-nice", connection=services.redis)
        job = queue.enqueue(report_niceness)
        LimitedWorker.nice = clean.config["WORKER_NICE"]
        try:
            LimitedWorker([queue], connection=services.redis).work(burst=True)
        finally:
            LimitedWorker.nice = 0
        job.refresh()
        assert clean.config["WORKER_NICE"] == 10
        assert job.return_value() == min(os.nice(0) + 10, 19)
