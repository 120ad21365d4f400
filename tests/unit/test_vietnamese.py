"""Tests for app.text.vietnamese: normalisation, folding, variants, symbols."""
from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from config.settings import CORPUS_DIR
from app.text.vietnamese import (
    fold,
    has_diacritics,
    normalize,
    normalize_number_symbol,
    search_form,
    syllable_variants,
)

SEEDS = CORPUS_DIR / "seeds"

# (canonical, alternate) tone placements; the canonical one is traditional style.
PLACEMENT_PAIRS = [
    ("hòa", "hoà"), ("hóa", "hoá"), ("thủy", "thuỷ"), ("ủy", "uỷ"), ("khỏe", "khoẻ"),
    ("thỏa", "thoả"), ("lũy", "luỹ"), ("tùy", "tuỳ"), ("hủy", "huỷ"), ("tòa", "toà"),
    ("khóa", "khoá"), ("xòe", "xoè"), ("ngoại", "ngoại"), ("quý", "quý"), ("quả", "quả"),
    ("giá", "giá"), ("giữ", "giữ"), ("quỳnh", "quỳnh"), ("hoàn", "hòan"),
    ("huỳnh", "hùynh"), ("hoài", "hòai"), ("khuỷu", "khuỷu"), ("nguyễn", "nguyễn"),
]

# Real syllables, including both placements of the ambiguous clusters and the
# qu-/gi- words that must stay untouched.
SYLLABLES = sorted({w for pair in PLACEMENT_PAIRS for w in pair} | set(
    "nhân quyền đường dương đảng bộ tỉnh điện biên ban hội đồng thông tin truyền "
    "quyết định thủ tướng chính phủ nghị nghĩa việt nam người nước giữa quyển "
    "chuyển hướng dẫn báo chí cung cấp hoạch hoạt ngoài xoáy ngoằn khuya thuở "
    "tiếng yêu rượu muối hoặc xuân thuế khuấy ngoẹo luật dân sự điều khoản "
    "trưởng phó văn bản số ký hiệu ngày tháng năm của và các được theo".split()))

_TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"


def _to_hop(word: str) -> str:
    """'Unicode tổ hợp': vowel marks precomposed, tone marks combining."""
    out = []
    for ch in word:
        decomposed = unicodedata.normalize("NFD", ch)
        tones = "".join(c for c in decomposed if c in _TONE_MARKS)
        rest = "".join(c for c in decomposed if c not in _TONE_MARKS)
        out.append(unicodedata.normalize("NFC", rest) + tones)
    return "".join(out)


_FORMS = {
    "nfc": lambda w: w,
    "nfd": lambda w: unicodedata.normalize("NFD", w),
    "to_hop": _to_hop,
}
_CASES = {"lower": str.lower, "upper": str.upper, "title": str.title}


@st.composite
def vi_words(draw, pool=SYLLABLES):
    word = draw(st.sampled_from(pool))
    case = draw(st.sampled_from([*sorted(_CASES), "mixed"]))
    if case == "mixed":
        word = "".join(c.upper() if draw(st.booleans()) else c for c in word)
    else:
        word = _CASES[case](word)
    return _FORMS[draw(st.sampled_from(sorted(_FORMS)))](word)


separators = st.sampled_from([" ", " ", ", ", ". ", "\n", "\u00a0", "-", "/", "\u200b "])
vi_texts = st.lists(st.tuples(vi_words(), separators), max_size=25).map(
    lambda parts: "".join(w + s for w, s in parts))
any_texts = st.text(max_size=60) | vi_texts


def _seed(name: str) -> str:
    return (SEEDS / name).read_text(encoding="utf-8")


# --- properties ---------------------------------------------------------------------


@given(any_texts)
def test_normalize_is_idempotent(text):
    once = normalize(text)
    assert normalize(once) == once


@given(any_texts)
@example("\u0627\u0301\u0653")  # stripping U+0301 lets alef + maddah compose
def test_fold_is_idempotent(text):
    once = fold(text)
    assert fold(once) == once


@given(any_texts)
@example("\u0130\u031b")  # "İ".lower() adds U+0307 out of canonical order
def test_search_form_is_idempotent(text):
    once = search_form(text)
    assert search_form(once) == once


@given(any_texts)
def test_fold_ignores_normalize(text):
    assert fold(normalize(text)) == fold(text)


@given(vi_texts)
def test_normalize_output_is_nfc_and_keeps_case_and_length_of_vietnamese(text):
    out = normalize(text)
    assert unicodedata.is_normalized("NFC", out)
    # Only zero-width characters disappear; everything else maps 1:1 after NFC.
    nfc = unicodedata.normalize("NFC", text.replace("\u200b", ""))
    assert len(out) == len(nfc)
    assert [c.isupper() for c in out] == [c.isupper() for c in nfc]


@given(st.lists(st.tuples(st.sampled_from(range(len(PLACEMENT_PAIRS))),
                          st.sampled_from(sorted(_CASES)),
                          st.sampled_from(sorted(_FORMS)), st.sampled_from(sorted(_FORMS))),
                min_size=1, max_size=10))
def test_both_placements_normalize_to_one_form(choices):
    canon, alt = [], []
    for index, case, form_a, form_b in choices:
        c, a = PLACEMENT_PAIRS[index]
        canon.append(_FORMS[form_a](_CASES[case](c)))
        alt.append(_FORMS[form_b](_CASES[case](a)))
    expected = " ".join(_CASES[case](PLACEMENT_PAIRS[i][0]) for i, case, _, _ in choices)
    assert normalize(" ".join(canon)) == expected
    assert normalize(" ".join(alt)) == expected


@given(vi_words())
def test_canonical_form_does_not_depend_on_case(word):
    assert normalize(word).lower() == normalize(word.lower())
    assert normalize(word).upper() == normalize(word.upper())


@given(vi_texts)
def test_fold_preserves_length_of_search_form(text):
    exact = search_form(text)
    folded = fold(exact)
    assert len(folded) == len(exact)
    assert folded == "".join(fold(c) for c in exact)
    assert folded.isascii() or not has_diacritics(folded)


@given(vi_texts)
def test_has_diacritics_matches_fold(text):
    assert has_diacritics(text) == (fold(text) != search_form(text))


@given(vi_words())
def test_syllable_variants_contain_the_real_word(word):
    variants = syllable_variants(fold(word))
    assert search_form(word) in variants
    assert syllable_variants(word) == variants


# --- concrete cases -------------------------------------------------------------------


@pytest.mark.parametrize("canonical, alternate", PLACEMENT_PAIRS)
def test_placement_pairs(canonical, alternate):
    for case in _CASES.values():
        for form in _FORMS.values():
            assert normalize(form(case(alternate))) == case(canonical)
            assert normalize(form(case(canonical))) == case(canonical)


def test_fold_examples():
    assert fold("Đảng bộ tỉnh Điện Biên") == "dang bo tinh dien bien"
    assert fold("nhân quyền") == "nhan quyen"
    assert fold("ĐƯỜNG") == "duong"
    assert fold(unicodedata.normalize("NFD", "Nghị định")) == "nghi dinh"
    assert fold("QÐ") == "qd"  # U+00D0 look-alike of Đ


def test_normalize_cleans_invisible_and_typographic_characters():
    raw = "Quyết\u00a0định\u200b số 1079/QĐ\u2011TTg “về” ‘việc’ xử\u00ad lý\u2009– hết — x"
    assert normalize(raw) == "Quyết định số 1079/QĐ-TTg \"về\" 'việc' xử lý - hết — x"


def test_normalize_leaves_foreign_and_glued_words_alone():
    for text in ("João", "HoàBình", "quý", "quỳ", "giá", "giữ", "quả", "café"):
        assert normalize(text) == text


def test_search_form_and_has_diacritics():
    assert search_form("Ủy Ban Nhân Dân") == "ủy ban nhân dân"
    assert search_form("UỶ BAN") == "ủy ban"
    assert has_diacritics("nhân") and has_diacritics("Đ")
    assert not has_diacritics("nhan quyen 1079/QD-TTg")


@pytest.mark.parametrize("name, changes", [
    ("ke-hoach-2024-dak-lak-hoi-nghi-bao-chi.txt", {("uỷ", "ủy"), ("Uỷ", "Ủy")}),
    ("tin-2023-dien-bien-truyen-thong-chinh-sach.txt", {("hoá", "hóa"), ("khoá", "khóa")}),
    ("tin-btttt-huong-dan-qd-1079.txt", set()),
])
def test_normalize_real_text_only_moves_tone_marks(name, changes):
    text = _seed(name)
    out = normalize(text)
    assert len(out) == len(text)
    quotes = str.maketrans("“”‘’", "\"\"''")
    assert re.sub(r"\w+", "", out) == re.sub(r"\w+", "", text).translate(quotes)
    pairs = {(a, b) for a, b in zip(re.findall(r"\w+", text), re.findall(r"\w+", out)) if a != b}
    assert pairs == changes
    assert fold(out) == fold(text)


def test_fold_is_length_preserving_on_real_text():
    for path in sorted(SEEDS.glob("*.txt")):
        exact = search_form(path.read_text(encoding="utf-8"))
        assert len(fold(exact)) == len(exact), path.name


def test_every_seed_word_is_among_its_variants():
    words = set()
    for path in sorted(SEEDS.glob("*.txt")):
        words |= {w for w in re.findall(r"[^\W\d_]+", search_form(path.read_text("utf-8")))}
    missing = [w for w in sorted(words) if w not in syllable_variants(fold(w))]
    assert missing == []


def test_syllable_variants_examples():
    nhan = syllable_variants("nhan")
    assert {"nhân", "nhận", "nhắn", "nhãn", "nhan"} <= set(nhan)
    assert "quyền" in syllable_variants("quyen")
    assert {"đường", "dương", "đương"} <= set(syllable_variants("duong"))
    assert "hòa" in syllable_variants("hoa") and "hoà" not in syllable_variants("hoa")
    assert "thủy" in syllable_variants("thuy")
    assert "quý" in syllable_variants("quy")
    assert syllable_variants("tiet") == ["tiet", "tiết", "tiệt"]  # stop final: sắc/nặng
    assert "đắk" in syllable_variants("dak") and "lắk" in syllable_variants("lak")
    assert not any(v.startswith("nhă") for v in syllable_variants("nhanh"))
    assert syllable_variants("nhận") == nhan
    assert syllable_variants("UBND") == ["ubnd", "ubnđ"]  # every d may be an abbreviated Đ
    assert syllable_variants("ngoc")[:1] == ["ngoc"] and syllable_variants("xyz") == ["xyz"]
    assert syllable_variants("QĐ") == ["qd", "qđ"]
    assert syllable_variants("hdnd") == ["hdnd", "hdnđ", "hđnd", "hđnđ"]
    assert syllable_variants("iii") == ["iii"]
    assert syllable_variants("") == []
    assert len(syllable_variants("nhan", limit=5)) == 5
    assert syllable_variants("nhan", limit=5) == nhan[:5]


@pytest.mark.parametrize("syllable", ["nhan", "quyen", "duong", "hoa", "thuy", "uy", "gia",
                                      "giu", "nguoi", "khuyu", "ngoai", "oan", "yeu", "a"])
def test_syllable_variants_are_canonical_lowercase_and_fold_back(syllable):
    variants = syllable_variants(syllable)
    assert variants and len(variants) == len(set(variants))
    assert variants == syllable_variants(syllable)
    assert variants[0] == syllable
    for v in variants:
        assert v == normalize(v) == v.lower()
        assert fold(v) == syllable
        tones = [c for c in unicodedata.normalize("NFD", v) if c in _TONE_MARKS]
        assert len(tones) <= 1


@pytest.mark.parametrize("raw, key", [
    ("1079/QĐ-TTg", "1079/qd-ttg"),
    ("1079/qd-ttg", "1079/qd-ttg"),
    (" 1079 / QĐ - TTg ", "1079/qd-ttg"),
    ("1079/QĐ\u2013TTg", "1079/qd-ttg"),
    (unicodedata.normalize("NFD", "1079/QĐ-TTg"), "1079/qd-ttg"),
    ("19/2019/NĐ-CP", "19/2019/nd-cp"),
    ("05/TB-UBND", "5/tb-ubnd"),
    ("5/TB-UBND", "5/tb-ubnd"),
    ("Số: 05/TB-UBND", "5/tb-ubnd"),
    ("1778/UBND-KGVX", "1778/ubnd-kgvx"),
    ("0/KH", "0/kh"),
])
def test_normalize_number_symbol(raw, key):
    assert normalize_number_symbol(raw) == key


@settings(max_examples=50)
@given(st.text(max_size=30))
def test_normalize_number_symbol_is_idempotent(raw):
    key = normalize_number_symbol(raw)
    assert normalize_number_symbol(key) == key
