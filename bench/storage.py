"""Storage: S3 against local ingest throughput, fixity throughput, fixity's cost to ingest.

    .venv/bin/python bench/storage.py [--rounds N] [--repeat N] [--archive-mb M] [--rate R]
                                      [--s3-url URL]

One run, both backends, the same files, three parts:

1. **Upload throughput, S3 / local.** bench/ingest.py's default corpus (TXT, HTML,
   PDF, DOCX; ``--repeat`` unique copies of each) is uploaded through
   ``POST /api/v1/documents`` (received, hashed, type detected, stored and
   confirmed by the store, rows and audit written, job enqueued): ``--rounds``
   rounds per backend, alternating local and S3, each on a freshly reset
   database and store. Medians per backend and their ratio.
2. **Fixity's cost to ingest.** Per backend, ``--rounds`` times three end-to-end rounds
   in alternating order, medians printed (upload, then every job in an in-process
   burst worker: extraction, previews, indexing) on TXT, HTML and PDF files (DOCX left out: their LibreOffice rendering dominates
   processing time and says nothing about storage), each after ``--archive-mb``
   of older records (random 4 MB files, each a document's original) were stored
   so fixity has work: ``alone``; ``+ fixity R MB/s``, the fixity job running
   meanwhile in a process of its own, niced as ``flask storage fixity`` is,
   re-hashing the archive again and again at ``--rate`` (default 20, the
   FIXITY_MAX_MB_PER_S default); ``+ fixity unlimited``, the same without a limit.
3. **Fixity throughput.** A full pass alone per backend (MB/s, including the
   per-object database record). Local reads may come from the page cache.

S3: ``--s3-url`` or BENCH_S3_URL, default the store of scripts/services.sh (port
9000, its fixed development keys; BENCH_S3_KEY / BENCH_S3_SECRET otherwise), under
a prefix of this run, emptied at the end. The machine's load average is printed:
other work on a shared machine moves these figures. Nothing is asserted.
"""
from __future__ import annotations

import argparse
import io
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import benchlib
import ingest

S3_URL = os.environ.get("BENCH_S3_URL",
                        "s3://archive-bench?endpoint=http://127.0.0.1:9000&region=us-east-1")
S3_KEYS = {"STORAGE_S3_KEY": os.environ.get("BENCH_S3_KEY", "archive-dev"),
           "STORAGE_S3_SECRET": os.environ.get("BENCH_S3_SECRET", "archive-dev-secret-key")}
OLD_FILE_MB = 4


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3,
                        help="rounds per backend (upload) and per backend and mode (end to end)")
    parser.add_argument("--repeat", type=int, default=3,
                        help="unique copies of each file in the upload rounds")
    parser.add_argument("--archive-mb", type=int, default=96,
                        help="older records stored before each round (fixity's work)")
    parser.add_argument("--rate", type=float, default=20.0, help="fixity limit in MB/s")
    parser.add_argument("--s3-url", default=S3_URL)
    parser.add_argument("--fixity-child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--storage-dir", help=argparse.SUPPRESS)
    return parser.parse_args()


def s3_store(app, url: str):
    from urllib.parse import urlsplit, urlunsplit

    from app.storage import from_url

    parts = urlsplit(url)
    url = urlunsplit(parts._replace(path=f"{parts.path.rstrip('/')}/run-{os.getpid()}"))
    store = from_url(url, {**app.config, **S3_KEYS})
    store.prepare()
    return store, url


def empty(store) -> None:
    for name in list(store.iter_hashes()):
        store.delete(name)


def store_old_records(app, megabytes: int) -> None:
    """``megabytes`` of older records: random files, each the original of a document."""
    from app import storage
    from app.extensions import db
    from app.models import Document, DocumentFile

    with app.app_context():
        for n in range(max(0, megabytes // OLD_FILE_MB)):
            blob = storage.save(io.BytesIO(os.urandom(OLD_FILE_MB << 20)), 1 << 40)
            document = Document(title=f"Bản ghi hình hội nghị {n}", category="other",
                                secrecy="thuong", status="indexed")
            document.files.append(DocumentFile(original_filename=f"hoi-nghi-{n}.mp4",
                                               media_type="video/mp4", size=blob.size,
                                               sha256=blob.sha256, extraction_method="none"))
            db.session.add(document)
        db.session.commit()


def process(app) -> float:
    from rq import SimpleWorker

    from app.extensions import services
    from app.jobs.queue import worker_queues

    started = time.perf_counter()
    with app.app_context():
        SimpleWorker(worker_queues(), connection=services.redis).work(
            burst=True, logging_level="WARNING")
    return time.perf_counter() - started


def start_fixity(storage_dir: str, s3_url: str | None, rate: float) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(benchlib.ROOT)}
    if s3_url:
        env["BENCH_CHILD_S3_URL"] = s3_url
    child = subprocess.Popen(
        [sys.executable, __file__, "--fixity-child", "--rate", str(rate),
         "--storage-dir", storage_dir], env=env, stdout=subprocess.PIPE, text=True)
    assert child.stdout.readline().strip() == "started"
    return child


def stop_fixity(child: subprocess.Popen) -> dict:
    child.send_signal(signal.SIGTERM)
    out, _ = child.communicate(timeout=60)
    return json.loads(out.strip().splitlines()[-1])


def fixity_child(args: argparse.Namespace) -> None:
    """Re-hash the archive again and again until SIGTERM; print bytes and seconds."""
    from app.services import fixity
    from app.storage import EXTENSION, from_url

    os.nice(10)  # as `flask storage fixity --every N` does
    app = benchlib.make_app(args.storage_dir)
    if os.environ.get("BENCH_CHILD_S3_URL"):
        app.extensions[EXTENSION] = from_url(os.environ["BENCH_CHILD_S3_URL"],
                                             {**app.config, **S3_KEYS})
    totals = {"bytes": 0, "started": time.perf_counter()}

    def done(*_):
        seconds = time.perf_counter() - totals["started"]
        print(json.dumps({"bytes": totals["bytes"], "seconds": seconds}), flush=True)
        os._exit(0)

    signal.signal(signal.SIGTERM, done)
    with app.app_context():
        fixity.sync()
        print("started", flush=True)
        while True:
            fixity.verify_all(mb_per_s=args.rate or 0,
                              on_object=lambda size: totals.__setitem__(
                                  "bytes", totals["bytes"] + size))


def upload_round(app, store, items) -> float:
    """Upload every item on a reset database and store; the seconds it took."""
    from app.storage import EXTENSION

    benchlib.reset(app)
    app.extensions[EXTENSION] = store
    empty(store)
    token = benchlib.make_token(app)
    ingest.warm_up(app, token)
    seconds, _dups = ingest.upload_all(app, token, items)
    return seconds


def one_round(app, store, s3_url, items, args, mode: str) -> dict:
    from app.storage import EXTENSION

    benchlib.reset(app)
    app.extensions[EXTENSION] = store
    empty(store)
    store_old_records(app, args.archive_mb)
    token = benchlib.make_token(app)
    ingest.warm_up(app, token)
    child = None
    if mode != "alone":
        child = start_fixity(app.config["STORAGE_DIR"], s3_url,
                             args.rate if mode == "limited" else 0)
    try:
        upload_s, _dups = ingest.upload_all(app, token, items)
        process_s = process(app)
    finally:
        meanwhile = stop_fixity(child) if child else None
    size = sum(i.size for i in items) / 1024 / 1024
    return {"upload_docs_s": len(items) / upload_s, "upload_mb_s": size / upload_s,
            "e2e_docs_s": len(items) / (upload_s + process_s),
            "fixity_mb_s": (meanwhile["bytes"] / 1024 / 1024 / meanwhile["seconds"]
                            if meanwhile else None)}


def fixity_alone(app, store) -> tuple[float, float]:
    from app.services import fixity
    from app.storage import EXTENSION

    app.extensions[EXTENSION] = store
    with app.app_context():
        fixity.sync()
        report = fixity.verify_all(mb_per_s=0)
    return report.bytes / 1024 / 1024, report.mb_per_s


def main() -> None:
    args = parse_args()
    if args.fixity_child:
        return fixity_child(args)
    from app.storage import EXTENSION

    print(benchlib.machine_line())
    folders = [f"../shared/corpus/{name}" for name in ("seeds", "html", "pdf-text")]
    with benchlib.bench_app() as app, tempfile.TemporaryDirectory(
            prefix="archive-bench-files-") as workdir:
        for sub in ("uploads", "e2e"):
            (Path(workdir) / sub).mkdir()
        uploads = ingest.prepare(ingest.collect_files([]), max(1, args.repeat),
                                 Path(workdir) / "uploads")
        processed = ingest.prepare(ingest.collect_files(folders), 1, Path(workdir) / "e2e")
        local = app.extensions[EXTENSION]
        s3, s3_url = s3_store(app, args.s3_url)
        stores = (("local", local, None), ("s3", s3, s3_url))
        modes = [("alone", "alone"), ("limited", f"+ fixity {args.rate:g} MB/s"),
                 ("unlimited", "+ fixity unlimited")]
        seconds, rows, passes = {"local": [], "s3": []}, {}, {}
        try:
            for _round in range(max(1, args.rounds)):
                for name, store, _url in stores:
                    seconds[name].append(upload_round(app, store, uploads))
            for turn in range(max(1, args.rounds)):
                # Every order in turn, so that no mode always pays the first round's costs.
                order = modes if turn % 2 == 0 else modes[::-1]
                for name, store, url in stores:
                    for mode, _label in order:
                        print(f"\n{name}, {mode}", file=sys.stderr)
                        rows.setdefault((name, mode), []).append(
                            one_round(app, store, url, processed, args, mode))
            for name, store, _url in stores:
                passes[name] = fixity_alone(app, store)
        finally:
            app.extensions[EXTENSION] = local
            empty(s3)
        report(uploads, processed, seconds, args, rows, passes, modes)


def report(uploads, processed, seconds, args, rows, passes, modes) -> None:
    size = sum(i.size for i in uploads) / 1024 / 1024
    print(f"\n1. Upload throughput: {len(uploads)} files, {size:.1f} MB per round, "
          f"{len(seconds['local'])} rounds per backend (medians)")
    median = {name: benchlib.median(values) for name, values in seconds.items()}
    for name in ("local", "s3"):
        print(f"   {name:<6} {len(uploads) / median[name]:6.2f} docs/s  "
              f"{size / median[name]:6.2f} MB/s   (rounds: "
              + ", ".join(f"{s:.1f} s" for s in seconds[name]) + ")")
    print(f"   S3 / local: {median['local'] / median['s3']:.2f}")

    size = sum(i.size for i in processed) / 1024 / 1024
    print(f"\n2. Ingest end to end with and without fixity: {len(processed)} files, "
          f"{size:.1f} MB per round, {args.archive_mb} MB of older records in the store, "
          f"medians of {args.rounds} rounds per backend and mode")
    print(f"   {'backend':<8} {'mode':<22} {'upload docs/s':>13} {'end-to-end docs/s':>18} "
          f"{'fixity meanwhile':>17}")
    rows = {key: {field: benchlib.median([r[field] for r in runs]) if runs[0][field] is not None
                  else None for field in runs[0]} for key, runs in rows.items()}
    for (name, mode), row in rows.items():
        label = dict(modes)[mode]
        fixity = f"{row['fixity_mb_s']:.1f} MB/s" if row["fixity_mb_s"] is not None else "-"
        print(f"   {name:<8} {label:<22} {row['upload_docs_s']:>13.2f} "
              f"{row['e2e_docs_s']:>18.2f} {fixity:>17}")
    for name in ("local", "s3"):
        alone = rows[name, "alone"]["e2e_docs_s"]
        print(f"   {name}: end to end with fixity at {args.rate:g} MB/s "
              f"{rows[name, 'limited']['e2e_docs_s'] / alone:.2f}× alone, "
              f"unlimited {rows[name, 'unlimited']['e2e_docs_s'] / alone:.2f}× alone")
    print("\n3. Fixity pass alone")
    for name, (mb, speed) in passes.items():
        print(f"   {name:<6} {mb:.0f} MB at {speed:.1f} MB/s")
    print(f"\n1-min load average at the end: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
