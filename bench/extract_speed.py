"""PDF text-layer extraction speed: the project's extractor against pdftotext.

For every text PDF in ../shared/corpus/pdf-text, times ``app.extractors.extract``
(pypdf checks, PDFium text, symbol repair, NFC clean-up) and ``pdftotext -layout``
(poppler-utils) on the same file, best of --repeat runs each, and prints pages
per second, the ratio (project / pdftotext, >1 means the project is faster) and
the characters each produced after normalisation (NFC, all whitespace removed),
so that speed is only compared on equal text.

    PYTHONPATH=. .venv/bin/python bench/extract_speed.py [--repeat 3]

pdftotext also prints the text of annotations (the signing stamp "TRUNG TÂM CÔNG
BÁO VÀ TIN HỌC / e-mail / time" on signed PDFs), which is not part of the
document; the project reads page content only. So the characters are compared
with pdftotext run on a copy of the file without its annotations ("content"
column); the timing is on the original file. "common" is the share of
pdftotext's content characters that the project also produced.
"""
from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
import time
import unicodedata
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
from config.settings import CORPUS_DIR, SHARED_DIR  # noqa: E402,F401
CORPUS = CORPUS_DIR

from app.extractors import extract  # noqa: E402


def norm_chars(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFC", text))


def without_annotations(pdf: Path, out: Path) -> Path:
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import NameObject

    writer = PdfWriter(clone_from=PdfReader(pdf))
    for page in writer.pages:
        if "/Annots" in page:
            del page[NameObject("/Annots")]
    writer.write(out)
    return out


def pdftotext(pdf: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", str(pdf), "-"],
                          check=True, capture_output=True).stdout.decode("utf-8")


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
    print(f"{'file':44} {'pages':>5} {'ours p/s':>9} {'pdftotext p/s':>13} {'ratio':>6} "
          f"{'ours chars':>10} {'content':>8} {'+annots':>8} {'common':>7}")
    extract(next((CORPUS / "pdf-text").iterdir()))  # load the libraries before timing
    with tempfile.TemporaryDirectory() as tmp:
        for pdf in sorted((CORPUS / "pdf-text").iterdir()):
            t_ours, res = best_of(args.repeat, lambda: extract(pdf))
            t_pt, out = best_of(args.repeat, lambda: pdftotext(pdf))
            content = pdftotext(without_annotations(pdf, Path(tmp) / "content.pdf"))
            pages = res.page_count
            ours, theirs, full = norm_chars(res.text), norm_chars(content), norm_chars(out)
            common = sum((Counter(ours) & Counter(theirs)).values()) / max(len(theirs), 1)
            rows.append((pages, t_ours, t_pt, len(ours), len(theirs), len(full)))
            print(f"{pdf.name[:44]:44} {pages:5d} {pages / t_ours:9.1f} {pages / t_pt:13.1f} "
                  f"{t_pt / t_ours:6.3f} {len(ours):10d} {len(theirs):8d} {len(full):8d} "
                  f"{common:7.1%}", flush=True)
    pages = sum(r[0] for r in rows)
    t_ours, t_pt = sum(r[1] for r in rows), sum(r[2] for r in rows)
    c_ours, c_pt, c_full = (sum(r[i] for r in rows) for i in (3, 4, 5))
    print("-" * 112)
    print(f"{'all':44} {pages:5d} {pages / t_ours:9.1f} {pages / t_pt:13.1f} {t_pt / t_ours:6.3f} "
          f"{c_ours:10d} {c_pt:8d} {c_full:8d}")
    print(f"\nproject {pages / t_ours:.1f} pages/s, pdftotext {pages / t_pt:.1f} pages/s: ratio "
          f"{t_pt / t_ours:.3f} (project / pdftotext); characters after normalisation "
          f"{c_ours} vs {c_pt} of page content ({c_ours / c_pt:.1%}; pdftotext with "
          f"annotations: {c_full}).")

if __name__ == "__main__":
    main()
