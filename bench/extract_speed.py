"""PDF text-layer extraction speed: the project's extractor against pdftotext.

For every text PDF in ../shared/corpus/pdf-text, times ``app.extractors.extract``
(pypdf, layout mode, symbol repair, NFC clean-up) and ``pdftotext -layout``
(poppler-utils) on the same file, best of --repeat runs each, and prints pages
per second, the ratio (project / pdftotext, >1 means the project is faster) and
the characters each produced after normalisation (NFC, all whitespace removed),
so that speed is only compared on equal text.

    PYTHONPATH=. .venv/bin/python bench/extract_speed.py [--repeat 3]

Note: pdftotext also prints text drawn in annotation appearance streams (the
number a signing service stamps on signed PDFs); pypdf reads page content only.
"""
from __future__ import annotations

import argparse
import re
import subprocess
import sys
import time
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
from config.settings import CORPUS_DIR, SHARED_DIR  # noqa: E402,F401
CORPUS = CORPUS_DIR

from app.extractors import extract  # noqa: E402


def norm_chars(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFC", text))


def best_of(n: int, fn):
    best, out = float("inf"), None
    for _ in range(n):
        t = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t)
    return best, out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    rows = []
    print(f"{'file':48} {'pages':>5} {'ours p/s':>9} {'pdftotext p/s':>13} {'ratio':>6} "
          f"{'ours chars':>10} {'pdftotext':>10} {'common':>7}")
    for pdf in sorted((CORPUS / "pdf-text").iterdir()):
        t_ours, res = best_of(args.repeat, lambda: extract(pdf))
        t_pt, out = best_of(args.repeat, lambda: subprocess.run(
            ["pdftotext", "-layout", "-enc", "UTF-8", str(pdf), "-"],
            check=True, capture_output=True).stdout.decode("utf-8"))
        pages = res.page_count
        ours, theirs = norm_chars(res.text), norm_chars(out)
        # characters both produced (multiset overlap): same text, maybe another order
        from collections import Counter

        common = sum((Counter(ours) & Counter(theirs)).values()) / max(len(theirs), 1)
        rows.append((pages, t_ours, t_pt, len(ours), len(theirs)))
        print(f"{pdf.name[:48]:48} {pages:5d} {pages / t_ours:9.1f} {pages / t_pt:13.1f} "
              f"{t_pt / t_ours:6.3f} {len(ours):10d} {len(theirs):10d} {common:7.1%}", flush=True)
    pages = sum(r[0] for r in rows)
    t_ours, t_pt = sum(r[1] for r in rows), sum(r[2] for r in rows)
    c_ours, c_pt = sum(r[3] for r in rows), sum(r[4] for r in rows)
    print("-" * 110)
    print(f"{'all':48} {pages:5d} {pages / t_ours:9.1f} {pages / t_pt:13.1f} {t_pt / t_ours:6.3f} "
          f"{c_ours:10d} {c_pt:10d}")
    print(f"\nproject {pages / t_ours:.1f} pages/s, pdftotext {pages / t_pt:.1f} pages/s: ratio "
          f"{t_pt / t_ours:.3f} (project / pdftotext); characters after normalisation "
          f"{c_ours} vs {c_pt} ({c_ours / c_pt:.1%}).")


if __name__ == "__main__":
    main()
