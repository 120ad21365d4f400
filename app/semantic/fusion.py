"""Reciprocal rank fusion of the lexical and the vector rankings, in the application.

The integ-test distribution of Elasticsearch has no RRF module, and BM25 scores
(unbounded, 5 to 60 here) and e5 cosine scores (crowded between 0.75 and 0.92)
do not add up meaningfully; ranks do. RRF (Cormack, Clarke & Büttcher, 2009):
score(d) = Σ weight_i / (k + rank_i(d)), k = 60.
"""
from __future__ import annotations

from collections.abc import Hashable, Sequence

RRF_K = 60


def rrf(rankings: Sequence[Sequence[Hashable]], weights: Sequence[float] | None = None,
        k: int = RRF_K) -> list[Hashable]:
    """Items of all ``rankings`` (best first each) in fused order, best first.

    Ties keep the order of first appearance, lists taken in turn, so equal
    evidence never reorders at random between two requests.
    """
    weights = list(weights or [1.0] * len(rankings))
    scores: dict[Hashable, float] = {}
    first_seen: dict[Hashable, tuple[int, int]] = {}
    for list_no, (ranking, weight) in enumerate(zip(rankings, weights)):
        for rank, item in enumerate(ranking, start=1):
            scores[item] = scores.get(item, 0.0) + weight / (k + rank)
            first_seen.setdefault(item, (rank, list_no))
    return sorted(scores, key=lambda item: (-scores[item], first_seen[item]))


def convex(lexical: dict[Hashable, float], vector: dict[Hashable, float],
           weight: float) -> list[Hashable]:
    """Scores normalised per query and added: lexical / best lexical, plus ``weight`` ×
    the similarity min-max scaled over the nearest candidates (Bruch, Gai & Ingber,
    2023: a convex combination beats RRF with few labelled queries to tune on).

    RRF rewards any item both lists contain, however far down; with a vector list
    as noisy as e5's on a question typed without diacritics, that pushed the lexical
    first hit down to tenth (bench/search_quality.py). Scores keep the lexical
    evidence's strength.
    """
    top = max(lexical.values(), default=0.0)
    low, high = min(vector.values(), default=0.0), max(vector.values(), default=0.0)
    spread = high - low

    def score(item) -> float:
        lexical_part = lexical.get(item, 0.0) / top if top > 0 else 0.0
        if item in vector:
            vector_part = (vector[item] - low) / spread if spread > 0 else 1.0
        else:
            vector_part = 0.0
        return lexical_part + weight * vector_part

    order = {item: n for n, item in enumerate([*lexical, *vector])}
    return sorted({*lexical, *vector}, key=lambda item: (-score(item), order[item]))
