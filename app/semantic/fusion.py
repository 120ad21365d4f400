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
