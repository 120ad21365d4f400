"""Images (JPEG, PNG, TIFF incl. multi-page fax TIFFs, BMP, GIF, WebP) read by OCR.

Pillow opens the image (and refuses decompression bombs), every frame is saved
as a greyscale PNG (the red channel of colour images: see ``ocr.grey_for_ocr``) no larger than ``ExtractionLimits.ocr_max_pixels`` and read by
Tesseract, page by page with ``progress``, within ``ocr_timeout_s``. With a
``work_dir``, Tesseract's image+text PDF pages are joined into a searchable PDF.
``page_count`` is the number of frames. An image without text gives an empty
result with ``no_text_layer=True`` (not an error); an unreadable one is ``corrupt``.
"""
from __future__ import annotations

import tempfile
import time
import warnings as pywarnings
from pathlib import Path

from .base import CORRUPT, OCR_SKIPPED, TOO_LARGE, ExtractionError, ExtractionResult, Parser
from . import ocr
from .tools import ToolTimeout

IMAGE_TYPES = ("image/png", "image/jpeg", "image/tiff", "image/bmp", "image/x-ms-bmp",
               "image/gif", "image/webp")
MAX_FRAMES = 2000


class ImageParser(Parser):
    media_types = IMAGE_TYPES
    method = "ocr"
    legacy_encodings = False

    def _extract(self, path: Path) -> ExtractionResult:
        from PIL import Image, UnidentifiedImageError

        warnings: list[str] = []
        try:
            with pywarnings.catch_warnings():
                pywarnings.simplefilter("error", Image.DecompressionBombWarning)
                img = Image.open(path)
                img.load()
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise ExtractionError(TOO_LARGE, f"image too large: {exc}") from exc
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
            raise ExtractionError(CORRUPT, f"unreadable image: {type(exc).__name__}: {exc}") from exc
        n_frames = getattr(img, "n_frames", 1) or 1
        if n_frames > MAX_FRAMES:
            raise ExtractionError(TOO_LARGE, f"{n_frames} frames, limit is {MAX_FRAMES}")
        if n_frames > self.limits.max_pages:
            raise ExtractionError(TOO_LARGE, f"{n_frames} pages, limit is {self.limits.max_pages}")

        reason = (ocr.unavailable_reason(self.limits.ocr_language) if self.limits.ocr
                  else OCR_SKIPPED)
        if reason is not None:
            return ExtractionResult(text="", page_count=n_frames, method=self.method,
                                    no_text_layer=True, warnings=[reason])

        deadline = time.monotonic() + self.limits.ocr_timeout_s
        started = time.monotonic()
        want_pdf = self.work_dir is not None
        texts: list[str] = [""] * n_frames
        scores: list[float] = []
        read: list[int] = []
        blank: list[int] = []
        missing: list[int] = []
        timed_out = False
        page_pdfs: list[Path] = []
        derived: dict[str, Path] = {}
        if self.progress:
            self.progress(0, n_frames)
        with tempfile.TemporaryDirectory(prefix="ocr-img-") as tmp:
            tmpdir = Path(tmp)
            for i in range(n_frames):
                if time.monotonic() >= deadline:
                    timed_out = True
                    missing.extend(range(i + 1, n_frames + 1))
                    break
                img.seek(i)
                png, dpi = self._frame_png(img, tmpdir / f"f{i + 1:05d}.png")
                try:
                    page = ocr.ocr_image(png, tmpdir / f"f{i + 1:05d}", language=self.limits.ocr_language,
                                         timeout=deadline - time.monotonic(),
                                         pdf="full" if want_pdf else None, dpi=dpi)
                except ToolTimeout:
                    timed_out = True
                    missing.extend(range(i + 1, n_frames + 1))
                    break
                except RuntimeError as exc:
                    warnings.append(f"OCR failed on page {i + 1}: {exc}")
                    missing.append(i + 1)
                    scores.append(0.0)
                    continue
                finally:
                    png.unlink(missing_ok=True)
                if page.words:
                    texts[i] = page.text
                    read.append(i + 1)
                    scores.append(page.confidence or 0.0)
                else:
                    blank.append(i + 1)
                if page.pdf is not None:
                    page_pdfs.append(page.pdf)
                if self.progress:
                    self.progress(i + 1, n_frames)
            if want_pdf and page_pdfs and read:
                out = self.work_dir / "searchable.pdf"
                try:
                    _join_pdfs(page_pdfs, out)
                    derived["searchable_pdf"] = out
                except Exception as exc:
                    warnings.append(f"searchable PDF not written: {type(exc).__name__}: {exc}")

        details = {"ocr_pages": read, "ocr_seconds": round(time.monotonic() - started, 1)}
        if missing:
            details["ocr_incomplete_pages"] = missing
            scores += [0.0] * len([m for m in missing if m not in read])
            if timed_out:
                warnings.append(f"OCR time limit ({self.limits.ocr_timeout_s:.0f} s) reached: "
                                f"pages {missing} were not read")
        if blank:
            warnings.append(f"OCR found no text on pages {blank}")
        if not read:
            if timed_out:
                raise ExtractionError(TOO_LARGE, f"OCR time limit of {self.limits.ocr_timeout_s:.0f} s "
                                      "reached before any page was read")
            return ExtractionResult(text="", page_count=n_frames, method=self.method,
                                    no_text_layer=True, warnings=warnings, details=details)
        return ExtractionResult(text="\f".join(texts), page_count=n_frames, method=self.method,
                                warnings=warnings, quality=round(sum(scores) / len(scores), 3),
                                derived_files=derived, details=details)

    def _frame_png(self, img, out: Path) -> tuple[Path, int | None]:
        """The current frame as a greyscale PNG under the pixel limit; its DPI if known."""
        from PIL import Image

        dpi_info = img.info.get("dpi")
        dpi = None
        if dpi_info:
            try:
                dpi = int(round(float(dpi_info[0])))
            except (TypeError, ValueError, IndexError):
                dpi = None
        if dpi is not None and not 50 <= dpi <= 2400:
            dpi = None
        frame = ocr.grey_for_ocr(img)
        frame = frame.copy() if frame is img else frame
        w, h = frame.size
        if w * h > self.limits.ocr_max_pixels:
            scale = (self.limits.ocr_max_pixels / (w * h)) ** 0.5
            frame = frame.convert("L").resize((max(1, int(w * scale)), max(1, int(h * scale))),
                                              Image.LANCZOS)
            if dpi:
                dpi = max(50, int(dpi * scale))
        # tiny images (icons, a 1x1 pixel): Tesseract needs a few pixels of margin
        if min(frame.size) < 8:
            canvas = Image.new("L", (max(frame.size[0], 8) + 16, max(frame.size[1], 8) + 16), 255)
            canvas.paste(frame.convert("L"), (8, 8))
            frame = canvas
        frame.save(out, format="PNG", dpi=(dpi, dpi) if dpi else None)
        return out, dpi


def _join_pdfs(parts: list[Path], out: Path) -> None:
    from pypdf import PdfWriter

    writer = PdfWriter()
    for part in parts:
        writer.append(str(part))
    with out.open("wb") as fh:
        writer.write(fh)
