"""Latency of the document list page (/documents/) at 100,000 documents.

    .venv/bin/python bench/list_latency.py [--docs N] [--reps R] [--keep]

Builds its own database ``archive_bench_lists`` (created like benchlib's
``archive_bench``, schema rebuilt from the migrations), inserts ``--docs``
rows with one bulk ``INSERT ... SELECT generate_series`` (no files, no
extraction, no index): categories, types, statuses, issue dates over
2010-2025, 40 agencies, 8 uploaders, 50 dossiers, 5 % ``mat``. Then times the
whole page in-process through the Flask test client (routing, session user,
service queries, Jinja, 50 rows) for several sorts and filters, as a viewer of
clearance ``thuong`` and one of ``tuyet_mat``, and prints p50/p95 of the whole
request and of the time spent in SQL, next to two references measured in the
same run: a bare ``SELECT 1`` round trip and the unfiltered first page
(requested alternately with each case, so both see the same machine load). Counts stop at 10,001 (the page says "more than
10.000"), so pages beyond 200 are not offered. Finally the indexes of migration l0010 are dropped and
the same pages measured again, to show what they are for. Prints figures only.
"""
from __future__ import annotations

import argparse
import sys
import time

import benchlib

DB = "archive_bench_lists"
REDIS_URL = "redis://127.0.0.1:6379/13"
ES_PREFIX = "archive-bench-lists"

INSERT = """
INSERT INTO documents (title, category, doc_type, number, symbol, number_key, issuing_agency,
    issue_date, secrecy, urgency, language, status, revision, indexed_revision, disposition,
    uploaded_by_id, uploaded_at, updated_at, dossier_id)
SELECT 'Tài liệu ' || i || ' về ' || md5(i::text),
       (ARRAY['directive_decision','plan','official_letter','guidance','report',
              'briefing_material','press_coverage','communication_product','other'])[1 + i % 9],
       (ARRAY['QD','CT','KH','BC','CV','TB','HD','NQ'])[1 + (i / 7) % 8],
       (1 + i % 3000)::text, 'KH-UBND', (1 + i % 3000)::text || '/kh-ubnd',
       'Cơ quan ' || (i % 40),
       CASE WHEN i % 20 = 0 THEN NULL
            ELSE DATE '2010-01-01' + ((i * 37) % 5840) END,
       CASE WHEN i % 20 = 3 THEN 'mat' ELSE 'thuong' END, 'thuong', 'vi',
       (ARRAY['indexed','indexed','indexed','indexed','indexed','no_text','failed',
              'queued'])[1 + i % 8],
       1, 1, 'active',
       1 + i % 8, TIMESTAMP '2020-01-01' + (i || ' minutes')::interval,
       TIMESTAMP '2020-01-01' + (i || ' minutes')::interval,
       CASE WHEN i % 10 = 0 THEN 1 + i % 50 END
FROM generate_series(1, :n) AS i
"""

CASES = [
    ("unfiltered, newest upload first", {}),
    ("sort by title", {"sort": "title"}),
    ("sort by issue date, newest first", {"sort": "issue_date"}),
    ("sort by issue date, oldest first", {"sort": "issue_date", "order": "asc"}),
    ("sort by number", {"sort": "number"}),
    ("status failed", {"status": "failed"}),
    ("category + year", {"category": "plan", "year": "2018"}),
    ("type + status, by title", {"type": "KH", "status": "indexed", "sort": "title"}),
    ("issuing agency", {"agency": "Cơ quan 7"}),
    ("uploader, by issue date", {"uploader": "3", "sort": "issue_date"}),
    ("dossier", {"dossier": "7"}),
    ("page 200 (the last one shown)", {"page": "200"}),
]
INDEXES = ["ix_documents_uploaded_at_id", "ix_documents_issue_date_desc",
           "ix_documents_title_id", "ix_documents_number_key_desc",
           "ix_documents_uploaded_by_id", "ix_documents_issuing_agency"]


def ensure_database() -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(f"{benchlib.PG_SERVER}/archive_test", isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        if not conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": DB}):
            conn.execute(text(f'CREATE DATABASE "{DB}"'))
    engine.dispose()


def build(app, n: int) -> None:
    import logging

    from flask_migrate import upgrade
    from sqlalchemy import text

    from app.extensions import db
    from app.models import Dossier
    from app.services.accounts import create_user

    with app.app_context():
        with db.engine.begin() as conn:
            conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        upgrade()
        logging.getLogger("alembic").setLevel(logging.WARNING)
        for k in range(8):
            create_user(f"uploader{k}", benchlib.PASSWORD, role="uploader")
        db.session.add_all([Dossier(code=f"HS-{k:03d}", title=f"Hồ sơ {k}")
                            for k in range(1, 51)])
        db.session.commit()
        started = time.perf_counter()
        db.session.execute(text(INSERT), {"n": n})
        db.session.commit()
        print(f"inserted {n:,} documents in {time.perf_counter() - started:.1f} s")
    # What autovacuum does to a table at rest: statistics and the visibility map.
    with app.app_context():
        db.session.remove()
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE documents"))


def viewer_client(app, clearance: str):
    from app.services.accounts import create_user

    with app.app_context():
        user = create_user(f"viewer-{clearance}", benchlib.PASSWORD, role="viewer",
                           clearance=clearance)
        session_id = f"{user.id}:{user.session_version}"
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = session_id
        session["_fresh"] = True
    return client


class SqlClock:
    """Milliseconds spent in SQL (cursor execute to result) during one request."""

    def __init__(self, app) -> None:
        from sqlalchemy import event

        from app.extensions import db

        self.ms = 0.0
        with app.app_context():
            engine = db.engine
        event.listen(engine, "before_cursor_execute", self._before)
        event.listen(engine, "after_cursor_execute", self._after)

    def _before(self, conn, cursor, statement, params, context, many):
        conn.info["bench_started"] = time.perf_counter()

    def _after(self, conn, cursor, statement, params, context, many):
        self.ms += (time.perf_counter() - conn.info.pop("bench_started")) * 1000


def get(client, args: dict, clock: SqlClock) -> tuple[float, float]:
    clock.ms = 0.0
    started = time.perf_counter()
    response = client.get("/documents/", query_string=args)
    elapsed = (time.perf_counter() - started) * 1000
    assert response.status_code == 200, response.status_code
    return elapsed, clock.ms


def select_one(app, reps: int) -> list[float]:
    from sqlalchemy import text

    from app.extensions import db

    times = []
    with app.app_context():
        db.session.execute(text("SELECT 1"))
        for _ in range(reps):
            started = time.perf_counter()
            db.session.execute(text("SELECT 1")).scalar()
            times.append((time.perf_counter() - started) * 1000)
    return times


def report(app, clients: dict, reps: int, title: str, clock: SqlClock) -> None:
    """Each case alternates with the unfiltered page, so both see the same machine load."""
    pct = benchlib.percentile
    ref = pct(select_one(app, reps * 4), 50)
    print(f"\n{title}\nreference: SELECT 1 round trip p50 {ref:.2f} ms")
    for name, client in clients.items():
        print(f"\nviewer with clearance {name} (ms; 'page' = the unfiltered first page, "
              "measured alternately with each case)")
        print(f"{'case':34} {'p50':>7} {'p95':>7} {'SQL p50':>8} {'SQL p95':>8} "
              f"{'page p95':>9} {'p95/page':>9} {'SQL p95/SELECT 1':>17}")
        for label, args in CASES:
            get(client, args, clock)  # warm-up
            times, sql, base = [], [], []
            for _ in range(reps):
                base.append(get(client, {}, clock)[0])
                total, in_sql = get(client, args, clock)
                times.append(total)
                sql.append(in_sql)
            p95 = pct(times, 95)
            print(f"{label:34} {pct(times, 50):7.1f} {p95:7.1f} {pct(sql, 50):8.1f} "
                  f"{pct(sql, 95):8.1f} {pct(base, 95):9.1f} {p95 / pct(base, 95):9.2f} "
                  f"{pct(sql, 95) / ref:17.0f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--reps", type=int, default=40)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()
    print(benchlib.machine_line())
    ensure_database()
    from app import create_app

    app = create_app("testing", SQLALCHEMY_DATABASE_URI=f"{benchlib.PG_SERVER}/{DB}",
                     REDIS_URL=REDIS_URL, ES_INDEX_PREFIX=ES_PREFIX, RQ_QUEUE=ES_PREFIX,
                     STORAGE_DIR="/tmp/archive-bench-lists-storage")
    build(app, args.docs)
    clients = {c: viewer_client(app, c) for c in ("thuong", "tuyet_mat")}
    clock = SqlClock(app)
    report(app, clients, args.reps, f"== with the indexes of migration l0010 ({args.docs:,} rows)",
           clock)
    from sqlalchemy import text

    from app.extensions import db

    with app.app_context():
        for name in INDEXES:
            db.session.execute(text(f"DROP INDEX {name}"))
        db.session.commit()
    report(app, {"thuong": clients["thuong"]}, max(5, args.reps // 4),
           "== without them (for comparison)", clock)
    if not args.keep:
        with app.app_context():
            db.session.remove()
            with db.engine.begin() as conn:
                conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
                conn.execute(text("CREATE SCHEMA public"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
