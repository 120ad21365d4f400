"""Yearly report latency at 100,000 documents and 1,000 briefings.

Rows are bulk-inserted with SQL (no files, no extraction, no index): five years
of documents (categories, types, ~300 issuing-agency spellings, 8 % above
"thường", 5 % state-funded products with costs, destroyed and transferred
records), 1,000 briefings with outlets, three materials and five coverage
articles each, proposals and holds. Then ``GET /api/v1/reports/full`` for one
year is timed in-process (server time: routing, every SQL aggregate, JSON), for
an archivist (all four sections), with a ``SELECT 1`` round trip measured in the
same run as the reference, and the DOCX and CSV exports.

Its own database ``archive_bench_reports`` (created on first use, schema rebuilt
from the migrations each run, emptied at the end unless ``--keep``).

    .venv/bin/python bench/report_latency.py [--documents 100000] [--briefings 1000]
"""
from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.benchlib import PG_SERVER, START_LOAD, percentile  # noqa: E402

DB = "archive_bench_reports"
CATEGORIES = ["directive_decision", "plan", "official_letter", "guidance", "report",
              "briefing_material", "other"]
TYPES = ["QD", "KH", "CV", "HD", "BC", "TB", "CT", None]
SECRECY = ["thuong"] * 92 + ["mat"] * 5 + ["toi_mat"] * 2 + ["tuyet_mat"]
KINDS = ["publication", "radio_tv", "video", "exhibition", "other"]
OUTLETS = [f"Báo {n}" for n in ("Nhân Dân", "Biên Cương", "Tuổi Trẻ", "Thanh Niên",
                                "Quân đội nhân dân", "Công an nhân dân")] + \
          ["Đài PT-TH tỉnh", "Cổng TTĐT tỉnh", "VTV", "TTXVN"]
YEARS = (2020, 2021, 2022, 2023, 2024)


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
    from app.extensions import db

    app = create_app("testing", SQLALCHEMY_DATABASE_URI=f"{PG_SERVER}/{DB}", STORAGE_DIR=storage,
                     ES_INDEX_PREFIX="archive-bench-reports", RQ_QUEUE="archive-bench-reports",
                     REDIS_URL="redis://127.0.0.1:6379/13", TOKEN_CACHE_SECONDS=0)
    with app.app_context():
        with db.engine.begin() as conn:
            conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        upgrade()
    logging.getLogger("alembic").setLevel(logging.WARNING)
    return app


def _when(rng: random.Random, year: int | None = None) -> datetime:
    year = year or rng.choice(YEARS)
    return datetime(year, 1, 1) + timedelta(seconds=rng.randrange(365 * 86400))


def load(app, n_docs: int, n_briefings: int, rng: random.Random) -> dict:
    from sqlalchemy import insert, text

    from app.extensions import db
    from app.models import (
        Briefing, BriefingCoverage, BriefingMaterial, DispositionItem, DispositionProposal,
        Document, LegalHold, PressArticle,
    )
    from app.services.accounts import create_user

    agencies = [f"Ủy ban nhân dân tỉnh {n}" for n in range(60)] + \
               [f"UBND TỈNH {n}" for n in range(60)] + [f"Sở ban ngành số {n}" for n in range(180)]
    started = time.perf_counter()
    with app.app_context():
        owner = create_user("bench-owner", "mật-khẩu-đủ-dài-123", role="admin").id
        n_articles = n_briefings * 5
        rows = []
        for i in range(1, n_docs + 1):
            uploaded = _when(rng)
            row = {"id": i, "title": f"Văn bản {i}", "category": rng.choice(CATEGORIES),
                   "doc_type": rng.choice(TYPES), "issuing_agency": rng.choice(agencies + [None]),
                   "secrecy": rng.choice(SECRECY), "uploaded_at": uploaded,
                   "updated_at": uploaded, "issue_date": uploaded.date(), "status": "indexed",
                   "disposition": "active", "disposed_at": None, "funding_source": None,
                   "product_kind": None, "product_cost": None, "approving_decision": None}
            if i <= n_articles:
                row["category"] = "press_coverage"
            elif rng.random() < 0.05:
                row.update(category="communication_product", funding_source="state_budget",
                           product_kind=rng.choice(KINDS),
                           product_cost=rng.randrange(5, 500) * 1_000_000,
                           approving_decision=rng.choice([f"{i % 90}/QĐ-STTTT", None]))
            elif rng.random() < 0.03:
                row.update(disposition=rng.choice(["destroyed", "transferred", "due"]),
                           disposed_at=_when(rng))
            rows.append(row)
            if len(rows) == 5000:
                db.session.execute(insert(Document), rows)
                rows = []
        if rows:
            db.session.execute(insert(Document), rows)
        briefings, materials, coverage = [], [], []
        for b in range(1, n_briefings + 1):
            held = _when(rng)
            adhoc = rng.random() < 0.3
            briefings.append({
                "id": b, "kind": "adhoc" if adhoc else "periodic", "title": f"Họp báo {b}",
                "held_at": held, "incident_at": held - timedelta(hours=rng.randrange(2, 40))
                if adhoc else None, "outlets": rng.sample(OUTLETS, 4), "hosts": ["police"],
                "topics": ["human_rights"], "created_at": held, "updated_at": held})
            for m in rng.sample(range(n_articles + 1, n_docs + 1), 3):
                materials.append({"briefing_id": b, "document_id": m,
                                  "role": rng.choice(["guidance", "talking_points", "report"])})
        db.session.execute(insert(Briefing), briefings)
        db.session.execute(insert(BriefingMaterial), materials)
        articles = []
        for a in range(1, n_articles + 1):
            articles.append({"id": a, "document_id": a, "outlet": rng.choice(OUTLETS),
                             "story_id": a - a % 3 or a, "published_on": date(2024, 1, 1)})
            coverage.append({"briefing_id": (a - 1) // 5 + 1, "article_id": a})
        db.session.execute(insert(PressArticle), articles)
        db.session.execute(insert(BriefingCoverage), coverage)
        for p in range(1, 101):
            at = _when(rng)
            db.session.execute(insert(DispositionProposal), [{
                "id": p, "action": rng.choice(["destroy", "transfer"]), "reason": "bench",
                "status": "executed", "proposed_by_id": owner, "proposed_at": at,
                "executed_at": at + timedelta(days=10), "decision_ref": f"{p}/QĐ-STTTT"}])
            db.session.execute(insert(DispositionItem), [
                {"proposal_id": p, "document_id": rng.randrange(n_articles + 1, n_docs),
                 "snapshot": {}} for _ in range(5)])
        db.session.execute(insert(LegalHold), [
            {"target_type": "document", "document_id": rng.randrange(1, n_docs), "reason": "bench",
             "placed_by_id": owner, "placed_at": _when(rng)} for _ in range(50)])
        for table in ("documents", "briefings", "press_articles", "disposition_proposals"):
            db.session.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                    f"(SELECT max(id) FROM {table}))"))
        db.session.commit()
        db.session.execute(text("ANALYZE"))
        db.session.commit()
    return {"seconds": time.perf_counter() - started}


def timed(fn, runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        out.append((time.perf_counter() - started) * 1000)
    return out


def line(name: str, ms: list[float]) -> str:
    return (f"{name:<34} p50 {statistics.median(ms):8.2f} ms   p95 {percentile(ms, 95):8.2f} ms"
            f"   ({len(ms)} runs)")


def main() -> None:
    args = parse_args()
    ensure_database()
    storage = tempfile.mkdtemp(prefix="archive-bench-reports-")
    app = make_app(storage)
    rng = random.Random(14)
    print(f"loading {args.documents:,} documents and {args.briefings:,} briefings ...")
    loaded = load(app, args.documents, args.briefings, rng)
    print(f"loaded in {loaded['seconds']:.1f} s; load average at start {START_LOAD:.2f}")
    from sqlalchemy import text

    from app.extensions import db
    from app.models import User
    from app.services.accounts import create_user, issue_token
    from app.services import reports
    from app.services.report_model import parse_period

    with app.app_context():
        create_user("bench-archivist", "mật-khẩu-đủ-dài-123", role="archivist")
        token = issue_token("bench-archivist")
    client = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    year = {"period": "year", "year": "2024"}

    def get(fmt):
        response = client.get("/api/v1/reports/full", headers=headers,
                              query_string={**year, "format": fmt})
        assert response.status_code == 200, response.get_data()[:300]
        return response

    for _ in range(3):
        get("json")  # warm: connections, catalog, agency table
    with app.app_context():
        reference = timed(lambda: db.session.execute(text("SELECT 1")).scalar(), 300)
        user = db.session.scalar(db.select(User).where(User.username == "bench-archivist"))
        period = parse_period(year)
        sections = {key: timed(lambda key=key: build(user, period, key), 10)
                    for key in reports.SECTIONS}
    figures = get("json").get_json()["sections"]
    print(f"yearly report 2024: {figures['documents']['figures']['archived']:,} documents, "
          f"{figures['briefings']['figures']['held']} briefings, "
          f"{figures['briefings']['figures']['coverage_articles']:,} articles in the year")
    print(line("SELECT 1 round trip (reference)", reference))
    print(line("GET /reports/full json (server)", timed(lambda: get("json"), args.runs)))
    for key, ms in sections.items():
        print(line(f"  section {key}", ms))
    print(line("GET /reports/full csv", timed(lambda: get("csv"), 10)))
    print(line("GET /reports/full docx", timed(lambda: get("docx"), 10)))
    if not args.keep:
        with app.app_context():
            db.session.remove()
            with db.engine.begin() as conn:
                conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
                conn.execute(text("CREATE SCHEMA public"))


def build(user, period, key):
    from app.services import reports

    return reports.build_report(user, key, period)


if __name__ == "__main__":
    main()
