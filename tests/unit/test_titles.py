"""Composing a title from type, number and summary (no services needed)."""
from app.domain.titles import MAX_TITLE, compose_title


def test_decision_joins_its_action_with_ve_viec():
    assert compose_title("QD", "15/2010/QĐ-UBND", "Ban hành Quy định quản lý đại lý") == (
        "Quyết định 15/2010/QĐ-UBND về việc ban hành Quy định quản lý đại lý")


def test_summary_already_saying_ve_viec_is_not_doubled():
    assert compose_title("CT", "09/2009/CT-UBND", "Về việc đẩy mạnh khoa học") == (
        "Chỉ thị 09/2009/CT-UBND về việc đẩy mạnh khoa học")


def test_official_letter_uses_v_v():
    assert compose_title("CV", "1778/UBND-KGVX", "V/v tổ chức hội nghị") == (
        "Công văn 1778/UBND-KGVX V/v tổ chức hội nghị")
    assert compose_title("CV", "1778/UBND-KGVX", "tổ chức hội nghị") == (
        "Công văn 1778/UBND-KGVX V/v tổ chức hội nghị")


def test_acronyms_keep_their_capitals_and_plans_read_on():
    assert compose_title("KH", "5547/KH-UBND", "UBND tỉnh triển khai") == (
        "Kế hoạch 5547/KH-UBND UBND tỉnh triển khai")
    assert compose_title("TB", None, "Kết luận của Phó Chủ tịch") == (
        "Thông báo kết luận của Phó Chủ tịch")


def test_too_little_gives_no_title_and_long_ones_are_cut_at_a_word():
    assert compose_title("QD", None, None) is None
    assert compose_title(None, None, None) is None
    assert compose_title(None, None, "tóm tắt") == "Tóm tắt"
    long = compose_title("QD", "1/QĐ-UBND", "phê duyệt " + "kế hoạch dài " * 60)
    assert len(long) <= MAX_TITLE and long.endswith("…") and not long.endswith(" …")
