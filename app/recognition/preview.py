"""Read one uploaded file quickly and recognise its metadata, for the upload form.

Run in a child process by :mod:`app.services.suggestions` (which kills it after a
time limit; the child limits its own address space first), so a hostile file cannot
harm the web server:

    python -m app.recognition.preview [--memory-mb N] FILE   -> one JSON object on stdout

Text layers, DOCX, HTML, text and legacy Word are read; scans are not OCR'd here
(that takes minutes: the suggestions then appear on the edit page once the
document has been processed).
"""
from __future__ import annotations

import json
import resource
import sys
from pathlib import Path

def preview(path: Path) -> dict:
    from app.extractors import ExtractionError, ExtractionLimits, extract
    from app.recognition import recognize

    limits = ExtractionLimits(ocr=False, max_pages=300, convert_timeout_s=30.0)
    try:
        result = extract(path, limits=limits)
    except ExtractionError as exc:
        return {"status": "failed", "code": exc.code, "detail": exc.detail[:300]}
    if not result.text.strip():
        return {"status": "no_text", "method": result.method, "pages": result.page_count}
    return {"status": "ok", "method": result.method, "pages": result.page_count,
            "extracted": recognize(result.text).as_dict()}


def main(argv: list[str]) -> int:
    if argv and argv[0].startswith("--memory-mb="):
        limit = int(argv.pop(0).split("=", 1)[1]) * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))   # before any parser loads
    if len(argv) != 1:
        print("usage: python -m app.recognition.preview [--memory-mb N] FILE", file=sys.stderr)
        return 2
    json.dump(preview(Path(argv[0])), sys.stdout, ensure_ascii=False)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
