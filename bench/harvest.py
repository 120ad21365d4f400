"""Harvest speed end to end: one archive harvests N records from another over OAI-PMH.

    .venv/bin/python bench/harvest.py [--records 10000] [--with-files 1.0] [--drain] [--keep]

Two archives on this machine, each with its own database, Redis database, index
prefix and storage, run as their own processes (tests/archives.py):

* the **province** (database ``archive_bench_harvest_p``, Redis 13): N records
  shared with partners, inserted straight into its tables (metadata of a plan,
  ``--with-files`` of them with one small text file each, stored content-addressed
  as an upload would be), served by gunicorn (2 workers) at ``/oai``;
* the **aggregator** (database ``archive_bench_harvest_a``, Redis 7), where a
  harvest source with the province's partner token is registered.

Printed, all in the same run:

1. **reference**: the provider's ListRecords alone (nd30, every page, read by
   sickle with the token) -- what any harvester must wait for;
2. **harvest**: ``flask share harvest`` on the aggregator, from the first request
   until every record is in its database with its file fetched, stored and
   checked (SHA-256), records without a file in the search index, and files
   queued for extraction -- the figure of the "10,000 records under 2 minutes"
   target;
3. **re-harvest**: the same command again (incremental: nothing new);
4. with ``--drain``: the aggregator's worker (one ``flask worker``) extracting
   and indexing the harvested files, until every record is searchable by its
   text -- the normal pipeline, paid once per new file.

The databases are created on first use (the ``archive`` role has CREATEDB) and
rebuilt from the migrations at every start; ``--keep`` leaves both archives'
data for inspection.
"""
from __future__ import annotations

import argparse
import hashlib
import os
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone

import benchlib  # noqa: F401 - puts the project on sys.path, sets ARCHIVE_ENV
from sqlalchemy import create_engine, text

from tests.archives import Archive

PG = benchlib.PG_SERVER
PROVINCE_DB, AGGREGATOR_DB = "archive_bench_harvest_p", "archive_bench_harvest_a"
SOURCE = "Kho tỉnh (bench)"


def ensure_databases() -> None:
    engine = create_engine(f"{PG}/archive_test", isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        for name in (PROVINCE_DB, AGGREGATOR_DB):
            if not conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"),
                               {"n": name}):
                conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()


def populate(province: Archive, records: int, with_files: float) -> float:
    """N shared records (plans), a share of them with a small text file; seconds taken."""
    started = time.perf_counter()
    now = datetime.now(timezone.utc).replace(tzinfo=None) - timedelta(minutes=5)
    every = max(1, round(1 / with_files)) if with_files > 0 else 0
    docs, files = [], []
    for i in range(1, records + 1):
        docs.append({
            "id": i, "title": f"Kế hoạch {i}/KH-UBND về thông tin đối ngoại năm 2024",
            "category": "plan", "doc_type": "KH", "number": str(i), "symbol": "KH-UBND",
            "number_key": f"{i}/kh-ubnd", "issuing_agency": "Ủy ban nhân dân tỉnh Điện Biên",
            "place": "Điện Biên", "summary": f"Thực hiện công tác thông tin đối ngoại, đợt {i}",
            "issue_date": f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}",
            "status": "indexed" if every and i % every == 0 else "no_text",
            "at": now + timedelta(milliseconds=i)})
        if every and i % every == 0:
            body = (f"KẾ HOẠCH số {i}/KH-UBND\nThông tin đối ngoại và quyền con người, "
                    f"đợt {i}. " + "Nội dung tuyên truyền. " * 40).encode()
            sha = hashlib.sha256(body).hexdigest()
            path = province.storage_dir / sha[:2] / sha[2:4] / sha
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(body)
            files.append({"document_id": i, "name": f"ke-hoach-{i}.txt", "size": len(body),
                          "sha": sha, "text": body.decode(), "at": now})
    with province.engine().begin() as conn:
        conn.execute(text(
            "INSERT INTO documents (id, title, title_source, category, doc_type, number, symbol,"
            " number_key, issuing_agency, place, issue_date, summary, secrecy, urgency,"
            " language, status, revision, indexed_revision, disposition, sharing, shared_at,"
            " uploaded_at, updated_at) VALUES (:id, :title, 'person', :category, :doc_type,"
            " :number, :symbol, :number_key, :issuing_agency, :place, CAST(:issue_date AS date),"
            " :summary, 'thuong', 'thuong', 'vi', :status, 1, 1, 'active', 'partner', :at, :at,"
            " :at)"), docs)
        if files:
            conn.execute(text(
                "INSERT INTO document_files (document_id, original_filename, media_type, size,"
                " sha256, extracted_text, extraction_method, created_at) VALUES (:document_id,"
                " :name, 'text/plain', :size, :sha, :text, 'text', :at)"), files)
        conn.execute(text("SELECT setval('documents_id_seq', :n)"), {"n": records})
    return time.perf_counter() - started


def list_records(url: str, token: str) -> tuple[int, float, list[str]]:
    """The provider's ListRecords alone, read by sickle; also the file links it gave."""
    from sickle import Sickle

    started = time.perf_counter()
    harvester = Sickle(url, headers={"Authorization": f"Bearer {token}"}, timeout=120)
    links, count = [], 0
    for record in harvester.ListRecords(metadataPrefix="nd30"):
        count += 1
        links += [f.get("url") for f in record.xml.iter("{urn:vn-archive:nd30:1.0}file")]
    return count, time.perf_counter() - started, links


def download_links(links: list[str], token: str, parallel: int) -> float:
    """The provider's file links alone, fetched ``parallel`` at a time (as the harvester does)."""
    from concurrent.futures import ThreadPoolExecutor

    import requests

    session = requests.Session()
    headers = {"Authorization": f"Bearer {token}"}

    def get(url: str) -> int:
        return len(session.get(url, headers=headers, timeout=120).content)

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=parallel) as pool:
        list(pool.map(get, links))
    return time.perf_counter() - started


def harvest(aggregator: Archive, profile: bool = False) -> tuple[float, str]:
    started = time.perf_counter()
    if profile and os.environ.get("HARVEST_PROFILE"):  # where the time goes: cProfile of the command
        result = subprocess.run(
            [sys.executable, "-m", "cProfile", "-o", os.environ["HARVEST_PROFILE"], "-m",
             "flask", "--app", "wsgi", "share", "harvest", SOURCE], cwd=benchlib.ROOT,
            env=aggregator.env, capture_output=True, text=True, timeout=3600)
    else:
        result = aggregator.flask("share", "harvest", SOURCE, check=False, timeout=3600)
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        print(result.stdout, result.stderr, file=sys.stderr)
    return seconds, result.stdout.strip().splitlines()[-1] if result.stdout.strip() else ""


def drain(aggregator: Archive, timeout: float = 7200) -> float:
    started = time.perf_counter()
    aggregator.start(worker=True, workers=1)
    try:
        while time.perf_counter() - started < timeout:
            left = aggregator.sql("SELECT count(*) FROM documents WHERE status IN "
                                  "('queued', 'processing') OR indexed_revision < revision")
            if left[0][0] == 0:
                return time.perf_counter() - started
            time.sleep(1)
        raise SystemExit("extraction did not finish in time")
    finally:
        aggregator.stop()


def code_state() -> str:
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=benchlib.ROOT,
                            capture_output=True, text=True).stdout.strip()
    dirty = subprocess.run(["git", "status", "--porcelain", "--", ".", ":!bench"],
                           cwd=benchlib.ROOT, capture_output=True, text=True).stdout.strip()
    return commit + (" (+ uncommitted changes)" if dirty else "")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--with-files", type=float, default=1.0,
                        help="share of the records that carry a file (0..1)")
    parser.add_argument("--drain", action="store_true",
                        help="also time the extraction of the harvested files")
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()

    ensure_databases()
    tmp = tempfile.mkdtemp(prefix="archive-bench-harvest-")
    province = Archive("bench-province", f"{PG}/{PROVINCE_DB}", "redis://127.0.0.1:6379/13",
                       "archive-bench-harvest-p", os.path.join(tmp, "province"),
                       OAI_PAGE_SIZE=os.environ.get("OAI_PAGE_SIZE", "100"))
    aggregator = Archive("bench-aggregator", f"{PG}/{AGGREGATOR_DB}", "redis://127.0.0.1:6379/7",
                         "archive-bench-harvest-a", os.path.join(tmp, "aggregator"))
    print(f"Harvest benchmark: {args.records} records, {args.with_files:.0%} with a file; "
          f"load {benchlib.START_LOAD:.2f} at start; code {code_state()}")
    try:
        province.reset()
        aggregator.reset()
        loaded = populate(province, args.records, args.with_files)
        token = province.flask("share", "token", "create", "Kho tổng hợp (bench)"
                               ).stdout.strip().splitlines()[-1]
        aggregator.sql  # noqa: B018 - the engine is created lazily below
        with aggregator.engine().begin() as conn:
            conn.execute(text(
                "INSERT INTO harvest_sources (name, base_url, metadata_prefix, token,"
                " schedule_hours, enabled, created_at) VALUES (:n, :u, 'nd30', :t, 0, true,"
                " now())"), {"n": SOURCE, "u": f"{province.url}/oai", "t": token})
        province.start(worker=False, workers=2)
        print(f"province populated in {loaded:.1f} s; serving {province.url}/oai")

        count, reference, links = list_records(f"{province.url}/oai", token)
        print(f"reference  ListRecords alone (sickle, nd30): {count} records in "
              f"{reference:.1f} s = {count / reference:.0f} records/s")
        if links:
            from app.sharing.harvest.importer import PARALLEL_DOWNLOADS

            fetched = download_links(links, token, PARALLEL_DOWNLOADS)
            print(f"reference  the {len(links)} file links alone ({PARALLEL_DOWNLOADS} at a time): "
                  f"{fetched:.1f} s = {len(links) / fetched:.0f} files/s")

        seconds, summary = harvest(aggregator, profile=True)
        kept = aggregator.sql("SELECT count(*) FROM documents")[0][0]
        stored = aggregator.sql("SELECT count(*) FROM document_files")[0][0]
        print(f"harvest    flask share harvest: {kept} records ({stored} files fetched and "
              f"stored) in {seconds:.1f} s = {kept / seconds:.0f} records/s "
              f"({seconds / reference:.1f}x the reference)")
        print(f"           {summary}")
        problems = aggregator.sql("SELECT errors FROM harvest_runs ORDER BY id DESC LIMIT 1")
        for problem in (problems[0][0] if problems else [])[:5]:
            print(f"           problem: {problem}")

        again, summary = harvest(aggregator)
        print(f"re-harvest {again:.1f} s; {summary}")

        if args.drain:
            drained = drain(aggregator)
            print(f"pipeline   extraction and indexing of {stored} files by one worker: "
                  f"{drained:.1f} s = {stored / drained:.0f} files/s; end to end "
                  f"(harvest + pipeline) {kept / (seconds + drained):.0f} records/s")
    finally:
        province.stop()
        aggregator.stop()
        if not args.keep:
            for archive in (province, aggregator):
                archive.drop_indices()
                archive.dispose()
        import shutil

        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
