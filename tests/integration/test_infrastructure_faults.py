"""Faults of the archive's own infrastructure (issue 17): the database goes away
during uploads, Redis goes away under a worker, a worker is SIGKILLed mid-OCR.

Nothing acknowledged may be lost, nothing may be stored half (a file without
its row), nothing may run twice, and /healthz must tell the truth.
"""
from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import pytest
from redis import Redis
from sqlalchemy import select

from tests.conftest import CORPUS, ROOT, SAMPLES
from tests.faults import PrivateRedis, TcpProxy

SEED = CORPUS / "seeds" / "tin-2018-cao-bang-kh-3432.txt"
SCAN = CORPUS / "pdf-scanned" / "2352 ( 07-CT-UBND).signed_20250221_092046.pdf"


def stored_files(app) -> list[Path]:
    root = Path(app.config["STORAGE_DIR"])
    return [p for p in root.rglob("*") if p.is_file() and "tmp" not in p.parts]


# --- the database goes away during uploads (PostgreSQL restarting)

@pytest.fixture
def app_via_proxy(app, clean):
    """A second app on the same database, reached through a proxy the test can cut."""
    from sqlalchemy.engine import make_url

    from app import create_app
    from app.extensions import services

    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    proxy = TcpProxy(url.port or 5432, url.host or "127.0.0.1")
    proxied = create_app("testing", SQLALCHEMY_DATABASE_URI=str(
        url.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)),
        STORAGE_DIR=app.config["STORAGE_DIR"], ES_INDEX_PREFIX=app.config["ES_INDEX_PREFIX"])
    try:
        yield proxied, proxy
    finally:
        proxy.close()
        services.init_app(app)  # the module-level clients belong to the suite's app again
        with proxied.app_context():
            from app.extensions import db
            db.engine.dispose()


def test_uploads_during_a_database_outage_get_503_and_leave_no_file(app_via_proxy, api):
    proxied, proxy = app_via_proxy
    token_user = api("uploader")
    client = proxied.test_client()
    headers = token_user.headers
    first = client.post("/api/v1/documents", headers=headers,
                        data={"file": (SEED.open("rb"), SEED.name)})
    assert first.status_code == 202, first.get_json()
    files_before = stored_files(proxied)

    proxy.cut()
    try:
        for n in range(3):
            body = f"Công văn số {n} trong lúc cơ sở dữ liệu khởi động lại.".encode()
            from io import BytesIO
            response = client.post("/api/v1/documents", headers=headers,
                                   data={"file": (BytesIO(body), f"cv-{n}.txt")})
            assert response.status_code == 503, response.data[:300]
            assert response.headers["Retry-After"].isdigit()
            error = response.get_json()["error"]
            assert error["code"] == "service_unavailable" and "thử lại" in error["message"]
        got = client.get(f"/api/v1/documents/{first.get_json()['id']}", headers=headers)
        assert got.status_code == 503 and got.get_json()["error"]["code"] == "service_unavailable"
        page = client.get("/documents/")  # a page: a sentence, not a stack trace
        assert page.status_code in (302, 503)
        if page.status_code == 503:
            assert "thử lại" in page.get_data(as_text=True)
        assert stored_files(proxied) == files_before  # no file without its row
        health = client.get("/healthz").get_json()
        assert health["checks"]["database"]["status"] == "down"
    finally:
        proxy.restore()

    again = client.post("/api/v1/documents", headers=headers,
                        data={"file": (SAMPLES / "vi_utf8.txt").open("rb"), "title": "Sau"})
    assert again.status_code == 202, again.get_json()


def test_healthz_names_the_database_and_counts_workers(app, clean):
    body = app.test_client().get("/healthz").get_json()
    assert body["status"] == "ok"
    database = body["checks"]["database"]
    assert database == {"status": "up", "engine": "postgresql", "name": "archive_test"} or (
        database["engine"] == "postgresql" and database["name"].startswith("archive_test"))
    workers = body["checks"]["workers"]
    assert workers["alive"] == 0 and workers["queued"] == 0
    assert workers["oldest_queued_seconds"] is None


def test_healthz_is_degraded_when_work_waits_and_no_worker_lives(app, api):
    client = api("uploader")
    client.upload(SEED)  # queued; no worker runs in this test
    health = app.test_client().get("/healthz")
    assert health.status_code == 503
    workers = health.get_json()["checks"]["workers"]
    assert workers["status"] == "down" and workers["queued"] == 1
    assert workers["oldest_queued_seconds"] >= 0


# --- a worker process of our own, on a Redis of its own

class WorkerProcess:
    def __init__(self, app, redis_url: str, log: Path):
        env = {**os.environ, "ARCHIVE_ENV": "testing", "TEST_REDIS_URL": redis_url,
               "TEST_STORAGE_DIR": str(app.config["STORAGE_DIR"]),
               "TEST_ES_INDEX_PREFIX": app.config["ES_INDEX_PREFIX"],
               "PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1"}
        self.log = log
        self.proc = subprocess.Popen(
            [str(ROOT / ".venv" / "bin" / "flask"), "--app", "wsgi", "worker"], cwd=ROOT,
            env=env, stdout=log.open("ab"), stderr=subprocess.STDOUT, start_new_session=True)

    def alive(self) -> bool:
        return self.proc.poll() is None

    def children(self) -> list[int]:
        out = subprocess.run(["pgrep", "-P", str(self.proc.pid)], capture_output=True,
                             text=True).stdout
        return [int(p) for p in out.split()]

    def stop(self) -> None:
        if self.alive():
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()


def wait_for(predicate, seconds: float, what: str, log: Path | None = None):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.3)
    tail = log.read_text(errors="replace")[-3000:] if log else ""
    raise AssertionError(f"timed out waiting for {what}\n{tail}")


@pytest.fixture
def private_redis(app, clean, tmp_path):
    """Our own Redis; the in-process app enqueues to it while the test runs."""
    from app.extensions import services

    server = PrivateRedis(tmp_path / "redis")
    server.start()
    real = services._redis
    services._redis = Redis.from_url(server.url, socket_connect_timeout=2, socket_timeout=5)
    try:
        yield server
    finally:
        services._redis = real
        server.stop()


def status_of(client, doc_id: int) -> str:
    return client.get(f"/api/v1/documents/{doc_id}").get_json()["status"]


def test_a_worker_survives_a_redis_outage(app, api, private_redis, tmp_path):
    from rq import Worker

    from app.extensions import services

    log = tmp_path / "worker.log"
    worker = WorkerProcess(app, private_redis.url, log)
    try:
        wait_for(lambda: Worker.all(connection=services.redis), 30, "the worker", log)
        private_redis.stop()
        time.sleep(6)  # RQ's own loop quits at the first connection error
        assert worker.alive(), log.read_text()[-2000:]
        private_redis.start()
        client = api("uploader")
        doc_id = client.upload(SEED).get_json()["id"]
        wait_for(lambda: status_of(client, doc_id) == "indexed", 90, "indexing", log)
        assert worker.alive()
    finally:
        worker.stop()


def test_a_worker_killed_mid_ocr_is_replaced_and_the_ocr_runs_once(app, api, private_redis,
                                                                   tmp_path):
    from rq.registry import StartedJobRegistry

    from app.extensions import db, services
    from app.jobs.queue import queue
    from app.jobs.worker import work_root
    from app.models import ProcessingTask
    from app.jobs.reconcile import reconcile

    log = tmp_path / "worker.log"
    client = api("uploader")
    first = WorkerProcess(app, private_redis.url, log)
    doc_id = client.upload(SCAN).get_json()["id"]

    def extract_tasks():  # OCR runs in the long lane, after a quick interactive pass
        with app.app_context():
            return db.session.scalars(select(ProcessingTask).where(
                ProcessingTask.document_id == doc_id, ProcessingTask.kind == "extract",
                ProcessingTask.lane == "long")
                .order_by(ProcessingTask.id)).all()

    wait_for(lambda: any(t.status == "running" and t.progress > 0 for t in extract_tasks()),
             180, "OCR under way", log)
    horses = first.children()
    work_dir = work_root() / f"{os.uname().nodename}-{first.proc.pid}"
    os.killpg(first.proc.pid, signal.SIGKILL)  # the worker and its group; the horse has its own
    first.proc.wait()
    wait_for(lambda: not any(Path(f"/proc/{pid}").exists() for pid in horses), 10,
             "the work horse to die with its worker")
    assert status_of(client, doc_id) != "indexed"

    with app.app_context():
        report = reconcile()
    assert report.extract == 1  # its worker is dead: superseded at once, not after minutes
    second = WorkerProcess(app, private_redis.url, log)
    try:
        wait_for(lambda: status_of(client, doc_id) == "indexed", 240, "re-extraction", log)
        assert not work_dir.exists()  # the dead worker's temporary files are gone
        # RQ hands the abandoned job back (as its registry cleaning would, later).
        with app.app_context():
            StartedJobRegistry(queue=queue("long")).cleanup(timestamp=int(time.time()) + 10**6)

        def handed_back_job_done():
            with app.app_context():
                return queue("long").count == 0
        wait_for(handed_back_job_done, 30, "the handed-back job", log)
        time.sleep(2)
        tasks = extract_tasks()
        assert [t.status for t in tasks] == ["failed", "done"], [
            (t.status, t.attempts, t.error) for t in tasks]
        assert tasks[0].attempts == 1 and tasks[1].attempts == 1
        assert "superseded" in tasks[0].error
    finally:
        second.stop()
    del services


def test_a_scan_is_read_quickly_then_ocred_in_the_long_lane_and_shows_its_place(
        app, api, run_jobs):
    client = api("uploader")
    text_id = client.upload(SEED).get_json()["id"]
    scan_id = client.upload(SAMPLES / "scan_title.pdf").get_json()["id"]
    queued = client.get(f"/api/v1/documents/{scan_id}").get_json()["queue"]
    assert queued == {"lane": "interactive", "position": 2, "percent": None}
    labels = {d["id"]: d["label"] for d in client.get(
        "/api/v1/documents/status", query_string={"ids": f"{text_id},{scan_id}"}).get_json()[
        "documents"]}
    assert "thứ 2" in labels[scan_id] and "thứ 1" in labels[text_id]

    from rq import SimpleWorker

    from app.extensions import services
    from app.jobs.queue import queue
    with app.app_context():  # only the interactive lane: the scan waits for OCR elsewhere
        SimpleWorker([queue("interactive")], connection=services.redis).work(burst=True)
    assert client.get(f"/api/v1/documents/{text_id}").get_json()["status"] == "indexed"
    scan = client.get(f"/api/v1/documents/{scan_id}").get_json()
    assert scan["status"] in ("queued", "processing")
    assert scan["queue"]["lane"] == "long" and scan["queue"]["position"] == 1
    run_jobs()
    scan = client.get(f"/api/v1/documents/{scan_id}").get_json()
    assert scan["status"] == "indexed" and scan["files"][0]["extraction_method"] == "ocr"
