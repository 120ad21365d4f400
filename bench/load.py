"""Load drill: concurrent uploaders, searchers and page readers against gunicorn.

    .venv/bin/python bench/load.py [--seconds 30] [--levels 1,4,16] [--docs 300]
                                   [--think 1,0]

The archive runs as `make run` runs it (scripts/run.sh: gunicorn with 2
processes x 4 threads, a supervised worker) on PostgreSQL and Elasticsearch reached
directly (no fault relay in between), seeded with
--docs small documents plus the five seed texts. At each level N clients each
pick, at random, a search (50 %), a page or API read (30 %) or an upload of a
unique file (20 %) until the time is up, pausing between two operations for a
think time drawn from an exponential distribution of the given mean (a person
reading a page or a list; 0 = a script firing back to back, which only shows
the saturation throughput). Every --think value runs every level on the same
seeded archive. Printed per level: throughput, p50, p95, p99 per operation
class, errors and the machine's CPU; then, per think time, the ratio of API p95 at
each level to one client's (the issue's target at 16: within 3x), so the knee is visible,
and, without think time, the mean response time Little's law gives for a closed loop
(N / throughput): once the CPU is saturated, throughput stops growing and more clients
only queue.
Figures from one run on one machine; never a pass/fail test.
"""
from __future__ import annotations

import argparse
import os
import random
import tempfile
import threading
import time
import urllib.parse
from collections import defaultdict
from pathlib import Path

from benchlib import CORPUS_DIR, bench_app, machine_line, make_token, pcts
from drill import LiveArchive, call, document_states, multipart
from app import storage  # noqa: E402 - after benchlib put the project on sys.path

API_OPS = ("search", "read API", "upload")
QUERIES = ["nhân quyền", "nhan quyen", "thông tin đối ngoại", "kế hoạch tuyên truyền",
           "1079/QĐ-TTg", "báo chí", "hội nghị cung cấp thông tin", "\"cơ sở dữ liệu\""]
WORDS = ("thông tin đối ngoại nhân quyền báo chí kế hoạch tuyên truyền ủy ban nhân dân tỉnh "
         "hội nghị cung cấp thông tin chỉ thị quyết định công văn hướng dẫn").split()


def seed(archive: LiveArchive, token: str, app, n: int) -> list[int]:
    ids = []
    for path in sorted((CORPUS_DIR / "seeds").glob("*.txt")):
        body, kind = multipart({}, path.name, path.read_bytes())
        ids.append(call("POST", f"{archive.url}/api/v1/documents", token, body, kind).body["id"])
    rng = random.Random(7)
    for k in range(n):
        text = " ".join(rng.choice(WORDS) for _ in range(300)) + f" văn bản {k}"
        body, kind = multipart({"title": f"Văn bản mẫu {k}"}, f"mau-{k}.txt", text.encode())
        ids.append(call("POST", f"{archive.url}/api/v1/documents", token, body, kind).body["id"])
    deadline = time.monotonic() + 900
    while time.monotonic() < deadline:
        states = document_states(app, ids)
        if sum(s[0] == "indexed" and s[1] for s in states.values()) == len(ids):
            break
        time.sleep(2)
    return ids


def settle(app, limit: float = 900) -> float:
    """Wait until no task is queued or running (extraction, indexing, embedding of the
    last level's uploads), so every level starts from the same quiet archive."""
    from sqlalchemy import func, select

    from app.extensions import db
    from app.models import ProcessingTask

    started = time.monotonic()
    while time.monotonic() - started < limit:
        with app.app_context():
            db.session.remove()
            busy = db.session.scalar(select(func.count()).select_from(ProcessingTask).where(
                ProcessingTask.status.in_((ProcessingTask.QUEUED, ProcessingTask.RUNNING))))
        if not busy:
            break
        time.sleep(2)
    return time.monotonic() - started


class Client(threading.Thread):
    def __init__(self, archive, token, ids, until, results, failures, seed_n, think: float):
        super().__init__()
        self.archive, self.token, self.ids, self.until = archive, token, ids, until
        self.results, self.failures = results, failures
        self.rng, self.think = random.Random(seed_n), think

    def run(self) -> None:
        if self.think:  # clients do not all start in the same instant
            time.sleep(self.rng.uniform(0, self.think))
        while time.monotonic() < self.until:
            roll = self.rng.random()
            if roll < 0.5:
                q = urllib.parse.quote(self.rng.choice(QUERIES))
                op, answer = "search", call("GET", f"{self.archive.url}/api/v1/search?q={q}",
                                            self.token)
            elif roll < 0.65:
                doc = self.rng.choice(self.ids)
                op, answer = "read API", call("GET", f"{self.archive.url}/api/v1/documents/{doc}",
                                              self.token)
            elif roll < 0.8:
                doc = self.rng.choice(self.ids)
                op, answer = "read page", call("GET", f"{self.archive.url}/documents/{doc}",
                                               self.token)
            else:
                text = (f"Công văn tải lên khi chịu tải {self.rng.random()} "
                        f"{time.time_ns()}").encode()
                body, kind = multipart({}, "cv.txt", text)
                op, answer = "upload", call("POST", f"{self.archive.url}/api/v1/documents",
                                            self.token, body, kind)
            self.results[op].append((answer.status, answer.seconds))
            if answer.status == 0:
                self.failures.append(answer.body["connection_error"])
            if self.think:
                time.sleep(min(self.rng.expovariate(1 / self.think), 10 * self.think))


def cpu_times() -> tuple[int, int]:
    """(busy, total) jiffies of the whole machine, every process on it included."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    return sum(fields) - idle, sum(fields)


def run_level(archive, token, ids, clients: int, seconds: float, think: float) -> dict:
    results: dict[str, list] = defaultdict(list)
    failures: list[str] = []  # why requests got no answer
    until = time.monotonic() + seconds
    threads = [Client(archive, token, ids, until, results, failures, n, think)
               for n in range(clients)]
    busy0, total0 = cpu_times()
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    busy1, total1 = cpu_times()
    return {"elapsed": elapsed, "results": dict(results), "failures": failures,
            "cpu": (busy1 - busy0) / max(1, total1 - total0)}


def summary(level: dict) -> str:
    """One line as soon as a level ends (the tables come at the end of the run)."""
    rows = level["results"]
    api = [s * 1000 for op in API_OPS for _status, s in rows.get(op, [])]
    done = sum(len(r) for r in rows.values())
    return (f"{done / level['elapsed']:.0f} ops/s, API p95 {pcts(api)[1]:.0f} ms, "
            f"machine CPU {level['cpu']:.0%}, connection errors {len(level['failures'])}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--levels", default="1,4,16")
    parser.add_argument("--docs", type=int, default=300)
    parser.add_argument("--think", default="1,0",
                        help="mean think times in seconds, each run at every level")
    args = parser.parse_args()
    levels = [int(x) for x in args.levels.split(",")]
    thinks = [float(x) for x in args.think.split(",")]
    workdir = Path(tempfile.mkdtemp(prefix="archive-load-"))
    print(f"Load drill: {machine_line()}\nlogs in {workdir}", flush=True)
    archive = LiveArchive(tempfile.mkdtemp(prefix="archive-load-storage-"), workdir, faults=False)
    tables = []
    with bench_app(redis_url=archive.redis.url) as app:
        try:
            app.config["STORAGE_DIR"] = archive.storage
            storage.init_app(app)  # the backend follows the folder the live archive uses
            token = make_token(app, role="uploader")
            archive.start()
            t0 = time.perf_counter()
            ids = seed(archive, token, app, args.docs)
            print(f"seeded {len(ids)} documents in {time.perf_counter() - t0:.0f} s", flush=True)
            for think in thinks:
                table = []
                for clients in levels:
                    waited = settle(app)
                    level = run_level(archive, token, ids, clients, args.seconds, think)
                    table.append((clients, level))
                    print(f"- think {think:g} s, {clients} client(s): {summary(level)} "
                          f"(background work of the previous level settled in {waited:.0f} s "
                          "first)", flush=True)
                tables.append((think, table))
        finally:
            archive.stop()  # before the data goes: its open sessions would block DROP SCHEMA
    for think, table in tables:
        print_table(think, table)


def print_table(think: float, table) -> None:
    print(f"\n**Mean think time {think:g} s**\n")
    print("| clients | operation | count | per s | p50 ms | p95 ms | p99 ms | errors |")
    print("|---|---|---|---|---|---|---|---|")
    api_p95, rate, cpu = {}, {}, {}
    for clients, level in table:
        everything = []
        failures = level["failures"]
        for op, rows in sorted(level["results"].items()):
            times = [s * 1000 for status, s in rows]
            errors = sum(1 for status, _ in rows if status == 0 or status >= 400)
            p50, p95, p99 = pcts(times)
            print(f"| {clients} | {op} | {len(rows)} | {len(rows) / level['elapsed']:.1f} | "
                  f"{p50:.0f} | {p95:.0f} | {p99:.0f} | {errors} |")
            everything += [(op, t) for t in times]
        for reason in sorted(set(failures)):
            print(f"| {clients} | connection error x{failures.count(reason)}: {reason} | | | | | "
                  "| |")
        api = [t for op, t in everything if op in API_OPS]
        api_p95[clients] = pcts(api)[1] if api else float("nan")
        rate[clients], cpu[clients] = len(everything) / level["elapsed"], level["cpu"]
        print(f"| {clients} | **all** (machine CPU {cpu[clients]:.0%}) | {len(everything)} | "
              f"{rate[clients]:.1f} | | {pcts([t for _, t in everything])[1]:.0f} | | |")
    low = min(api_p95)
    print(f"\nAPI p95 (search, read API, upload; think {think:g} s): " + ", ".join(
        f"{api_p95[n]:.0f} ms at {n} client(s) = {api_p95[n] / api_p95[low]:.2f}x"
        for n in sorted(api_p95)) + f" of {low} client(s) (target at 16: <= 3x)")
    print(f"Throughput (think {think:g} s): " + ", ".join(
        f"{rate[n]:.0f} ops/s at {n} ({rate[n] / rate[low]:.2f}x, machine CPU {cpu[n]:.0%})"
        for n in sorted(rate)) + f"; {os.cpu_count()} cores")
    if not think:
        # Little's law for a closed loop without think time: N clients = throughput x
        # response time. Once the CPU is saturated, throughput stops growing and every
        # further client only waits in a queue, whatever the archive does.
        print("Mean response time by Little's law (N / throughput): " + ", ".join(
            f"{n / rate[n] * 1000:.0f} ms at {n}" for n in sorted(rate)) + "; within 3x of "
            f"one client at 16 needs {16 / 3:.1f}x one client's throughput")


if __name__ == "__main__":
    main()
