"""Near-duplicate detection: word shingles, MinHash signatures, Jaccard estimates.

Two saved copies of one article (syndicated, or the same page saved twice with
different site chrome) share almost all of their 5-word shingles; different
articles on the same topic share few. MinHash turns each text into a fixed-size
signature whose agreement rate estimates the Jaccard similarity of the shingle
sets, so signatures can be stored and compared without the texts.
"""
from __future__ import annotations

import hashlib
import re

from app.text.vietnamese import fold

SHINGLE_WORDS = 5
PERMUTATIONS = 128
# Copies of one story estimate well above this; distinct articles on one
# topic stay far below (tests/unit/test_similarity.py).
SAME_STORY = 0.6
_PRIME = (1 << 61) - 1
_WORD = re.compile(r"\w+")


def _params() -> list[tuple[int, int]]:
    # Fixed, derived parameters: signatures stored today must compare with
    # signatures computed after a restart.
    out = []
    for i in range(PERMUTATIONS):
        digest = hashlib.sha256(f"minhash-{i}".encode()).digest()
        a = int.from_bytes(digest[:8], "big") % _PRIME or 1
        b = int.from_bytes(digest[8:16], "big") % _PRIME
        out.append((a, b))
    return out


_PARAMS = _params()


def shingles(text: str, size: int = SHINGLE_WORDS) -> set[int]:
    """Hashes of every run of ``size`` words of the folded text (case, marks ignored)."""
    words = _WORD.findall(fold(text or "").lower())
    if len(words) < size:
        return {_hash(" ".join(words))} if words else set()
    return {_hash(" ".join(words[i:i + size])) for i in range(len(words) - size + 1)}


def _hash(value: str) -> int:
    return int.from_bytes(hashlib.blake2b(value.encode(), digest_size=8).digest(), "big")


def signature(text: str) -> list[int] | None:
    """MinHash signature of ``text``; None when there are no words to compare."""
    hashes = shingles(text)
    if not hashes:
        return None
    return [min((a * h + b) % _PRIME for h in hashes) for a, b in _PARAMS]


def similarity(sig_a: list[int] | None, sig_b: list[int] | None) -> float:
    """Estimated Jaccard similarity of the texts behind two signatures."""
    if not sig_a or not sig_b or len(sig_a) != len(sig_b):
        return 0.0
    return sum(x == y for x, y in zip(sig_a, sig_b)) / len(sig_a)


def jaccard(text_a: str, text_b: str) -> float:
    """Exact Jaccard similarity of the shingle sets (for tests and diagnostics)."""
    a, b = shingles(text_a), shingles(text_b)
    return len(a & b) / len(a | b) if a | b else 0.0
