"""Ingest throughput: upload through the HTTP API until the document is searchable.

    .venv/bin/python bench/ingest.py [FOLDER ...] [--repeat N] [--keep]

Default folders (relative to the repository root): ../shared/corpus/seeds,
../shared/corpus/docx, ../shared/corpus/pdf-text, ../shared/corpus/html.

For every file: POST /api/v1/documents (Flask test client, bearer token,
multipart field ``file``), then run every queued job (extract, then index)
with an in-process ``rq.SimpleWorker`` in burst mode, refresh the index and
check that each document is in a final searchable state and found by a phrase
of its own text (the project's query builder plus an id filter).

The worker runs in this process: deterministic, one job at a time, no fork.
Production runs forking workers (``flask worker``), which add a fork per job
and can run in parallel; this measures the cost per document, not the
capacity of a worker pool.

Inside the jobs, the calls in TIMED_CALLS (text extraction, metadata
recognition, the index write) are timed by wrapping their module attributes in
this process only. As a reference in the same run, ``app.extractors.extract``
alone is timed on the same bytes in a separate pass, to show which share of the
pipeline is text extraction.

``--repeat N`` uploads each file N times; copies are made unique (the archive
de-duplicates by SHA-256): a trailing comment for TXT/HTML/PDF (after %%EOF,
which PDF readers ignore), an extra dummy zip entry for DOCX. Other types are
not repeated. Prints figures only; nothing is asserted.
"""
from __future__ import annotations

import argparse
import importlib
import io
import re
import tempfile
import time
import zipfile
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import benchlib
from tqdm import tqdm

DEFAULT_FOLDERS = ["../shared/corpus/seeds", "../shared/corpus/docx",
                   "../shared/corpus/pdf-text", "../shared/corpus/html"]
KINDS = {"application/pdf": "PDF",
         "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "DOCX",
         "text/html": "HTML", "text/plain": "TXT"}


@dataclass
class Item:
    """One file to upload (an original or a unique copy)."""

    path: Path
    name: str
    kind: str
    media_type: str
    size: int
    document_id: int | None = None
    upload_s: float = 0.0
    jobs_s: dict[str, float] = field(default_factory=dict)
    extract_only_s: float = 0.0


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folders", nargs="*", help="folders of files to upload")
    parser.add_argument("--repeat", type=int, default=1, help="upload each file N times")
    parser.add_argument("--keep", action="store_true",
                        help="keep the database rows and the index afterwards (for inspection)")
    return parser.parse_args()


def collect_files(folders: list[str]) -> list[Path]:
    """Regular files directly inside ``folders``, sorted; relative paths from the repo root."""
    files = []
    for folder in folders or DEFAULT_FOLDERS:
        path = Path(folder)
        path = path if path.is_absolute() else (benchlib.ROOT / path).resolve()
        if not path.is_dir():
            raise SystemExit(f"not a folder: {path}")
        files += sorted(p for p in path.iterdir() if p.is_file())
    return files


def unique_copy(data: bytes, kind: str, n: int) -> bytes | None:
    """Copy ``n`` (>0) of ``data`` with different bytes, or None if this type is not repeated."""
    marker = f"bench-copy-{n}"
    if kind == "PDF":
        return data + f"\n%{marker}\n".encode()
    if kind == "HTML" and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data + f"\n<!-- {marker} -->\n".encode()
    if kind == "TXT" and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data + f"\n{marker}\n".encode()
    if kind == "DOCX":
        out = io.BytesIO()
        with zipfile.ZipFile(io.BytesIO(data)) as zin, \
                zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
            for info in zin.infolist():
                zout.writestr(info, zin.read(info))
            zout.writestr(f"bench/{marker}.txt", marker)
        return out.getvalue()
    return None


def prepare(files: list[Path], repeat: int, workdir: Path) -> list[Item]:
    """Write every original and copy to ``workdir``; classify by detected media type."""
    from app.extractors import detect_media_type

    items = []
    for index, src in enumerate(files):
        data = src.read_bytes()
        kind = KINDS.get(detect_media_type(src), "other")
        for n in range(repeat):
            blob = data if n == 0 else unique_copy(data, kind, n)
            if blob is None:
                break
            path = workdir / f"{index:04d}-{n:04d}"
            path.write_bytes(blob)
            items.append(Item(path=path, name=src.name, kind=kind,
                              media_type=detect_media_type(path), size=len(blob)))
    return items


def warm_up(app, token: str) -> None:
    """Upload and process one tiny text first: connections, caches and lazy imports warm up.

    It is not counted (not among the items, verified or reported).
    """
    from app.extensions import services
    from app.jobs.queue import worker_queues
    from rq import SimpleWorker

    response = app.test_client().post(
        "/api/v1/documents", headers={"Authorization": f"Bearer {token}"},
        data={"file": (io.BytesIO("Khởi động đo hiệu năng.\n".encode()), "warm-up.txt")},
        content_type="multipart/form-data")
    if response.status_code != 202:
        raise SystemExit(f"warm-up upload failed: {response.status_code} {response.get_json()}")
    with app.app_context():
        SimpleWorker(worker_queues(), connection=services.redis).work(burst=True,
                                                                logging_level="WARNING")


def upload_all(app, token: str, items: list[Item]) -> tuple[float, int]:
    """POST every item through the API (no app context pushed); return (seconds, duplicates)."""
    client = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    duplicates = 0
    started = time.perf_counter()
    for item in tqdm(items, desc="upload", unit="file"):
        data = item.path.read_bytes()
        t0 = time.perf_counter()
        response = client.post("/api/v1/documents", headers=headers,
                               data={"file": (io.BytesIO(data), item.name)},
                               content_type="multipart/form-data")
        item.upload_s = time.perf_counter() - t0
        body = response.get_json()
        if response.status_code not in (200, 202):
            raise SystemExit(f"upload of {item.name} failed: {response.status_code} {body}")
        duplicates += bool(body.get("duplicate"))
        item.document_id = body["id"]
    return time.perf_counter() - started, duplicates


# Calls timed inside the jobs: (module, attribute, label). The jobs look these
# names up at call time, so wrapping the module attribute times every call.
# Names that do not exist (the code moves on) are skipped.
TIMED_CALLS = [
    ("app.jobs.documents", "extract", "extract()"),
    ("app.jobs.documents", "apply_recognition", "recognition"),
    ("indexers.documents", "index", "to_body+ES"),
]


def timed(fn, sink: list[float]):
    """``fn`` that appends its duration to ``sink`` on every call."""
    def wrapper(*args, **kwargs):
        t0 = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            sink.append(time.perf_counter() - t0)
    return wrapper


@contextmanager
def timing_calls(sinks: dict[str, list[float]]):
    """Wrap the TIMED_CALLS that exist, in this process only; the app code is unchanged."""
    patched = []
    for module_name, attribute, label in TIMED_CALLS:
        module = importlib.import_module(module_name)
        original = getattr(module, attribute, None)
        if callable(original):
            sinks[label] = []
            setattr(module, attribute, timed(original, sinks[label]))
            patched.append((module, attribute, original))
    try:
        yield
    finally:
        for module, attribute, original in patched:
            setattr(module, attribute, original)


def make_worker_class(bar, timings: list, sinks: dict[str, list[float]]):
    """An rq.SimpleWorker recording (function, task id, seconds, {label: seconds}) per job."""
    from rq import SimpleWorker

    class TimedWorker(SimpleWorker):
        def execute_job(self, job, queue):
            before, t0 = {k: len(v) for k, v in sinks.items()}, time.perf_counter()
            super().execute_job(job, queue)
            inner = {k: sum(v[before[k]:]) for k, v in sinks.items()}
            timings.append((job.func_name.rsplit(".", 1)[-1], job.args[0],
                            time.perf_counter() - t0, inner))
            bar.update(1)

    return TimedWorker


def run_worker(app, n_jobs: int) -> tuple[float, list, dict[int, int]]:
    """Burst-run the queue in-process with TIMED_CALLS timed; refresh the index.

    Returns (wall seconds, per-job timings, task id -> document id).
    """
    from app.extensions import db, services
    from app.jobs.queue import worker_queues
    from app.models import ProcessingTask
    from indexers import client

    timings, sinks = [], {}
    with timing_calls(sinks), app.app_context(), \
            tqdm(total=n_jobs, desc="jobs", unit="job") as bar:
        started = time.perf_counter()
        worker = make_worker_class(bar, timings, sinks)(worker_queues(), connection=services.redis)
        worker.work(burst=True, logging_level="WARNING")
        client.es().indices.refresh(index=client.alias())
        wall = time.perf_counter() - started
        task_doc = dict(db.session.query(ProcessingTask.id, ProcessingTask.document_id))
    return wall, timings, task_doc


def process(app, items: list[Item]) -> tuple[float, float]:
    """Run every queued job, attribute job times to items; return (wall s, s inside jobs)."""
    wall, timings, task_doc = run_worker(app, 2 * len(items))
    by_doc = {item.document_id: item for item in items}
    for func, task_id, seconds, inner in timings:
        item = by_doc.get(task_doc.get(task_id))
        if item is not None:
            for key, value in [(func, seconds), *inner.items()]:
                item.jobs_s[key] = item.jobs_s.get(key, 0.0) + value
    return wall, sum(t[2] for t in timings)


def probe_phrase(text: str) -> str:
    """Three consecutive words from the middle of ``text`` (what a person might search)."""
    words = re.findall(r"\w+", text)
    middle = len(words) // 2
    return " ".join(words[middle:middle + 3])


def verify(app, items: list[Item]) -> dict[str, int]:
    """Count documents in a final state and documents found by a phrase of their own text."""
    from app.domain.vocab import levels_up_to
    from app.extensions import db
    from app.models import Document, ProcessingTask
    from app.search.query import Filters, build_query
    from indexers.client import alias, es

    counts = defaultdict(int)
    benchlib.wait_for_es()
    with app.app_context():
        unfinished = db.session.query(ProcessingTask).filter(
            ProcessingTask.status != ProcessingTask.DONE).count()
        if unfinished:  # e.g. Elasticsearch was restarted by the outage test meanwhile
            counts["tasks not done (results disturbed, run again)"] = unfinished
        for document_id in sorted({i.document_id for i in items}):
            document = db.session.get(Document, document_id)
            counts[f"status {document.status}"] += 1
            text = (document.main_file.extracted_text or "") or document.title
            filters = Filters(secrecy_levels=levels_up_to("thuong"),
                              extra=[{"term": {"id": document_id}}])
            found = es().count(index=alias(), query=build_query(probe_phrase(text), filters))
            counts["found by phrase + id"] += found["count"] == 1
            counts["documents"] += 1
    return dict(counts)


def extractor_reference(items: list[Item]) -> float:
    """Time ``app.extractors.extract`` alone on every uploaded file; return total seconds."""
    from app.extractors import ExtractionError, extract

    total = 0.0
    for item in tqdm(items, desc="extract only", unit="file"):
        t0 = time.perf_counter()
        try:
            extract(item.path, item.media_type)
        except ExtractionError:
            pass  # the pipeline records the same failure
        item.extract_only_s = time.perf_counter() - t0
        total += item.extract_only_s
    return total


def print_summary(items, upload_s, process_s, in_jobs_s, extract_s, duplicates, checks):
    """Overall figures."""
    mb = sum(i.size for i in items) / 1e6
    total = upload_s + process_s
    in_pipeline = sum(i.jobs_s.get("extract()", 0.0) for i in items)
    print(f"\nmachine: {benchlib.machine_line()}")
    print("worker: in-process rq.SimpleWorker(burst=True), one job at a time, no fork")
    print(f"files: {len(items)}   total: {mb:.2f} MB   duplicates reported: {duplicates}")
    print(f"upload phase (HTTP API, store + fsync + enqueue): {upload_s:8.2f} s")
    print(f"processing (extract + index jobs, refresh):       {process_s:8.2f} s"
          f"   (inside jobs {in_jobs_s:.2f} s, RQ/worker overhead {process_s - in_jobs_s:.2f} s)")
    print(f"end-to-end: {len(items) / total:.2f} docs/s   {mb / total:.2f} MB/s   ({total:.2f} s)")
    print(f"extract() inside the jobs: {in_pipeline:.2f} s = "
          f"{100 * in_pipeline / total:.0f}% of end-to-end; the rest of the pipeline: "
          f"{total - in_pipeline:.2f} s")
    print(f"extractor alone on the same files (reference, separate pass): {extract_s:.2f} s = "
          f"{100 * extract_s / total:.0f}% of end-to-end, ratio extraction : rest = "
          f"{extract_s / max(total - extract_s, 1e-9):.2f}")
    print("verification: " + ", ".join(f"{k}: {v}" for k, v in sorted(checks.items())))


def type_row(kind: str, group: list[Item]) -> str:
    """One line of the per-type table."""
    n = len(group)

    def mean(key: str) -> float:
        return sum(i.jobs_s.get(key, 0.0) for i in group) / n

    upload = sum(i.upload_s for i in group) / n
    alone = sum(i.extract_only_s for i in group) / n
    pipeline = upload + mean("extract_document") + mean("index_document")
    return (f"{kind:<6} {n:>4} {sum(i.size for i in group) / n / 1e6:>7.3f} {upload:>8.4f} "
            f"{mean('extract_document'):>11.4f} {mean('extract()'):>10.4f} "
            f"{mean('recognition'):>11.4f} {mean('index_document'):>10.4f} "
            f"{mean('to_body+ES'):>10.4f} {pipeline:>9.4f} "
            f"{100 * mean('extract()') / pipeline:>8.0f}% {alone:>12.4f}")


def print_breakdown(items: list[Item]) -> None:
    """Seconds per document by file type."""
    print("\nper type, mean seconds per document; pipeline = upload + extract job + index job;"
          "\nextract(), recognition: time inside app.extractors.extract and apply_recognition"
          " during the extract job;\nto_body+ES: inside indexers.documents.index during the"
          " index job; share = extract() / pipeline")
    head = ("type", "n", "MB/doc", "upload", "extract job", "extract()", "recognition",
            "index job", "to_body+ES", "pipeline", "share", "alone (ref)")
    print("{:<6} {:>4} {:>7} {:>8} {:>11} {:>10} {:>11} {:>10} {:>10} {:>9} {:>9} {:>12}"
          .format(*head))
    groups = defaultdict(list)
    for item in items:
        groups[item.kind].append(item)
    for kind in ("PDF", "DOCX", "HTML", "TXT", "other"):
        if groups.get(kind):
            print(type_row(kind, groups[kind]))


def main() -> None:
    args = parse_args()
    files = collect_files(args.folders)
    with benchlib.bench_app(keep=args.keep) as app, tempfile.TemporaryDirectory(
            prefix="archive-bench-files-") as workdir:
        items = prepare(files, max(1, args.repeat), Path(workdir))
        extract_s = extractor_reference(items)  # first, while Elasticsearch is idle
        token = benchlib.make_token(app)
        warm_up(app, token)
        upload_s, duplicates = upload_all(app, token, items)
        process_s, in_jobs_s = process(app, items)
        checks = verify(app, items)
        print_summary(items, upload_s, process_s, in_jobs_s, extract_s, duplicates, checks)
        print_breakdown(items)


if __name__ == "__main__":
    main()
