"""Faults drill: uploads and searches keep coming while the services fail in turn.

    .venv/bin/python bench/faults.py [--outage 20] [--clients 2]

The archive runs as `make run` runs it (scripts/run.sh: gunicorn, supervised
worker, reconcile every 5 s here) on PostgreSQL. In turn: Elasticsearch
unreachable, Redis stopped, PostgreSQL unreachable (connections cut, as in a
restart), and the worker SIGKILLed in the middle of a multi-page OCR job. After
each, the drill waits for recovery and counts, for the uploads of that phase:

  acknowledged  202/200 with an id          indexed  final status, index up to date
  lost          acknowledged, row or file missing       stuck  not final, no progress for --settle s
  503           refused with Retry-After (allowed)      5xx    any other 5xx (must be 0)
  orphans       stored files without a row (must be 0)  ocr runs  OCR jobs finished for
                                                        the killed document (must be 1)

Not part of `make test` (it takes minutes); the outage tests in the suite stay.
"""
from __future__ import annotations

import argparse
import os
import signal
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

from benchlib import CORPUS_DIR, bench_app, machine_line, make_token
from drill import Answer, LiveArchive, call, document_states, multipart, orphan_files
from app import storage  # noqa: E402 - after benchlib put the project on sys.path

SCAN = CORPUS_DIR / "pdf-scanned" / "16CT.signed_20250510_124909.pdf"  # 10 pages
QUERIES = ["nhân quyền", "thong tin doi ngoai", "kế hoạch", "báo chí"]


@dataclass
class Phase:
    name: str
    uploads: list[Answer] = field(default_factory=list)
    searches: list[Answer] = field(default_factory=list)
    extra_ids: list[int] = field(default_factory=list)


class Load:
    """Clients that upload unique small files and search until told to stop."""

    def __init__(self, archive: LiveArchive, token: str, clients: int):
        self.archive, self.token, self.clients = archive, token, clients
        self.phase: Phase | None = None
        self.stop = threading.Event()
        self.counter = 0
        self.lock = threading.Lock()
        self.pause = 0.5  # a steady stream, not a flood: the drill is about faults

    def run(self, phase: Phase, seconds: float) -> None:
        self.phase, self.stop = phase, threading.Event()
        threads = [threading.Thread(target=self._client, args=(n,)) for n in range(self.clients)]
        for t in threads:
            t.start()
        time.sleep(seconds)
        self.stop.set()
        for t in threads:
            t.join()

    def _client(self, n: int) -> None:
        while not self.stop.is_set():
            with self.lock:
                self.counter += 1
                k = self.counter
            text = (f"Công văn thử nghiệm số {k} về công tác thông tin đối ngoại và nhân quyền, "
                    f"mã {os.urandom(6).hex()}.\n").encode() * 3
            body, kind = multipart({"title": f"Công văn thử nghiệm {k}"}, f"cv-{k}.txt", text)
            self.phase.uploads.append(call("POST", f"{self.archive.url}/api/v1/documents",
                                           self.token, body, kind, timeout=30))
            query = urllib.parse.quote(QUERIES[k % len(QUERIES)])
            self.phase.searches.append(call("GET", f"{self.archive.url}/api/v1/search?q={query}",
                                            self.token, timeout=30))
            time.sleep(self.pause)


def settle(app, phase: Phase, seconds: float) -> dict:
    """Wait while processing makes progress; what is still not final after ``seconds``
    without any progress is stuck."""
    ids = [a.body["id"] for a in phase.uploads if a.status in (200, 202)] + phase.extra_ids
    started = last_progress = time.monotonic()
    done_before = -1
    while True:
        states = document_states(app, ids)
        final = {i for i, (status, fresh, _) in states.items()
                 if status in ("indexed", "no_text", "failed") and fresh}
        if len(final) != done_before:
            done_before, last_progress = len(final), time.monotonic()
        if len(final) == len(set(ids)) or time.monotonic() - last_progress > seconds:
            break
        time.sleep(2)
    recovered_s = time.monotonic() - started
    lost = [i for i in set(ids) if i not in states or not states[i][2]]
    return {"acknowledged": len(set(ids)), "indexed": len(final),
            "recovery s": round(recovered_s),
            "lost": len(lost), "stuck": len(set(ids)) - len(final) - len(lost),
            "503": sum(a.status == 503 and a.retry_after is not None for a in phase.uploads),
            "5xx": sum(a.status >= 500 and not (a.status == 503 and a.retry_after)
                       for a in phase.uploads + phase.searches),
            "no answer": sum(a.status == 0 for a in phase.uploads),
            "search ok": sum(a.status == 200 for a in phase.searches),
            "search 503": sum(a.status == 503 for a in phase.searches),
            "orphans": orphan_files(app)}


def ocr_runs(app, doc_id: int) -> int:
    from sqlalchemy import func, select

    from app.extensions import db
    from app.models import ProcessingTask

    with app.app_context():
        return db.session.scalar(select(func.count()).where(
            ProcessingTask.document_id == doc_id, ProcessingTask.kind == "extract",
            ProcessingTask.lane == "long", ProcessingTask.status == "done"))


def kill_worker_mid_ocr(app, archive: LiveArchive, token: str, phase: Phase) -> None:
    from sqlalchemy import select

    from app.extensions import db
    from app.models import ProcessingTask

    body, kind = multipart({"title": "Chỉ thị scan nhiều trang"}, SCAN.name, SCAN.read_bytes())
    answer = call("POST", f"{archive.url}/api/v1/documents", token, body, kind)
    doc_id = answer.body["id"]
    phase.extra_ids.append(doc_id)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        with app.app_context():
            db.session.remove()
            running = db.session.scalar(select(ProcessingTask).where(
                ProcessingTask.document_id == doc_id, ProcessingTask.lane == "long",
                ProcessingTask.status == "running", ProcessingTask.progress > 0))
        if running:
            break
        time.sleep(0.5)
    for pid in archive.worker_pids():
        os.kill(pid, signal.SIGKILL)
    print(f"  worker SIGKILLed during OCR of document {doc_id}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--outage", type=float, default=20, help="seconds each fault lasts")
    parser.add_argument("--clients", type=int, default=2)
    parser.add_argument("--phases", default="baseline,es,redis,postgres,worker",
                        help="which phases to run, in order")
    parser.add_argument("--settle", type=float, default=120,
                        help="a document is stuck when nothing progressed for this many seconds")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="archive-faults-"))
    print(f"Faults drill: {machine_line()}\nlogs in {workdir}", flush=True)
    archive = LiveArchive(tempfile.mkdtemp(prefix="archive-faults-storage-"), workdir)
    rows = []
    with bench_app(redis_url=archive.redis.url) as app:
        try:
            app.config["STORAGE_DIR"] = archive.storage
            storage.init_app(app)  # the backend follows the folder the live archive uses
            token = make_token(app, role="uploader")
            archive.start()
            load = Load(archive, token, args.clients)
            faults = {
                "baseline": ("baseline", None, None),
                "es": ("Elasticsearch down", archive.es.cut, archive.es.restore),
                "redis": ("Redis stopped", archive.redis.stop, archive.redis.start),
                "postgres": ("PostgreSQL down", archive.pg.cut, archive.pg.restore),
                "worker": ("worker SIGKILLed mid-OCR", None, None),
            }
            for name, begin, end in (faults[p] for p in args.phases.split(",")):
                phase = Phase(name)
                print(f"- {name}", flush=True)
                load.run(phase, 5)
                if name.startswith("worker"):
                    kill_worker_mid_ocr(app, archive, token, phase)
                    load.run(phase, args.outage)
                elif begin:
                    begin()
                    load.run(phase, args.outage)
                    end()
                load.run(phase, 5)
                counts = settle(app, phase, args.settle)
                if phase.extra_ids:
                    counts["ocr runs"] = ocr_runs(app, phase.extra_ids[0])
                rows.append((name, counts))
                print(f"  {counts}", flush=True)
        finally:
            archive.stop()  # before the data goes: its open sessions would block DROP SCHEMA
    print_table(rows)


def print_table(rows: list[tuple[str, dict]]) -> None:
    columns = ["acknowledged", "indexed", "lost", "stuck", "503", "5xx", "no answer",
               "search ok", "search 503", "orphans", "ocr runs", "recovery s"]
    print("\n| phase | " + " | ".join(columns) + " |")
    print("|---|" + "---|" * len(columns))
    for name, counts in rows:
        print(f"| {name} | " + " | ".join(str(counts.get(c, "")) for c in columns) + " |")
    bad = [name for name, c in rows if c["lost"] or c["stuck"] or c["5xx"] or c["orphans"]
           or c.get("ocr runs", 1) != 1]
    print("\nlost, stuck, 5xx and orphans all 0, OCR once: " + ("yes" if not bad else
                                                             f"NO ({', '.join(bad)})"))


if __name__ == "__main__":
    main()
