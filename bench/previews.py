"""What thumbnails and previews cost, next to the extraction they follow.

For a few corpus files of each kind, in one run: the extraction the job does
(``app.extractors.extract``, OCR included for scans, with a work directory so the
searchable PDF is made), then what ``app.services.previews`` adds after it:

* thumbnail: page 1 rendered to a 240 px PNG (pdftoppm, or Pillow for images);
* preview: the PDF LibreOffice prints of a DOCX/DOC/RTF/HTML original (PDFs and
  scans need none: the original or OCR's searchable PDF is shown as it is).

Printed per file: pages, extraction ms, thumbnail ms, preview ms, preview ms per
page, and the share of the extraction time the two add (a ratio: 0.10 = +10 %).
The browser's own drawing of pages (pdf.js) costs the server nothing.

    PYTHONPATH=. .venv/bin/python bench/previews.py [--repeat 1]
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.benchlib import SHARED, machine_line  # noqa: E402

CORPUS = SHARED / "corpus"
FILES = [
    CORPUS / "pdf-text" / "an_le_so_692023AL.pdf",
    CORPUS / "pdf-text" / "05.signed_20250517_044750.pdf",
    CORPUS / "pdf-scanned" / "2011_12_28_0904000000972844!~!275.pdf",
    CORPUS / "docx" / "nghi_dinh_19_2019_ND_CP.docx",
    CORPUS / "docx" / "an_le_so_262018AL.docx",
    CORPUS / "doc" / "2011_12_28_0207000000930750!~!QD15UB.DOC",
    CORPUS / "html" / "vbpl.html",
    ROOT / "tests" / "samples" / "scan_title.png",
]


def pdf_pages(path: Path) -> int | None:
    from pypdf import PdfReader

    try:
        return len(PdfReader(str(path)).pages)
    except Exception:  # noqa: BLE001 - a count is only for the per-page figure
        return None


def measure(path: Path) -> dict:
    from app.extractors import detect_media_type, extract
    from app.previews import render

    media_type = detect_media_type(path)
    with tempfile.TemporaryDirectory(prefix="bench-previews-") as tmp:
        tmp = Path(tmp)
        started = time.perf_counter()
        result = extract(path, media_type, work_dir=tmp / "extract")  # as the long lane does
        extract_s = time.perf_counter() - started
        pdf, preview_s = None, 0.0
        if media_type in render.OFFICE_SUFFIXES:
            started = time.perf_counter()
            pdf = render.office_pdf(path, media_type, tmp / "office", 180)
            preview_s = time.perf_counter() - started
        elif result.derived_files.get("searchable_pdf"):
            pdf = result.derived_files["searchable_pdf"]
        elif media_type == render.PDF:
            pdf = path
        started = time.perf_counter()
        if pdf is not None:
            render.pdf_thumbnail(pdf, tmp / "thumb.png", 30)
        else:
            render.image_thumbnail(path, tmp / "thumb.png")
        thumb_s = time.perf_counter() - started
        pages = (pdf_pages(pdf) if pdf is not None else None) or result.page_count or 1
    return {"file": path.name, "type": media_type, "pages": pages, "extract": extract_s,
            "thumb": thumb_s, "preview": preview_s}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=1, help="best of N runs per file")
    args = parser.parse_args()
    print(machine_line())
    rows = []
    for path in FILES:
        if not path.exists():
            print(f"missing, skipped: {path}")
            continue
        runs = [measure(path) for _ in range(args.repeat)]
        rows.append(min(runs, key=lambda r: r["extract"] + r["thumb"] + r["preview"]))
    head = (f"{'file':42} {'pages':>5} {'extract ms':>10} {'thumb ms':>8} {'preview ms':>10} "
            f"{'preview ms/page':>15} {'share':>6}")
    print(head)
    print("-" * len(head))
    for r in rows:
        added = r["thumb"] + r["preview"]
        print(f"{r['file'][:42]:42} {r['pages']:>5} {r['extract'] * 1000:>10.0f} "
              f"{r['thumb'] * 1000:>8.0f} {r['preview'] * 1000:>10.0f} "
              f"{r['preview'] * 1000 / r['pages']:>15.0f} {added / r['extract']:>6.2f}")
    total_extract = sum(r["extract"] for r in rows)
    total_thumb = sum(r["thumb"] for r in rows)
    total_preview = sum(r["preview"] for r in rows)
    office = [r for r in rows if r["preview"]]
    office_pages = sum(r["pages"] for r in office) or 1
    print("-" * len(head))
    print(f"thumbnail: median {sorted(r['thumb'] for r in rows)[len(rows) // 2] * 1000:.0f} ms "
          f"per document (page 1 only)")
    print(f"preview (LibreOffice PDF, {len(office)} office/HTML files): "
          f"{total_preview * 1000 / office_pages:.0f} ms per page, "
          f"{total_preview * 1000 / max(1, len(office)):.0f} ms per document")
    print(f"share of ingest: thumbnails + previews add {(total_thumb + total_preview):.1f} s "
          f"to {total_extract:.1f} s of extraction = "
          f"{(total_thumb + total_preview) / total_extract:.2f} "
          f"(thumbnails alone {total_thumb / total_extract:.3f})")


if __name__ == "__main__":
    main()
