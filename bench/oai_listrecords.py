"""Records per second served by the OAI-PMH provider's ListRecords, at 10,000 records.

    .venv/bin/python bench/oai_listrecords.py [--records 10000] [--repeat 3] [--keep]

Set-up: its own PostgreSQL database ``archive_bench_oai`` (created on first use, schema
rebuilt from the migrations at every start; ``BENCH_OAI_DATABASE_URL`` overrides it),
so it never meets the shared ``archive_bench`` of the other benchmarks. No Redis, no
Elasticsearch: nothing is indexed. ``--records`` public documents with full NĐ 30
metadata and one original file each, plus as many again that must not leave (half
internal, half "Mật"), inserted in bulk.

Measured, each ``--repeat`` times, through ``app.test_client()`` (the whole Flask
request, no network): a complete anonymous harvest -- ListRecords in ``nd30`` and in
``oai_dc``, and ListIdentifiers -- following every resumptionToken to the end, each
response parsed with lxml to read the token. Reference, in the same run: a plain
SELECT of the same rows (the documents the public may see, with their files, in the
provider's order), fetched whole. The figures are records per second (median of the
repeats) and their ratio to the reference.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("ARCHIVE_ENV", "testing")

from bench.benchlib import machine_line  # noqa: E402

PG_SERVER = "postgresql+psycopg://archive:archive@127.0.0.1:5432"
DATABASE_URL = os.environ.get("BENCH_OAI_DATABASE_URL", f"{PG_SERVER}/archive_bench_oai")
OAI = "{http://www.openarchives.org/OAI/2.0/}"


def ensure_database() -> None:
    from sqlalchemy import create_engine, text

    name = DATABASE_URL.rsplit("/", 1)[1]
    engine = create_engine(f"{PG_SERVER}/archive_test", isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        if not conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}):
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()


def make_app(storage: str):
    import logging

    from flask_migrate import upgrade
    from sqlalchemy import text

    from app import create_app
    from app.extensions import db

    app = create_app("testing", SQLALCHEMY_DATABASE_URI=DATABASE_URL, STORAGE_DIR=storage,
                     OAI_BASE_URL="https://luutru.example.vn/oai")
    with app.app_context():
        with db.engine.begin() as conn:
            conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        upgrade()
    logging.getLogger("alembic").setLevel(logging.WARNING)
    return app


def populate(app, count: int) -> None:
    """``count`` public documents and ``count`` that must stay in (internal or secret)."""
    from sqlalchemy import insert, select

    from app.extensions import db
    from app.models import Document, DocumentFile

    base = datetime(2024, 1, 1, 8, 0)
    rows = []
    for n in range(2 * count):
        shared = n % 2 == 0
        rows.append({
            "title": f"Kế hoạch {n} về tuyên truyền quyền con người và thông tin đối ngoại",
            "title_source": "person", "category": ("plan", "report", "official_letter")[n % 3],
            "doc_type": ("KH", "BC", "CV")[n % 3], "number": str(n % 900 + 1),
            "symbol": ("KH-UBND", "BC-STTTT", "UBND-KGVX")[n % 3],
            "issuing_agency": "Ủy ban nhân dân tỉnh Quảng Ngãi", "place": "Quảng Ngãi",
            "issue_date": date(2015 + n % 10, n % 12 + 1, n % 28 + 1),
            "summary": "Triển khai công tác tuyên truyền về quyền con người năm " * 3,
            "signer_name": "Nguyễn Văn A", "signer_position": "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH",
            "recipients": "- Bộ Thông tin và Truyền thông;\n- Các sở, ban, ngành;\n- Lưu: VT.",
            "secrecy": "thuong" if shared or n % 4 == 1 else "mat", "urgency": "thuong",
            "language": "vi", "page_count": 3, "status": "indexed",
            "sharing": "public" if shared else "internal",
            "shared_at": base if shared else None, "public_at": base if shared else None,
            "uploaded_at": base, "updated_at": base + timedelta(seconds=n // 3)})
    with app.app_context():
        db.session.execute(insert(Document), rows)
        ids = db.session.scalars(select(Document.id).order_by(Document.id)).all()
        db.session.execute(insert(DocumentFile), [{
            "document_id": doc_id, "original_filename": f"ke-hoach-{doc_id}.pdf",
            "media_type": "application/pdf", "size": 120_000 + doc_id,
            "sha256": f"{doc_id:064x}"} for doc_id in ids])
        db.session.commit()


def harvest(client, **params) -> tuple[int, int]:
    """Follow the list to its end; (records or headers received, responses)."""
    from lxml import etree

    received = responses = 0
    query = dict(params)
    while True:
        response = client.get("/oai", query_string=query)
        tree = etree.fromstring(response.data)
        responses += 1
        received += len(tree.findall(f".//{OAI}header"))
        token = tree.find(f".//{OAI}resumptionToken")
        if token is None or not token.text:
            return received, responses
        query = {"verb": params["verb"], "resumptionToken": token.text}


def plain_select(app) -> int:
    """The reference: the same rows, with their files, in the same order, fetched whole."""
    from sqlalchemy import select

    from app.extensions import db
    from app.models import Document, DocumentFile
    from app.sharing.visibility import Principal, document_visible

    with app.app_context():
        rows = db.session.execute(
            select(Document.__table__, DocumentFile.__table__)
            .join(DocumentFile, DocumentFile.document_id == Document.id)
            .where(document_visible(Principal.PUBLIC))
            .order_by(Document.updated_at, Document.id)).all()
        db.session.remove()
    return len(rows)


def timed(fn) -> tuple[float, object]:
    started = time.perf_counter()
    result = fn()
    return time.perf_counter() - started, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", action="store_true", help="leave the database filled")
    args = parser.parse_args()
    ensure_database()
    storage = tempfile.mkdtemp(prefix="archive-bench-oai-")
    app = make_app(storage)
    started = time.perf_counter()
    populate(app, args.records)
    print(machine_line())
    print(f"{args.records:,} public records (+{args.records:,} internal or secret ones that "
          f"must not leave) inserted in {time.perf_counter() - started:.1f} s; "
          f"pages of {app.config['OAI_PAGE_SIZE']} records / "
          f"{app.config['OAI_IDENTIFIERS_PAGE_SIZE']} identifiers")
    cases = {"ListRecords nd30": {"verb": "ListRecords", "metadataPrefix": "nd30"},
             "ListRecords oai_dc": {"verb": "ListRecords", "metadataPrefix": "oai_dc"},
             "ListIdentifiers": {"verb": "ListIdentifiers", "metadataPrefix": "nd30"}}
    timings: dict[str, list[float]] = {name: [] for name in [*cases, "plain SELECT"]}
    client = app.test_client()
    for _ in range(args.repeat):
        for name, params in cases.items():
            seconds, (received, responses) = timed(lambda p=params: harvest(client, **p))
            assert received == args.records, (name, received)
            timings[name].append(seconds)
        seconds, rows = timed(lambda: plain_select(app))
        assert rows == args.records, rows
        timings["plain SELECT"].append(seconds)
    reference = args.records / statistics.median(timings["plain SELECT"])
    print(f"\n{'what':<20} {'median s':>9} {'records/s':>11} {'vs plain SELECT':>16}  runs (s)")
    for name, values in timings.items():
        rate = args.records / statistics.median(values)
        print(f"{name:<20} {statistics.median(values):>9.2f} {rate:>11,.0f} "
              f"{rate / reference:>15.3f}x  {', '.join(f'{v:.2f}' for v in values)}")
    if not args.keep:
        from sqlalchemy import text

        from app.extensions import db

        with app.app_context():
            db.session.remove()
            with db.engine.begin() as conn:
                conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
                conn.execute(text("CREATE SCHEMA public"))


if __name__ == "__main__":
    main()
