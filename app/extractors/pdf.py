"""PDF text-layer extraction: pypdf checks the file, PDFium reads the text.

Policy
- pypdf opens the file (damage, encryption, page tree, page sizes) and decodes each
  page's content streams within its decompression limit, so bombs are refused before
  anything expands them. The text itself is read by PDFium (``pypdfium2``): 15 times
  faster than pypdf's layout mode on this corpus, and it splits fewer Vietnamese
  words (pypdf gives ``ph ần``, ``đ ến``). Pages PDFium cannot read (or a file it
  cannot open that pypdf recovered) fall back to pypdf's layout mode, and so do pages
  whose fonts are not embedded (PDFium misreads some of their glyphs).
- Pages are joined with a form feed (``\\f``), like pdftotext; spurious spaces inside
  document symbols (``1479/QĐ -TTg``) are removed.
- Pages that carry (almost) no text are image-only scans: they are rendered and read
  by OCR (:mod:`app.extractors.ocr`), page by page with ``progress``, within
  ``ExtractionLimits.ocr_timeout_s`` for the whole document. Method ``ocr`` when
  every page came from OCR, ``pdf-text-layer+ocr`` when some pages have a text
  layer and others are scans. With a ``work_dir``, a searchable copy of the PDF
  (the original pages with an invisible OCR text layer) is written there
  (``derived_files["searchable_pdf"]``). ``no_text_layer=True`` (with empty text)
  only when OCR is unavailable (warning says why) or found no text.
- OCR time limit: pages not read in time are left empty (one form feed each, so page
  numbers still line up) with a warning, ``details["ocr_incomplete_pages"]`` and a
  quality that counts them as 0; when nothing at all could be read in time the
  result is ``too_large`` ("OCR time limit ...").
- Encrypted PDFs are opened with the empty user password when possible (many
  "encrypted" PDFs only restrict printing/copying); otherwise ``encrypted``.
- Damaged or truncated files: ``corrupt`` when pypdf cannot open them, or when no
  page yields text and the file is truncated (no ``%%EOF``) or pages failed to parse.
  When pypdf recovers and pages yield text (e.g. a signed PDF cut inside its
  incremental signature updates), the text is returned with a warning.
- Text found only in annotation appearance streams (e.g. the document number
  stamped by a signing service on Vietnamese signed PDFs) is *not* extracted:
  PDFium's text page and pypdf read the page content only (pdftotext does show it).
"""
from __future__ import annotations

import tempfile
import time
from pathlib import Path

import pypdfium2 as pdfium
from pypdf import PasswordType, PdfReader
from pypdf.errors import (
    EmptyFileError,
    FileNotDecryptedError,
    LimitReachedError,
    PdfReadError,
    PdfStreamError,
    WrongPasswordError,
)

from .base import (
    CORRUPT,
    OCR_SKIPPED,
    EMPTY,
    ENCRYPTED,
    TOO_LARGE,
    ExtractionError,
    ExtractionLimits,
    ExtractionResult,
    Parser,
)
from . import ocr
from .pdf_pages import (
    capture_pypdf_warnings,
    check_content_size,
    displayed_size,
    fonts_without_programs,
    looks_truncated,
    meaningful_chars,
    pdfium_page_text,
    repair_symbols,
)

# A page with fewer meaningful characters than this is treated as having no text
# (scans sometimes carry a stray page number or a few OCR-less glyphs).
MIN_CHARS_PER_PAGE = 8


_PAGE_ERRORS = (PdfReadError, PdfStreamError, KeyError, ValueError, TypeError, AttributeError,
                IndexError, AssertionError, RecursionError, ZeroDivisionError, UnicodeDecodeError)


class PdfParser(Parser):
    """``engine="pdfium"`` (default) reads text with PDFium; ``engine="pypdf"`` with
    pypdf alone (the fallback, kept for comparison). For pypdf, ``layout=True`` uses its
    layout mode: it splits far fewer words than the plain mode (plain gives ``Dân tộ c``,
    ``1479/QĐ -TTg``), at up to twice the time."""

    media_types = ("application/pdf",)
    method = "pdf-text-layer"

    def __init__(self, limits: ExtractionLimits | None = None, *, layout: bool = True,
                 engine: str = "pdfium"):
        super().__init__(limits)
        self.layout = layout
        self.engine = engine

    def _extract(self, path: Path) -> ExtractionResult:
        warnings_out: list[str] = []
        with capture_pypdf_warnings() as pypdf_msgs:
            reader = self._open(path)
            try:
                n_pages = len(reader.pages)
            except (PdfReadError, PdfStreamError, KeyError, ValueError, TypeError,
                    AttributeError, IndexError, RecursionError) as exc:
                raise ExtractionError(CORRUPT, f"cannot read page tree: {type(exc).__name__}: {exc}") from exc
            if n_pages == 0:
                raise ExtractionError(CORRUPT, "PDF has no readable pages")
            if n_pages > self.limits.max_pages:
                raise ExtractionError(TOO_LARGE, f"{n_pages} pages, limit is {self.limits.max_pages}")

            texts: list[str] = []
            failed: list[int] = []
            total = 0
            fast = self._open_pdfium(path, warnings_out) if self.engine == "pdfium" else None
            fonts: dict = {}                 # font object -> not embedded, for every page
            try:
                for i in range(n_pages):
                    t, page_failed = self._read_page(reader, fast, fonts, i, warnings_out)
                    if page_failed:
                        failed.append(i + 1)
                    texts.append(repair_symbols(t))
                    total += len(t)
                    self.check_chars(total)
            finally:
                if fast is not None:
                    fast.close()

        truncated = looks_truncated(path)
        with_text = [i + 1 for i, t in enumerate(texts) if meaningful_chars(t) >= MIN_CHARS_PER_PAGE]

        if not with_text and (truncated or failed):
            raise ExtractionError(
                CORRUPT,
                "no readable text and the file is damaged"
                + (" (no %%EOF: truncated)" if truncated else "")
                + (f"; pages failed: {failed}" if failed else "")
                + (f"; pypdf: {list(dict.fromkeys(pypdf_msgs))[:3]}" if pypdf_msgs else ""))

        if truncated:
            warnings_out.insert(0, "PDF is truncated (no %%EOF); text may be incomplete")
        if failed:
            warnings_out.insert(0, f"text could not be read from pages {failed}")
        if pypdf_msgs and (truncated or failed):
            warnings_out.append("pypdf: " + "; ".join(dict.fromkeys(pypdf_msgs))[:500])
        without = [p for p in range(1, n_pages + 1) if p not in with_text]
        if not without:
            return ExtractionResult(text="\f".join(texts), page_count=n_pages,
                                    method=self.method, warnings=warnings_out, quality=1.0)
        return self._with_ocr(path, reader, texts, with_text, without, warnings_out)

    # -- OCR of the pages without a text layer ------------------------------------------

    def _with_ocr(self, path: Path, reader: PdfReader, texts: list[str], with_text: list[int],
                  without: list[int], warnings_out: list[str]) -> ExtractionResult:
        n_pages = len(texts)
        layer_method = self.method
        reason = (ocr.unavailable_reason(self.limits.ocr_language) if self.limits.ocr
                  else OCR_SKIPPED)
        if reason is not None:
            warnings_out.append(reason)
            if with_text:
                warnings_out.append(f"pages without a text layer (image-only?): {without}")
                return ExtractionResult(text="\f".join(texts), page_count=n_pages,
                                        method=layer_method, warnings=warnings_out,
                                        quality=round(len(with_text) / n_pages, 3))
            return ExtractionResult(text="", page_count=n_pages, method=layer_method,
                                    no_text_layer=True, warnings=warnings_out)

        # legacy encodings in the text-layer pages (the OCR text is Unicode)
        layer = ExtractionResult(text="\f".join(texts), page_count=n_pages, method=layer_method)
        self.fix_legacy(layer)
        texts = layer.text.split("\f")
        warnings_out.extend(layer.warnings)
        layer_steps = layer.methods[1:]

        sizes = {p - 1: displayed_size(reader, p - 1) for p in without}
        want_pdf = self.work_dir is not None
        deadline = time.monotonic() + self.limits.ocr_timeout_s
        with tempfile.TemporaryDirectory(prefix="ocr-") as tmp:
            run = ocr.ocr_pdf_pages(
                path, sizes, Path(tmp), language=self.limits.ocr_language,
                dpi=self.limits.ocr_dpi, max_pixels=self.limits.ocr_max_pixels,
                deadline=deadline, workers=self.limits.ocr_workers, want_pdf=want_pdf,
                progress=self.progress)
            derived: dict[str, Path] = {}
            text_pdfs = {i: pg.pdf for i, pg in run.pages.items() if pg.pdf is not None and pg.words}
            if want_pdf and text_pdfs:
                out = self.work_dir / "searchable.pdf"
                try:
                    ocr.graft_text_layers(path, text_pdfs, out)
                    derived["searchable_pdf"] = out
                except Exception as exc:  # the text is what matters; the copy is a bonus
                    warnings_out.append(
                        f"searchable PDF not written: {type(exc).__name__}: {exc}")

        ocr_pages: list[int] = []
        scores: list[float] = [1.0] * len(with_text)
        for index in sorted(run.pages):
            page = run.pages[index]
            if page.words:
                texts[index] = page.text
                ocr_pages.append(index + 1)
                scores.append(page.confidence or 0.0)
            elif meaningful_chars(texts[index]) == 0:
                texts[index] = ""
        scores += [0.0] * len(run.missing)
        for err in run.errors:
            warnings_out.append(f"OCR failed on {err}")
        details = {"ocr_pages": ocr_pages, "ocr_seconds": round(run.seconds, 1)}
        if run.missing:
            details["ocr_incomplete_pages"] = [i + 1 for i in run.missing]
            if run.timed_out:
                warnings_out.append(
                    f"OCR time limit ({self.limits.ocr_timeout_s:.0f} s) reached: pages "
                    f"{[i + 1 for i in run.missing]} were not read")
        blank = [i + 1 for i, pg in run.pages.items() if not pg.words]
        if blank:
            warnings_out.append(f"OCR found no text on pages {sorted(blank)}")

        if not ocr_pages and not with_text:
            if run.timed_out:
                raise ExtractionError(
                    TOO_LARGE, f"OCR time limit of {self.limits.ocr_timeout_s:.0f} s reached "
                    f"before any of the {n_pages} pages was read")
            if run.errors and not run.pages:
                raise ExtractionError(CORRUPT, "pages could not be rendered for OCR: "
                                      + "; ".join(run.errors[:3]))
            return ExtractionResult(text="", page_count=n_pages, method="ocr",
                                    no_text_layer=True, warnings=warnings_out,
                                    details=details, derived_files=derived)
        if ocr_pages and with_text:
            method, methods = "pdf-text-layer+ocr", [layer_method, *layer_steps, "ocr"]
        elif ocr_pages:
            method, methods = "ocr", ["ocr"]
        else:
            method, methods = layer_method, [layer_method, *layer_steps]
        details.update(layer.details)
        quality = round(sum(scores) / len(scores), 3) if scores else None
        if layer.quality is not None and quality is not None:
            quality = min(quality, layer.quality)
        return ExtractionResult(text="\f".join(texts), page_count=n_pages, method=method,
                                methods=methods, warnings=warnings_out, quality=quality,
                                derived_files=derived, details=details)

    def _read_page(self, reader: PdfReader, fast: "pdfium.PdfDocument | None", fonts: dict,
                   index: int, warnings_out: list[str]) -> tuple[str, bool]:
        """The text of one page and whether the page failed to parse."""
        try:
            if fast is not None and not fonts_without_programs(reader, index, fonts):
                check_content_size(reader, index)
                try:
                    return pdfium_page_text(fast, index), False
                except pdfium.PdfiumError as exc:
                    warnings_out.append(f"page {index + 1}: PDFium could not read it ({exc}); "
                                        "used pypdf")
            return self._page_text(reader, index, warnings_out), False
        except LimitReachedError as exc:  # a decompression bomb, not damage
            raise ExtractionError(TOO_LARGE, f"page {index + 1}: content expands beyond "
                                             f"the decompression limit ({exc})") from exc
        except _PAGE_ERRORS as exc:
            warnings_out.append(f"page {index + 1}: {type(exc).__name__}: {exc}")
            return "", True

    @staticmethod
    def _open_pdfium(path: Path, warnings_out: list[str]) -> "pdfium.PdfDocument | None":
        try:
            return pdfium.PdfDocument(str(path))  # tries the empty user password
        except pdfium.PdfiumError as exc:  # pypdf recovered what PDFium refuses
            warnings_out.append(f"PDFium could not open the file ({exc}); text read by pypdf")
            return None

    def _page_text(self, reader: PdfReader, index: int, warnings_out: list[str]) -> str:
        page = reader.pages[index]
        if self.layout:
            try:
                return page.extract_text(extraction_mode="layout") or ""
            except MemoryError:
                raise
            except Exception as exc:  # layout mode is the less travelled path: fall back
                warnings_out.append(
                    f"page {index + 1}: layout extraction failed ({type(exc).__name__}: {exc}); "
                    "used plain mode")
        return page.extract_text() or ""

    def _open(self, path: Path) -> PdfReader:
        try:
            reader = PdfReader(path, strict=False)
        except EmptyFileError as exc:
            raise ExtractionError(EMPTY, str(exc)) from exc
        except (PdfReadError, PdfStreamError, ValueError, KeyError, TypeError,
                AttributeError, IndexError, RecursionError) as exc:
            raise ExtractionError(CORRUPT, f"{type(exc).__name__}: {exc}") from exc
        if reader.is_encrypted:
            try:
                ok = reader.decrypt("")
            except (FileNotDecryptedError, WrongPasswordError) as exc:
                raise ExtractionError(ENCRYPTED, str(exc)) from exc
            except (PdfReadError, KeyError, ValueError, TypeError, NotImplementedError) as exc:
                # e.g. certificate (public-key) security handlers pypdf does not implement
                raise ExtractionError(
                    ENCRYPTED, f"cannot decrypt: {type(exc).__name__}: {exc}") from exc
            if ok == PasswordType.NOT_DECRYPTED:
                raise ExtractionError(ENCRYPTED, "PDF needs a user password")
        return reader
