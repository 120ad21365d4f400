"""A live archive for drills: scripts/run.sh (gunicorn, and a supervised worker,
reconcile loop and sweep) on PostgreSQL, exactly as `make run` starts it, with
faults that can be switched on and off while clients use it.

* PostgreSQL and Elasticsearch are the shared services, reached through loopback
  proxies (tests/faults.py) that can cut every connection and refuse new ones:
  what the app sees while either restarts, without disturbing other users of
  the machine's services.
* Redis is a private redis-server, really stopped and started.
* The worker is a real process that can be SIGKILLed; run.sh restarts it.
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass
from pathlib import Path

from benchlib import BENCH_DB, ES_PREFIX, ES_URL, RQ_QUEUE, ROOT

from tests.faults import PrivateRedis, TcpProxy, free_port


@dataclass
class Answer:
    status: int            # 0: no HTTP answer (connection refused or reset)
    body: dict
    seconds: float
    retry_after: str | None = None


def call(method: str, url: str, token: str, body: bytes | None = None,
         content_type: str | None = None, timeout: float = 60) -> Answer:
    headers = {"Authorization": f"Bearer {token}"}
    if content_type:
        headers["Content-Type"] = content_type
    request = urllib.request.Request(url, data=body, method=method, headers=headers)
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            data, status, retry = response.read(), response.status, None
    except urllib.error.HTTPError as exc:
        data, status, retry = exc.read(), exc.code, exc.headers.get("Retry-After")
    except OSError as exc:  # never reached the server, or no answer: say why
        return Answer(0, {"connection_error": repr(exc)[:200]}, time.perf_counter() - started)
    try:
        parsed = json.loads(data) if data else {}
    except ValueError:
        parsed = {"raw": data[:200].decode(errors="replace")}
    return Answer(status, parsed, time.perf_counter() - started, retry)


def multipart(fields: dict[str, str], filename: str, data: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                     f"{value}\r\n".encode())
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
                 f'filename="{filename}"\r\nContent-Type: application/octet-stream\r\n\r\n'
                 .encode() + data + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


class Direct:
    """A service reached without a relay (a drill that injects no network fault)."""

    def __init__(self, port: int):
        self.port = port

    def close(self) -> None:
        pass


class LiveArchive:
    """scripts/run.sh with its services behind switchable faults (``faults=False``: straight
    to PostgreSQL and Elasticsearch, so a load figure measures the archive, not a relay)."""

    def __init__(self, storage: str, workdir: Path, pg_port: int = 5432,
                 es_port: int | None = None, faults: bool = True):
        self.workdir = workdir
        self.storage = storage
        self.redis = PrivateRedis(workdir / "redis")
        self.redis.start()
        link = TcpProxy if faults else Direct
        self.pg = link(pg_port)
        self.es = link(es_port or int(ES_URL.rsplit(":", 1)[1]))
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen | None = None

    def env(self) -> dict[str, str]:
        return {**os.environ, "ARCHIVE_ENV": "development", "PYTHONPATH": str(ROOT),
                "SECRET_KEY": "drill-only", "PORT": str(self.port),
                "DATABASE_URL": f"postgresql+psycopg://archive:archive@127.0.0.1:"
                                f"{self.pg.port}/{BENCH_DB}",
                "REDIS_URL": self.redis.url, "ELASTICSEARCH_URL": f"http://127.0.0.1:{self.es.port}",
                "ES_INDEX_PREFIX": ES_PREFIX, "RQ_QUEUE": RQ_QUEUE, "STORAGE_DIR": self.storage,
                "RECONCILE_INTERVAL_SECONDS": "5", "RECONCILE_STALE_SECONDS": "30",
                "LOG_DIR": str(self.workdir / "log"), "PYTHONUNBUFFERED": "1"}

    def start(self) -> None:
        # `kill` of the drill must stop the archive too: SIGTERM becomes SystemExit, so the
        # caller's `finally: archive.stop()` runs (by default Python dies on the spot and a
        # worker and reconcile loop left behind keep writing to the bench database).
        if threading.current_thread() is threading.main_thread():
            signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
        log = (self.workdir / "run.log").open("ab")
        self.proc = subprocess.Popen(["bash", "scripts/run.sh"], cwd=ROOT, env=self.env(),
                                     stdout=log, stderr=subprocess.STDOUT,
                                     start_new_session=True)
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if self.health().get("checks", {}).get("workers", {}).get("alive"):
                return
            time.sleep(0.5)
        raise RuntimeError(f"the archive did not come up; see {self.workdir / 'run.log'}")

    def health(self) -> dict:
        return call("GET", f"{self.url}/healthz", "-", timeout=10).body

    def worker_pids(self) -> list[int]:
        from redis import Redis
        from rq import Worker

        connection = Redis.from_url(self.redis.url)
        return [w.pid for w in Worker.all(connection=connection) if w.pid]

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        # Stragglers of the group (a horse, a supervised child) go too.
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except (ProcessLookupError, AttributeError):
            pass
        self.pg.close()
        self.es.close()
        self.redis.stop()


def document_states(app, ids: list[int]) -> dict[int, tuple[str, bool, bool]]:
    """id -> (status, index up to date, original file present) from the database itself."""
    from sqlalchemy import select

    from app.extensions import db
    from app.models import Document
    from app import storage

    with app.app_context():
        db.session.remove()
        rows = db.session.scalars(select(Document).where(Document.id.in_(ids))).all()
        return {d.id: (d.status, d.indexed_revision >= d.revision,
                       bool(d.main_file) and storage.exists(d.main_file.sha256))
                for d in rows}


def orphan_files(app) -> int:
    """Stored originals that no row refers to (an upload stored half)."""
    from sqlalchemy import select

    from app.extensions import db
    from app.models import DocumentFile

    with app.app_context():
        known = set(db.session.scalars(select(DocumentFile.sha256))) | set(
            db.session.scalars(select(DocumentFile.searchable_sha256)))
    root = Path(app.config["STORAGE_DIR"])
    return sum(1 for p in root.rglob("*") if p.is_file() and not {"tmp", "staging"} & set(p.parts)
               and p.name not in known)
