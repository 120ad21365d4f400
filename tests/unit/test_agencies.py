"""Issuing bodies to their authority names (app/domain/agencies.py), no database."""
import pytest

from app.domain.agencies import canonical


@pytest.mark.parametrize("raw, name", [
    ("ỦY BAN NHÂN DÂN TỈNH PHÚ THỌ , | LJ", "Ủy ban nhân dân tỉnh Phú Thọ"),
    ("UBND TỈNH QUẢNG NGÃI", "Ủy ban nhân dân tỉnh Quảng Ngãi"),
    ("UBND TINH QUANG NGAI", "Ủy ban nhân dân tỉnh Quảng Ngãi"),
    ("Uỷ ban nhân dân tỉnh Phú Thọ", "Ủy ban nhân dân tỉnh Phú Thọ"),
    ("THỦ TƯỚNG CHÍNH PHỦ", "Thủ tướng Chính phủ"),
    ("SỞ TT&TT TỈNH ĐIỆN BIÊN", "Sở Thông tin và Truyền thông tỉnh Điện Biên"),
    # Not in the list: cleaned and in proper case, the place name capitalised.
    ("ỦY BAN NHÂN DÂN HUYỆN NGHĨA HÀNH", "Ủy ban nhân dân huyện Nghĩa Hành"),
    ("Ban Chỉ đạo về nhân quyền tỉnh Cao Bằng", "Ban Chỉ đạo về nhân quyền tỉnh Cao Bằng"),
])
def test_spellings_map_to_one_authority_name(raw, name):
    assert canonical(raw) == name


def test_confirmed_names_and_aliases_win_and_blank_is_none():
    from app.domain.agencies import key

    extra = {key("BCĐ NQ ĐL"): "Ban Chỉ đạo Nhân quyền tỉnh Đắk Lắk"}
    assert canonical("BCĐ NQ ĐL", extra) == "Ban Chỉ đạo Nhân quyền tỉnh Đắk Lắk"
    assert canonical("  | ", extra) is None and canonical(None) is None
