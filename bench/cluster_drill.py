"""Cluster drill: two Elasticsearch nodes, two web processes and two workers keep
ingesting real files while one Elasticsearch node and one whole archive host die.

    .venv/bin/python bench/cluster_drill.py [--files 240] [--storage s3|local]

Everything runs on this machine, on loopback ports, in a temporary work folder:

* an Elasticsearch cluster of two nodes (512 MB heap each; ``n1`` master and
  data, ``n2`` data only, so that losing ``n2`` keeps a quorum) with one replica
  of every shard (``ES_REPLICAS=1``); the archive is given both nodes;
* a private redis-server and the benchmark database ``archive_bench``;
* the object store (``--storage s3``, the default: the versitygw of
  scripts/services.sh, bucket ``archive-drill`` under a prefix of this run;
  ``local``: one folder both instances share, for comparison only);
* two archive instances (scripts/run.sh: gunicorn + supervised worker, reconcile,
  sweep), each with its own port, logs and temporary folder.

Two clients upload copies of the corpus's text PDFs, DOCX and HTML files (each
copy made unique in a way its format allows: a PDF comment after ``%%EOF``, a
ZIP comment, an HTML comment) to both instances in turn. A third of the way in,
node ``n2`` is SIGKILLed; two thirds in, the whole second instance (web, worker,
work horse) is SIGKILLed; its clients move to the first instance. Then the drill
waits for processing to settle and prints, from the database and the cluster:

  acknowledged  uploads answered 200/202 with an id
  indexed       final status, index revision current, found in the cluster by id
  lost          acknowledged, but the row or its original is missing (must be 0)
  stuck         acknowledged, present, but not final or not searchable in time

Not part of `make test`.
"""
from __future__ import annotations

import argparse
import io
import os
import subprocess
import tempfile
import threading
import time
import zipfile
from pathlib import Path

from benchlib import BENCH_DB, CORPUS_DIR, PG_SERVER, ROOT, bench_app, machine_line, make_token
from cluster import EsNode, Instance, cluster_health, get_json
from drill import call, multipart

from tests.faults import PrivateRedis, free_port

PREFIX = "archive-drill"
S3_URL = os.environ.get("DRILL_S3_URL", "s3://archive-drill/{run}?endpoint="
                                        "http://127.0.0.1:9000&region=us-east-1")
S3_KEY = os.environ.get("DRILL_S3_KEY", "archive-dev")  # scripts/services.sh's dev keys
S3_SECRET = os.environ.get("DRILL_S3_SECRET", "archive-dev-secret-key")


def corpus_files() -> list[Path]:
    files = []
    for folder in ("pdf-text", "docx", "html"):
        files += sorted(p for p in (CORPUS_DIR / folder).iterdir() if p.is_file())
    return files


def variant(path: Path, n: int) -> bytes:
    """The file with a harmless difference, so that each copy is a new original."""
    data = path.read_bytes()
    if path.suffix.lower() == ".pdf":
        return data + f"\n%drill copy {n}\n".encode()
    if path.suffix.lower() == ".docx":
        out = io.BytesIO()
        with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
            for item in src.infolist():
                dst.writestr(item, src.read(item.filename))
            dst.comment = f"drill copy {n}".encode()
        return out.getvalue()
    return data + f"\n<!-- drill copy {n} -->\n".encode()


class Load:
    """Clients that upload until ``total`` copies were sent; events fire on the way."""

    def __init__(self, instances: list[Instance], token: str, total: int, events: dict):
        self.instances, self.token, self.total, self.events = instances, token, total, events
        self.files, self.alive = corpus_files(), list(instances)
        self.next, self.lock = 0, threading.Lock()
        self.acknowledged: list[int] = []
        self.refused = self.no_answer = self.errors = 0
        self.log: list[str] = []

    def run(self, clients: int = 2) -> None:
        threads = [threading.Thread(target=self._client) for _ in range(clients)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()

    def _take(self) -> int | None:
        with self.lock:
            if self.next >= self.total:
                return None
            n, self.next = self.next, self.next + 1
        if n in self.events:
            label, action = self.events[n]
            started = time.monotonic()
            action(self)
            self.log.append(f"after {n} uploads: {label} ({time.monotonic() - started:.1f} s)")
        return n

    def _client(self) -> None:
        while (n := self._take()) is not None:
            path = self.files[n % len(self.files)]
            body, kind = multipart({}, f"{n:04d}-{path.name}", variant(path, n))
            for attempt in range(4):
                target = self.alive[(n + attempt) % len(self.alive)]
                answer = call("POST", f"{target.url}/api/v1/documents", self.token, body, kind,
                              timeout=120)
                if answer.status in (200, 202):
                    with self.lock:
                        self.acknowledged.append(answer.body["id"])
                    break
                if answer.status == 0:
                    self.no_answer += 1  # that host is gone: the client tries the other
                    continue
                if answer.status == 503:
                    self.refused += 1
                    time.sleep(float(answer.retry_after or 2))
                    continue
                self.errors += 1
                break

    def drop(self, instance: Instance) -> None:
        with self.lock:
            self.alive = [i for i in self.alive if i is not instance]


def settle(app, ids: list[int], es_url: str, patience: float) -> dict:
    """Wait while processing makes progress; then count from the database and the cluster."""
    from sqlalchemy import select

    from app.extensions import db
    from app.models import Document

    started = last_progress = time.monotonic()
    done = -1
    while True:
        with app.app_context():
            db.session.remove()
            rows = {d.id: d for d in db.session.scalars(
                select(Document).where(Document.id.in_(ids)))}
            final = {i for i, d in rows.items()
                     if d.status in ("indexed", "no_text", "failed")
                     and d.indexed_revision >= d.revision}
            present = {i for i, d in rows.items() if d.main_file and _stored(d.main_file.sha256)}
        if len(final) != done:
            done, last_progress = len(final), time.monotonic()
        if len(final) == len(ids) or time.monotonic() - last_progress > patience:
            break
        time.sleep(3)
    searchable = _found_in_cluster(es_url, sorted(final))
    lost = set(ids) - present
    return {"acknowledged": len(ids), "indexed": len(searchable),
            "lost": len(lost), "stuck": len(set(ids) - lost - searchable),
            "settled after (s)": round(time.monotonic() - started)}


def _stored(sha256: str) -> bool:
    from app import storage
    return storage.exists(sha256)


def _found_in_cluster(es_url: str, ids: list[int]) -> set[int]:
    import json
    import urllib.request

    found: set[int] = set()
    for start in range(0, len(ids), 500):
        chunk = [str(i) for i in ids[start:start + 500]]
        body = json.dumps({"ids": chunk}).encode()
        request = urllib.request.Request(f"{es_url}/{PREFIX}-documents/_mget?_source=false",
                                         data=body, headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=60) as response:  # nosec B310 - loopback
            found |= {int(d["_id"]) for d in json.loads(response.read())["docs"] if d["found"]}
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=240)
    parser.add_argument("--storage", choices=("s3", "local"), default="s3")
    parser.add_argument("--patience", type=float, default=180,
                        help="seconds without progress before the rest counts as stuck")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="archive-cluster-drill-", dir="/tmp"))
    work.chmod(0o755)
    t1, t2 = free_port(), free_port()
    nodes = [EsNode("n1", work, free_port(), t1, [t1, t2], master=True),
             EsNode("n2", work, free_port(), t2, [t1, t2], master=False)]
    redis = PrivateRedis(work / "redis")
    instances: list[Instance] = []
    finished = False
    try:
        for node in nodes:
            node.start(initial_master="n1")
        for node in nodes:
            node.wait_up()
        redis.start()
        es_urls = ",".join(n.url for n in nodes)
        with bench_app(redis_url=redis.url) as app:
            storage_env = {"STORAGE_DIR": app.config["STORAGE_DIR"]}
            if args.storage == "s3":
                from app.storage import EXTENSION, from_url

                storage_env = {"STORAGE_URL": S3_URL.format(run=f"run-{os.getpid()}"),
                               "STORAGE_S3_KEY": S3_KEY, "STORAGE_S3_SECRET": S3_SECRET}
                app.config.update(storage_env)
                app.extensions[EXTENSION] = from_url(storage_env["STORAGE_URL"], app.config)
                app.extensions[EXTENSION].prepare()  # the bucket, on a fresh object store
            token = make_token(app)
            env = {**os.environ, "ARCHIVE_ENV": "development", "PYTHONPATH": str(ROOT),
                   "SECRET_KEY": "drill-only", "DATABASE_URL": f"{PG_SERVER}/{BENCH_DB}",
                   "REDIS_URL": redis.url, "ELASTICSEARCH_URL": es_urls,
                   "ES_INDEX_PREFIX": PREFIX, "ES_REPLICAS": "1",
                   **storage_env, "RQ_QUEUE": "archive-drill",
                   "RECONCILE_INTERVAL_SECONDS": "5", "RECONCILE_STALE_SECONDS": "30",
                   "PYTHONUNBUFFERED": "1"}
            subprocess.run([str(ROOT / ".venv/bin/flask"), "--app", "wsgi", "search", "init"],
                           cwd=ROOT, env=env, check=True, capture_output=True)
            health = cluster_health(nodes[0].url, "green")
            instances = [Instance(name, work, free_port(), env) for name in ("a", "b")]
            for instance in instances:
                instance.start()
            for instance in instances:
                instance.wait_up()
            print(machine_line())
            print(f"cluster: {health['number_of_nodes']} nodes, {health['active_shards']} "
                  f"shards active ({health['status']}); storage {args.storage}; "
                  f"{len(corpus_files())} corpus files, {args.files} uploads")

            def kill_node(load: Load) -> None:
                nodes[1].kill()

            def kill_host(load: Load) -> None:
                load.drop(instances[1])
                instances[1].kill()

            load = Load(instances, token, args.files,
                        {args.files // 3: ("Elasticsearch node n2 SIGKILLed", kill_node),
                         2 * args.files // 3: ("host b (web + worker) SIGKILLed", kill_host)})
            started = time.monotonic()
            load.run()
            upload_s = time.monotonic() - started
            counts = settle(app, load.acknowledged, nodes[0].url, args.patience)
            after = get_json(f"{nodes[0].url}/_cluster/health")
            for line in load.log:
                print(line)
            print(f"uploads took {upload_s:.0f} s; retried on the other host {load.no_answer}, "
                  f"503 {load.refused}, other errors {load.errors}; cluster after: "
                  f"{after['number_of_nodes']} node(s), {after['status']}")
            print("  ".join(f"{k} {v}" for k, v in counts.items()))
            finished = True
    finally:
        for instance in instances:
            instance.stop()
        for node in nodes:
            node.stop()
        redis.stop()
        if finished:
            subprocess.run(["rm", "-rf", str(work)], check=False)
        else:  # the logs of every process, to see what went wrong
            print(f"work folder kept: {work}")


if __name__ == "__main__":
    main()
