"""Accuracy of app.recognition against the hand labels in tests/metadata_labels.json.

    PYTHONPATH=. .venv/bin/python bench/metadata_accuracy.py [-v] [--source pdftotext]

For every labelled document: extract its text the way the app does
(``app.extractors.extract``), run ``recognize``, compare field by field, and
print precision and recall per field over the whole set.

* A scalar field counts a true positive when the value equals the label after
  normalisation (NFC, one tone placement, whitespace collapsed, case ignored;
  number and symbol through ``normalize_number_symbol``; dates as ISO). A wrong
  value is a false positive *and* a false negative; a value where the label is
  null is a false positive. ``number_blank`` counts ``true`` as a value.
* List fields (recipients, authority marks, legal numbers) compare items.
* Citations compare the sets of number/symbol keys; for the citations found,
  the line below gives how often type, date and issuer agree with the label.

``--source pdftotext`` reads PDFs with ``pdftotext -layout`` instead (columns
kept apart by runs of spaces, stamped numbers and dates present), a check that
the recognisers do not depend on one extractor's layout; the labels then take
the stamped number and date recorded in the label file.

Entries marked ``"source": "ocr"`` (image-only scans under pdf-scanned/) are
reported in a second, separate block, "OCR'd scans", always read through
``app.extractors.extract`` (Tesseract OCR, about 1.5 s a page); the first block
covers the text documents only, as before.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
from config.settings import CORPUS_DIR, SHARED_DIR  # noqa: E402,F401

from app.extractors import extract  # noqa: E402
from app.recognition import recognize  # noqa: E402
from app.text.vietnamese import normalize, normalize_number_symbol  # noqa: E402

CORPUS = CORPUS_DIR
LABELS = ROOT / "tests" / "metadata_labels.json"
TARGET = 0.95

SCALARS = ("parent_body", "issuing_body", "number", "symbol", "number_blank", "place",
           "issue_date", "issue_date_text", "doc_type", "summary", "signer_authority",
           "signer_position", "signer_name", "secrecy", "urgency")
LISTS = ("signer_authorities", "recipients", "legal_numbers")
NUMBERISH = ("number", "symbol")


def norm(field: str, value):
    if value is None or value is False:
        return None
    if value is True:
        return True
    if hasattr(value, "isoformat"):
        return value.isoformat()
    value = str(value)
    if field in NUMBERISH or field == "legal_numbers":
        return normalize_number_symbol(value)
    return " ".join(normalize(value).split()).casefold()


def read_text(path: Path, source: str) -> str:
    if source == "pdftotext" and path.suffix.lower() == ".pdf":
        out = subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True,
                             capture_output=True, text=True)
        return out.stdout
    return extract(path).text


def labels_for(doc: dict, source: str) -> dict:
    labels = dict(doc["labels"])
    stamped = doc.get("stamped")
    if source == "pdftotext" and stamped:
        labels.update(number=stamped["number"], number_blank=False,
                      issue_date=stamped["issue_date"],
                      issue_date_text=stamped["issue_date_text"])
    return labels


def compare(labels: dict, meta, counts: dict[str, Counter], cit_attr: Counter,
            misses: list[str]) -> None:
    for field in SCALARS:
        gold, got = norm(field, labels.get(field)), norm(field, getattr(meta, field))
        c = counts[field]
        if got is not None and got == gold:
            c["tp"] += 1
        else:
            if got is not None:
                c["fp"] += 1
            if gold is not None:
                c["fn"] += 1
            if got != gold:
                misses.append(f"{field}: got {getattr(meta, field)!r}, label {labels.get(field)!r}")
    for field in LISTS:
        gold = Counter(norm(field, v) for v in labels.get(field) or [])
        got = Counter(norm(field, v) for v in getattr(meta, field) or [])
        c = counts[field]
        c["tp"] += sum((gold & got).values())
        c["fp"] += sum((got - gold).values())
        c["fn"] += sum((gold - got).values())
        if gold != got:
            misses.append(f"{field}: extra {sorted(got - gold)}, missing {sorted(gold - got)}")
    gold_c = {normalize_number_symbol(c["number_symbol"]): c for c in labels.get("citations") or []}
    got_c = {c.key: c for c in meta.citations}
    c = counts["citations"]
    c["tp"] += len(gold_c.keys() & got_c.keys())
    c["fp"] += len(got_c.keys() - gold_c.keys())
    c["fn"] += len(gold_c.keys() - got_c.keys())
    if gold_c.keys() != got_c.keys():
        misses.append(f"citations: extra {sorted(got_c.keys() - gold_c.keys())}, "
                      f"missing {sorted(gold_c.keys() - got_c.keys())}")
    for key in gold_c.keys() & got_c.keys():
        g, p = gold_c[key], got_c[key]
        for attr, gv, pv in (("doc_type", g["doc_type"], p.doc_type),
                             ("date", g["date"], p.date and p.date.isoformat()),
                             ("issuer", norm("issuer", g["issuer"]), norm("issuer", p.issuer))):
            cit_attr[attr + "_n"] += 1
            if gv == pv:
                cit_attr[attr] += 1
            else:
                misses.append(f"citation {key} {attr}: got {pv!r}, label {gv!r}")


def ratio(a: int, b: int) -> str:
    return f"{a / b:.3f}" if b else "  n/a"


def evaluate(docs: list[dict], source: str, verbose: bool, title, time_extract: bool = False) -> list[str]:
    """Compare recognize() with the labels of ``docs`` and print one block of figures."""
    fields = SCALARS + LISTS + ("citations",)
    counts = {f: Counter() for f in fields}
    cit_attr: Counter = Counter()
    kinds: Counter = Counter()
    elapsed = extract_s = 0.0
    for doc in docs:
        path = CORPUS / doc["file"]
        t0 = time.perf_counter()
        text = read_text(path, source)
        extract_s += time.perf_counter() - t0
        t0 = time.perf_counter()
        meta = recognize(text)
        elapsed += time.perf_counter() - t0
        kinds[doc["kind"]] += 1
        misses: list[str] = []
        compare(labels_for(doc, source), meta, counts, cit_attr, misses)
        if verbose and misses:
            print(f"--- {doc['file']}")
            for m in misses:
                print("   ", m)

    n = len(docs)
    print(title(n, kinds, source))
    if time_extract:
        print(f"extract() with OCR: {extract_s / n:.1f} s per document on average")
    print(f"recognize(): {elapsed * 1000 / n:.1f} ms per document on average\n")
    print(f"{'field':<20}{'labelled':>9}{'found':>7}{'correct':>9}{'precision':>11}{'recall':>8}")
    below = []
    for f in fields:
        c = counts[f]
        labelled, found = c["tp"] + c["fn"], c["tp"] + c["fp"]
        p, r = ratio(c["tp"], found), ratio(c["tp"], labelled)
        flag = ""
        if (found and c["tp"] / found < TARGET) or (labelled and c["tp"] / labelled < TARGET):
            flag = "  < target"
            below.append(f)
        elif not labelled:
            flag = "  (no labelled value in the set)"
        print(f"{f:<20}{labelled:>9}{found:>7}{c['tp']:>9}{p:>11}{r:>8}{flag}")
    attrs = ", ".join(f"{name} {ratio(cit_attr[name], cit_attr[name + '_n'])}"
                      for name in ("doc_type", "date", "issuer"))
    print(f"\ncitations found and labelled, attributes agreeing with the label: {attrs}")
    print(f"\nfields below the {TARGET:.2f} target: {', '.join(below) if below else 'none'}")
    return below


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-v", "--verbose", action="store_true", help="print every disagreement")
    ap.add_argument("--source", choices=("app", "pdftotext"), default="app")
    args = ap.parse_args(argv)

    data = json.loads(LABELS.read_text(encoding="utf-8"))
    text_docs = [d for d in data["documents"] if d.get("source") != "ocr"]
    ocr_docs = [d for d in data["documents"] if d.get("source") == "ocr"]
    evaluate(text_docs, args.source, args.verbose,
             lambda n, kinds, source: f"Metadata recognition: {n} text documents "
             f"({', '.join(f'{v} {k}' for k, v in sorted(kinds.items()))}), source: {source}")
    if ocr_docs:
        print("\n" + "=" * 64 + "\n")
        # Scans have no text layer: always read through the app's extractor (OCR).
        evaluate(ocr_docs, "app", args.verbose,
                 lambda n, kinds, source: f"OCR'd scans: {n} image-only PDFs "
                 f"({', '.join(f'{v} {k}' for k, v in sorted(kinds.items()))}), "
                 f"source: app.extractors.extract (Tesseract OCR)",
                 time_extract=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
