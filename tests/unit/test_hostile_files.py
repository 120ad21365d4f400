"""Files built to exhaust a parser are refused quickly with a clear reason."""
import zipfile
import zlib

import pytest
from pypdf import PdfWriter
from pypdf.generic import NameObject, StreamObject

from config.settings import CORPUS_DIR
from app.extractors import ExtractionError, ExtractionLimits, extract
from tests.conftest import SAMPLES


def test_docx_zip_bomb_is_refused(tmp_path):
    bomb = tmp_path / "bomb.docx"
    with zipfile.ZipFile(SAMPLES / "table_header_footer.docx") as src, \
            zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as out:
        for item in src.infolist():
            if item.filename != "word/document.xml":
                out.writestr(item, src.read(item.filename))
        with out.open("word/document.xml", "w") as xml:
            xml.write(b'<w:document xmlns:w="http://schemas.openxmlformats.org/'
                      b'wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>')
            for _ in range(40):
                xml.write(b"A" * (1 << 20))
            xml.write(b"</w:t></w:r></w:p></w:body></w:document>")
    assert bomb.stat().st_size < 1_000_000  # tiny on disk, 40 MB unpacked
    with pytest.raises(ExtractionError) as refused:
        extract(bomb, limits=ExtractionLimits(max_unpacked_bytes=16 << 20))
    assert refused.value.code == "too_large"
    assert "limit" in refused.value.detail


def test_pdf_decompression_bomb_is_refused(tmp_path):
    writer = PdfWriter()
    page = writer.add_blank_page(612, 792)
    stream = StreamObject()
    stream._data = zlib.compress(b"BT /F1 12 Tf (A) Tj ET\n" * (4 << 20), 9)  # ~96 MB
    stream[NameObject("/Filter")] = NameObject("/FlateDecode")
    page[NameObject("/Contents")] = writer._add_object(stream)
    bomb = tmp_path / "bomb.pdf"
    writer.write(bomb)
    assert bomb.stat().st_size < 1_000_000
    with pytest.raises(ExtractionError) as refused:
        extract(bomb)
    assert refused.value.code == "too_large"
    assert "decompression limit" in refused.value.detail


def test_deeply_nested_html_is_refused(tmp_path):
    page = tmp_path / "nested.html"
    page.write_text("<html><body>" + "<div>" * 5000 + "sâu" + "</div>" * 5000 +
                    "</body></html>", encoding="utf-8")
    with pytest.raises(ExtractionError) as refused:
        extract(page)
    assert refused.value.code == "too_large"
    assert "nested 5002 levels" in refused.value.detail


def test_ordinary_pages_are_not_mistaken_for_nesting_attacks():
    from app.extractors.html import nesting_depth

    corpus = CORPUS_DIR / "html"
    for page in corpus.glob("*.html"):
        assert nesting_depth(page.read_text(encoding="utf-8", errors="replace")) < 1000, page
