"""Shared set-up for the benchmarks: an isolated app on the real services.

Every benchmark runs against the real PostgreSQL, Redis and Elasticsearch but
never touches the data of the app or the test suite:

* PostgreSQL: database ``archive_bench`` (created on first use), schema
  dropped and rebuilt from the migrations at the start of every run;
* Redis: database 14, queue ``archive-bench`` (flushed at the start);
* Elasticsearch: indices prefixed ``archive-bench`` (deleted at the start);
* storage: a temporary directory, removed at the end.

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
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("ARCHIVE_ENV", "testing")

PG_SERVER = "postgresql+psycopg://archive:archive@127.0.0.1:5432"
BENCH_DB = "archive_bench"
ES_PREFIX = "archive-bench"
REDIS_URL = "redis://127.0.0.1:6379/14"
RQ_QUEUE = "archive-bench"
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


def make_app(storage_dir: str):
    """The real app factory with the isolated benchmark settings."""
    from app import create_app

    return create_app("testing", ES_INDEX_PREFIX=ES_PREFIX, STORAGE_DIR=storage_dir,
                      SQLALCHEMY_DATABASE_URI=f"{PG_SERVER}/{BENCH_DB}",
                      RQ_QUEUE=RQ_QUEUE, REDIS_URL=REDIS_URL)


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
def bench_app(keep: bool = False):
    """Yield a freshly reset app; afterwards remove its storage and, unless ``keep``, its data."""
    ensure_database()
    storage = tempfile.mkdtemp(prefix="archive-bench-storage-")
    app = None
    try:
        app = make_app(storage)
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


def machine_line() -> str:
    """One line saying when and where the figures were measured."""
    from importlib.metadata import version

    es_info = "?"
    try:
        import json
        import urllib.request

        url = ("http://127.0.0.1:9200/_nodes/_local/jvm"
               "?filter_path=nodes.*.version,nodes.*.jvm.mem.heap_max_in_bytes")
        with urllib.request.urlopen(url, timeout=2) as resp:
            node = next(iter(json.load(resp)["nodes"].values()))
        es_info = f"{node['version']} (heap {node['jvm']['mem']['heap_max_in_bytes'] >> 20} MB)"
    except Exception:  # noqa: BLE001 - informational only
        pass
    return (f"{datetime.now():%Y-%m-%d %H:%M}, {platform.machine()}, {os.cpu_count()} cores, "
            f"Python {platform.python_version()}, Elasticsearch {es_info}, "
            f"elasticsearch-py {version('elasticsearch')}, "
            f"1-min load average before the run {START_LOAD:.2f}")
