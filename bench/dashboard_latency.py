"""Home dashboard latency at 100,000 documents and 1,000 briefings.

The archive is report_latency.py's (its ``load``: five years of documents with
categories, agencies, 8 % above "thường", destroyed and transferred records,
1,000 briefings with materials and coverage, proposals and holds), moved in time
so that its last year is the twelve months up to now (the dashboard counts this
year's months). On top of it: four people own the documents in turn, 2 % failed,
0.5 % waiting for the worker with their queued tasks, 3 % with suggestions to
confirm, two finished tasks per document (200,000 task rows with durations),
20,000 notifications, a few proposals waiting, a briefing to come, and five saved
searches per person; the documents are also put in the search index (small
entries, no text) so that the saved searches' new matches are counted by
Elasticsearch as on a real archive.

Timed in-process through the Flask test client (server time: routing, session user,
every COUNT, the saved-search msearch, Jinja; no network): ``GET /`` for an uploader
("thường", 25,000 uploads), an archivist ("mật") and an approver ("tuyệt mật"), and
``GET /api/v1/dashboard``; with the time spent in SQL, and a ``SELECT 1`` round trip
as the reference. Target: p95 ≤ 300 ms.

Its own database ``archive_bench_dashboard``, Redis database 12, index prefix
``archive-bench-dashboard`` (all emptied at the end unless ``--keep``).

    .venv/bin/python bench/dashboard_latency.py [--documents 100000] [--briefings 1000]
"""
from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))  # list_latency imports benchlib so
from bench.benchlib import PASSWORD, PG_SERVER, START_LOAD, percentile, wait_for_es  # noqa: E402
from bench.report_latency import load  # noqa: E402  (the 100k archive, as for the reports)
from list_latency import SqlClock  # noqa: E402

DB = "archive_bench_dashboard"
REDIS_URL = "redis://127.0.0.1:6379/12"
PREFIX = "archive-bench-dashboard"
PEOPLE = [("bench-uploader", "uploader", "thuong"), ("bench-archivist", "archivist", "mat"),
          ("bench-approver", "approver", "tuyet_mat")]
SAVED = [{"q": "văn bản"}, {"category": "plan"}, {"q": "họp báo", "year": "2024"},
         {"secrecy": "mat"}, {"q": "kế hoạch tuyên truyền", "category": "report"}]


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--documents", type=int, default=100_000)
    parser.add_argument("--briefings", type=int, default=1_000)
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--keep", action="store_true")
    return parser.parse_args()


def ensure_database() -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(f"{PG_SERVER}/archive_test", isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        if not conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": DB}):
            conn.execute(text(f'CREATE DATABASE "{DB}"'))
    engine.dispose()


def make_app(storage: str):
    import logging

    from flask_migrate import upgrade
    from sqlalchemy import text

    from app import create_app
    from app.extensions import db, services
    from indexers import client

    app = create_app("testing", SQLALCHEMY_DATABASE_URI=f"{PG_SERVER}/{DB}", STORAGE_DIR=storage,
                     ES_INDEX_PREFIX=PREFIX, RQ_QUEUE=PREFIX, REDIS_URL=REDIS_URL,
                     TOKEN_CACHE_SECONDS=0)
    with app.app_context():
        with db.engine.begin() as conn:
            conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        upgrade()
        services.redis.flushdb()
        client.drop_all()
        client.ensure_index()
    logging.getLogger("alembic").setLevel(logging.WARNING)
    return app


def add_dashboard_data(app, n_docs: int) -> dict[str, int]:
    """Owners, statuses, tasks, notifications, proposals, saved searches; returns user ids."""
    from sqlalchemy import text

    from app.extensions import db
    from app.models import Briefing, SavedSearch
    from app.models.user import utcnow
    from app.services.accounts import create_user

    with app.app_context():
        ids = {name: create_user(name, PASSWORD, role=role, clearance=clearance).id
               for name, role, clearance in PEOPLE}
        owner = db.session.scalar(text("SELECT id FROM users WHERE username = 'bench-owner'"))
        shift = utcnow() - datetime(2025, 1, 1)  # the data set's 2024 becomes the last year
        sql = [
            ("UPDATE documents SET uploaded_at = uploaded_at + :shift, "
             "updated_at = updated_at + :shift", {"shift": shift}),
            ("UPDATE briefings SET held_at = held_at + :shift", {"shift": shift}),
            ("UPDATE documents SET uploaded_by_id = (ARRAY[:u, :a, :p, :o])[1 + id % 4]",
             {"u": ids["bench-uploader"], "a": ids["bench-archivist"],
              "p": ids["bench-approver"], "o": owner}),
            ("UPDATE documents SET status = 'failed', error_code = 'corrupt' "
             "WHERE id % 50 = 7", {}),
            ("UPDATE documents SET status = 'queued' WHERE id % 200 = 3", {}),
            ("UPDATE documents SET suggestions_pending = true WHERE id % 33 = 5", {}),
            ("INSERT INTO processing_tasks (document_id, kind, lane, status, progress, attempts,"
             " created_at, started_at, finished_at) "
             "SELECT d.id, k.kind, CASE WHEN d.id % 10 = 0 THEN 'long' ELSE 'interactive' END,"
             " 'done', 100, 1, d.uploaded_at, d.uploaded_at,"
             " d.uploaded_at + make_interval(secs => 0.2 + (d.id % 40) / 10.0) "
             "FROM documents d CROSS JOIN (VALUES ('extract'), ('index')) AS k(kind)", {}),
            ("INSERT INTO processing_tasks (document_id, kind, lane, status, progress, attempts,"
             " created_at) SELECT id, 'extract', CASE WHEN id % 3 = 0 THEN 'long' "
             "ELSE 'interactive' END, 'queued', 0, 0, uploaded_at FROM documents "
             "WHERE status = 'queued'", {}),
            ("INSERT INTO notifications (user_id, kind, document_id, data, created_at, read_at)"
             " SELECT (ARRAY[:u, :a, :p])[1 + g % 3], 'processing_done', 1 + g % :n, '{}',"
             " now() - make_interval(mins => g), CASE WHEN g % 2 = 0 THEN now() END "
             "FROM generate_series(1, 20000) AS g",
             {"u": ids["bench-uploader"], "a": ids["bench-archivist"],
              "p": ids["bench-approver"], "n": n_docs}),
            ("UPDATE documents SET disposition = 'proposed' WHERE id IN (11, 12, 13)", {}),
        ]
        for statement, params in sql:
            db.session.execute(text(statement), params)
        for n in range(3):
            db.session.execute(text(
                "INSERT INTO disposition_proposals (action, reason, status, proposed_by_id,"
                " proposed_at) VALUES ('destroy', 'bench', 'proposed', :by, now()) RETURNING id"),
                {"by": ids["bench-archivist"]})
        db.session.execute(text(
            "INSERT INTO disposition_items (proposal_id, document_id, snapshot) "
            "SELECT p.id, 10 + p.id % 100, '{\"secrecy\": \"thuong\"}' FROM disposition_proposals p "
            "WHERE p.status = 'proposed'"))
        db.session.add(Briefing(kind="periodic", title="Giao ban sắp tới",
                                held_at=utcnow() + timedelta(days=3), hosts=[], topics=[],
                                outlets=[]))
        now = utcnow()
        for user_id in ids.values():
            db.session.add_all([SavedSearch(user_id=user_id, name=f"Tìm {k}", query=query,
                                            notify=k % 2 == 0, last_seen_at=now - timedelta(
                                                days=30), last_checked_at=now)
                                for k, query in enumerate(SAVED)])
        db.session.commit()
    with app.app_context():
        db.session.remove()
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE"))
    return ids


def index_documents(app) -> float:
    """Small index entries (no text) for every document: what the saved searches count."""
    from elasticsearch.helpers import streaming_bulk
    from sqlalchemy import text

    from app.extensions import db
    from app.text.vietnamese import fold
    from indexers.client import alias, es

    started = time.perf_counter()
    with app.app_context():
        rows = db.session.execute(text(
            "SELECT id, title, category, doc_type, secrecy, status, issue_date, uploaded_at "
            "FROM documents")).all()

        def actions():
            for r in rows:
                yield {"_index": alias(), "_id": str(r.id), "_source": {
                    "id": r.id, "record_type": "document", "title": r.title,
                    "title_folded": fold(r.title), "category": r.category,
                    "doc_type": r.doc_type, "secrecy": r.secrecy, "status": r.status,
                    "issue_date": r.issue_date.isoformat() if r.issue_date else None,
                    "year": r.issue_date.year if r.issue_date else None,
                    "uploaded_at": r.uploaded_at.isoformat()}}

        for ok, item in streaming_bulk(es(), actions(), chunk_size=2000, raise_on_error=True):
            pass
        es().indices.refresh(index=alias())
    return time.perf_counter() - started


def logged_in(app, username: str):
    from sqlalchemy import select

    from app.extensions import db
    from app.models import User

    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == username))
        session_id = f"{user.id}:{user.session_version}"
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = session_id
        session["_fresh"] = True
    return client


def timed(client, url: str, clock: SqlClock, runs: int) -> tuple[list[float], list[float]]:
    client.get(url)  # warm-up
    total, sql = [], []
    for _ in range(runs):
        clock.ms = 0.0
        started = time.perf_counter()
        response = client.get(url)
        total.append((time.perf_counter() - started) * 1000)
        sql.append(clock.ms)
        assert response.status_code == 200, (url, response.status_code)
    return total, sql


def line(name: str, total: list[float], sql: list[float]) -> str:
    return (f"{name:<40} p50 {percentile(total, 50):7.1f} ms  p95 {percentile(total, 95):7.1f} ms"
            f"   SQL p50 {percentile(sql, 50):6.1f}  p95 {percentile(sql, 95):6.1f} ms")


def main() -> None:
    args = parse_args()
    ensure_database()
    wait_for_es()
    storage = tempfile.mkdtemp(prefix="archive-bench-dashboard-")
    app = make_app(storage)
    print(f"loading {args.documents:,} documents and {args.briefings:,} briefings ...")
    loaded = load(app, args.documents, args.briefings, random.Random(14))
    add_dashboard_data(app, args.documents)
    indexed = index_documents(app)
    print(f"loaded in {loaded['seconds']:.1f} s, indexed in {indexed:.1f} s; "
          f"load average at start {START_LOAD:.2f}")
    clock = SqlClock(app)
    from sqlalchemy import text

    from app.extensions import db

    with app.app_context():
        db.session.execute(text("SELECT 1"))
        reference = []
        for _ in range(200):
            started = time.perf_counter()
            db.session.execute(text("SELECT 1")).scalar()
            reference.append((time.perf_counter() - started) * 1000)
    print(f"{'SELECT 1 round trip (reference)':<40} p50 {percentile(reference, 50):7.2f} ms"
          f"  p95 {percentile(reference, 95):7.2f} ms")
    for name, role, clearance in PEOPLE:
        client = logged_in(app, name)
        board = client.get("/api/v1/dashboard").get_json()
        print(f"\n{role} ({clearance}): {board['documents']['value']:,} documents visible, "
              f"{board['my_uploads']['value']:,} own uploads, "
              f"{sum(c['value'] for c in board['waiting_for_me']):,} waiting, "
              f"saved-search new matches {[s['new'] for s in board['saved_searches']]}")
        print(line("  GET / (the page)", *timed(client, "/", clock, args.runs)))
        print(line("  GET /api/v1/dashboard", *timed(client, "/api/v1/dashboard", clock,
                                                       args.runs)))
    if not args.keep:
        from indexers import client as index_client

        with app.app_context():
            index_client.drop_all()
            db.session.remove()
            with db.engine.begin() as conn:
                conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
                conn.execute(text("CREATE SCHEMA public"))


if __name__ == "__main__":
    main()
