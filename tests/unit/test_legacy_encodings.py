"""Legacy Vietnamese encodings TCVN3 (ABC, .VnTime) and VNI (VNI-Times).

Test data: real sentences (the corpus, and the decision QĐ 09/2010/QĐ-UBND kept in
tests/samples/make_samples.py) encoded into TCVN3/VNI with the module's encoders,
then written as the files old offices produced: 8-bit text, HTML, DOCX and Word
97-2003 with the legacy font. The reference mapping was checked by hand against
the well-known examples ``§¶ng bé`` = ``Đảng bộ`` (TCVN3, DOMAIN.md) and
``Xin chaøo caùc baïn`` = ``Xin chào các bạn`` (VNI).
"""
from __future__ import annotations

import io
import re

import pytest

from app.extractors import extract
from app.extractors.encodings import fix_legacy_encoding, from_tcvn3, from_vni, to_tcvn3, to_vni
from tests.unit.test_extractors import (
    CORPUS,
    SAMPLES,
    _make_samples_module,
    assert_clean,
    corpus_result,
)

LINES = _make_samples_module().LEGACY_LINES
SEED = "seeds/tin-2024-hoi-nghi-cung-cap-thong-tin-nhan-quyen.txt"


def seed_text() -> str:
    return (CORPUS / SEED).read_text(encoding="utf-8").strip()


def test_reference_examples():
    assert to_tcvn3("Đảng bộ") == "§¶ng bé"
    assert from_tcvn3("§¶ng bé") == "Đảng bộ"
    assert to_vni("Xin chào các bạn") == "Xin chaøo caùc baïn"
    assert from_vni("Ñaûng boä") == "Đảng bộ"
    # "ư" is byte 0xAD in TCVN3, the soft hyphen in Windows-1252
    assert to_tcvn3("người") == "ng\u00adêi"


def test_round_trips_on_real_text():
    text = seed_text()
    assert from_vni(to_vni(text)) == text
    # TCVN3 has no codes for most uppercase accented letters: they come back lowercase
    assert from_tcvn3(to_tcvn3(text)) == "".join(
        c if from_tcvn3(to_tcvn3(c)) == c else c.lower() for c in text)


@pytest.mark.parametrize("encode,name", [(to_tcvn3, "tcvn3"), (to_vni, "vni")])
def test_whole_document_in_a_legacy_encoding(encode, name):
    text = seed_text()
    fixed = fix_legacy_encoding(encode(text))
    assert fixed.encoding == name and fixed.converted > 200
    assert fixed.quality > 0.9
    if name == "vni":
        assert fixed.text == text
    else:
        assert fixed.text.casefold() == text.casefold()


@pytest.mark.parametrize("name", ["tcvn3.txt", "vni.txt"])
def test_legacy_text_files(name):
    res = extract(SAMPLES / name)
    enc = name.split(".")[0]
    assert res.method == "plain-text" and res.methods == ["plain-text", f"{enc}-to-unicode"]
    assert res.details["legacy_encoding"] == enc
    assert any(enc.upper() in w for w in res.warnings)
    lines = res.text.split("\n")
    assert lines[0] == "ỦY BAN NHÂN DÂN THÀNH PHỐ CẦN THƠ"  # capitals kept (heading rule)
    assert lines[1:4] == LINES[1:4]
    assert_clean(res.text)


def test_vntime_word_97_document():
    res = extract(SAMPLES / "tcvn3_vntime.doc")
    assert res.method == "doc-libreoffice"
    assert res.methods == ["libreoffice", "docx", "tcvn3-to-unicode"]
    assert "Căn cứ Luật Khoa học và Công nghệ ngày 09 tháng 6 năm 2000;" in res.text
    # 0xAD ("ư") survives Word's soft-hyphen handling: "trưởng", "nhiệm"
    assert "Thủ trưởng cơ quan" in res.text
    assert res.quality == 1.0


def test_vni_docx(tmp_path):
    sample = _make_samples_module()
    f = tmp_path / "vni.docx"
    f.write_bytes(sample.legacy_docx([to_vni(line) for line in LINES], "VNI-Times"))
    res = extract(f)
    assert res.methods == ["docx", "vni-to-unicode"]
    assert res.text.split("\n") == LINES


def test_tcvn3_html_page(tmp_path):
    body = "".join(f"<p>{to_tcvn3(line)}</p>" for line in LINES[1:])
    f = tmp_path / "old.htm"
    f.write_bytes(('<html><head><meta charset="windows-1252"></head><body>'
                   '<p style="font-family:.VnTime">' + body + "</p></body></html>").encode("cp1252"))
    res = extract(f)
    assert res.methods == ["html", "tcvn3-to-unicode"]
    assert "Theo đề nghị của Giám đốc Sở Khoa học và Công nghệ," in res.text


def test_legacy_header_in_a_unicode_document():
    """Only the legacy words are converted; real Unicode words are left alone."""
    header = to_tcvn3("Căn cứ Luật Khoa học và Công nghệ ngày 09 tháng 6 năm 2000;")
    body = seed_text()
    fixed = fix_legacy_encoding(header + "\n" + body)
    assert fixed.encoding == "tcvn3"
    first, rest = fixed.text.split("\n", 1)
    assert first == "Căn cứ Luật Khoa học và Công nghệ ngày 09 tháng 6 năm 2000;"
    assert rest == body


@pytest.mark.parametrize("text", [
    "Crème brûlée à la carte, São Paulo, Zürich, Ærø, naïve façade, Ångström.",
    "© 2024 — giá 1.000 € · 25 °C · ½ kg · § 3 ¶ 2 «trích dẫn»",
    "Hội nghị cung cấp thông tin cho báo chí về công tác nhân quyền và thông tin đối ngoại",
])
def test_ordinary_text_is_not_converted(text):
    fixed = fix_legacy_encoding(text)
    assert fixed.encoding is None and fixed.text == text


def test_decomposed_unicode_is_not_mistaken_for_tcvn3():
    import unicodedata

    text = unicodedata.normalize("NFD", seed_text())
    assert fix_legacy_encoding(text + " ©®§¶").encoding is None


def test_no_corpus_file_is_converted():
    """The corpus is Unicode: no false positive on real documents."""
    for sub in ("docx", "html", "seeds", "pdf-text", "doc"):
        for f in sorted((CORPUS / sub).iterdir()):
            res = corpus_result(f"{sub}/{f.name}")
            assert not any(m.endswith("-to-unicode") for m in res.methods), f.name


def test_quality_reflects_unconvertible_words():
    text = to_vni(seed_text()) + " " + " ".join(["Qwøx"] * 80)
    fixed = fix_legacy_encoding(text)
    assert fixed.encoding == "vni" and 0.5 < fixed.quality < 0.95
    assert re.search(r"Hội nghị", fixed.text)


def test_cp1258_decoded_vni_text():
    # VNI bytes look like Windows-1258 tone marks: the text parser guesses cp1258,
    # and the conversion goes back through that codec
    data = to_vni("\n".join(LINES)).encode("cp1252")
    f = io.BytesIO(data)
    assert f.getvalue().decode("cp1258") != data.decode("cp1252")
    fixed = fix_legacy_encoding(data.decode("cp1258"), codec="cp1258")
    assert fixed.encoding == "vni"
    import unicodedata

    assert unicodedata.normalize("NFC", fixed.text).split("\n") == LINES
