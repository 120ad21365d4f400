"""Tests for app.recognition: each recogniser on real snippets, the awkward
layouts included, then the whole set of hand labels (tests/metadata_labels.json).

Snippets are copied from ../shared/corpus (signed PDFs as pypdf and pdftotext
lay them out, DOCX table cells in order, the double-spaced seed) unless marked
as composed to NĐ 30 conventions.
"""
from __future__ import annotations

import datetime
import json
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.recognition import Citation, RecognizedMetadata, find_citations, recognize
from app.recognition.citations import is_legal_number
from app.recognition.prep import prepare
from app.recognition.restore import restore_capitals
from app.recognition.signer import person_name, read_signer
from app.recognition.syllables import is_syllable, repair_splits

ROOT = Path(__file__).resolve().parents[2]
from config.settings import CORPUS_DIR  # noqa: E402
D = datetime.date

# --- real snippets ------------------------------------------------------------------

# 05.signed_20250517_044750.pdf through app.extractors (pypdf layout mode, then
# whitespace collapsed): both header columns on one line, number and day blank.
SIGNED_TB_PYPDF = """\
ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
TỈNH QUẢNG NGÃI Độc lập - Tự do - Hạnh phúc

Số: /TB-UBND Quảng Ngãi, ngày tháng 01 năm 2025


THÔNG BÁO
Kết luận của Phó Chủ tịch UBND tỉnh Võ Phiên tại cuộc họp nghe
báo cáo về tình hình thực hiện công tác cổ phần hóa Công ty TNHH
MTV Đầu tư, Xây dựng và Kinh doanh dịch vụ Quảng Ngãi trong
thời gian qua và nhiệm vụ trọng tâm trong thời gian đến

Ngày 03/01/2025, Phó Chủ tịch UBND tỉnh Võ Phiên chủ trì họp nghe
hóa Công ty trong giai đoạn 2022 - 2025 theo Quyết định số 1479/QĐ-TTg
ngày 29/11/2022 của Thủ tướng Chính phủ đã đảm bảo cơ sở pháp lý để thực
Phiên để các cơ quan, đơn vị có liên quan triển khai thực hiện./.


Nơi nhận: TL. CHỦ TỊCH
- CT, PCT UBND tỉnh; KT. CHÁNH VĂN PHÒNG
- Các Sở: Tài chính, Kế hoạch và Đầu tư, PHÓ CHÁNH VĂN PHÒNG
Tài nguyên và Môi trường, Xây dựng,
Lao động - Thương binh và Xã hội,
Nội vụ, Tư pháp;
- Thanh tra tỉnh;
- BQL KKT Dung Quất và các KCN Quảng Ngãi;
- Công ty QISC;
- VPUB: CVP, PCVP, KTN, NC;
- Cổng TTĐT tỉnh;
- Lưu: VT, KTTHh5. Nguyễn Phước Bình"""

# The same PDF through `pdftotext -layout`: the signing stamp comes first and
# the stamped number and day are there.
SIGNED_TB_PDFTOTEXT = """\
                                                                  TRUNG TÂM CÔNG BÁO
                                                                  VÀ TIN HỌC
                                                                  ttcbth@quangngai.gov.vn
                                                                  09.01.2025 10:21:11 +07:00




   ỦY BAN NHÂN DÂN            CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
   TỈNH QUẢNG NGÃI                  Độc lập - Tự do - Hạnh phúc

   Số: 11 /TB-UBND                 Quảng Ngãi, ngày 08 tháng 01 năm 2025

                              THÔNG BÁO
    Kết luận của Phó Chủ tịch UBND tỉnh Võ Phiên tại cuộc họp nghe
   báo cáo về tình hình thực hiện công tác cổ phần hóa Công ty TNHH
"""

# bnt...VTCI.signed...pdf (pypdf): a công văn, stray spaces inside words
# ("thô ng", "điề u"), the signer's position glued to a recipient.
SIGNED_CV_PYPDF = """\
ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
TỈNH QUẢNG NGÃI Độc lập - Tự do - Hạnh phúc


Số: /UBND-KGVX Quảng Ngãi, ngày tháng 01 năm 2025
V/v góp ý dự thảo Quyết định sửa
đổi, bổ sung một số điều của
Quyết định số 2269/QĐ-TTg về
Chương trình cung cấp dịch vụ
viễn thông công ích

Kính gửi: Sở Thông tin và Truyền thông

Theo đề nghị của Bộ Thông tin và Truyền thông tại Công văn số
202/BTTTT-KHTC ngày 21/01/2025 về việc góp ý dự thảo Quyết định sửa đổi,
bổ sung một số điề u của Quyết định số 2269/QĐ-TTg ngày 31/12/2021 của Thủ
tướng Chính phủ phê duyệt Chương trình cung cấp dịch vụ viễn thông công ích
ngày 10/02/2025)./.

Nơi nhận: TL. CHỦ TỊCH
- Như trên; KT. CHÁNH VĂN PHÒNG
- Bộ Thông tin và Truyền thô ng (b/cáo); PHÓ CHÁNH VĂN PHÒNG
- CT, PCT UBND tỉnh (b/cáo);
- VPUB: CVP, PCVP , KTTH;
- Cổng TTĐT tỉnh;
- Lưu: VT, KGVX(bnt).


Phùng Tô Long"""

# vht534.signed...pdf (pypdf): the signer's name lands inside a recipient that
# wraps over six lines.
SIGNED_TB_NAME_IN_LIST = """\
Nơi nhận: TL. CHỦ TỊCH
- Thường trực Tỉnh ủy (báo cáo); KT. CHÁNH VĂN PHÒNG
- Thường trực HĐND tỉnh; PHÓ CHÁNH VĂN PHÒNG
- CT, PCT UBND tỉnh;
- BTT Ủy ban MTTQ Việt Nam tỉnh;
- Các sở, ngành: Kế hoạch và Đầu tư, Tài chính,
Nông nghiệp và Phát triển nông thôn,
Lao động-Thương binh và Xã hội,
Xây dựng, Tư pháp, Công Thương,
Văn hóa, Thể thao và Du lịch,
Giáo dục và Đào tào, Y tế, Nội vụ, Phùng Tô Long
Thông tin và Truyền thông,
- Liên minh HTX tỉnh;
- Cổng TTĐT tỉnh;
- Lưu: VT, KGVXVHTin534."""

# seeds/ke-hoach-2024-dak-lak-hoi-nghi-bao-chi.txt: a blank line after every line.
SEED_KH = """
ỦY BAN NHÂN DÂN 

 TỈNH ĐẮK LẮK 

CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM 

Độc lập - Tự do - Hạnh phúc 

Số:             /KH-UBND Đắk Lắk, ngày          tháng 7 năm 2024 

KẾ HOẠCH  

Triển khai Hội nghị cung cấp thông tin cho báo chí về công tác  

nhân quyền và thông tin đối ngoại trên địa bàn tỉnh Đắk Lắk 

Thực hiện Quyết định số 1079/QĐ-TTg ngày 14/9/2022 của Thủ tướng 

Chính phủ phê duyệt Đề án truyền thông về quyền con người ở Việt Nam; Công 

văn số 1531/BTTTT-TTĐN ngày 22/4/2024 của Bộ Thông tin và Truyền thông 

về cung cấp thông tin cho báo chí về công tác nhân quyền và thông tin đối ngoại 

xem xét, giải quyết theo quy định./.  

Nơi nhận:            
- Bộ TT&TT (b/c);         

- TT Tỉnh ủy; TT HĐND tỉnh (b/c);  

- Báo Đắk Lắk, Đài PTTH Đắk Lắk, Tạp chí 

Chư Yang Sin; 

- Lưu VT, KGVX (Nh-10b) . 

KT. CHỦ TỊCH 

PHÓ CHỦ TỊCH 

 

 

Nguyễn Tuấn Hà 
"""

# docx/nghi_dinh_19_2019_ND_CP.docx: header table cells in order.
DOCX_ND = """\
CHÍNH PHỦ
-------
Số: 19/2019/NĐ-CP
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
---------------
Hà Nội, ngày 19 tháng 02 năm 2019


NGHỊ ĐỊNH
VỀ HỌ, HỤI, BIÊU, PHƯỜNG

Căn cứ Luật tổ chức Chính phủ ngày 19 tháng 6 năm 2015;
2. Nghị định số 144/2006/NĐ-CP ngày 27 tháng 11 năm 2006 của Chính phủ về họ, hụi, biêu, phường hết hiệu lực.

Nơi nhận:
- Ban Bí thư Trung ương Đảng;
- Thủ tướng, các Phó Thủ tướng Chính phủ;
- Lưu: VT, PL (2b).KN
TM. CHÍNH PHỦ
THỦ TƯỚNG


Nguyễn Xuân Phúc"""

# docx/nghi_quyet_01_2020_NQ_HDTP.docx: a two-line name that is one body.
DOCX_NQ_HEADER = """\
HỘI ĐỒNG THẨM PHÁN
TÒA ÁN NHÂN DÂN TỐI CAO
-------------
Số: 01/2020/NQ-HĐTP
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
-------------
Hà Nội, ngày 05 tháng 3 năm 2020


NGHỊ QUYẾT
Hướng dẫn áp dụng một số quy định của pháp luật trong giải quyết tranh chấp về tài sản chung của dòng họ
-----------------
HỘI ĐỒNG THẨM PHÁN TÒA ÁN NHÂN DÂN TỐI CAO

Căn cứ Luật Tổ chức Tòa án nhân dân ngày 24 tháng 11 năm 2014;"""

# docx/nghi_dinh_356_2025_ND_CP.docx: TM. and KT. together.
DOCX_TM_KT = """\
- VPCP: BTCN, các PCN, Trợ lý TTg, TGĐ Cổng TTĐT, các Vụ, Cục, đơn vị trực thuộc, Công báo;
- Lưu: VT, KSTT (02b).
TM. CHÍNH PHỦ
KT. THỦ TƯỚNG
PHÓ THỦ TƯỚNG


Nguyễn Hòa Bình


Phụ lục"""

# pdf-text/an_le_so_722024AL.pdf (pypdf): footnote mark glued to the symbol,
# split words, court references with the issuer after the date.
AN_LE = """\
ÁN LỆ SỐ 72/2024/AL1
Về xác định di sản thừa kế là quyền sử dụng đất trong trường hợp di
chúc không thể hiện diện tích đất cụ thể
Được Hội đồng Thẩm phán Tòa án nhân dân t ối cao thông qua vào các ngày
20, 21, 23 tháng 02 năm 2024 và đư ợc công bố theo Quy ết định số 119A/QĐ-CA
ngày 15 tháng 5 năm 2024 của Chánh án Tòa án nhân dân tối cao.
Nguồn án lệ:
Tại Bản án dân sự phúc thẩm số 646/2019/DS-PT ngày 13/12/2019, Tòa án
nhân dân cấp cao tại Thành phố Hồ Chí Minh quyết định:
Tại Quyết định kháng nghị giám đốc thẩm số 01/QĐ-VKS-DS ngày
04/3/2022, Viện trưởng Viện kiểm sát nhân dân tối cao kháng nghị đối với Bản
1. Không chấp nhận Quyết định kháng nghị giám đốc thẩm số 01/QĐ-VKS-
DS ngày 04/3/2022 của Viện trưởng Viện kiểm sát nhân dân tối cao."""


# --- syllable repair ---------------------------------------------------------------


@pytest.mark.parametrize("split, joined", [
    ("Quy ết định số", "Quyết định số"),
    ("đư ợc công bố", "được công bố"),
    ("Bộ Thông tin và Truyền thô ng (b/cáo);", "Bộ Thông tin và Truyền thông (b/cáo);"),
    ("một số điề u của", "một số điều của"),
    ("nhân dân t ối cao", "nhân dân tối cao"),
    ("bên đã m ất quyền ph ản đối", "bên đã mất quyền phản đối"),
    ("nguyên đơn đã n ộp toàn bộ", "nguyên đơn đã nộp toàn bộ"),
    ("Q UYẾT ĐỊNH", "QUYẾT ĐỊNH"),
])
def test_repair_joins_split_syllables(split, joined):
    assert repair_splits(split) == joined


@pytest.mark.parametrize("text", [
    "bà G đăng ký", "huyện C cấp Giấy", "do ảnh hưởng", "cho em", "quy ước",
    "Bộ Y tế", "PCT UBND tỉnh", "Đắk Lắk", "Nguyễn Văn A", "năm 2024", "ra ý kiến",
])
def test_repair_leaves_real_words_apart(text):
    assert repair_splits(text) == text


def test_syllable_check():
    assert all(is_syllable(w) for w in "quyết được thông điều khuấy giá quý nghiêng Đắk".split())
    assert not any(is_syllable(w) for w in ("điề", "cóch", "thôngg", "ng", "xyz"))


# --- header ------------------------------------------------------------------------


def test_two_columns_on_one_line_with_blank_number_and_day():
    m = recognize(SIGNED_TB_PYPDF)
    assert m.parent_body is None
    assert m.issuing_body == "ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI"
    assert (m.number, m.symbol, m.number_blank) == (None, "TB-UBND", True)
    assert m.number_symbol == "/TB-UBND"
    assert m.place == "Quảng Ngãi"
    assert m.issue_date is None
    assert m.issue_date_text == "ngày tháng 01 năm 2025"


def test_pdftotext_layout_with_signing_stamp_and_stamped_number():
    m = recognize(SIGNED_TB_PDFTOTEXT)
    assert m.issuing_body == "ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI"     # not the stamp's name
    assert (m.number, m.symbol, m.number_blank) == ("11", "TB-UBND", False)
    assert m.issue_date == D(2025, 1, 8)
    assert m.issue_date_text == "ngày 08 tháng 01 năm 2025"
    assert m.doc_type == "TB"


def test_docx_cells_in_order_and_legal_number_with_year():
    m = recognize(DOCX_ND)
    assert m.issuing_body == "CHÍNH PHỦ" and m.parent_body is None
    assert (m.number, m.symbol) == ("19", "2019/NĐ-CP")
    assert m.number_symbol == "19/2019/NĐ-CP"
    assert (m.place, m.issue_date) == ("Hà Nội", D(2019, 2, 19))
    assert (m.doc_type, m.summary) == ("ND", "VỀ HỌ, HỤI, BIÊU, PHƯỜNG")


def test_two_line_name_is_one_body():
    m = recognize(DOCX_NQ_HEADER)
    assert m.issuing_body == "HỘI ĐỒNG THẨM PHÁN TÒA ÁN NHÂN DÂN TỐI CAO"
    assert m.parent_body is None
    # the summary stops at the rule; the enacting line is not part of it
    assert m.summary == ("Hướng dẫn áp dụng một số quy định của pháp luật trong giải quyết "
                         "tranh chấp về tài sản chung của dòng họ")


@pytest.mark.parametrize("lines, parent, issuer", [
    # composed to NĐ 30: parent line above the issuer
    (["UBND TỈNH QUẢNG NGÃI", "SỞ THÔNG TIN VÀ TRUYỀN THÔNG"],
     "UBND TỈNH QUẢNG NGÃI", "SỞ THÔNG TIN VÀ TRUYỀN THÔNG"),
    (["BỘ THÔNG TIN VÀ TRUYỀN THÔNG", "CỤC THÔNG TIN ĐỐI NGOẠI"],
     "BỘ THÔNG TIN VÀ TRUYỀN THÔNG", "CỤC THÔNG TIN ĐỐI NGOẠI"),
    (["BỘ THÔNG TIN VÀ", "TRUYỀN THÔNG"], None, "BỘ THÔNG TIN VÀ TRUYỀN THÔNG"),
    (["ỦY BAN NHÂN DÂN", "HUYỆN BÌNH SƠN"], None, "ỦY BAN NHÂN DÂN HUYỆN BÌNH SƠN"),
    (["ĐẢNG BỘ TỈNH QUẢNG NGÃI", "TỈNH ỦY"], "ĐẢNG BỘ TỈNH QUẢNG NGÃI", "TỈNH ỦY"),
])
def test_parent_and_issuer_lines(lines, parent, issuer):
    stacked = "\n".join(lines + ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                                 "Độc lập - Tự do - Hạnh phúc", "Số: 12/KH-STTTT"])
    m = recognize(stacked)
    assert (m.parent_body, m.issuing_body) == (parent, issuer)
    if len(lines) == 2:      # the same block as two columns on each line (pypdf, OCR)
        columns = (f"{lines[0]} CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
                   f"{lines[1]} Độc lập - Tự do - Hạnh phúc\nSố: 12/KH-STTTT Quảng Ngãi, "
                   "ngày 02 tháng 3 năm 2024")
        m = recognize(columns)
        assert (m.parent_body, m.issuing_body) == (parent, issuer)
        assert m.issue_date == D(2024, 3, 2)


def test_double_spaced_seed():
    m = recognize(SEED_KH)
    assert m.issuing_body == "ỦY BAN NHÂN DÂN TỈNH ĐẮK LẮK"
    assert (m.symbol, m.number_blank, m.place) == ("KH-UBND", True, "Đắk Lắk")
    assert m.issue_date_text == "ngày tháng 7 năm 2024"
    assert m.doc_type == "KH"
    assert m.summary == ("Triển khai Hội nghị cung cấp thông tin cho báo chí về công tác "
                         "nhân quyền và thông tin đối ngoại trên địa bàn tỉnh Đắk Lắk")


def test_no_number_and_all_blank_date():
    m = recognize("QUỐC HỘI\nSố: Không số\nCỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
                  "Độc lập - Tự do - Hạnh phúc\nHà Nội, ngày tháng năm\n\nHIẾN PHÁP\n"
                  "NƯỚC CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n\nLỜI NÓI ĐẦU")
    assert (m.number, m.symbol, m.number_blank) == (None, None, False)
    assert (m.place, m.issue_date, m.issue_date_text) == ("Hà Nội", None, "ngày tháng năm")
    assert (m.doc_type, m.summary) == ("OTHER", "NƯỚC CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")


def test_ocr_without_diacritics_and_spaced_type_line():
    # composed: OCR that lost the diacritics of the header, letter-spaced title
    m = recognize("UY BAN NHAN DAN CONG HOA XA HOI CHU NGHIA VIET NAM\n"
                  "TINH QUANG NGAI Doc lap - Tu do - Hanh phuc\n"
                  "So: 125 /QD-UBND Quang Ngai, ngay 5 thang 3 nam 2024\n\n"
                  "Q U Y Ế T   Đ Ị N H\nVề việc ban hành Quy chế làm việc\n\nCăn cứ ...")
    assert m.issuing_body == "ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI"    # known names restored
    assert (m.number, m.symbol) == ("125", "QD-UBND")
    assert (m.place, m.issue_date) == ("Quang Ngai", D(2024, 3, 5))
    assert (m.doc_type, m.summary) == ("QD", "Về việc ban hành Quy chế làm việc")


def test_party_document_header():
    m = recognize("ĐẢNG BỘ TỈNH QUẢNG NGÃI ĐẢNG CỘNG SẢN VIỆT NAM\nTỈNH ỦY\n*\n"
                  "Số 123-KH/TU Quảng Ngãi, ngày 05 tháng 3 năm 2025\n\nKẾ HOẠCH\n"
                  "thực hiện Chỉ thị số 05-CT/TW của Bộ Chính trị\n\nThực hiện ...")
    assert (m.parent_body, m.issuing_body) == ("ĐẢNG BỘ TỈNH QUẢNG NGÃI", "TỈNH ỦY")
    assert (m.number, m.symbol, m.number_symbol) == ("123", "KH/TU", "123-KH/TU")
    assert (m.doc_type, m.issue_date) == ("KH", D(2025, 3, 5))
    assert [c.key for c in m.citations] == ["5-ct/tw"]


@pytest.mark.parametrize("mark_lines, secrecy, urgency", [
    (["MẬT"], "mat", None),
    (["TỐI MẬT", "HỎA TỐC"], "toi_mat", "hoa_toc"),
    (["THƯỢNG KHẨN"], None, "thuong_khan"),
    (["Độ mật: TUYỆT MẬT"], "tuyet_mat", None),
    (["Tài liệu bí mật"], None, None),           # only capitals count as a mark
    (["ĐỘ KHẨN: KHẨN"], None, "khan"),
])
def test_secrecy_and_urgency_marks(mark_lines, secrecy, urgency):
    # composed to NĐ 30: marks under the number/symbol
    text = "\n".join(["UBND TỈNH QUẢNG NGÃI CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                      "CÔNG AN TỈNH Độc lập - Tự do - Hạnh phúc",
                      "Số: 15/BC-CAT Quảng Ngãi, ngày 02 tháng 3 năm 2024", *mark_lines,
                      "", "BÁO CÁO", "Tình hình bảo vệ bí mật nhà nước", "",
                      "Thực hiện công tác bảo vệ bí mật nhà nước, KHẨN trương ..."])
    m = recognize(text)
    assert (m.secrecy, m.urgency) == (secrecy, urgency)


def test_news_article_has_no_header_fields():
    text = (CORPUS_DIR / "seeds" / "tin-2018-cao-bang-kh-3432.txt"
            ).read_text(encoding="utf-8")
    m = recognize(text)
    assert all(getattr(m, f) in (None, False, []) for f in (
        "issuing_body", "number", "symbol", "number_blank", "place", "issue_date",
        "doc_type", "summary", "signer_name", "recipients", "legal_numbers"))
    c, = m.citations
    assert (c.number_symbol, c.doc_type, c.date, c.issuer) == (
        "3432/KH-UBND", "KH", D(2018, 10, 25), "UBND tỉnh Cao Bằng")


# --- type and summary --------------------------------------------------------------


def test_cong_van_from_vv_block():
    m = recognize(SIGNED_CV_PYPDF)
    assert m.doc_type == "CV"
    assert m.summary == ("góp ý dự thảo Quyết định sửa đổi, bổ sung một số điều của Quyết "
                         "định số 2269/QĐ-TTg về Chương trình cung cấp dịch vụ viễn thông công ích")


def test_an_le_line_with_footnote_mark():
    m = recognize(AN_LE)
    assert (m.doc_type, m.number, m.symbol) == ("AL", "72", "2024/AL")
    assert m.summary == ("Về xác định di sản thừa kế là quyền sử dụng đất trong trường hợp di "
                         "chúc không thể hiện diện tích đất cụ thể")
    assert m.legal_numbers == ["72/2024/AL"]
    assert m.issuing_body is None and m.issue_date is None


def test_type_from_symbol_when_no_type_line():
    header = ("ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
              "TỈNH QUẢNG NGÃI Độc lập - Tự do - Hạnh phúc\n")
    assert recognize(header + "Số: 05/TB-UBND").doc_type == "TB"
    assert recognize(header + "Số: 1778/UBND-KGVX").doc_type == "CV"


def test_law_without_date_line_takes_adoption_date():
    m = recognize("QUỐC HỘI\n--------\nLuật số: 91/2015/QH13\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA "
                  "VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n---------------\n\n\nBỘ LUẬT\nDÂN SỰ\n\n"
                  "Căn cứ Hiến pháp nước Cộng hòa xã hội chủ nghĩa Việt Nam;\n"
                  "Bộ luật dân sự số 33/2005/QH11 hết hiệu lực kể từ ngày Bộ luật này có hiệu lực.\n"
                  "Bộ luật này đã được Quốc hội nước Cộng hòa xã hội chủ nghĩa Việt Nam khóa XIII,"
                  " kỳ họp thứ 10 thông qua ngày 24 tháng 11 năm 2015.\n\n\nCHỦ TỊCH QUỐC HỘI\n\n\n"
                  "Nguyễn Sinh Hùng")
    assert (m.number, m.symbol, m.doc_type, m.summary) == ("91", "2015/QH13", "LUAT", "DÂN SỰ")
    assert (m.place, m.issue_date) == (None, D(2015, 11, 24))
    assert (m.signer_position, m.signer_name, m.signer_authorities) == (
        "CHỦ TỊCH QUỐC HỘI", "Nguyễn Sinh Hùng", [])
    assert [c.number_symbol for c in m.citations] == ["33/2005/QH11"]   # not its own number


# --- signer ------------------------------------------------------------------------


def test_tl_and_kt_together_interleaved_with_recipients():
    m = recognize(SIGNED_TB_PYPDF)
    assert m.signer_authority == "TL."
    assert m.signer_authorities == ["TL.", "KT."]
    assert m.signer_position == "PHÓ CHÁNH VĂN PHÒNG"
    assert m.signer_name == "Nguyễn Phước Bình"


def test_signer_name_inside_a_wrapped_recipient():
    s = read_signer(prepare(SIGNED_TB_NAME_IN_LIST))
    assert (s.authorities, s.position, s.name) == (
        ["TL.", "KT."], "PHÓ CHÁNH VĂN PHÒNG", "Phùng Tô Long")


# 05.signed_20250517_044750.pdf as PDFium reads it: content order, the first mark after
# "Nơi nhận:" and the rest of the block after the whole list
SIGNED_TB_READING_ORDER = """Nay, thông báo kết luận và chỉ đạo của Phó Chủ tịch UBND tỉnh Võ
Phiên để các cơ quan, đơn vị có liên quan triển khai thực hiện./.
Nơi nhận: TL. CHỦ TỊCH
- CT, PCT UBND tỉnh;
- Các Sở: Tài chính, Kế hoạch và Đầu tư,
Tài nguyên và Môi trường, Xây dựng,
Lao động - Thương binh và Xã hội,
Nội vụ, Tư pháp;
- Thanh tra tỉnh;
- BQL KKT Dung Quất và các KCN Quảng Ngãi;
- Công ty QISC;
- VPUB: CVP, PCVP, KTN, NC;
- Cổng TTĐT tỉnh;
- Lưu: VT, KTTHh5.
KT. CHÁNH VĂN PHÒNG
PHÓ CHÁNH VĂN PHÒNG
Nguyễn Phước Bình"""


def test_signer_block_after_the_recipients_in_reading_order():
    m = recognize(SIGNED_TB_READING_ORDER)
    assert (m.signer_authorities, m.signer_position, m.signer_name) == (
        ["TL.", "KT."], "PHÓ CHÁNH VĂN PHÒNG", "Nguyễn Phước Bình")
    assert m.recipients[0] == "CT, PCT UBND tỉnh"
    assert m.recipients[-1] == "Cổng TTĐT tỉnh"
    assert len(m.recipients) == 7


def test_a_mark_far_below_in_the_body_is_not_part_of_the_signer_block():
    m = recognize("Nơi nhận: TL. CHỦ TỊCH\n- Như trên;\n- Lưu: VT.\nCHÁNH VĂN PHÒNG\n"
                  "Lê Văn Tám\nPHỤ LỤC\nDANH SÁCH CÁC ĐƠN VỊ\nTRUNG TÂM Y TẾ\nBỆNH VIỆN\n"
                  "TM. BAN CHỈ ĐẠO")
    assert m.signer_authorities == ["TL."]
    assert (m.signer_position, m.signer_name) == ("CHÁNH VĂN PHÒNG", "Lê Văn Tám")


def test_tm_and_kt_in_docx_order():
    m = recognize("Nơi nhận:\n" + DOCX_TM_KT)
    assert (m.signer_authorities, m.signer_position, m.signer_name) == (
        ["TM.", "KT."], "PHÓ THỦ TƯỚNG", "Nguyễn Hòa Bình")


@pytest.mark.parametrize("block, marks, position, name", [
    ("Chủ tịch Quốc hội\n(Đã ký)\n\nNguyễn Sinh Hùng", [], "Chủ tịch Quốc hội",
     "Nguyễn Sinh Hùng"),                                          # vbpl.html
    # composed to NĐ 30
    ("TUQ. CHỦ TỊCH\nGIÁM ĐỐC SỞ TƯ PHÁP\n\nTrần Thị Mai", ["TUQ."], "GIÁM ĐỐC SỞ TƯ PHÁP",
     "Trần Thị Mai"),
    ("Q. GIÁM ĐỐC\n\n\nLê Văn Tám", ["Q."], "GIÁM ĐỐC", "Lê Văn Tám"),
    ("TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH\n\n\nĐặng Văn Minh", ["TM."], "CHỦ TỊCH", "Đặng Văn Minh"),
    ("KT. BỘ TRƯỞNG, CHỦ NHIỆM\nPHÓ CHỦ NHIỆM\n\nPhạm Mạnh Cường", ["KT."], "PHÓ CHỦ NHIỆM",
     "Phạm Mạnh Cường"),
])
def test_signer_blocks(block, marks, position, name):
    m = recognize("Nay thông báo để các cơ quan biết, thực hiện./.\n\n" + block)
    assert (m.signer_authorities, m.signer_position, m.signer_name) == (marks, position, name)


@pytest.mark.parametrize("text, name", [
    ("Nguyễn Phước Bình", "Nguyễn Phước Bình"),
    ("NGUYỄN VĂN A", "NGUYỄN VĂN A"),
    ("Y Thanh Hà Niê Kđăm", "Y Thanh Hà Niê Kđăm"),
    ("Bộ Công Thương", None),
    ("Hà Nội", None),
    ("Tài nguyên và Môi trường", None),
    ("Nguyễn", None),
    ("Nguyễn Văn A, Giám đốc", None),
])
def test_person_name(text, name):
    assert person_name(text) == name


# --- recipients --------------------------------------------------------------------


def test_recipients_split_across_lines_with_signer_glued():
    m = recognize(SIGNED_TB_PYPDF)
    assert m.recipients == [
        "CT, PCT UBND tỉnh",
        "Các Sở: Tài chính, Kế hoạch và Đầu tư, Tài nguyên và Môi trường, Xây dựng, "
        "Lao động - Thương binh và Xã hội, Nội vụ, Tư pháp",
        "Thanh tra tỉnh", "BQL KKT Dung Quất và các KCN Quảng Ngãi", "Công ty QISC",
        "VPUB: CVP, PCVP, KTN, NC", "Cổng TTĐT tỉnh"]


def test_recipients_with_the_name_inside_a_wrapped_item():
    m = recognize(SIGNED_TB_NAME_IN_LIST)
    assert m.recipients[4] == (
        "Các sở, ngành: Kế hoạch và Đầu tư, Tài chính, Nông nghiệp và Phát triển nông thôn, "
        "Lao động-Thương binh và Xã hội, Xây dựng, Tư pháp, Công Thương, Văn hóa, Thể thao và "
        "Du lịch, Giáo dục và Đào tào, Y tế, Nội vụ, Thông tin và Truyền thông")
    assert m.recipients[-1] == "Cổng TTĐT tỉnh" and len(m.recipients) == 7


def test_recipients_keep_nhu_tren_and_repair_split_words():
    m = recognize(SIGNED_CV_PYPDF)
    assert m.recipients == ["Như trên", "Bộ Thông tin và Truyền thông (b/cáo)",
                            "CT, PCT UBND tỉnh (b/cáo)", "VPUB: CVP, PCVP, KTTH", "Cổng TTĐT tỉnh"]
    assert (m.signer_authorities, m.signer_position, m.signer_name) == (
        ["TL.", "KT."], "PHÓ CHÁNH VĂN PHÒNG", "Phùng Tô Long")


def test_recipients_in_double_spaced_text():
    m = recognize(SEED_KH)
    assert m.recipients == ["Bộ TT&TT (b/c)", "TT Tỉnh ủy; TT HĐND tỉnh (b/c)",
                            "Báo Đắk Lắk, Đài PTTH Đắk Lắk, Tạp chí Chư Yang Sin"]
    assert (m.signer_authorities, m.signer_position, m.signer_name) == (
        ["KT."], "PHÓ CHỦ TỊCH", "Nguyễn Tuấn Hà")


def test_recipients_in_docx_order():
    m = recognize(DOCX_ND)
    assert m.recipients == ["Ban Bí thư Trung ương Đảng", "Thủ tướng, các Phó Thủ tướng Chính phủ"]
    assert (m.signer_authorities, m.signer_position, m.signer_name) == (
        ["TM."], "THỦ TƯỚNG", "Nguyễn Xuân Phúc")


# --- citations ---------------------------------------------------------------------


def _cit(c: Citation) -> tuple:
    return c.number_symbol, c.doc_type, c.date, c.issuer


def test_citation_forms_from_the_issue():
    text = ("Thực hiện Quyết định số 1079/QĐ-TTg ngày 14/9/2022 của Thủ tướng Chính phủ; "
            "Công văn số 202/BTTTT-KHTC ngày 21/01/2025; Thông tư 10/2022/TT-BNV.")
    cs = find_citations(text)
    assert [_cit(c) for c in cs] == [
        ("1079/QĐ-TTg", "QD", D(2022, 9, 14), "Thủ tướng Chính phủ"),
        ("202/BTTTT-KHTC", "CV", D(2025, 1, 21), None),
        ("10/2022/TT-BNV", "TT", None, None)]
    assert [c.key for c in cs] == ["1079/qd-ttg", "202/btttt-khtc",
                                   "10/2022/tt-bnv"]
    assert [c.year for c in cs] == [2022, 2025, 2022]
    assert cs[0].text == "Quyết định số 1079/QĐ-TTg ngày 14/9/2022 của Thủ tướng Chính phủ"


def test_citations_across_line_breaks_and_split_words():
    cs = find_citations(SIGNED_CV_PYPDF)
    assert [_cit(c) for c in cs] == [
        ("2269/QĐ-TTg", "QD", D(2021, 12, 31), "Thủ tướng Chính phủ"),
        ("202/BTTTT-KHTC", "CV", D(2025, 1, 21), "Bộ Thông tin và Truyền thông")]


def test_citation_list_carries_the_type_and_rejoins_hyphenated_symbols():
    # vht534.signed...pdf, with the symbols broken at the hyphen across lines
    text = ("Chủ tịch UBND tỉnh chỉ đạo tại Chỉ thị số 01/CT-UBND ngày 03/01/2024 Về\n"
            "việc đẩy nhanh tiến độ, Công\nvăn số 4643/UBND-KGVX ngày 28/8/2024; số "
            "4975/UBND-KGVX ngày\n17/09/2024; số 5442/UBND-KGVX ngày 10/10/2024 và số 6138/UBND-\n"
            "KGVX ngày 13/11/2024\ntheo Kế hoạch số 186/KH-\nUBND ngày 17/9/2024 của UBND tỉnh.\n"
            "- UBND huyện Trà Bồng tiếp tục chỉ đạo khẩn trương thực hiện Kết\nluận số 184/KL-TTr "
            "ngày 06/9/2024 của Thanh tra Bộ Lao động - Thương\nbinh và Xã hội; kịp thời báo cáo")
    assert [_cit(c) for c in find_citations(text)] == [
        ("01/CT-UBND", "CT", D(2024, 1, 3), None),
        ("4643/UBND-KGVX", "CV", D(2024, 8, 28), None),
        ("4975/UBND-KGVX", "CV", D(2024, 9, 17), None),
        ("5442/UBND-KGVX", "CV", D(2024, 10, 10), None),
        ("6138/UBND-KGVX", "CV", D(2024, 11, 13), None),
        ("186/KH-UBND", "KH", D(2024, 9, 17), "UBND tỉnh"),
        ("184/KL-TTr", "OTHER", D(2024, 9, 6), "Thanh tra Bộ Lao động - Thương binh và Xã hội")]


def test_court_references_issuer_after_the_date_and_merged_mentions():
    cs = recognize(AN_LE).citations
    assert [_cit(c) for c in cs] == [
        ("119A/QĐ-CA", "QD", D(2024, 5, 15), "Chánh án Tòa án nhân dân tối cao"),
        ("646/2019/DS-PT", "OTHER", D(2019, 12, 13),
         "Tòa án nhân dân cấp cao tại Thành phố Hồ Chí Minh"),
        ("01/QĐ-VKS-DS", "QD", D(2022, 3, 4), "Viện trưởng Viện kiểm sát nhân dân tối cao")]


def test_citations_in_news_and_party_documents():
    text = ("Ngày 30/11/2023, UBND tỉnh Điện Biên đã ban hành Kế hoạch số 5547/KH-UBND về Tăng "
            "cường công tác. Căn cứ Thông báo số 212-TB/TU ngày 23/01/2026 của Thành ủy Hà Nội; "
            "theo quy định Luật Báo chí 2016; Nghị định số 09/2017/NĐ-CP ngày 09/02/2017 của "
            "Chính phủ. Xét đề nghị của Ủy ban nhân dân tỉnh Đồng Nai tại văn bản số "
            "92/TTr-UBND ngày 21 tháng 4 năm 2026 về việc ban hành")
    assert [_cit(c) for c in find_citations(text)] == [
        ("5547/KH-UBND", "KH", D(2023, 11, 30), "UBND tỉnh Điện Biên"),
        ("212-TB/TU", "TB", D(2026, 1, 23), "Thành ủy Hà Nội"),
        ("09/2017/NĐ-CP", "ND", D(2017, 2, 9), "Chính phủ"),
        ("92/TTr-UBND", "TTR", D(2026, 4, 21), "Ủy ban nhân dân tỉnh Đồng Nai")]


@pytest.mark.parametrize("text", [
    "trước ngày 08/02/2025", "Bộ TT&TT (b/c);", "tỷ lệ 1/2 số phiếu",
    "Phán quyết trọng tài số 75/17 HCM ngày 19/02/2018", "theo Mẫu số 01a/01b tại Phụ lục",
    "lãi suất 10%/năm", "Số: 19/2019/NĐ-CP",
])
def test_not_citations(text):
    assert find_citations(text) == []


def test_own_number_is_not_a_citation_and_mentions_merge():
    m = recognize(DOCX_ND + "\n(Kèm theo Nghị định số 19/2019/NĐ-CP ngày 19 tháng 02 năm 2019)")
    assert [c.number_symbol for c in m.citations] == ["144/2006/NĐ-CP"]
    assert m.legal_numbers == ["19/2019/NĐ-CP", "144/2006/NĐ-CP"]
    text = "Quyết định số 1079/QĐ-TTg về Đề án. Triển khai Quyết định 1079/QĐ-TTg ngày 14/9/2022."
    c, = find_citations(text)
    assert (c.date, c.year) == (D(2022, 9, 14), 2022)


def test_same_number_in_two_years_is_two_documents():
    cs = find_citations("Chỉ thị số 01/CT-UBND ngày 03/01/2024 và Chỉ thị số 01/CT-UBND "
                        "ngày 05/01/2025 của UBND tỉnh")
    assert [(c.key, c.year) for c in cs] == [("1/ct-ubnd", 2024), ("1/ct-ubnd", 2025)]


@pytest.mark.parametrize("ns, legal", [
    ("09/2017/NĐ-CP", True), ("91/2015/QH13", True), ("326/2016/UBTVQH14", True),
    ("26/2018/AL", True), ("10/2022/TT-BNV", True), ("30/2012/DS-ST", False),
    ("06/2017/DS-GĐT", False), ("73/2016/KN-DS", False), ("755/2018/QĐ-PQTT", False),
    ("1079/QĐ-TTg", False),
])
def test_legal_numbers(ns, legal):
    assert is_legal_number(ns) is legal


# --- API and robustness --------------------------------------------------------------


def test_as_dict_is_json_ready():
    d = recognize(SIGNED_CV_PYPDF).as_dict()
    dumped = json.loads(json.dumps(d, ensure_ascii=False))
    assert dumped["citations"][1]["date"] == "2025-01-21"
    assert dumped["citations"][1]["key"] == "202/btttt-khtc"
    assert set(dumped) == {f for f in RecognizedMetadata.__dataclass_fields__}


@pytest.mark.parametrize("text", ["", "   \n\n\f", "Số:", "Nơi nhận:", "KT.", "ngày tháng năm"])
def test_degenerate_inputs(text):
    m = recognize(text)
    assert m.citations == [] and m.recipients == []


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.sampled_from(list(
    "ab Đđ ƯưƠơ ÁàẢãạ/-:.;,\n\f0123456789 SốKTLM NơinhậnQĐUBNDngàythángnăm()")), max_size=400))
def test_recognize_never_fails(text):
    m = recognize(text)
    assert isinstance(m, RecognizedMetadata)
    for c in m.citations:
        assert c.key and "/" in c.number_symbol


# --- the labelled set ----------------------------------------------------------------


def test_labelled_set_meets_the_target():
    """Every field of tests/metadata_labels.json at 0.95 precision and recall or better
    (the same comparison as bench/metadata_accuracy.py)."""
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        import metadata_accuracy as bench
    finally:
        sys.path.remove(str(ROOT / "bench"))
    from collections import Counter

    data = json.loads((ROOT / "tests" / "metadata_labels.json").read_text(encoding="utf-8"))
    counts = {f: Counter() for f in bench.SCALARS + bench.LISTS + ("citations",)}
    attrs: Counter = Counter()
    for doc in data["documents"]:
        if doc.get("source") == "ocr":  # OCR'd scans: reported apart by the bench
            continue
        text = bench.read_text(bench.CORPUS / doc["file"], "app")
        misses: list[str] = []
        bench.compare(doc["labels"], recognize(text), counts, attrs, misses)
    low = {f: dict(c) for f, c in counts.items()
           if (c["tp"] + c["fp"] and c["tp"] < 0.95 * (c["tp"] + c["fp"]))
           or (c["tp"] + c["fn"] and c["tp"] < 0.95 * (c["tp"] + c["fn"]))}
    assert low == {}
    assert counts["citations"]["tp"] >= 50 and counts["recipients"]["tp"] >= 80


# --- OCR output (the four scans of the labelled set, as Tesseract reads them) -------

# 280 BC.signed_20250219_164611.pdf: signing stamp, marks strewn over the motto,
# a handwritten number and day read as debris
OCR_HEADER_280 = """TRUNG TÂM CÔNG ⁄GHNN KýiUU nh Quảng NgÃi ch NGÊ
bên (Ôquangngai gov. vn Ê/ \\SÀ Thời gian ký: 26/1 12024 10:40:48
26.11.2024 13:45:56 J
+07:00

ỦY BAN NHÂN DÂN _CỘNG HÒA XÃ HỘI CHỦ NGHĨA ` VIỆT NAM

TỈNH QUẢNG NGÃI Độc lập - Tự do - Hạnh phúc
Số:ổ0 /BC-UBND Quảng Ngãi, ngày Êˆ_ tháng 11 năm 2024
BÁO CÁO

^ .^A ,À k4 £ ˆ Lá Â° ˆ Ẩ ° Lá `-4
Về việc điều chỉnh dự toán ngân sách của một số đơn vị dự toán năm 2024

Kính gửi: Hội đồng nhân dân tỉnh
"""


def test_ocr_header_with_debris_reads_what_is_legible():
    m = recognize(OCR_HEADER_280)
    assert m.issuing_body == "ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI"
    assert (m.symbol, m.doc_type, m.place) == ("BC-UBND", "BC", "Quảng Ngãi")
    # the number and the day are handwritten: unreadable, which is not "left blank"
    assert m.number is None and m.number_blank is False
    assert m.issue_date is None and m.issue_date_text is None
    assert m.summary == ("Về việc điều chỉnh dự toán ngân sách của một số đơn vị dự toán "
                         "năm 2024")


def test_ocr_capitals_without_marks_are_restored_in_names():
    # 575 UB and 51 QĐ UB: "TINH QUANG NGAI", "NHÂN DẦN ... QUANG NGÀI"
    for line1, line2 in (("ỦY BAN NHÂN DÂN", "TINH QUANG NGAI"),
                         ("ỦY BAN NHÂN DẦN", "TINH QUANG NGÀI")):
        m = recognize(f"{line1} CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
                      f"{line2} Độc lập - Tự do - Hạnh phúc\n"
                      "Số: 12/UBND-KTTH Quảng Ngãi, ngày 04tháng 02 năm 2025\n")
        assert m.issuing_body == "ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI"
        assert m.issue_date == datetime.date(2025, 2, 4)
        assert m.issue_date_text == "ngày 04 tháng 02 năm 2025"


@pytest.mark.parametrize("text, expected", [
    ("PHO CHANH VAN PHONG", "PHÓ CHÁNH VĂN PHÒNG"),
    ("SỞ THONG TIN VA TRUYEN THONG", "SỞ THÔNG TIN VÀ TRUYỀN THÔNG"),
    ("UỶ BAN NHÂN DÂN TỈNH QUẢNG NGÃI", "UỶ BAN NHÂN DÂN TỈNH QUẢNG NGÃI"),  # as printed
    ("Sở Tư pháp", "Sở Tư pháp"),                          # only capitals are touched
    ("CÔNG TY QISC", "CÔNG TY QISC"),
])
def test_restore_capitals(text, expected):
    assert restore_capitals(text) == expected


def test_ocr_summary_without_receipt_stamp_debris():
    # 2352 ( 07-CT-UBND): the "CÔNG VĂN ĐẾN" stamp is read into the summary lines
    m = recognize("ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
                  "TỈNH QUẢNG NGÃI Độc lập - Tự do - Hạnh phúc\n"
                  "Số: # /CT-UBND Quảng Ngãi, ngày 80 tháng 3 năm 2018\n"
                  "CHỈ THỊ\n"
                  "-TRUNG TÂM CÔNG 810 & Tin HỌC O.NG ÃIj Về việc tăng cường công tác thi "
                  "hành án hành chính\n"
                  "CỤ T§6 .J}LŸ-2 ị trên địa bàn tỉnh Quảng Ngãi\n"
                  "lpệ h Ngày :4/ÂL. 2 LUA#\n"
                  "ĐEN | Chuyển: “rang thời gian qua, công tác triển khai thi hành\n")
    assert m.summary == ("Về việc tăng cường công tác thi hành án hành chính trên địa bàn "
                         "tỉnh Quảng Ngãi")
    assert (m.symbol, m.doc_type) == ("CT-UBND", "CT")
    assert m.issue_date is None and m.issue_date_text is None     # "ngày 80": misread


def test_summary_naming_a_product_is_not_taken_for_debris():
    m = recognize("ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
                  "TỈNH QUẢNG NGÃI Độc lập - Tự do - Hạnh phúc\n"
                  "Số: 15/KH-UBND Quảng Ngãi, ngày 10 tháng 3 năm 2025\n"
                  "KẾ HOẠCH\n"
                  "Triển khai ứng dụng Zalo và Internet trong cải cách hành chính\n")
    assert m.summary == "Triển khai ứng dụng Zalo và Internet trong cải cách hành chính"


def test_ocr_signer_position_cut_short():
    # 280 BC: "PHÓ CHỦ TỊC" (Phó is also a family name: not the signer's name)
    m = recognize("Nơi nhận: TM. ỦY BAN NHÂN DÂN\n"
                  "- Như trên; KT. CHỦ TỊCH\n"
                  "- Thường trực HĐND tỉnh; PHÓ CHỦ TỊC\n\n"
                  "- CT, PCT UBND tỉnh;\n\n"
                  "- VPUB: CVP, PCVP(KTTH); :\n"
                  "- Lưu: VT, P.KTTHTien502.\n\n"
                  "À r -À\n"
                  "Trần Phước Hiền\n")
    assert (m.signer_authorities, m.signer_position, m.signer_name) == (
        ["TM.", "KT."], "PHÓ CHỦ TỊCH", "Trần Phước Hiền")
    assert m.recipients == ["Như trên", "Thường trực HĐND tỉnh", "CT, PCT UBND tỉnh",
                            "VPUB: CVP, PCVP(KTTH)"]


def test_ocr_recipients_under_a_seal():
    # 575 UB: the seal is read over the first two recipients
    m = recognize("Nơi nhận: TL. CHỦ TỊCH\n"
                  "ˆ hi Lên, b KT. CHÁNH VĂN PHÒNG\n"
                  "° ĐỘ Ã SH ÌHNHhp PHO CHANH VAN PHONG\n\n"
                  "- CT, PCT UBND tỉnh;\n\n"
                  "- VPUB: CVP. PCVP;\n\n"
                  "- Công TT-ĐT tỉnh;\n\n"
                  "- Lưu: VT, D.KTTHT¡en3I\n\n"
                  "Hà Thị Lê Vân\n")
    assert (m.signer_authorities, m.signer_position, m.signer_name) == (
        ["TL.", "KT."], "PHÓ CHÁNH VĂN PHÒNG", "Hà Thị Lê Vân")
    assert m.recipients == ["CT, PCT UBND tỉnh", "VPUB: CVP. PCVP", "Công TT-ĐT tỉnh"]


def test_ocr_eth_and_doubled_d_in_symbols():
    # 280 BC: "số 87/HĐÐĐND-KTNS", "Quyết định số 1368/QĐÐ- UBND"
    m = recognize("Căn cứ Công văn số 87/HĐÐĐND-KTNS ngày 15/5/2024 của Thường trực HĐND "
                  "tỉnh và Quyết định số 1368/QĐÐ-UBND ngày 12/12/2023 của UBND tỉnh.")
    assert [c.key for c in m.citations] == ["87/hdnd-ktns", "1368/qd-ubnd"]


# --- found on the Word 97-2003 files of the corpus (doc/) -------------------------------


def test_words_nơi_nhận_in_a_sentence_are_not_the_recipients_heading():
    # THONG TU SO 01 BNV: Điều 14 explains the "Nơi nhận" part; the text ends with
    # the signer and no list
    m = recognize("Điều 14. Nơi nhận\n1. Thể thức\n"
                  "Nơi nhận xác định những cơ quan, tổ chức, đơn vị và cá nhân nhận văn bản.\n"
                  "- Các Bộ, cơ quan ngang Bộ, cơ quan thuộc Chính phủ;\n"
                  "Điều 15. Các thành phần khác\n"
                  "Các Bộ, ngành căn cứ quy định tại Thông tư này để quy định cho phù hợp./.\n\n"
                  "BỘ TRƯỞNG\n\n(Đã ký)\n\nTrần Văn Tuấn")
    assert m.recipients == []
    assert (m.signer_position, m.signer_name) == ("BỘ TRƯỞNG", "Trần Văn Tuấn")


def test_summary_ends_before_the_enacting_authority_line():
    # Nghi dinh 86 (2011): "NGHỊ ĐỊNH / QUY ĐỊNH CHI TIẾT ... LUẬT THANH TRA / CHÍNH PHỦ"
    m = recognize("CHÍNH PHỦ\n-------\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
                  "Độc lập - Tự do - Hạnh phúc\n---------------\nSố: 86/2011/NĐ-CP\n"
                  "Hà Nội, ngày 22 tháng 09 năm 2011\n\nNGHỊ ĐỊNH\n"
                  "QUY ĐỊNH CHI TIẾT VÀ HƯỚNG DẪN THI HÀNH MỘT SỐ ĐIỀU CỦA LUẬT THANH TRA\n"
                  "CHÍNH PHỦ\nCăn cứ Luật Tổ chức Chính phủ ngày 25 tháng 12 năm 2001;")
    assert m.summary == "QUY ĐỊNH CHI TIẾT VÀ HƯỚNG DẪN THI HÀNH MỘT SỐ ĐIỀU CỦA LUẬT THANH TRA"


def test_constitution_takes_its_adoption_date():
    m = recognize("QUỐC HỘI\n\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
                  "HIẾN PHÁP\nNƯỚC CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n\nLỜI NÓI ĐẦU\n...\n"
                  "Hiến pháp này đã được Quốc hội nước Cộng hòa xã hội chủ nghĩa Việt Nam khóa XIII, "
                  "kỳ họp thứ 6 thông qua ngày 28 tháng 11 năm 2013.\n\nCHỦ TỊCH QUỐC HỘI\n\n"
                  "Nguyễn Sinh Hùng")
    assert m.issue_date == D(2013, 11, 28)
    assert m.issue_date_text == "ngày 28 tháng 11 năm 2013"


def test_signed_mark_glued_to_a_recipient_and_underscore_in_a_symbol():
    # CT9UB.DOC (two columns: "- CT, PCT UBND tỉnh; (Đã ký)"), QD9UB1.DOC ("QĐ_BKHCN")
    m = recognize("Căn cư Quyết định số 10/2007/QĐ_BKHCN ngày 11 tháng 5 năm 2007 của Bộ Khoa học "
                  "và Công nghệ;\n\nNơi nhận: TM. UỶ BAN NHÂN DÂN\n"
                  "- Bộ Khoa học và Công nghệ; KT.CHỦ TỊCH\n"
                  "- Thường trực Tỉnh ủy; PHÓ CHỦ TỊCH\n- CT, PCT UBND tỉnh; (Đã ký)\n"
                  "- UBND các huyện, thị xã; Nguyễn Văn Hiệp\n- Lưu VT.")
    assert m.recipients == ["Bộ Khoa học và Công nghệ", "Thường trực Tỉnh ủy", "CT, PCT UBND tỉnh",
                            "UBND các huyện, thị xã"]
    assert [c.key for c in m.citations] == ["10/2007/qd-bkhcn"]
    assert m.legal_numbers == ["10/2007/QĐ-BKHCN"]
