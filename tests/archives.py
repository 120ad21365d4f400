"""Another archive on this machine, run as its own processes (two-archive tests, bench).

An ``Archive`` has its own database, Redis database, Elasticsearch index
prefix and storage folder, all given to its processes through the
environment exactly as production does (``ARCHIVE_ENV=testing`` reads
``TEST_DATABASE_URL``, ``TEST_REDIS_URL``, ``TEST_ES_INDEX_PREFIX`` and
``TEST_STORAGE_DIR``). Its schema comes from the migrations (``flask db
upgrade``), its web server is gunicorn and its worker ``flask worker``, both
in their own process groups so they can be stopped whole. Nothing of it runs
inside the test process: the test talks to it over HTTP, through its command
line, and reads its database with plain SQL.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import requests
from sqlalchemy import create_engine, text

from tests.conftest import PASSWORD, ROOT
from tests.web.conftest import LOGS, VENV_BIN, _free_port, _Process, _tail, serve, wait_ok, work

START_TIMEOUT = 90


def ensure_database(url: str) -> None:
    """Create the database of ``url`` if it does not exist (the role has CREATEDB)."""
    from sqlalchemy.engine import make_url

    target = make_url(url)
    server = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with server.connect() as conn:
            if not conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"),
                               {"n": target.database}):
                conn.execute(text(f'CREATE DATABASE "{target.database}"'))
    finally:
        server.dispose()


class Archive:
    def __init__(self, name: str, database_url: str, redis_url: str, es_prefix: str,
                 storage_dir: Path, **settings: str) -> None:
        self.name = name
        self.database_url, self.redis_url = database_url, redis_url
        self.es_prefix, self.storage_dir = es_prefix, Path(storage_dir)
        self.env = {**os.environ, "ARCHIVE_ENV": "testing", "TEST_DATABASE_URL": database_url,
                    "TEST_REDIS_URL": redis_url, "TEST_ES_INDEX_PREFIX": es_prefix,
                    "TEST_STORAGE_DIR": str(self.storage_dir), "PYTHONPATH": str(ROOT),
                    "PYTHONUNBUFFERED": "1", **settings}
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.server: _Process | None = None
        self.worker: _Process | None = None
        self._engine = None

    # -- command line ---------------------------------------------------------
    def flask(self, *args: str, check: bool = True, timeout: float = 600,
              env: dict | None = None) -> subprocess.CompletedProcess:
        result = subprocess.run([str(VENV_BIN / "flask"), "--app", "wsgi", *args], cwd=ROOT,
                                env={**self.env, **(env or {})}, capture_output=True,
                                text=True, timeout=timeout)
        if check and result.returncode != 0:
            raise AssertionError(f"{self.name}: flask {' '.join(args)} exited with "
                                 f"{result.returncode}:\n{result.stdout}\n{result.stderr}")
        return result

    def reset(self) -> None:
        """An empty archive: schema from the migrations, empty queue, storage and index."""
        import redis

        ensure_database(self.database_url)  # a fresh machine has only the suite's own
        with self.engine().begin() as conn:
            conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        self.dispose()
        redis.Redis.from_url(self.redis_url).flushdb()
        shutil.rmtree(self.storage_dir, ignore_errors=True)
        self.drop_indices()
        self.flask("db", "upgrade")
        self.flask("search", "init")
        self.flask("retention", "defaults")

    def drop_indices(self) -> None:
        from elasticsearch import Elasticsearch

        es = Elasticsearch(os.environ.get("ELASTICSEARCH_URL", "http://127.0.0.1:9200"))
        names = list(es.indices.get(index=f"{self.es_prefix}-*", allow_no_indices=True,
                                    expand_wildcards="all", ignore_unavailable=True))
        if names:
            es.indices.delete(index=",".join(names), ignore_unavailable=True)
        es.close()

    def create_user(self, username: str, role: str = "admin") -> str:
        self.flask("users", "create", username, "--role", role, "--clearance", "tuyet_mat",
                   "--password", PASSWORD)
        return username

    def api_token(self, username: str) -> str:
        return self.flask("tokens", "create", username).stdout.strip().splitlines()[-1]

    # -- processes --------------------------------------------------------------
    def start(self, worker: bool = True, workers: int = 2) -> None:
        LOGS.mkdir(parents=True, exist_ok=True)
        self.server = serve(f"{self.name}-server", self.port, self.env,
                            LOGS / f"{self.name}-server.log", workers=workers, timeout=300)
        if worker:
            self.worker = work(f"{self.name}-worker", self.env, LOGS / f"{self.name}-worker.log")
        wait_ok(f"{self.url}/login", self.server, START_TIMEOUT)

    def stop(self) -> None:
        for process in (self.server, self.worker):
            if process is not None:
                process.stop()
        self.server = self.worker = None

    def logs(self) -> str:
        return "\n".join(f"--- {p.name}\n{_tail(p.log)}" for p in (self.server, self.worker)
                         if p is not None)

    # -- reading it ---------------------------------------------------------------
    def engine(self):
        if self._engine is None:
            self._engine = create_engine(self.database_url)
        return self._engine

    def dispose(self) -> None:
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None

    def sql(self, query: str, **params) -> list:
        with self.engine().connect() as conn:
            return list(conn.execute(text(query), params))

    def browser_session(self, username: str) -> requests.Session:
        """A logged-in session, as a person's browser would have (cookie, CSRF tokens)."""
        session = requests.Session()
        page = session.get(f"{self.url}/login", timeout=30).text
        response = session.post(f"{self.url}/login", timeout=30, allow_redirects=False, data={
            "username": username, "password": PASSWORD, "csrf_token": csrf(page)})
        assert response.status_code == 302, f"login to {self.name} failed"
        return session


def csrf(page: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
