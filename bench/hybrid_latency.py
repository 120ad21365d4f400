"""Hybrid search cost at archive scale: latency lexical vs hybrid in one run, index size.

    .venv/bin/python bench/hybrid_latency.py [--docs 100000] [--queries 40]

Builds the archive of bench/search_latency.py (ALQAC articles, 3-8 per document,
realistic metadata) and gives each document its passages (app.semantic.passages,
at most ``--max-passages``). Embedding 100,000 documents for real would take hours
on 2 cores (about 6 passages/s), so each passage takes a real e5 passage vector
from the evaluation cache (bench/vector_cache.py; run bench/search_quality.py
--mode hybrid first) chosen by its text's hash, with a little noise so that no
two are equal: the kNN search works on as many real-looking vectors as a real
archive of that size would hold. The index is loaded by the project's reindex
path (bulk_load reads the passages from the database).

Then ``GET /api/v1/search`` with ``mode=lexical`` and ``mode=hybrid`` for the same
queries, order alternating, query-vector cache cleared before every hybrid request
(each pays its embedding): short keyword queries and whole ALQAC questions. Prints
p50/p95/p99 per mode, the p95 ratio, the index size and the vector field's share
(``_disk_usage``), and the resident memory a process adds by loading the model.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import random
import subprocess
import sys
import time

import benchlib
import numpy as np
from tqdm import tqdm

import search_latency as base

MODEL_RSS = """
import resource, sys
sys.path.insert(0, {root!r})
from app import create_app
app = create_app("testing")
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
from app.semantic import embedder
embedder.passages(["Điều 1. Phạm vi điều chỉnh " * 40] * 5)
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(before // 1024, after // 1024)
"""


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=20_000)
    parser.add_argument("--queries", type=int, default=40, help="queries per class")
    parser.add_argument("--max-passages", type=int, default=4)
    parser.add_argument("--seed", type=int, default=20240601)
    parser.add_argument("--keep", action="store_true")
    return parser.parse_args()


def pool_vectors() -> np.ndarray:
    from bench.vector_cache import VectorCache

    cache = VectorCache()
    if len(cache.vectors) < 1000:
        raise SystemExit("Too few cached passage vectors: run bench/search_quality.py "
                         "../shared/eval/alqac2022 --mode hybrid first.")
    return np.stack(list(cache.vectors.values()))


def add_passages(app, max_passages: int, pool: np.ndarray, rng: np.random.Generator) -> int:
    """Passages of every document, each with a pooled real vector plus noise."""
    from sqlalchemy import insert, select

    from app.extensions import db
    from app.models import Document, DocumentFile, DocumentPassage
    from app.semantic.embedder import to_bytes
    from app.semantic.passages import cut

    total, last = 0, 0
    with app.app_context():
        count = db.session.query(Document.id).count()
        with tqdm(total=count, desc="passages", unit="doc") as bar:
            while True:
                rows = db.session.execute(
                    select(Document.id, Document.title, DocumentFile.extracted_text)
                    .join(DocumentFile, DocumentFile.document_id == Document.id)
                    .where(Document.id > last).order_by(Document.id).limit(1000)).all()
                if not rows:
                    break
                batch = []
                for doc_id, title, text in rows:
                    for n, passage in enumerate(cut(text or "", title, max_passages)):
                        seed = int(hashlib.sha256(passage.text.encode()).hexdigest()[:8], 16)
                        vector = pool[seed % len(pool)] + rng.normal(0, 0.01, pool.shape[1])
                        vector /= np.linalg.norm(vector)
                        batch.append({"document_id": doc_id, "ordinal": n,
                                      "heading": passage.heading, "text": passage.text,
                                      "vector": to_bytes(vector), "source_hash": "bench"})
                db.session.execute(insert(DocumentPassage), batch)
                db.session.commit()
                total += len(batch)
                last = rows[-1][0]
                bar.update(len(rows))
    return total


def queries(rng: random.Random, m: int) -> dict[str, list[str]]:
    questions = [json.loads(line)["text"] for line in
                 (benchlib.SHARED / base.QUERIES).open(encoding="utf-8")]
    rng.shuffle(questions)
    return {"keywords": base.plain_queries(random.Random(rng.random()), m),
            "questions": questions[:m]}


def measure(app, token: str, groups: dict[str, list[str]]) -> dict[tuple[str, str], list]:
    from app.semantic import embedder

    client = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}

    def one(q: str, mode: str) -> float:
        if mode == "hybrid":
            embedder._query.cache_clear()  # every hybrid request pays its embedding
        t0 = time.perf_counter()
        response = client.get("/api/v1/search", query_string={"q": q, "mode": mode},
                              headers=headers)
        elapsed = time.perf_counter() - t0
        if response.status_code != 200:
            raise SystemExit(f"API error {response.status_code}: {response.get_data(True)}")
        return elapsed * 1000

    for group in groups.values():  # warm-up: caches of Elasticsearch and the model
        for q in group[:10]:
            one(q, "lexical"), one(q, "hybrid")
    times: dict[tuple[str, str], list] = {}
    for name, group in groups.items():
        for n, q in enumerate(tqdm(group, desc=name)):
            order = ("lexical", "hybrid") if n % 2 == 0 else ("hybrid", "lexical")
            for mode in order:
                times.setdefault((name, mode), []).append(one(q, mode))
    return times


def index_sizes(app) -> tuple[float, float | None]:
    """Total store size (MB) and the passages' vectors' share of it, if measurable."""
    from indexers import client

    with app.app_context():
        es = client.es()
        stats = es.indices.stats(index=client.alias(), metric="store")
        total = stats["_all"]["primaries"]["store"]["size_in_bytes"] / 1e6
        try:
            usage = es.indices.disk_usage(index=client.alias(), run_expensive_tasks=True,
                                          request_timeout=1800)
            fields = next(v for k, v in usage.items() if not k.startswith("_"))["fields"]
            vector = sum(f["total_in_bytes"] for name, f in fields.items()
                         if name.startswith("passages")) / 1e6
        except Exception as exc:  # noqa: BLE001 - a technical-preview API: report without it
            print(f"(_disk_usage unavailable: {exc})")
            vector = None
    return total, vector


def main() -> None:
    args = parse_args()
    pool = pool_vectors()
    rss = subprocess.run([sys.executable, "-c", MODEL_RSS.format(root=str(benchlib.ROOT))],
                         capture_output=True, text=True, check=True).stdout.split()
    with benchlib.bench_app(keep=args.keep) as app:
        app.config["SEARCH_MODE"] = "lexical"
        token = benchlib.make_token(app, role="viewer", clearance="thuong")
        from app.extensions import db
        from app.models import User

        with app.app_context():
            user_id = db.session.query(User.id).filter_by(username="bench").scalar()
        t0 = time.perf_counter()
        base.insert_documents(app, args.docs, random.Random(args.seed), user_id)
        passages = add_passages(app, args.max_passages, pool, np.random.default_rng(args.seed))
        t1 = time.perf_counter()
        loaded, errors = base.load_index(app, args.docs, [])
        t2 = time.perf_counter()
        total_mb, vector_mb = index_sizes(app)
        times = measure(app, token, queries(random.Random(args.seed + 1), args.queries))
    print(f"\nmachine: {benchlib.machine_line()}")
    print(f"documents: {args.docs}, passages with vectors: {passages} "
          f"(at most {args.max_passages} per document); rows {t1 - t0:.0f} s, index load "
          f"{t2 - t1:.0f} s ({loaded} loaded, {len(errors)} errors)")
    share = f", passages' vectors {vector_mb:.0f} MB ({vector_mb / total_mb:.0%})" \
        if vector_mb is not None else ""
    print(f"index (primary store, as loaded): {total_mb:.0f} MB{share}; without the vectors about "
          f"{total_mb - (vector_mb or 0):.0f} MB")
    print(f"resident memory of a process with the app: {rss[0]} MB; after loading and using "
          f"the model: {rss[1]} MB (+{int(rss[1]) - int(rss[0])} MB)")
    print(f"\n{'class':<10} {'mode':<8} {'n':>4} {'p50':>7} {'p95':>7} {'p99':>7}   ms")
    for (name, mode), values in times.items():
        p50, p95, p99 = benchlib.pcts(values)
        print(f"{name:<10} {mode:<8} {len(values):>4} {p50:>7.1f} {p95:>7.1f} {p99:>7.1f}")
    for name in {n for n, _ in times}:
        lexical = benchlib.pcts(times[(name, "lexical")])[1]
        hybrid = benchlib.pcts(times[(name, "hybrid")])[1]
        print(f"{name}: hybrid p95 / lexical p95 = {hybrid / lexical:.2f}")


if __name__ == "__main__":
    main()
