"""Related documents by text alone against text plus meaning, on the ALQAC articles.

    .venv/bin/python bench/related_quality.py [../shared/eval/alqac2022] [--sample 300]

There is no labelled set of "related documents"; the proxy is the law: for an
article, a related article from the same law counts as a hit, one of the
neighbouring articles of that law (±5) as a close hit. Indexes the corpus with its
passages and vectors (as bench/search_quality.py --mode hybrid, vectors from the
cache), then asks ``app.services.search.related`` for 5 documents per sampled article
with RELATED_VECTOR_WEIGHT 0 (text neighbours only, the behaviour before vectors)
and the weights given, and prints precision@5 for both proxies.
"""
from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tqdm import tqdm  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("dataset", type=Path, nargs="?",
                        default=ROOT.parent / "shared" / "eval" / "alqac2022")
    parser.add_argument("--sample", type=int, default=300)
    parser.add_argument("--weights", default="0,0.3,0.5,1,2")
    args = parser.parse_args()

    from app import create_app
    from app.models import User
    from app.services import search as search_service
    from bench.search_quality import build_index, load
    from bench.vector_cache import VectorCache

    app = create_app("testing", ES_INDEX_PREFIX="archive-eval",
                     SQLALCHEMY_DATABASE_URI="sqlite://")
    corpus = load(args.dataset)[0]
    with app.test_request_context():
        documents: dict = {}
        ids = build_index(corpus, VectorCache(), keep=documents)
        user = User(username="eval", role="viewer", clearance="thuong")
        rng = random.Random(7)
        sample = rng.sample(sorted(ids), min(args.sample, len(ids)))

        def law(doc_id):
            return ids[doc_id].split("@")[0]

        def article(doc_id):
            tail = ids[doc_id].split("@")[-1]
            return int(tail) if tail.isdigit() else -999

        print(f"{args.dataset.name}: {len(ids)} articles, {len(sample)} asked for 5 related each")
        for weight in [float(w) for w in args.weights.split(",")]:
            app.config["RELATED_VECTOR_WEIGHT"] = weight
            same = near = 0
            for doc_id in tqdm(sample, desc=f"weight {weight}", disable=None, leave=False):
                document = documents[doc_id]
                if weight == 0:
                    document_passages, document.passages = document.passages, []
                hits = search_service.related(user, document)
                if weight == 0:
                    document.passages = document_passages
                same += sum(law(h.id) == law(doc_id) for h in hits)
                near += sum(law(h.id) == law(doc_id) and abs(article(h.id) - article(doc_id)) <= 5
                            for h in hits)
            label = "text only (before)" if weight == 0 else f"text + meaning, weight {weight}"
            print(f"{label:<32} same law P@5 {same / (5 * len(sample)):.3f}   "
                  f"within 5 articles P@5 {near / (5 * len(sample)):.3f}")


if __name__ == "__main__":
    main()
