"""Search quality on a BEIR-layout set, through the project's own indexing and search.

    .venv/bin/python bench/search_quality.py ../shared/eval/alqac2022 [--limit N]

Indexes corpus.jsonl with ``indexers.documents.to_body`` into a separate index
(prefix ``archive-eval``), runs every query of queries.jsonl through
``app.services.search.search`` and prints MRR@10, nDCG@10 and Recall@10 for
three query forms: as written, with diacritics stripped, and with the
alternate tone-mark placement (hoà instead of hòa). Needs Elasticsearch only.
"""
from __future__ import annotations

import argparse
import json
import math
import re
import sys
import time
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from elasticsearch.helpers import bulk  # noqa: E402
from tqdm import tqdm  # noqa: E402

TONES = "\u0300\u0301\u0303\u0309\u0323"
_WORD = re.compile(r"[^\W\d_]+")


def load(folder: Path):
    corpus = [json.loads(line) for line in (folder / "corpus.jsonl").open(encoding="utf-8")]
    queries = {q["_id"]: q["text"] for q in map(json.loads, (folder / "queries.jsonl").open())}
    qrels: dict[str, dict[str, int]] = {}
    for line in list((folder / "qrels.tsv").open(encoding="utf-8"))[1:]:
        qid, did, score = line.rstrip("\n").split("\t")
        qrels.setdefault(qid, {})[did] = int(score)
    return corpus, queries, qrels


def alternate_tones(text: str) -> str:
    """The other tone placement for open oa/oe/uy syllables: hòa -> hoà, thủy -> thuỷ."""
    from app.text.vietnamese import fold

    def move(match: re.Match) -> str:
        word = match.group(0)
        bare = fold(word)
        if not bare.endswith(("oa", "oe", "uy")) or bare.startswith("qu") or len(bare) > 5:
            return word
        chars = list(unicodedata.normalize("NFD", word))
        marks = [i for i, c in enumerate(chars) if c in TONES]
        if not marks or chars[-1] in TONES:  # no tone, or already on the last vowel
            return word
        mark = chars.pop(marks[0])
        return unicodedata.normalize("NFC", "".join(chars) + mark)

    return _WORD.sub(move, unicodedata.normalize("NFC", text))


def build_index(corpus: list[dict]) -> dict[int, str]:
    """Index the corpus through the project's to_body; return doc id -> corpus id."""
    from app.models import Document, DocumentFile
    from indexers import client
    from indexers.documents import to_body

    client.drop_all()
    index = client.create_index()
    ids, actions = {}, []
    for n, row in enumerate(corpus, start=1):
        text = row["text"]
        document = Document(id=n, title=text.split("\n", 1)[0][:300], category="other",
                            secrecy="thuong", status="indexed", revision=1,
                            uploaded_at=__import__("datetime").datetime(2024, 1, 1))
        document.files.append(DocumentFile(original_filename=f"{n}.txt",
                                           media_type="text/plain", size=len(text),
                                           sha256="0" * 64, extracted_text=text))
        ids[n] = row["_id"]
        actions.append({"_index": index, "_id": str(n), "_source": to_body(document)})
    bulk(client.es(), actions, chunk_size=200, request_timeout=120)
    client.es().indices.refresh(index=index)
    client.swap_alias(index)
    return ids


def evaluate(queries, qrels, ids, transform, user) -> tuple[float, float, float, float]:
    from app.services.search import SearchParams, search

    mrr = ndcg = recall = 0.0
    started, qids = time.perf_counter(), [q for q in queries if q in qrels]
    for qid in tqdm(qids, desc=transform.__name__, leave=False, disable=None):
        hits = search(user, SearchParams(q=transform(queries[qid]), per_page=10)).hits
        ranked = [ids[h.id] for h in hits]
        relevant = qrels[qid]
        for rank, did in enumerate(ranked, start=1):
            if did in relevant:
                mrr += 1 / rank
                break
        dcg = sum(relevant.get(did, 0) / math.log2(r + 1) for r, did in enumerate(ranked, 1))
        ideal = sum(g / math.log2(r + 1) for r, g in
                    enumerate(sorted(relevant.values(), reverse=True)[:10], 1))
        ndcg += dcg / ideal if ideal else 0
        recall += len(set(ranked) & set(relevant)) / len(relevant)
    n = len(qids)
    return mrr / n, ndcg / n, recall / n, (time.perf_counter() - started) / n * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("dataset", type=Path)
    parser.add_argument("--limit", type=int, default=0, help="only the first N queries")
    args = parser.parse_args()

    from app import create_app
    from app.models import User
    from app.text.vietnamese import fold

    app = create_app("testing", ES_INDEX_PREFIX="archive-eval",
                     SQLALCHEMY_DATABASE_URI="sqlite://")
    corpus, queries, qrels = load(args.dataset)
    if args.limit:
        queries = dict(list(queries.items())[: args.limit])

    def as_written(q): return q
    def no_diacritics(q): return fold(q)
    def alternate_tone_marks(q): return alternate_tones(q)

    with app.test_request_context():
        started = time.perf_counter()
        ids = build_index(corpus)
        print(f"{args.dataset.name}: {len(corpus)} documents indexed in "
              f"{time.perf_counter() - started:.1f}s; {len(queries)} queries")
        user = User(username="eval", role="viewer", clearance="thuong")
        changed = sum(alternate_tones(q) != q for q in queries.values())
        for transform in (as_written, no_diacritics, alternate_tone_marks):
            mrr, ndcg, rec, ms = evaluate(queries, qrels, ids, transform, user)
            label = transform.__name__.replace("_", "-")
            print(f"{label:<21} MRR@10={mrr:.3f} nDCG@10={ndcg:.3f} R@10={rec:.3f}"
                  f"  ({ms:.0f} ms/query)")
        print(f"(alternate tone marks changed {changed} of {len(queries)} queries)")


if __name__ == "__main__":
    main()
