"""OCR quality and speed on clean renders of the corpus's digital documents.

For every text PDF in ../shared/corpus/pdf-text and every DOCX in
../shared/corpus/docx (converted to PDF by LibreOffice first), the pages, without
their pictures and annotations (what the text layer does not hold: logos, a
footer advert stored as an image, signature stamps), are rendered to greyscale
images at 300 dpi (pdftoppm), put back together as an
image-only PDF (a "perfect scan") and read through the project's pipeline:
``app.extractors.extract`` (render, red channel, Tesseract ``vie``). The OCR
text of each page is compared with the page's text layer after NFC and whitespace
normalisation. The reference is read by the project's pypdf reader in layout mode
(``PdfParser(engine="pypdf")``), which gives lines in the order they stand on the
page, as OCR reads them; the default PDFium reader gives content order (the issuer
block, then the motto block), which would count order, not recognition, as errors:

* CER: character edit distance / reference characters; CERns the same with spaces
  removed (pypdf's text layer has spurious spaces inside words, "điề u", and
  OCR sometimes glues words: WER shows those) (order-sensitive: side by
  side header blocks that the text layer puts on one line and OCR reads block by
  block count as errors, so this is an upper bound);
* WER: the same over words;
* bag-of-words WER: words missing from / extra in the OCR text regardless of
  order (the figure that matters for search).

Pages per minute is OCR wall time (pages rendered and read, 2 in parallel) for
the image-only PDFs, the project's default ``ExtractionLimits``.

    PYTHONPATH=. .venv/bin/python bench/ocr_quality.py            # 3 pages per document
    PYTHONPATH=. .venv/bin/python bench/ocr_quality.py --pages 0  # every page (~15 min)

Needs poppler-utils, tesseract-ocr(-vie), LibreOffice and Pillow.
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

from app.extractors import ExtractionLimits, extract  # noqa: E402
from app.extractors.pdf import PdfParser  # noqa: E402

DPI = 300


def levenshtein(a: list | str, b: list | str) -> int:
    """Edit distance (Myers/Hyyrö bit-parallel algorithm, Python ints as bit vectors)."""
    if len(a) < len(b):
        a, b = b, a
    if not b:
        return len(a)
    m = len(b)  # b is the pattern
    peq: dict = {}
    for i, c in enumerate(b):
        peq[c] = peq.get(c, 0) | (1 << i)
    ones = (1 << m) - 1
    high = 1 << (m - 1)
    pv, mv, score = ones, 0, m
    for c in a:
        eq = peq.get(c, 0)
        xv = eq | mv
        xh = ((((eq & pv) + pv) & ones) ^ pv) | eq
        ph = mv | (~(xh | pv) & ones)
        mh = pv & xh
        if ph & high:
            score += 1
        elif mh & high:
            score -= 1
        ph = ((ph << 1) | 1) & ones
        mh = (mh << 1) & ones
        pv = mh | (~(xv | ph) & ones)
        mv = ph & xv
    return score


def _check_levenshtein() -> None:
    import random

    def dp(a, b):
        prev = list(range(len(b) + 1))
        for i, ca in enumerate(a, 1):
            cur = [i]
            for j, cb in enumerate(b, 1):
                cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
            prev = cur
        return prev[-1]

    rnd = random.Random(7)
    for _ in range(300):
        a = "".join(rnd.choice("abcđệ ") for _ in range(rnd.randint(0, 90)))
        b = "".join(rnd.choice("abcđệ ") for _ in range(rnd.randint(0, 90)))
        assert levenshtein(a, b) == dp(a, b), (a, b)


def norm(text: str) -> str:
    """NFC, one space for any whitespace, no space before , . ; : ) or after ( (the
    text layer writes "vị ," and "điều hành )")."""
    text = re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()
    return re.sub(r" (?=[,.;:)])|(?<=\() ", "", text)


def word_ids(ref: list[str], hyp: list[str]) -> tuple[list[int], list[int]]:
    ids: dict[str, int] = {}
    return ([ids.setdefault(w, len(ids)) for w in ref], [ids.setdefault(w, len(ids)) for w in hyp])


def bag_wer(ref: list[str], hyp: list[str]) -> int:
    r, h = Counter(ref), Counter(hyp)
    return max(sum((r - h).values()), sum((h - r).values()))


def docx_to_pdf(docx: Path, out_dir: Path) -> Path:
    profile = out_dir / "lo-profile"
    subprocess.run(["soffice", "--headless", "--norestore", f"-env:UserInstallation={profile.as_uri()}",
                    "--convert-to", "pdf", "--outdir", str(out_dir), str(docx)],
                   check=True, capture_output=True, timeout=600)
    return out_dir / (docx.stem + ".pdf")


def image_only_pdf(pdf: Path, pages: int, out: Path) -> int:
    """Render the first *pages* pages (0: all) of *pdf* at 300 dpi grey and save them
    as an image-only PDF (JPEG quality 95, as a good scanner writes); page count."""
    from PIL import Image
    from pypdf import PdfWriter

    with tempfile.TemporaryDirectory() as tmp:
        # only what the text layer holds: no pictures (logos, a footer advert saved as
        # an image), no annotations (signature stamps)
        clean = Path(tmp) / "clean.pdf"
        writer = PdfWriter(clone_from=str(pdf))
        writer.remove_images()
        writer.remove_annotations(subtypes=None)
        with clean.open("wb") as fh:
            writer.write(fh)
        args = ["pdftoppm", "-r", str(DPI), "-gray", "-png"]
        if pages:
            args += ["-l", str(pages)]
        subprocess.run(args + [str(clean), f"{tmp}/p"], check=True, stderr=subprocess.DEVNULL)
        images = [Image.open(f).convert("L") for f in sorted(Path(tmp).glob("p-*.png"))]
        images[0].save(out, format="PDF", save_all=True, append_images=images[1:],
                       resolution=DPI, quality=95)
        return len(images)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pages", type=int, default=3, help="pages per document (0: all)")
    args = ap.parse_args()
    _check_levenshtein()

    sources: list[tuple[str, Path]] = [(f"pdf-text/{p.name}", p) for p in sorted((CORPUS / "pdf-text").iterdir())]
    totals = Counter()
    ocr_seconds = 0.0
    ocr_pages = 0
    print(f"{'document':60} {'pages':>5} {'CER':>6} {'CERns':>6} {'WER':>6} {'bagWER':>6} {'p/min':>6}")
    with tempfile.TemporaryDirectory() as tmp:
        tmpdir = Path(tmp)
        for docx in sorted((CORPUS / "docx").iterdir()):
            sources.append((f"docx/{docx.name} (LibreOffice PDF)", docx_to_pdf(docx, tmpdir)))
        for label, pdf in sources:
            ref_pages = PdfParser(engine="pypdf").extract(pdf).text.split("\f")
            scan = tmpdir / "scan.pdf"
            n = image_only_pdf(pdf, args.pages, scan)
            started = time.monotonic()
            res = extract(scan, limits=ExtractionLimits(ocr_timeout_s=3600))
            seconds = time.monotonic() - started
            assert res.method == "ocr", res.method
            hyp_pages = res.text.split("\f")
            c = Counter()
            for ref, hyp in zip(ref_pages[:n], hyp_pages):
                ref, hyp = norm(ref), norm(hyp)
                if not ref:
                    continue
                c["chars"] += len(ref)
                c["char_err"] += levenshtein(ref, hyp)
                ref_ns, hyp_ns = ref.replace(" ", ""), hyp.replace(" ", "")
                c["chars_ns"] += len(ref_ns)
                c["char_err_ns"] += levenshtein(ref_ns, hyp_ns)
                rw, hw = ref.split(), hyp.split()
                c["words"] += len(rw)
                c["word_err"] += levenshtein(*word_ids(rw, hw))
                c["bag_err"] += bag_wer(rw, hw)
            totals.update(c)
            ocr_seconds += seconds
            ocr_pages += n
            print(f"{label[:60]:60} {n:5d} {c['char_err'] / c['chars']:6.2%} "
                  f"{c['char_err_ns'] / c['chars_ns']:6.2%} "
                  f"{c['word_err'] / c['words']:6.2%} {c['bag_err'] / c['words']:6.2%} "
                  f"{n / seconds * 60:6.1f}", flush=True)
    print("-" * 95)
    print(f"{'all':60} {ocr_pages:5d} {totals['char_err'] / totals['chars']:6.2%} "
          f"{totals['char_err_ns'] / totals['chars_ns']:6.2%} "
          f"{totals['word_err'] / totals['words']:6.2%} {totals['bag_err'] / totals['words']:6.2%} "
          f"{ocr_pages / ocr_seconds * 60:6.1f}")
    print(f"\nCER {totals['char_err'] / totals['chars']:.2%} over {totals['chars']} characters "
          f"({totals['char_err_ns'] / totals['chars_ns']:.2%} ignoring spaces, which the "
          "text layer itself puts inside words: 'điề u', 'thô ng'), "
          f"WER {totals['word_err'] / totals['words']:.2%} (bag of words "
          f"{totals['bag_err'] / totals['words']:.2%}) over {totals['words']} words; "
          f"{ocr_pages / ocr_seconds * 60:.1f} pages/min ({ocr_pages} pages, {ocr_seconds:.0f} s, "
          f"{ExtractionLimits().ocr_workers} pages in parallel, {DPI} dpi). Target CER <= 3%.")


if __name__ == "__main__":
    main()
