"""Words a clerk knows: type names, organ names, positions, surnames.

Every table is keyed by the *folded* form (``app.text.vietnamese.fold``:
lowercase, no diacritics, đ -> d), so OCR output without diacritics and the
two tone-mark placements match alike.
"""
from __future__ import annotations

from app.domain.vocab import TYPE_ABBREVIATIONS, TYPE_NAMES_VI
from app.text.vietnamese import fold, normalize

# --- document types -------------------------------------------------------------

# Type name (folded) -> vocabulary key. The NĐ 30 names come from the
# vocabulary; the rest are names met in type lines and in citations.
TYPE_NAMES: dict[str, str] = {fold(name): key for key, name in TYPE_NAMES_VI.items()
                              if key != "OTHER"}
TYPE_NAMES.update({
    "bo luat": "LUAT", "luat": "LUAT", "thong tu lien tich": "TT",
    "nghi quyet lien tich": "NQ", "quyet dinh giam doc tham": "QD",
    "an le": "AL", "cong van": "CV", "van ban": "CV", "thu cong": "THC",
    "cong dien": "CD", "giay moi": "GM",
    # known kinds without a vocabulary key
    "hien phap": "OTHER", "phap lenh": "OTHER", "ket luan": "OTHER",
    "ban an": "OTHER", "khang nghi": "OTHER", "phieu": "OTHER", "lenh": "OTHER",
    "thong tri": "OTHER", "dieu le": "OTHER", "chi dao": "OTHER",
})
# Names that may open a type line (a title on its own line).
TYPE_LINE_NAMES = {k: v for k, v in TYPE_NAMES.items()
                   if k not in ("van ban", "phieu", "lenh", "khang nghi", "ban an",
                                "chi dao", "quyet dinh giam doc tham")}

# Abbreviation in a symbol, upper-cased as printed ("QĐ", "QYĐ", "ĐA") ->
# vocabulary key. Folding would merge ĐA (Đề án) and DA (Dự án), so exact
# forms come first and folded ones ("QD" typed without đ) only fill the gaps.
SYMBOL_TYPES: dict[str, str] = {}
for _key in TYPE_NAMES_VI:
    _abbr = TYPE_ABBREVIATIONS.get(_key, _key)
    if _abbr and _key not in ("OTHER", "LUAT", "AL"):
        SYMBOL_TYPES[_abbr.upper()] = _key
SYMBOL_TYPES.update({"TTLT": "TT", "NQLT": "NQ", "AL": "AL", "KL": "OTHER"})
for _abbr, _key in list(SYMBOL_TYPES.items()):
    SYMBOL_TYPES.setdefault(fold(_abbr).upper(), _key)


# --- issuing bodies -------------------------------------------------------------

ORGAN_HEADS = tuple(fold(w) for w in """
bộ|sở|ban|cục|chi cục|tổng cục|vụ|viện|ủy ban|uỷ ban|ubnd|hội đồng|hđnd|văn phòng|
phòng|trung tâm|thanh tra|tòa án|toà án|tand|viện kiểm sát|vksnd|quốc hội|chính phủ|
thủ tướng|chủ tịch|tỉnh ủy|tỉnh uỷ|thành ủy|thành uỷ|huyện ủy|huyện uỷ|quận ủy|
đảng ủy|đảng uỷ|đảng bộ|công an|bộ chỉ huy|bộ tư lệnh|đài|báo|trường|bệnh viện|hội|
liên đoàn|liên minh|mặt trận|đoàn|kho bạc|ngân hàng|công ty|tập đoàn|bql|kiểm toán|
cơ quan|ubmttq|tỉnh đoàn|ban quản lý|ban chỉ đạo|ban tuyên giáo|học viện|đại học
""".replace("\n", "").split("|"))
# A line holding only one of these names an organ whose owner follows on the
# next line ("ỦY BAN NHÂN DÂN" / "TỈNH QUẢNG NGÃI").
GENERIC_ORGANS = frozenset(fold(w) for w in (
    "ủy ban nhân dân", "hội đồng nhân dân", "hội đồng thẩm phán", "ủy ban thường vụ",
    "ban chấp hành", "ban thường vụ", "tòa án nhân dân", "viện kiểm sát nhân dân",
    "ủy ban mặt trận tổ quốc việt nam", "ủy ban", "hội đồng", "ban", "bộ chỉ huy quân sự",
    "ban chấp hành đảng bộ", "công an", "kho bạc nhà nước"))

# --- signer ---------------------------------------------------------------------

AUTHORITY_MARKS = ("TM.", "KT.", "Q.", "TL.", "TUQ.")
POSITION_NAMES = tuple(w.strip() for w in """
chủ tịch|phó chủ tịch|thủ tướng|phó thủ tướng|bộ trưởng|thứ trưởng|chánh án|
phó chánh án|viện trưởng|phó viện trưởng|giám đốc|phó giám đốc|tổng giám đốc|
phó tổng giám đốc|chánh văn phòng|phó chánh văn phòng|trưởng ban|phó trưởng ban|
trưởng phòng|phó trưởng phòng|cục trưởng|phó cục trưởng|vụ trưởng|phó vụ trưởng|
tổng cục trưởng|phó tổng cục trưởng|chánh thanh tra|phó chánh thanh tra|tổng thanh tra|
bí thư|phó bí thư|tổng bí thư|chủ nhiệm|phó chủ nhiệm|hiệu trưởng|phó hiệu trưởng|
tổng kiểm toán|thủ trưởng|tổng thư ký|thư ký|chủ tịch nước|phó chủ tịch nước|
trưởng đoàn|tổng biên tập|phó tổng biên tập|trưởng khoa|chỉ huy trưởng|tư lệnh|
chính ủy|trưởng công an|tổng giám đốc|trưởng đài|người đứng đầu|trưởng
""".replace("\n", "").split("|"))
POSITION_HEADS = tuple(sorted({fold(w) for w in POSITION_NAMES}, key=len, reverse=True))

# Vietnamese family names (lower case, with diacritics; SURNAMES_FOLDED for
# OCR output without them), for telling a signer's name from the capitalised
# words of a recipient ("Bộ Công Thương").
SURNAMES = frozenset(normalize(w).lower() for w in """
Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý Đinh Đoàn
Lâm Mai Trương Tô Hà Cao Quách Lưu Tạ Chu Thái Lương Kiều Triệu Văn Đàm Phùng Khúc
Vương Trịnh Tăng Thân Lại La Từ Mạc Nông Lò Lường Cầm Sầm Vi Ma Giàng Sùng Thào Vàng
Lầu Hầu Mùa Tẩn Bàn Chảo Đào Khổng Doãn Âu Ông Kim Viên Bạch Cù Diệp Đồng Giang Hứa
Lã Lục Mã Nghiêm Ninh Phí Quan Quản Tiêu Tống Trà Trang Thạch Danh Sơn Kha Châu
Khương Lạc Mẫn Ngọ Ong Phó Phương Tất Thiều Ứng Yên Lữ Nhữ Khuất Đường Mạnh Y Ksor
Siu Rơ Nay Điểu Kpă Rah Hoàng Tôn Bế Hán Khiếu Ngụy Nguỵ Quang Thi Tiết Trình Uông
Vòng Xa Hùng Lèo Mông Cà Bạc Tòng Pờ Hờ Chế Đậu Cung Cấn Chử Biện Lang Lan Bồ Cổ
""".split())
SURNAMES_FOLDED = frozenset(fold(w) for w in SURNAMES)

# --- marks ----------------------------------------------------------------------

SECRECY = {"tuyet mat": "tuyet_mat", "toi mat": "toi_mat", "mat": "mat"}
URGENCY = {"hoa toc": "hoa_toc", "thuong khan": "thuong_khan", "khan": "khan"}
