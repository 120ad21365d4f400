"""Shared set-up for the benchmarks: an isolated app on the real services.

Every benchmark runs against the real PostgreSQL, Redis and Elasticsearch but
never touches the data of the app or the test suite:

* PostgreSQL: database ``archive_bench`` (created on first use), schema
  dropped and rebuilt from the migrations at the start of every run;
* Redis: database 14, queue ``archive-bench`` (flushed at the start);
* Elasticsearch: indices prefixed ``archive-bench`` (deleted at the start);
* storage: a temporary directory, removed at the end.

At the end the indices are deleted, the Redis database flushed and the schema
emptied, unless the caller asks to keep them (``--keep``).

As in tests/conftest.py, no application context stays pushed while the test
client makes requests: Flask would reuse it (and Flask-Login's user in ``g``).
"""
from __future__ import annotations

import math
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
from config.settings import CORPUS_DIR, SHARED_DIR  # noqa: E402,F401
SHARED = SHARED_DIR
os.environ.setdefault("ARCHIVE_ENV", "testing")

PG_SERVER = "postgresql+psycopg://archive:archive@127.0.0.1:5432"
# BENCH_DATABASE / BENCH_ES_PREFIX / BENCH_REDIS_URL / BENCH_RQ_QUEUE: another isolated set,
# for two benchmarks run at the same time on one machine.
BENCH_DB = os.environ.get("BENCH_DATABASE", "archive_bench")
ES_PREFIX = os.environ.get("BENCH_ES_PREFIX", "archive-bench")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")
RQ_QUEUE = os.environ.get("BENCH_RQ_QUEUE", "archive-bench")
ES_URL = os.environ.get("ELASTICSEARCH_URL", "http://127.0.0.1:9200")  # as the app reads it
PASSWORD = "mật-khẩu-đủ-dài-123"
# Other work on the machine (a test run...) shares the cores: printed with the figures.
START_LOAD = os.getloadavg()[0]


def ensure_database() -> None:
    """Create ``archive_bench`` if missing (the archive role has CREATEDB)."""
    from sqlalchemy import create_engine, text

    engine = create_engine(f"{PG_SERVER}/archive_test", isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        exists = conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"),
                             {"n": BENCH_DB})
        if not exists:
            conn.execute(text(f'CREATE DATABASE "{BENCH_DB}"'))
    engine.dispose()


def make_app(storage_dir: str, redis_url: str = REDIS_URL):
    """The real app factory with the isolated benchmark settings."""
    from app import create_app

    return create_app("testing", ES_INDEX_PREFIX=ES_PREFIX, STORAGE_DIR=storage_dir,
                      SQLALCHEMY_DATABASE_URI=f"{PG_SERVER}/{BENCH_DB}",
                      RQ_QUEUE=RQ_QUEUE, REDIS_URL=redis_url)


def reset(app) -> None:
    """Empty schema (rebuilt from migrations), queue, storage and index."""
    import logging

    from flask_migrate import upgrade
    from sqlalchemy import text

    from app.extensions import db, services
    from indexers import client

    with app.app_context():
        with db.engine.begin() as conn:
            conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        upgrade()
        services.redis.flushdb()
        client.drop_all()
        client.ensure_index()
    # Alembic's fileConfig() turns the root logger up to WARN/INFO; keep the
    # benchmark output readable.
    logging.getLogger("alembic").setLevel(logging.WARNING)


def clean_up(app) -> None:
    """Free what a run used: benchmark indices, queue, tables (the empty schema stays)."""
    from sqlalchemy import text

    from app.extensions import db, services
    from indexers import client

    def drop_schema():
        db.session.remove()
        with db.engine.begin() as conn:
            conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))

    with app.app_context():
        for step in (client.drop_all, services.redis.flushdb, drop_schema):
            try:
                step()
            except Exception as exc:  # noqa: BLE001 - a service may be down; keep cleaning
                print(f"clean-up: {getattr(step, '__name__', step)} failed: {exc}",
                      file=sys.stderr)


@contextmanager
def bench_app(keep: bool = False, redis_url: str = REDIS_URL):
    """Yield a freshly reset app; afterwards remove its storage and, unless ``keep``, its data."""
    ensure_database()
    storage = tempfile.mkdtemp(prefix="archive-bench-storage-")
    app = None
    try:
        app = make_app(storage, redis_url)
        wait_for_es()
        reset(app)
        yield app
    finally:
        shutil.rmtree(storage, ignore_errors=True)
        if app is not None and not keep:
            clean_up(app)


def make_token(app, role: str = "uploader", clearance: str = "thuong",
               username: str = "bench") -> str:
    """Create a user and return a bearer token for it."""
    from app.services.accounts import create_user, issue_token

    with app.app_context():
        create_user(username, PASSWORD, role=role, clearance=clearance)
        return issue_token(username, name="bench")


def wait_for_es(timeout: float = 300) -> float:
    """Block until Elasticsearch answers (status yellow or green); return seconds waited.

    The services are shared: tests/integration/test_outages.py stops and restarts
    Elasticsearch, which would otherwise kill a long benchmark run.
    """
    import json
    import urllib.request

    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        try:
            url = f"{ES_URL}/_cluster/health?wait_for_status=yellow&timeout=5s"
            with urllib.request.urlopen(url, timeout=10) as resp:
                if json.load(resp).get("status") in ("yellow", "green"):
                    return time.perf_counter() - started
        except OSError:
            pass
        time.sleep(1)
    raise SystemExit(f"Elasticsearch did not come back within {timeout:.0f} s")


@contextmanager
def survive_es_restarts(waits: list[float]):
    """Within the block, a bulk request that hits a stopped Elasticsearch waits and is resent.

    Resending is safe: documents carry external versions (the same write twice
    is a no-op). Only this process is affected; seconds waited go to ``waits``.
    """
    from elastic_transport import ConnectionError as TransportDown
    from elasticsearch import Elasticsearch

    original = Elasticsearch.bulk

    def bulk(self, *args, **kwargs):
        for _ in range(5):
            try:
                return original(self, *args, **kwargs)
            except TransportDown:
                print("\nElasticsearch unreachable; waiting for it to come back", file=sys.stderr)
                waits.append(wait_for_es())
        return original(self, *args, **kwargs)

    Elasticsearch.bulk = bulk
    try:
        yield
    finally:
        Elasticsearch.bulk = original


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile (pct in 0..100) of a non-empty list."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), math.ceil(pct / 100 * len(ordered))))
    return ordered[rank - 1]


def pcts(values: list[float]) -> tuple[float, float, float]:
    """p50, p95, p99 of ``values``."""
    return percentile(values, 50), percentile(values, 95), percentile(values, 99)


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def code_state() -> str:
    """The commit measured, and whether app code had uncommitted changes."""
    import subprocess

    def git(*args: str) -> str:
        return subprocess.run(["git", "-C", str(ROOT), *args], capture_output=True,
                              text=True).stdout

    # Not stripped before splitting: the first line's status column may start with a space.
    changed = [line[3:] for line in git("status", "--porcelain").splitlines()
               if line[3:] and not line[3:].startswith("bench/")]
    return f"commit {git('rev-parse', '--short', 'HEAD').strip() or '?'}" + (
        f" + uncommitted changes in {len(changed)} file(s) outside bench/" if changed else "")


def machine_line() -> str:
    """One line saying when and where the figures were measured."""
    from importlib.metadata import version

    es_info = "?"
    try:
        import json
        import urllib.request

        url = (f"{ES_URL}/_nodes/_local/jvm"
               "?filter_path=nodes.*.version,nodes.*.jvm.mem.heap_max_in_bytes")
        with urllib.request.urlopen(url, timeout=2) as resp:
            node = next(iter(json.load(resp)["nodes"].values()))
        es_info = f"{node['version']} (heap {node['jvm']['mem']['heap_max_in_bytes'] >> 20} MB)"
    except Exception:  # noqa: BLE001 - informational only
        pass
    return (f"{datetime.now():%Y-%m-%d %H:%M}, {platform.machine()}, {os.cpu_count()} cores, "
            f"Python {platform.python_version()}, Elasticsearch {es_info}, "
            f"elasticsearch-py {version('elasticsearch')}, "
            f"1-min load average before the run {START_LOAD:.2f}; code: {code_state()}")
