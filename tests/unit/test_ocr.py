"""OCR (Tesseract), legacy Word conversion and the whole-corpus outcome.

Small samples (tests/samples, made by make_samples.py) are crops of page 1 of the
real scan ``51 QĐ UB.signed_20250219_231940.pdf``. Expected phrases were read by
a person from the rendered page images (``pdftoppm -r 100 -png``), not from OCR
output. OCR makes small mistakes (``Kê hoạch`` for ``Kế hoạch``), so whole lines
are matched with a tolerance (:func:`edits_to_find`), short phrases exactly.

``test_whole_corpus_ends_with_text_or_reason`` is the one integration-style test
here: it reads every file of ../shared/corpus, OCRing all 11 scans (37 pages,
about a minute on 2 idle cores). Results are shared with test_extractors.py
through ``corpus_result`` (one extraction per file per session).
"""
from __future__ import annotations

import re
import shutil
import time
from pathlib import Path

import pytest

from app.extractors import (
    METHOD_LABELS,
    ExtractionError,
    ExtractionLimits,
    ExtractionResult,
    extract,
    legacy_word,
    ocr,
)
from tests.unit.test_extractors import CORPUS, SAMPLES, assert_clean, corpus_result, squash

TITLE = "Về việc phê duyệt Kế hoạch ứng phó sự cố tràn dầu huyện Nghĩa Hành"
ISSUER = "ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI"
BODY_LINE = "Căn cứ Luật Bảo vệ môi trường ngày 17/11/2020;"


def sample(name: str) -> Path:
    return SAMPLES / name


def edits_to_find(phrase: str, text: str) -> int:
    """Fewest character edits that turn *phrase* into some substring of *text*
    (Sellers' approximate substring matching), whitespace squashed."""
    phrase, text = squash(phrase), squash(text)
    prev = [0] * (len(text) + 1)  # a match may start anywhere in text
    for i, pc in enumerate(phrase, 1):
        cur = [i] + [0] * len(text)
        for j, tc in enumerate(text, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (pc != tc))
        prev = cur
    return min(prev)


def assert_found(phrase: str, text: str, tolerance: float = 0.1) -> None:
    edits = edits_to_find(phrase, text)
    assert edits <= max(1, int(len(phrase) * tolerance)), (phrase, edits, text[:2000])


# ---------------------------------------------------------------------------
# Set-up and helpers
# ---------------------------------------------------------------------------

def test_tesseract_with_vietnamese_is_installed():
    assert ocr.unavailable_reason("vie") is None, "apt-get install tesseract-ocr tesseract-ocr-vie"
    assert "tesseract-ocr-xyz" in ocr.unavailable_reason("vie+xyz")
    assert shutil.which("pdftoppm")


def test_edits_to_find():
    assert edits_to_find("Kế hoạch", "Về việc phê duyệt Kê hoạch ứng phó") == 1
    assert edits_to_find("abc", "xxabcxx") == 0


def test_parse_tsv():
    tsv = ("level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n"
           "1\t1\t0\t0\t0\t0\t0\t0\t100\t100\t-1\t\n"
           "5\t1\t1\t1\t1\t1\t0\t0\t10\t10\t90.5\tQUYẾT\n"
           "5\t1\t1\t1\t1\t2\t0\t0\t10\t10\t70.5\tĐỊNH\n"
           "5\t1\t1\t1\t1\t3\t0\t0\t10\t10\t95\t \n")
    conf, words = ocr.parse_tsv(tsv)
    assert words == 2 and conf == pytest.approx(0.805)
    assert ocr.parse_tsv(tsv.splitlines()[0]) == (None, 0)


def test_render_dpi_keeps_big_pages_under_the_pixel_limit():
    assert ocr.render_dpi(595, 842, 300, 60_000_000) == 300          # A4
    dpi = ocr.render_dpi(2384, 3370, 300, 60_000_000)                 # A0 poster
    assert dpi < 300 and (2384 / 72 * dpi) * (3370 / 72 * dpi) <= 60_000_000


# ---------------------------------------------------------------------------
# Images
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["scan_title.jpg", "scan_title.png"])
def test_image_is_read_by_ocr(name):
    res = extract(sample(name))
    assert res.method == "ocr" and res.methods == ["ocr"] and res.page_count == 1
    assert res.no_text_layer is False
    assert ISSUER in res.text and "huyện Nghĩa Hành" in res.text
    assert_found("QUYẾT ĐỊNH", res.text)
    assert_found(TITLE, res.text)
    assert 0.8 <= res.quality <= 1.0
    assert res.details["ocr_pages"] == [1]
    assert res.derived_files == {}  # no work_dir, no derived files
    assert_clean(res.text)


def test_multipage_tiff_page_by_page_with_progress(tmp_path):
    calls = []
    res = extract(sample("scan_two_pages.tif"), work_dir=tmp_path,
                  progress=lambda done, total: calls.append((done, total)))
    assert res.method == "ocr" and res.page_count == 2
    assert calls == [(0, 2), (1, 2), (2, 2)]
    first, second = res.text.split("\f")
    assert ISSUER in first
    assert_found(BODY_LINE, second)
    pdf = res.derived_files["searchable_pdf"]
    assert pdf.parent == tmp_path and pdf.exists()
    from pypdf import PdfReader

    reader = PdfReader(pdf)
    assert len(reader.pages) == 2
    assert "QUẢNG NGÃI" in reader.pages[0].extract_text()


def test_progress_callback_can_abort():
    class Cancelled(Exception):
        pass

    def progress(done, total):
        raise Cancelled

    with pytest.raises(Cancelled):
        extract(sample("scan_title.jpg"), progress=progress)


def test_corrupt_image(tmp_path):
    f = tmp_path / "cut.jpg"
    f.write_bytes(sample("scan_title.jpg").read_bytes()[:300])
    with pytest.raises(ExtractionError) as exc:
        extract(f)
    assert exc.value.code == "corrupt"


# ---------------------------------------------------------------------------
# Scanned and mixed PDFs
# ---------------------------------------------------------------------------

def test_scanned_pdf_page_gets_ocr_and_a_searchable_copy(tmp_path):
    calls = []
    res = extract(sample("scan_title.pdf"), work_dir=tmp_path,
                  progress=lambda d, t: calls.append((d, t)))
    assert res.method == "ocr" and res.no_text_layer is False and res.page_count == 1
    assert calls == [(0, 1), (1, 1)]
    assert ISSUER in res.text
    assert_found(TITLE, res.text)
    assert res.details["ocr_pages"] == [1] and res.details["ocr_seconds"] >= 0
    out = res.derived_files["searchable_pdf"]
    assert out == tmp_path / "searchable.pdf"
    from pypdf import PdfReader

    original, searchable = PdfReader(sample("scan_title.pdf")), PdfReader(out)
    assert len(searchable.pages) == 1
    assert searchable.pages[0].mediabox == original.pages[0].mediabox
    assert "/Im0" in searchable.pages[0]["/Resources"]["/XObject"]  # the scan is kept
    layer = searchable.pages[0].extract_text()
    assert "QUẢNG NGÃI" in layer
    # the searchable copy goes back through extract() as an ordinary text PDF
    again = extract(out)
    assert again.method == "pdf-text-layer" and "QUẢNG NGÃI" in again.text


def test_no_derived_files_without_work_dir():
    res = extract(sample("scan_title.pdf"))
    assert res.derived_files == {} and ISSUER in res.text


def _mixed_pdf(tmp_path: Path) -> Path:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    writer.add_page(PdfReader(sample("text_vi.pdf")).pages[0])
    writer.add_page(PdfReader(sample("scan_title.pdf")).pages[0])
    f = tmp_path / "mixed.pdf"
    with f.open("wb") as fh:
        writer.write(fh)
    return f


def test_pdf_with_text_layer_and_scanned_pages_gets_both(tmp_path):
    work = tmp_path / "work"
    work.mkdir()
    res = extract(_mixed_pdf(tmp_path), work_dir=work)
    assert res.method == "pdf-text-layer+ocr"
    assert res.methods == ["pdf-text-layer", "ocr"]
    assert res.page_count == 2 and res.details["ocr_pages"] == [2]
    page1, page2 = res.text.split("\f")
    assert "Kết luận của Phó Chủ tịch UBND tỉnh Võ Phiên" in squash(page1)
    assert ISSUER in page2
    assert 0.8 < res.quality < 1.0  # page 1 counts 1.0, page 2 the OCR confidence
    from pypdf import PdfReader

    searchable = PdfReader(res.derived_files["searchable_pdf"])
    assert "Võ Phiên" in searchable.pages[0].extract_text()   # text layer untouched
    assert "QUẢNG NGÃI" in searchable.pages[1].extract_text()  # OCR layer added


def test_without_tesseract_scans_end_as_no_text_layer(tmp_path, monkeypatch):
    real_which = ocr.which
    monkeypatch.setattr(ocr, "which", lambda name: None if name == "tesseract" else real_which(name))
    res = extract(sample("scan_title.pdf"))
    assert res.no_text_layer is True and res.text == "" and res.method == "pdf-text-layer"
    assert any("tesseract" in w and "not installed" in w for w in res.warnings)
    mixed = extract(_mixed_pdf(tmp_path))
    assert mixed.method == "pdf-text-layer" and mixed.no_text_layer is False
    assert mixed.quality == 0.5  # one of two pages has text
    assert any("[2]" in w for w in mixed.warnings)
    img = extract(sample("scan_title.jpg"))
    assert img.no_text_layer is True and img.text == ""


def test_ocr_time_limit_with_no_page_read_is_too_large():
    # a real 10-page scan, 0.5 s: Tesseract is killed on the first pages
    started = time.monotonic()
    with pytest.raises(ExtractionError) as exc:
        extract(CORPUS / "pdf-scanned" / "16CT.signed_20250510_124909.pdf",
                limits=ExtractionLimits(ocr_timeout_s=0.5))
    assert exc.value.code == "too_large" and "OCR time limit" in exc.value.detail
    assert time.monotonic() - started < 10  # the processes were killed, not waited for


def test_ocr_time_limit_keeps_the_pages_read(tmp_path, monkeypatch):
    """Pages read before the limit are kept; the rest is reported and lowers quality."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for _ in range(2):
        writer.add_page(PdfReader(sample("scan_title.pdf")).pages[0])
    f = tmp_path / "two.pdf"
    with f.open("wb") as fh:
        writer.write(fh)
    real = ocr.ocr_image

    def slow_second_page(image, out_base, **kw):
        if Path(image).name.startswith("p00002"):
            raise ocr.ToolTimeout("tesseract did not finish within 1 s")  # killed at the limit
        return real(image, out_base, **kw)

    monkeypatch.setattr(ocr, "ocr_image", slow_second_page)
    res = extract(f, limits=ExtractionLimits(ocr_workers=1))
    assert res.method == "ocr" and res.details["ocr_pages"] == [1]
    assert res.details["ocr_incomplete_pages"] == [2]
    assert any("OCR time limit" in w and "[2]" in w for w in res.warnings)
    page1, page2 = res.text.split("\f")
    assert ISSUER in page1 and page2 == ""
    assert res.quality < 0.5  # the unread page counts as 0


# ---------------------------------------------------------------------------
# Legacy Word
# ---------------------------------------------------------------------------

def test_legacy_word_sample_by_libreoffice():
    res = extract(sample("legacy_word.doc"))
    assert res.method == "doc-libreoffice" and res.quality == 1.0
    lines = res.text.split("\n")
    assert "UBND TỈNH ĐẮK LẮK" in lines and "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in lines  # table
    assert "Sở Thông tin và Truyền thông phối hợp với Công an tỉnh chuẩn bị tài liệu cung cấp thông tin." in lines


def test_legacy_word_falls_back_to_antiword(monkeypatch):
    monkeypatch.setattr(legacy_word, "libreoffice", lambda: None)
    res = extract(sample("legacy_word.doc"))
    assert res.method == "doc-antiword" and res.methods == ["antiword"]
    assert "Sở Thông tin và Truyền thông phối hợp với Công an tỉnh" in squash(res.text)
    assert "UBND TỈNH ĐẮK LẮK" in res.text and "|" not in res.text
    assert any("LibreOffice is not installed" in w for w in res.warnings)


def test_legacy_word_without_any_converter_is_unsupported(monkeypatch):
    monkeypatch.setattr(legacy_word, "libreoffice", lambda: None)
    monkeypatch.setattr(legacy_word, "which", lambda name: None)
    with pytest.raises(ExtractionError) as exc:
        extract(sample("legacy_word.doc"))
    assert exc.value.code == "unsupported" and "LibreOffice" in exc.value.detail


def test_damaged_doc_is_corrupt(tmp_path):
    f = tmp_path / "cut.doc"
    f.write_bytes(sample("legacy_word.doc").read_bytes()[:3000])
    with pytest.raises(ExtractionError) as exc:
        extract(f, media_type="application/msword")
    assert exc.value.code == "corrupt"


# ---------------------------------------------------------------------------
# Real scans: phrases read from the page images
# ---------------------------------------------------------------------------

SCAN_PHRASES = {
    "51 QĐ UB.signed_20250219_231940.pdf": [
        TITLE, ISSUER, "Căn cứ Luật Bảo vệ môi trường ngày 17/11/2020;",
    ],
    "2352 ( 07-CT-UBND).signed_20250221_092046.pdf": [
        "Về việc tăng cường công tác thi hành án hành chính",
        "trên địa bàn tỉnh Quảng Ngãi",
        "Nghị định số 71/2016/NĐ-CP ngày 01/7/2016 của Chính phủ",
    ],
    "01CT_20250509_154257.pdf": [  # 100 dpi colour scan
        "Về việc triển khai sử dụng hóa đơn điện tử",
        "Nghị định số 123/2020/NĐ-CP ngày 19/10/2020",
        "Cục Thuế tỉnh",
    ],
    "2011_12_28_085800000082985!~!KSTTHC.pdf": [  # red seal over the signature
        "Về việc xây dựng kế hoạch rà soát quy định, thủ tục hành chính",
        "Nghị quyết số 30c/NQ-CP ngày 08/11/2011",
        "CHÁNH VĂN PHÒNG",
    ],
}


@pytest.mark.parametrize("name", sorted(SCAN_PHRASES))
def test_scan_phrases(name):
    res = corpus_result(f"pdf-scanned/{name}")
    assert isinstance(res, ExtractionResult), res
    for phrase in SCAN_PHRASES[name]:
        assert_found(phrase, res.text)


# ---------------------------------------------------------------------------
# Integration: every corpus file ends with text or a reason
# ---------------------------------------------------------------------------

def test_whole_corpus_ends_with_text_or_reason():
    """INTEGRATION (slow: OCRs the 11 scans, converts the 8 .doc). Every file in
    ../shared/corpus is indexed with text, or fails with a reason a person reads."""
    files = sorted(p for p in CORPUS.rglob("*") if p.is_file() and p.name != "MANIFEST.tsv")
    assert len(files) == 37
    outcome = {}
    for f in files:
        rel = f.relative_to(CORPUS).as_posix()
        res = corpus_result(rel)
        if isinstance(res, ExtractionError):
            assert res.detail and len(res.detail) > 10, rel
            outcome[rel] = f"failed: {res.code}: {res.detail}"
            continue
        assert res.method in METHOD_LABELS, rel
        assert res.text.strip() and res.no_text_layer is False, (rel, res.warnings)
        assert res.quality is not None and 0 < res.quality <= 1, rel
        assert not any(m.endswith("-to-unicode") for m in res.methods), rel  # all Unicode
        outcome[rel] = f"{res.method} {len(res.text)} chars q={res.quality}"
    failed = {k: v for k, v in outcome.items() if v.startswith("failed")}
    assert not failed, failed
    methods = {v.split()[0] for v in outcome.values()}
    assert methods == {"pdf-text-layer", "ocr", "docx", "doc-libreoffice", "html", "plain-text"}
    scans = [k for k in outcome if k.startswith("pdf-scanned/")]
    assert len(scans) == 11 and all(outcome[k].startswith("ocr ") for k in scans)
    assert re.search(r"\d", outcome[scans[0]])


def test_ocr_text_gets_d_with_stroke_for_eth_and_no_doubled_d():
    from app.text.vietnamese import repair_d

    assert repair_d("số 87/HĐÐĐND-KTNS, 1368/QĐÐ-UBND, ðồng") == (
        "số 87/HĐND-KTNS, 1368/QĐ-UBND, đồng")
