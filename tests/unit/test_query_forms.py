"""bench/query_forms.py: keyword and paraphrase forms of a question (pure functions).

Expected outputs are written by hand from the rules, not produced by the code.
"""
from __future__ import annotations

import sys
import unicodedata
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
from query_forms import SYNONYMS, keyword, paraphrase  # noqa: E402

NFD = lambda s: unicodedata.normalize("NFD", s)  # noqa: E731


@pytest.mark.parametrize("question, expected", [
    # multi-syllable stop phrases (bao nhiêu, như thế nào, là gì, đúng hay sai)
    ("Người lao động được nghỉ bao nhiêu ngày?", "lao động nghỉ ngày"),
    ("Hợp đồng trao đổi tài sản là gì?", "Hợp đồng trao đổi tài sản"),
    ("Vợ chồng có quyền ngang nhau, đúng hay sai?", "Vợ chồng quyền ngang nhau"),
    ("Điều nào sau đây là nghĩa vụ của bên thuê?", "nghĩa vụ bên thuê"),
    # "bao" and "sao" alone are content syllables
    ("Hành vi bao vây trụ sở bị xử lý như thế nào?", "Hành vi bao vây trụ sở xử lý"),
    ("Bản sao giấy khai sinh được cấp ra sao?", "Bản sao giấy khai sinh cấp"),
    # case-insensitive matching, case of kept words unchanged
    ("Thủ tục ly hôn NHƯ THẾ NÀO?", "Thủ tục ly hôn"),
    ("AI được hưởng trợ cấp tai nạn?", "hưởng trợ cấp tai nạn"),
    # "không" closing a question is dropped, a negation is kept
    ("Người lao động có phải trả chi phí tuyển dụng không?", "lao động trả chi phí tuyển dụng"),
    ("Có được bồi thường không, nếu không có hợp đồng?", "bồi thường không hợp đồng"),
    ("Phạt cải tạo không giam giữ đến bao lâu?", "Phạt cải tạo không giam giữ"),
    # words that contain a stop syllable are kept whole
    ("Không gian mạng là gì?", "Không gian mạng"),
    ("Người cho vay có quyền gì?", "cho vay quyền"),
    ("Đương sự có nghĩa vụ gì?", "Đương sự nghĩa vụ"),
    # numbers and document symbols kept as they are
    ("Phạt tiền từ 5.000.000 đồng đến 50.000.000 đồng?",
     "Phạt tiền 5.000.000 đồng 50.000.000 đồng"),
    ("Quyết định 1079/QĐ-TTg ngày 14/9/2022 quy định gì?",
     "Quyết định 1079/QĐ-TTg ngày 14/9/2022"),
    # a leading legal basis gives way to the subject, unless nothing else is left
    ("Theo Bộ luật Dân sự năm 2015, bất động sản bao gồm những loại nào?", "bất động sản loại"),
    ("Theo Điều 36, Bộ luật dân sự 2015, cá nhân xác định lại giới tính có quyền gì?",
     "cá nhân xác định giới tính quyền"),
    ("Theo luật, ai phải nộp thuế?", "luật nộp thuế"),
    ("Điều kiện kết hôn là gì, khi nào được đăng ký?", "Điều kiện kết hôn đăng ký"),
    # a two-syllable word said again is kept once
    ("Thông tin nào là thông tin công khai?", "Thông tin công khai"),
    # the cut falls where a word was dropped (after "tình hình", before "nhằm")
    ("Hoạt động thu thập, phân tích tình hình nhằm xác định nguy cơ đe dọa an ninh mạng "
     "được gọi là gì?", "Hoạt động thu thập phân tích tình hình"),
])
def test_keyword(question, expected):
    assert keyword(question) == expected


def test_keyword_without_limit_keeps_every_content_word():
    question = ("Hoạt động thu thập, phân tích tình hình nhằm xác định nguy cơ đe dọa "
                "an ninh mạng được gọi là gì?")
    assert keyword(question, max_syllables=None) == (
        "Hoạt động thu thập phân tích tình hình xác định nguy cơ đe dọa an ninh mạng")


def test_keyword_normalises_decomposed_input():
    out = keyword(NFD("Người lao động được nghỉ bao nhiêu ngày?"))
    assert out == "lao động nghỉ ngày"
    assert unicodedata.is_normalized("NFC", out)


def test_keyword_either_tone_placement():
    assert keyword("Các bên không có thoả thuận thì sao?") == "bên không thoả thuận sao"
    assert keyword("Các bên không có thỏa thuận thì sao?") == "bên không thỏa thuận sao"


@pytest.mark.parametrize("question", [
    "Người lao động được nghỉ bao nhiêu ngày?",
    "Có được bồi thường không, nếu không có hợp đồng?",
    "Hoạt động thu thập, phân tích tình hình nhằm xác định nguy cơ đe dọa an ninh mạng?",
    "Theo Bộ luật Dân sự 2015, quyền khác đối với tài sản bao gồm những quyền nào?",
    "Không gian mạng là gì?",
])
def test_keyword_is_idempotent(question):
    once = keyword(question)
    assert keyword(once) == once


@pytest.mark.parametrize("question, expected", [
    # longest match first: the whole authority, not "cơ quan nhà nước" + "có thẩm quyền"
    ("Cơ quan nhà nước có thẩm quyền xử phạt doanh nghiệp như thế nào?",
     "Cơ quan chức năng phạt công ty ra sao?"),
    ("Cơ quan nhà nước có trách nhiệm gì?", "Cơ quan công quyền có trách nhiệm gì?"),
    # "người sử dụng lao động" before "người lao động"
    ("Người sử dụng lao động phải trả lương cho người lao động bao nhiêu?",
     "Giới chủ phải trả lương cho nhân viên mấy?"),
    ("Bất động sản là gì?", "Nhà đất nghĩa là gì?"),
    ("Động sản được gọi là gì?", "Động sản có tên là gì?"),
    ("Người nào không được phép kinh doanh?", "Người nào bị cấm làm ăn?"),
    ("Ai được phép kinh doanh?", "Ai có quyền làm ăn?"),
    # whole syllables only: "phạt" alone, "trường học", "bao nhiêu" across a comma
    ("Mức phạt trong trường học là gì?", "Mức phạt trong trường học nghĩa là gì?"),
    ("Phí bao, nhiêu ngày thì nộp?", "Phí bao, nhiêu ngày thì nộp?"),
    # punctuation kept, sentence-initial capital moved to the new words
    ("Theo quy định, doanh nghiệp phải làm gì?", "Theo luật, công ty phải làm gì?"),
    ("Doanh nghiệp có quyền kháng cáo không?", "Công ty được quyền chống án không?"),
    # a proper noun's capital stays with the proper noun, except at the start
    ("Công dân Việt Nam có quyền gì?", "Người dân nước ta được quyền gì?"),
    ("Việt Nam có bao nhiêu tỉnh?", "Nước ta có mấy tỉnh?"),
    # either tone placement, case-insensitive
    ("Các bên không có thoả thuận, ĐÚNG HAY SAI?", "Các bên không có giao ước, Có đúng không?"),
])
def test_paraphrase(question, expected):
    assert paraphrase(question) == expected


def test_paraphrase_normalises_decomposed_input():
    out = paraphrase(NFD("Doanh nghiệp bị xử phạt như thế nào?"))
    assert out == "Công ty bị phạt ra sao?"
    assert unicodedata.is_normalized("NFC", out)


def test_paraphrase_leaves_text_without_table_words_alone():
    assert paraphrase("Mèo ăn cá.") == "Mèo ăn cá."


def test_synonym_table_is_large_and_unambiguous():
    sources = [src.lower() for src, _ in SYNONYMS]
    assert len(SYNONYMS) >= 60
    assert len(sources) == len(set(sources))
    assert all(src.lower() != dst.lower() for src, dst in SYNONYMS)
