"""Search quality on a BEIR-layout set, through the project's own indexing and search.

    .venv/bin/python bench/search_quality.py ../shared/eval/alqac2022 [--limit N]
    .venv/bin/python bench/search_quality.py ../shared/eval/alqac2025 --mode hybrid
    .venv/bin/python bench/search_quality.py crosslang --mode hybrid

Indexes corpus.jsonl with ``indexers.documents.to_body`` into a separate index
(prefix ``archive-eval``), runs every query of queries.jsonl through
``app.services.search.search`` and prints MRR@10, nDCG@10 and Recall@10 for
each query form: as written, with diacritics stripped, with the alternate
tone-mark placement (hoà instead of hòa), cut to its keywords, and paraphrased
(bench/query_forms.py). ``--mode hybrid`` also cuts every document into passages,
embeds them (cached on disk, bench/vector_cache.py) and prints lexical and hybrid
side by side, plus the fusion done inside Elasticsearch (query + kNN scores added,
``--linear-boost``) for comparison. ``crosslang`` is the English/French question set
of bench/data/crosslang.jsonl over the corpus files, with ALQAC 2022 as distractors.
Needs Elasticsearch only.
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


def build_index(corpus: list[dict], vectors=None, keep: dict | None = None) -> dict[int, str]:
    """Index the corpus through the project's to_body; return doc id -> corpus id.

    With ``vectors`` (a VectorCache), each document also gets its passages and their
    vectors, cut and embedded as the archive does (app.services.semantic).
    """
    from app.models import Document, DocumentFile, DocumentPassage
    from app.semantic.embedder import to_bytes
    from app.semantic.passages import cut
    from app.text.vietnamese import normalize
    from indexers import client
    from indexers.documents import to_body

    client.drop_all()
    index = client.create_index()
    ids, actions = {}, []
    for n, row in enumerate(tqdm(corpus, desc="documents", disable=None), start=1):
        text = normalize(row["text"])
        title = text.split("\n", 1)[0][:300]
        document = Document(id=n, title=title, category="other",
                            secrecy="thuong", status="indexed", revision=1,
                            uploaded_at=__import__("datetime").datetime(2024, 1, 1))
        document.files.append(DocumentFile(original_filename=f"{n}.txt",
                                           media_type="text/plain", size=len(text),
                                           sha256="0" * 64, extracted_text=text))
        if vectors is not None:
            passages = cut(text, title)
            for k, (passage, vector) in enumerate(zip(passages, vectors.get(
                    [p.text for p in passages]))):
                document.passages.append(DocumentPassage(
                    ordinal=k, heading=passage.heading, text=passage.text,
                    vector=to_bytes(vector), source_hash="eval"))
        ids[n] = row["_id"]
        if keep is not None:
            keep[n] = document
        actions.append({"_index": index, "_id": str(n), "_source": to_body(document)})
    bulk(client.es(), actions, chunk_size=200, request_timeout=120)
    client.es().indices.refresh(index=index)
    client.swap_alias(index)
    return ids


def evaluate(queries, qrels, ids, transform, user, mode="lexical",
             linear_boost=None) -> tuple[float, float, float, float]:
    from app.services.search import SearchParams, search

    mrr = ndcg = recall = 0.0
    started, qids = time.perf_counter(), [q for q in queries if q in qrels]
    for qid in tqdm(qids, desc=f"{transform.__name__} {mode}", leave=False, disable=None):
        if linear_boost is not None:
            ranked = [ids[i] for i in linear_ranking(transform(queries[qid]), user, linear_boost)]
        else:
            hits = search(user, SearchParams(q=transform(queries[qid]), per_page=10,
                                             mode=mode)).hits
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


def linear_ranking(q: str, user, boost: float) -> list[int]:
    """The alternative to fusing in the application: one request, Elasticsearch adds the
    lexical score and ``boost`` × the best passage's cosine score."""
    from app.domain.vocab import levels_up_to
    from app.search.query import Filters, FilterValues, build_query
    from app.semantic import embedder
    from app.services.hybrid import knn_clause
    from indexers.client import alias, es

    filters = Filters.for_user(levels_up_to(user.clearance), FilterValues())
    knn = {**knn_clause(embedder.query(q), filters, 10), "boost": boost}
    response = es().search(index=alias(), query=build_query(q, filters), knn=knn, size=10,
                           _source=False)
    return [int(h["_id"]) for h in response["hits"]["hits"]]


def forms() -> list:
    from app.text.vietnamese import fold

    def as_written(q): return q
    def no_diacritics(q): return fold(q)
    def alternate_tone_marks(q): return alternate_tones(q)
    found = [as_written, no_diacritics, alternate_tone_marks]
    try:
        from bench import query_forms
    except ImportError:
        print("(bench/query_forms.py not found: keyword and paraphrase forms skipped)")
        return found

    def keyword(q): return query_forms.keyword(q)
    def paraphrase(q): return query_forms.paraphrase(q)
    return found + [keyword, paraphrase]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("dataset", type=Path)
    parser.add_argument("--limit", type=int, default=0, help="only the first N queries")
    parser.add_argument("--mode", choices=("lexical", "hybrid"), default="lexical",
                        help="hybrid: lexical and hybrid side by side (embeds the corpus)")
    parser.add_argument("--weight", type=float, default=None,
                        help="HYBRID_VECTOR_WEIGHT for this run")
    parser.add_argument("--fusion", choices=("convex", "rrf"), default=None,
                        help="HYBRID_FUSION for this run")
    parser.add_argument("--linear-boost", type=float, default=None,
                        help="also rank with Elasticsearch's query + boost × kNN score")
    parser.add_argument("--forms", default="", help="comma-separated subset of the forms")
    args = parser.parse_args()

    from app import create_app
    from app.models import User

    overrides = {"HYBRID_VECTOR_WEIGHT": args.weight} if args.weight is not None else {}
    if args.fusion:
        overrides["HYBRID_FUSION"] = args.fusion
    app = create_app("testing", ES_INDEX_PREFIX="archive-eval",
                     SQLALCHEMY_DATABASE_URI="sqlite://", **overrides)
    if str(args.dataset) == "crosslang":
        from bench import crosslang

        corpus, queries, qrels = crosslang.load(Path(__file__).resolve().parents[2] /
                                                "shared" / "corpus")
        distractors = load(Path(__file__).resolve().parents[2] / "shared" / "eval" /
                           "alqac2022")[0]
        corpus = corpus + distractors
        args.forms = args.forms or "as_written"
    else:
        corpus, queries, qrels = load(args.dataset)
    if args.limit:
        queries = dict(list(queries.items())[: args.limit])
    chosen = [f for f in forms() if not args.forms or f.__name__ in args.forms.split(",")]

    from app.services import semantic

    # The passages' texts live in the archive's database, which this benchmark does not
    # fill: hits go without their passage (the ranking is what is measured).
    semantic.passage_texts = lambda keys: {}
    with app.test_request_context():
        vectors = None
        if args.mode == "hybrid":
            from bench.vector_cache import VectorCache

            vectors = VectorCache()
        started = time.perf_counter()
        ids = build_index(corpus, vectors)
        name = Path(str(args.dataset)).name
        print(f"{name}: {len(corpus)} documents indexed in "
              f"{time.perf_counter() - started:.1f}s; {len(queries)} queries")
        if vectors is not None and vectors.rate:
            print(f"embedded {vectors.embedded} passages at {vectors.rate:.1f} passages/s "
                  "(the rest from the cache)")
        user = User(username="eval", role="viewer", clearance="thuong")
        modes = ["lexical"] + (["hybrid"] if args.mode == "hybrid" else [])
        print(f"{'form':<21} " + " | ".join(f"{m:<32}" for m in modes)
              + (f" | linear (boost {args.linear_boost})" if args.linear_boost else ""))
        for transform in chosen:
            cells, first = [], None
            for mode in modes:
                mrr, ndcg, rec, ms = evaluate(queries, qrels, ids, transform, user, mode)
                first = first if first is not None else mrr
                cells.append(f"MRR {mrr:.3f} nDCG {ndcg:.3f} R {rec:.3f} {ms:3.0f}ms")
            if args.linear_boost and args.mode == "hybrid":
                mrr, ndcg, rec, ms = evaluate(queries, qrels, ids, transform, user,
                                              linear_boost=args.linear_boost)
                cells.append(f"MRR {mrr:.3f} nDCG {ndcg:.3f} R {rec:.3f} {ms:3.0f}ms")
            label = transform.__name__.replace("_", "-")
            print(f"{label:<21} " + " | ".join(cells), flush=True)
        changed = sum(alternate_tones(q) != q for q in queries.values())
        print(f"(alternate tone marks changed {changed} of {len(queries)} queries)")


if __name__ == "__main__":
    main()
