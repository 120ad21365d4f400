"""Cross-language evaluation set: English and French questions over the Vietnamese corpus.

    .venv/bin/python bench/crosslang.py [CORPUS_ROOT]     # extract (once) and print counts

How the set was made: the questions in ``bench/data/crosslang.jsonl`` were written by
hand, after reading the Vietnamese text of each document in ``shared/corpus/`` (seeds,
text PDFs, Word, HTML, and the scanned PDFs as read by the project's OCR), as a
foreign-information officer would ask them in English or French: in their own words,
not translations of titles, each answered by one document or a few (the 2013
Constitution is in the corpus twice, as .doc and as the vbpl.vn page; an inheritance
question is answered by the Civil Code and by the precedent that applies it). No
embedding model or search engine was used to write or check them.

``load(corpus_root)`` returns the same shape as ``load()`` in bench/search_quality.py:
documents ``[{"_id": path relative to the corpus, "text": NFC text}]`` for every
readable corpus file (targets and distractors), queries ``{id: text}`` and qrels
``{id: {path: 1}}``. Extracted texts are cached in
``~/.cache/vn-archive/eval/crosslang-texts.json`` keyed by the file's SHA-256, so only
the first run extracts (OCR of the 11 scans takes about a minute on one core).
"""
from __future__ import annotations

import hashlib
import json
import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

QUESTIONS = Path(__file__).resolve().parent / "data" / "crosslang.jsonl"
CACHE = Path.home() / ".cache" / "vn-archive" / "eval" / "crosslang-texts.json"
# Not documents: the corpus inventory.
SKIP = {"MANIFEST.tsv"}


def questions(path: Path | None = None) -> list[dict]:
    with (path or QUESTIONS).open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _read_cache() -> dict[str, dict]:
    try:
        return json.loads(CACHE.read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return {}


def _write_cache(cache: dict[str, dict]) -> None:
    CACHE.parent.mkdir(parents=True, exist_ok=True)
    tmp = CACHE.with_suffix(".tmp")
    tmp.write_text(json.dumps(cache, ensure_ascii=False), encoding="utf-8")
    tmp.replace(CACHE)  # never leave a half-written cache behind


def _extract(path: Path) -> str:
    from app.extractors import ExtractionError, ExtractionLimits, extract

    # One OCR worker: the bench must not take both cores of a shared machine.
    limits = ExtractionLimits(ocr_workers=1, ocr_timeout_s=120)
    try:
        text = extract(path, limits=limits).text
    except ExtractionError as exc:  # e.g. OCR not installed: the file is left out
        print(f"crosslang: {path.name}: {exc}", file=sys.stderr)
        return ""
    return unicodedata.normalize("NFC", text)


def corpus_texts(corpus_root: Path) -> dict[str, str]:
    """Relative path -> extracted text for every corpus file, through the cache."""
    cache, changed, texts = _read_cache(), False, {}
    for path in sorted(p for p in corpus_root.rglob("*") if p.is_file()):
        if path.name in SKIP:
            continue
        rel = path.relative_to(corpus_root).as_posix()
        key = _sha256(path)
        if key not in cache:
            text = _extract(path)
            if not text.strip():
                continue  # not cached: a later run with OCR available may read it
            cache[key], changed = {"path": rel, "text": text}, True
        texts[rel] = cache[key]["text"]
    if changed:
        _write_cache(cache)
    return texts


def load(corpus_root: Path) -> tuple[list[dict], dict[str, str], dict[str, dict[str, int]]]:
    """(documents, queries, qrels) for bench/search_quality.py."""
    corpus_root = Path(corpus_root)
    texts = corpus_texts(corpus_root)
    documents = [{"_id": rel, "text": text} for rel, text in texts.items() if text.strip()]
    readable = {d["_id"] for d in documents}
    queries: dict[str, str] = {}
    qrels: dict[str, dict[str, int]] = {}
    for q in questions():
        relevant = {rel: 1 for rel in q["relevant"] if rel in readable}
        missing = sorted(set(q["relevant"]) - readable)
        if missing:
            print(f"crosslang: {q['_id']}: unreadable target(s) {missing}", file=sys.stderr)
        if not relevant:
            continue  # a question whose answer cannot be indexed would only measure OCR
        queries[q["_id"]] = q["text"]
        qrels[q["_id"]] = relevant
    return documents, queries, qrels


def main() -> None:
    from config.settings import SHARED_DIR

    corpus_root = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(SHARED_DIR) / "corpus"
    documents, queries, qrels = load(corpus_root)
    langs: dict[str, int] = {}
    for qid in queries:
        langs[qid.split("-")[0]] = langs.get(qid.split("-")[0], 0) + 1
    targets = {rel for rel_map in qrels.values() for rel in rel_map}
    print(f"{len(documents)} documents ({len(targets)} are answers), {len(queries)} questions: "
          + ", ".join(f"{n} {lang}" for lang, n in sorted(langs.items())))


if __name__ == "__main__":
    main()
