"""OCR with Tesseract (Debian ``tesseract-ocr`` + ``tesseract-ocr-vie``).

Why the ``tesseract`` command and not OCRmyPDF/pytesseract: the pipeline here is
small (render a page with ``pdftoppm``, recognise it, read TSV confidences, graft
Tesseract's text-only PDF page onto the original page with pypdf), and owning it
gives what the archive needs: page-by-page progress, one time limit for the whole
document that kills the running processes, PDFs with text on some pages and
scans on others, and no second Python runtime (Debian's ocrmypdf brings 39
packages / 86 MB: Ghostscript, qpdf, its own pikepdf).

Tesseract runs with ``OMP_THREAD_LIMIT=1``: on 2 cores its OpenMP threads make a
page *slower* (6.7 s vs 3.1 s wall on a 300 dpi A4 scan); pages run in parallel
instead (``ExtractionLimits.ocr_workers``).
"""
from __future__ import annotations

import logging
import math
import time
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Callable

from app.text.vietnamese import repair_d

from .tools import ToolTimeout, run, which

log = logging.getLogger(__name__)

_ENV = {"OMP_THREAD_LIMIT": "1"}


@dataclass
class PageOCR:
    text: str
    confidence: float | None    # mean word confidence, 0..1 (None: no word found)
    words: int
    pdf: Path | None = None     # Tesseract's PDF of this page (when asked for)


@dataclass
class OcrRun:
    pages: dict[int, PageOCR] = field(default_factory=dict)   # 0-based page index -> result
    missing: list[int] = field(default_factory=list)          # 0-based, not read
    timed_out: bool = False
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0


@lru_cache(maxsize=8)
def _langs(binary: str) -> frozenset[str]:
    try:
        res = run([binary, "--list-langs"], timeout=30)
    except (OSError, ToolTimeout):
        return frozenset()
    lines = (res.stdout + res.stderr).decode("utf-8", "replace").splitlines()
    return frozenset(line.strip() for line in lines[1:] if line.strip())


def unavailable_reason(language: str = "vie") -> str | None:
    """None when Tesseract can OCR *language*; otherwise why not (for a warning)."""
    binary = which("tesseract")
    if not binary:
        return "OCR unavailable: the tesseract program is not installed (Debian tesseract-ocr)"
    have = _langs(binary)
    missing = [lang for lang in language.split("+") if lang not in have]
    if missing:
        return (f"OCR unavailable: Tesseract has no language data for {', '.join(missing)} "
                f"(Debian tesseract-ocr-{missing[0]})")
    return None


def parse_tsv(tsv: str) -> tuple[float | None, int]:
    """(mean word confidence 0..1, number of words) from Tesseract's TSV output."""
    confs: list[float] = []
    for line in tsv.splitlines()[1:]:
        cols = line.split("\t")
        if len(cols) < 12 or cols[0] != "5" or not cols[11].strip():
            continue
        try:
            conf = float(cols[10])
        except ValueError:
            continue
        if conf >= 0:
            confs.append(conf)
    if not confs:
        return None, 0
    return sum(confs) / len(confs) / 100.0, len(confs)


def ocr_image(image: Path, out_base: Path, *, language: str, timeout: float,
              pdf: str | None = None, dpi: int | None = None) -> PageOCR:
    """OCR one image. *pdf*: None, "textonly" (invisible text only, to graft onto an
    original PDF page) or "full" (image + text)."""
    binary = which("tesseract")
    if not binary:
        raise FileNotFoundError("tesseract")
    cmd = [binary, str(image), str(out_base), "-l", language, "--psm", "3"]
    if dpi:
        cmd += ["--dpi", str(dpi)]
    if pdf == "textonly":
        cmd += ["-c", "textonly_pdf=1"]
    cmd += ["txt", "tsv"] + (["pdf"] if pdf else [])
    res = run(cmd, timeout=timeout, env=_ENV)
    txt = out_base.with_suffix(".txt")
    if res.returncode != 0 or not txt.exists():
        raise RuntimeError(f"tesseract failed ({res.returncode}): {res.err_text[-300:]}")
    # Tesseract's Vietnamese model often reads Đ as Ð and doubles it
    text = repair_d(txt.read_text(encoding="utf-8", errors="replace"))
    tsv = out_base.with_suffix(".tsv")
    conf, words = parse_tsv(tsv.read_text(encoding="utf-8", errors="replace")) if tsv.exists() else (None, 0)
    pdf_path = out_base.with_suffix(".pdf") if pdf else None
    if pdf_path is not None and not pdf_path.exists():
        pdf_path = None
    return PageOCR(text=text, confidence=conf, words=words, pdf=pdf_path)


def grey_for_ocr(img):
    """The greyscale image Tesseract reads: the RED channel of colour images.

    Vietnamese documents carry a red seal over the signer's position and name (and
    red receipt stamps over the text). In luminance grey the seal is as dark as the
    text and Tesseract loses the lines under it; in the red channel it turns white
    while black (and blue) ink stays dark: on the corpus scan KSTTHC this brings
    back "CHÁNH VĂN PHÒNG" and "Trần Thị Thu Hương". Cost: text printed in red
    (rare; some urgency stamps) fades too. Grey and bitonal images are unchanged."""
    if img.mode in ("1", "L"):
        return img
    if img.mode in ("I", "I;16", "F"):
        return img.convert("L")
    return img.convert("RGB").getchannel("R")


def ocr_grey(src: Path, dst: Path) -> None:
    from PIL import Image

    with Image.open(src) as img:
        grey_for_ocr(img).save(dst)


def render_dpi(width_pt: float, height_pt: float, dpi: int, max_pixels: int) -> int:
    """*dpi*, lowered so that the rendered page stays under *max_pixels*."""
    px = (width_pt / 72 * dpi) * (height_pt / 72 * dpi)
    if px <= max_pixels or px <= 0:
        return dpi
    return max(72, int(dpi * math.sqrt(max_pixels / px)))


def ocr_pdf_pages(pdf: Path, pages: dict[int, tuple[float, float]], tmp: Path, *,
                  language: str, dpi: int, max_pixels: int, deadline: float, workers: int,
                  want_pdf: bool, progress: Callable[[int, int], None] | None = None) -> OcrRun:
    """Render and OCR the pages *pages* (0-based index -> displayed size in points)
    of *pdf*, in parallel, until *deadline* (``time.monotonic()``)."""
    started = time.monotonic()
    result = OcrRun()
    order = sorted(pages)
    total = len(order)
    pdftoppm = which("pdftoppm")
    if not pdftoppm:
        raise FileNotFoundError("pdftoppm (Debian poppler-utils) is needed to render PDF pages for OCR")
    if progress:
        progress(0, total)

    def one(index: int) -> PageOCR | None:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return None
        w, h = pages[index]
        page_dpi = render_dpi(w, h, dpi, max_pixels)
        prefix = tmp / f"p{index + 1:05d}"
        # raw PPM: writing and reading a PNG costs more than the rendering itself
        res = run([pdftoppm, "-r", str(page_dpi), "-cropbox", "-singlefile",
                   "-f", str(index + 1), "-l", str(index + 1), str(pdf), str(prefix)],
                  timeout=remaining)
        ppm = prefix.with_suffix(".ppm")
        if res.returncode != 0 or not ppm.exists():
            raise RuntimeError(f"pdftoppm failed ({res.returncode}): {res.err_text[-300:]}")
        png = prefix.with_suffix(".pgm")
        try:
            ocr_grey(ppm, png)
        finally:
            ppm.unlink(missing_ok=True)
        try:
            return ocr_image(png, prefix, language=language, dpi=page_dpi,
                             timeout=deadline - time.monotonic(),
                             pdf="textonly" if want_pdf else None)
        finally:
            png.unlink(missing_ok=True)

    done = 0
    with ThreadPoolExecutor(max_workers=max(1, workers), thread_name_prefix="ocr") as pool:
        futures = {pool.submit(one, i): i for i in order}
        pending = set(futures)
        try:
            while pending:
                finished, pending = wait(pending, return_when=FIRST_COMPLETED)
                for fut in finished:
                    index = futures[fut]
                    try:
                        page = fut.result()
                        if page is None:  # the time limit had passed before it started
                            result.timed_out = True
                    except ToolTimeout:  # killed at the time limit
                        page = None
                        result.timed_out = True
                    except (RuntimeError, OSError) as exc:
                        result.errors.append(f"page {index + 1}: {exc}")
                        page = None
                    if page is None:
                        result.missing.append(index)
                    else:
                        result.pages[index] = page
                    done += 1
                    if progress:
                        progress(done, total)
        finally:
            for fut in pending:
                fut.cancel()
    result.missing.sort()
    result.seconds = time.monotonic() - started
    return result


def graft_text_layers(original: Path, text_pages: dict[int, Path], out: Path) -> None:
    """Write *out*: *original* with Tesseract's text-only PDF page *text_pages[i]* laid
    over page *i* (scaled to the crop box, following /Rotate), like OCRmyPDF does.
    The original's images stay untouched; its digital signatures no longer verify."""
    from pypdf import PdfReader, PdfWriter, Transformation

    reader = PdfReader(original, strict=False)
    if reader.is_encrypted:
        reader.decrypt("")
    writer = PdfWriter(clone_from=reader)
    for index, text_pdf in sorted(text_pages.items()):
        text_page = PdfReader(text_pdf).pages[0]
        page = writer.pages[index]
        box = page.cropbox
        left, bottom = float(box.left), float(box.bottom)
        w, h = float(box.width), float(box.height)
        rot = (page.rotation or 0) % 360
        dw, dh = (w, h) if rot in (0, 180) else (h, w)
        tw, th = float(text_page.mediabox.width), float(text_page.mediabox.height)
        sx, sy = dw / tw, dh / th
        ctm = {
            0: (sx, 0, 0, sy, left, bottom),
            90: (0, sx, -sy, 0, left + w, bottom),
            180: (-sx, 0, 0, -sy, left + w, bottom + h),
            270: (0, -sx, sy, 0, left, bottom + h),
        }.get(rot, (sx, 0, 0, sy, left, bottom))
        page.merge_transformed_page(text_page, Transformation(ctm), over=True)
    with out.open("wb") as fh:
        writer.write(fh)
