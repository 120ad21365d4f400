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
