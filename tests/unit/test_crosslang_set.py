"""bench/data/crosslang.jsonl is well-formed, and bench/crosslang.load() has the bench's shape."""
from __future__ import annotations

import json
import re
import sys
from collections import Counter
from pathlib import Path

import pytest

from config.settings import SHARED_DIR

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
import crosslang  # noqa: E402

CORPUS = Path(SHARED_DIR) / "corpus"
ROWS = crosslang.questions()
# Letters only Vietnamese uses: a question carrying them was not written in English/French.
VIETNAMESE = re.compile("[ăơưđạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]", re.I)


def test_rows_are_complete_and_ids_unique():
    for row in ROWS:
        assert set(row) == {"_id", "lang", "text", "relevant"}, row
        assert row["lang"] in ("en", "fr") and row["_id"].startswith(row["lang"] + "-")
        assert row["text"].strip() and not VIETNAMESE.search(row["text"]), row["_id"]
        assert row["relevant"] and len(set(row["relevant"])) == len(row["relevant"])
    assert len({row["_id"] for row in ROWS}) == len(ROWS)


def test_enough_questions_over_enough_documents():
    langs = Counter(row["lang"] for row in ROWS)
    assert langs["en"] >= 24 and langs["fr"] >= 6
    assert len({rel for row in ROWS for rel in row["relevant"]}) >= 18


def test_every_relevant_path_exists_in_the_corpus():
    missing = [(row["_id"], rel) for row in ROWS for rel in row["relevant"]
               if not (CORPUS / rel).is_file()]
    assert missing == []


def test_load_shape_and_cache(tmp_path, monkeypatch):
    corpus = tmp_path / "corpus"
    (corpus / "seeds").mkdir(parents=True)
    (corpus / "seeds" / "a.txt").write_text("Kế hoạch tuyên truyền về quyền con người.", "utf-8")
    (corpus / "seeds" / "b.txt").write_text("Thông báo kết luận cuộc họp.", "utf-8")
    (corpus / "MANIFEST.tsv").write_text("file\n", "utf-8")
    questions = tmp_path / "q.jsonl"
    questions.write_text("\n".join(json.dumps(q) for q in (
        {"_id": "en-01", "lang": "en", "text": "Human rights plan?", "relevant": ["seeds/a.txt"]},
        {"_id": "en-02", "lang": "en", "text": "Gone?", "relevant": ["seeds/gone.txt"]},
    )), "utf-8")
    monkeypatch.setattr(crosslang, "QUESTIONS", questions)
    monkeypatch.setattr(crosslang, "CACHE", tmp_path / "cache.json")

    documents, queries, qrels = crosslang.load(corpus)
    assert sorted(d["_id"] for d in documents) == ["seeds/a.txt", "seeds/b.txt"]
    assert queries == {"en-01": "Human rights plan?"}  # en-02's answer is not in the corpus
    assert qrels == {"en-01": {"seeds/a.txt": 1}}
    assert len(json.loads((tmp_path / "cache.json").read_text("utf-8"))) == 2

    monkeypatch.setattr(crosslang, "_extract", lambda path: pytest.fail("not cached"))
    assert crosslang.load(corpus)[0] == documents
