"""Restore the diacritics OCR drops or garbles in capitals.

Tesseract reads ``ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI`` as ``TINH QUANG NGAI`` or
``NHÂN DẦN ... QUANG NGÀI`` and ``PHÓ CHÁNH VĂN PHÒNG`` as ``PHO CHANH VAN PHONG``.
A clerk reads through that because the names are known; so do we: a run of words
whose folded form is a known name (organ, province, district, position) is
replaced by the name as it is spelled. Only used on the issuing body and the
signer's position, where every word is such a name; text that already spells
the name (in either tone-mark placement) is left as printed.
"""
from __future__ import annotations

from functools import lru_cache

from app.text.vietnamese import normalize

from .lexicon import POSITION_NAMES
from .prep import all_caps, fold_key

MAX_WORDS = 7

_NAMES = """
ỦY BAN NHÂN DÂN|HỘI ĐỒNG NHÂN DÂN|ỦY BAN MẶT TRẬN TỔ QUỐC VIỆT NAM|VĂN PHÒNG|
TỈNH|THÀNH PHỐ|HUYỆN|QUẬN|THỊ XÃ|XÃ|PHƯỜNG|THỊ TRẤN|CHÍNH PHỦ|THỦ TƯỚNG CHÍNH PHỦ|
SỞ|BỘ|BAN|TRUNG TÂM|CÔNG BÁO|TIN HỌC|ĐOÀN ĐẠI BIỂU QUỐC HỘI|TÒA ÁN NHÂN DÂN|
VIỆN KIỂM SÁT NHÂN DÂN|CỤC THI HÀNH ÁN DÂN SỰ|BAN QUẢN LÝ KHU KINH TẾ DUNG QUẤT VÀ CÁC KHU CÔNG NGHIỆP|
TÀI CHÍNH|KẾ HOẠCH VÀ ĐẦU TƯ|TÀI NGUYÊN VÀ MÔI TRƯỜNG|THÔNG TIN VÀ TRUYỀN THÔNG|
VĂN HÓA, THỂ THAO VÀ DU LỊCH|NÔNG NGHIỆP VÀ PHÁT TRIỂN NÔNG THÔN|NÔNG NGHIỆP VÀ MÔI TRƯỜNG|
KHOA HỌC VÀ CÔNG NGHỆ|GIÁO DỤC VÀ ĐÀO TẠO|LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI|
GIAO THÔNG VẬN TẢI|XÂY DỰNG|CÔNG THƯƠNG|NỘI VỤ|TƯ PHÁP|Y TẾ|NGOẠI VỤ|DÂN TỘC|
THANH TRA|CÔNG AN|BỘ CHỈ HUY QUÂN SỰ|
AN GIANG|BÀ RỊA - VŨNG TÀU|BẠC LIÊU|BẮC GIANG|BẮC KẠN|BẮC NINH|BẾN TRE|BÌNH DƯƠNG|
BÌNH ĐỊNH|BÌNH PHƯỚC|BÌNH THUẬN|CÀ MAU|CAO BẰNG|CẦN THƠ|ĐÀ NẴNG|ĐẮK LẮK|ĐẮK NÔNG|
ĐIỆN BIÊN|ĐỒNG NAI|ĐỒNG THÁP|GIA LAI|HÀ GIANG|HÀ NAM|HÀ NỘI|HÀ TĨNH|HẢI DƯƠNG|
HẢI PHÒNG|HẬU GIANG|HÒA BÌNH|HƯNG YÊN|KHÁNH HÒA|KIÊN GIANG|KON TUM|LAI CHÂU|LÂM ĐỒNG|
LẠNG SƠN|LÀO CAI|LONG AN|NAM ĐỊNH|NGHỆ AN|NINH BÌNH|NINH THUẬN|PHÚ THỌ|PHÚ YÊN|
QUẢNG BÌNH|QUẢNG NAM|QUẢNG NGÃI|QUẢNG NINH|QUẢNG TRỊ|SÓC TRĂNG|SƠN LA|TÂY NINH|
THÁI BÌNH|THÁI NGUYÊN|THANH HÓA|THỪA THIÊN HUẾ|HUẾ|TIỀN GIANG|TRÀ VINH|TUYÊN QUANG|
VĨNH LONG|VĨNH PHÚC|YÊN BÁI|HỒ CHÍ MINH|
BÌNH SƠN|SƠN TỊNH|TƯ NGHĨA|NGHĨA HÀNH|MỘ ĐỨC|ĐỨC PHỔ|BA TƠ|MINH LONG|SƠN HÀ|SƠN TÂY|
TRÀ BỒNG|LÝ SƠN|DUNG QUẤT
"""


@lru_cache(maxsize=1)
def _table() -> dict[str, str]:
    """Folded name -> name; names whose folded forms collide are left out."""
    table: dict[str, str] = {}
    clash: set[str] = set()
    names = [n.strip() for n in _NAMES.replace("\n", "").split("|")]
    names += [p.upper() for p in POSITION_NAMES]
    for name in names:
        if not name:
            continue
        key = fold_key(name)
        if key in table and table[key] != name:
            clash.add(key)
        table[key] = name
    for key in clash:
        del table[key]
    return table


def restore_capitals(text: str | None) -> str | None:
    """*text* with known names spelled out where OCR lost or garbled their marks
    (only runs of words written in capitals are touched)."""
    if not text:
        return text
    table = _table()
    words = text.split()
    out: list[str] = []
    i = 0
    while i < len(words):
        for n in range(min(MAX_WORDS, len(words) - i), 0, -1):
            span = " ".join(words[i:i + n])
            name = table.get(fold_key(span))
            if name and all_caps(span):
                out.append(span if normalize(span) == normalize(name) else name)
                i += n
                break
        else:
            out.append(words[i])
            i += 1
    return " ".join(out)
