"""Passage vectors for the benchmarks, cached on disk by the text's SHA-256.

Embedding the ALQAC corpora takes minutes on 2 cores (about 6 passages/s); the
vectors of a text never change for one model, so every benchmark run after the
first reads them from ``~/.cache/vn-archive/eval/vectors-<model>.npz`` (outside
the clone, like the other downloads and caches).
"""
from __future__ import annotations

import hashlib
import os
import time
from pathlib import Path

import numpy as np
from tqdm import tqdm

CACHE_DIR = Path(os.environ.get("ARCHIVE_CACHE_DIR",
                                Path.home() / ".cache" / "vn-archive")) / "eval"


class VectorCache:
    def __init__(self) -> None:
        from app.semantic import embedder

        self.embedder = embedder
        safe = embedder.MODEL_ID.replace(":", "-").replace("/", "-")
        self.path = CACHE_DIR / f"vectors-{safe}.npz"
        self.vectors: dict[str, np.ndarray] = {}
        if self.path.exists():
            with np.load(self.path) as data:
                self.vectors = {key: data[key] for key in data.files}
        self.embedded = 0
        self.seconds = 0.0

    @staticmethod
    def key(text: str) -> str:
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    def get(self, texts: list[str], desc: str = "embedding") -> np.ndarray:
        """Vectors of ``texts`` (passages), embedding only those not cached yet."""
        missing = list(dict.fromkeys(t for t in texts if self.key(t) not in self.vectors))
        if missing:
            started = time.perf_counter()
            for n, text in enumerate(tqdm(missing, desc=desc, unit="passage", disable=None)):
                self.vectors[self.key(text)] = self.embedder.passages([text])[0]
                if n % 500 == 499:
                    self.save()  # an interrupted first run keeps what it embedded
            self.seconds += time.perf_counter() - started
            self.embedded += len(missing)
            self.save()
        return np.stack([self.vectors[self.key(t)] for t in texts]) if texts else \
            np.empty((0, self.embedder.DIMS), dtype=np.float32)

    def save(self) -> None:
        CACHE_DIR.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp.npz")
        np.savez(tmp, **self.vectors)
        tmp.replace(self.path)

    @property
    def rate(self) -> float | None:
        return self.embedded / self.seconds if self.seconds else None
