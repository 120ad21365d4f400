"""Rendering a first-page thumbnail and a PDF rendition of an original.

Everything runs in external programs with a time limit (``app.extractors.tools.run``)
or in Pillow with its decompression-bomb guard, so a hostile file costs at most
the limit and never the worker:

- PDF (and the searchable PDF OCR made of a scan): ``pdftoppm`` (poppler-utils)
  renders page 1 scaled to the thumbnail width;
- images (JPEG, PNG, TIFF's first frame, …): Pillow shrinks them;
- DOCX, DOC, RTF and HTML: LibreOffice (already used for .doc) prints a PDF, which
  is then both the preview shown page by page and the source of the thumbnail.

Uploaded HTML is never rendered as it came: only a rebuilt copy with structural
tags and no attributes (no scripts, styles, images, links, frames — nothing
LibreOffice could fetch) is converted.
"""
from __future__ import annotations

import html
import shutil
from pathlib import Path

from bs4 import BeautifulSoup
from bs4.element import NavigableString, Tag

from app.extractors.html import _main_content  # the extractor's choice of the article
from app.extractors.legacy_word import libreoffice
from app.extractors.text import declared_html_charset, decode_bytes
from app.extractors.tools import run, which

THUMB_WIDTH = 240  # px; shown at 120 px wide on hits and lists (sharp on 2x screens)
THUMB_MAX_HEIGHT = 400

PDF = "application/pdf"
IMAGE_TYPES = ("image/png", "image/jpeg", "image/tiff", "image/bmp", "image/x-ms-bmp",
               "image/gif", "image/webp")
HTML_TYPES = ("text/html", "application/xhtml+xml")
#: What LibreOffice turns into a PDF rendition, with the suffix it needs to see.
OFFICE_SUFFIXES = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
    "application/msword": ".doc",
    "text/rtf": ".rtf",
    "application/rtf": ".rtf",
    **{t: ".html" for t in HTML_TYPES},
}


class RenderError(Exception):
    """The file could not be rendered (never fatal: the document simply has no preview)."""


def pdf_thumbnail(pdf: Path, out_png: Path, timeout: float) -> Path:
    """Page 1 of *pdf* as a PNG ``THUMB_WIDTH`` wide (pdftoppm)."""
    binary = which("pdftoppm")
    if binary is None:
        raise RenderError("pdftoppm is not installed (Debian poppler-utils)")
    base = out_png.with_suffix("")
    res = run([binary, "-png", "-f", "1", "-l", "1", "-singlefile",
               "-scale-to-x", str(THUMB_WIDTH), "-scale-to-y", "-1", str(pdf), str(base)],
              timeout=timeout)
    produced = base.with_suffix(".png")
    if res.returncode != 0 or not produced.exists():
        raise RenderError(f"pdftoppm failed ({res.returncode}): {res.err_text[-300:]}")
    return _fit(produced, out_png)


def image_thumbnail(image: Path, out_png: Path) -> Path:
    """The first frame of an image, shrunk to the thumbnail size (Pillow)."""
    from PIL import Image, ImageOps

    try:
        with Image.open(image) as img:
            img.seek(0)
            img.draft("RGB", (THUMB_WIDTH * 2, THUMB_MAX_HEIGHT * 2))  # JPEG: decode small
            frame = ImageOps.exif_transpose(img.convert("RGB"))
            frame.thumbnail((THUMB_WIDTH, THUMB_MAX_HEIGHT))
            frame.save(out_png, "PNG", optimize=True)
    except (OSError, ValueError, Image.DecompressionBombError, SyntaxError) as exc:
        raise RenderError(f"image not readable: {exc}") from exc
    return out_png


def _fit(src: Path, out_png: Path) -> Path:
    """Crop very tall first pages (a long web page printed on one sheet) and optimise."""
    from PIL import Image

    with Image.open(src) as img:
        img = img.convert("RGB")
        if img.height > THUMB_MAX_HEIGHT:
            img = img.crop((0, 0, img.width, THUMB_MAX_HEIGHT))
        img.save(out_png, "PNG", optimize=True)
    return out_png


def office_pdf(src: Path, media_type: str, tmp: Path, timeout: float) -> Path:
    """A PDF of a DOCX/DOC/RTF/HTML original printed by LibreOffice, in *tmp*."""
    binary = libreoffice()
    if binary is None:
        raise RenderError("LibreOffice is not installed (Debian libreoffice-writer-nogui)")
    suffix = OFFICE_SUFFIXES[media_type]
    work = tmp / "in"
    work.mkdir(parents=True, exist_ok=True)
    source = work / f"input{suffix}"  # a neutral name: corpus names carry '!~!', '&', spaces
    if suffix == ".html":
        source.write_text(safe_html(src.read_bytes()), encoding="utf-8")
        export = "pdf:writer_web_pdf_Export"
    else:
        shutil.copyfile(src, source)
        export = "pdf:writer_pdf_Export"
    out_dir = tmp / "out"
    profile = tmp / "profile"
    cmd = [binary, "--headless", "--norestore", "--nolockcheck", "--nodefault",
           f"-env:UserInstallation={profile.as_uri()}",
           "--convert-to", export, "--outdir", str(out_dir), str(source)]
    res = run(cmd, timeout=timeout, env={"HOME": str(tmp), "SAL_USE_VCLPLUGIN": "svp"})
    out = out_dir / "input.pdf"
    if not out.exists() or out.stat().st_size == 0:
        raise RenderError(f"LibreOffice made no PDF ({res.returncode}): {res.err_text[-300:]}")
    return out


# Structure worth keeping on paper; everything else is unwrapped to its text.
_KEEP = frozenset("""p br h1 h2 h3 h4 h5 h6 ul ol li table thead tbody tfoot tr td th caption
b strong i em u sub sup blockquote pre hr dl dt dd""".split())
_DROP = ("script", "style", "noscript", "template", "head", "iframe", "object", "embed",
         "svg", "math", "canvas", "img", "picture", "video", "audio", "source", "link",
         "meta", "base", "input", "button", "select", "textarea", "frame", "frameset")


def safe_html(data: bytes) -> str:
    """A static copy of an uploaded page: structural tags only, no attributes but spans."""
    markup, _encoding, _warnings = decode_bytes(data, declared_html_charset(data))
    soup = BeautifulSoup(markup, "lxml")
    for el in soup.find_all(_DROP):
        el.decompose()
    # The article without the site's menus, as the text was extracted.
    body, _where = _main_content(soup)
    return ("<!doctype html><html><head><meta charset=\"utf-8\"></head><body>"
            + "".join(_clean(child) for child in body.children) + "</body></html>")


def _clean(node) -> str:
    if isinstance(node, NavigableString):
        return html.escape(str(node), quote=False) if type(node) is NavigableString else ""
    if not isinstance(node, Tag):
        return ""
    inner = "".join(_clean(child) for child in node.children)
    name = node.name.lower()
    if name not in _KEEP:
        return inner if name not in ("div", "section", "article") else f"<p>{inner}</p>"
    spans = "".join(f' {a}="{int(node[a])}"' for a in ("colspan", "rowspan")
                    if str(node.get(a, "")).isdigit() and int(node[a]) < 100)
    return f"<{name}>" if name in ("br", "hr") else f"<{name}{spans}>{inner}</{name}>"
