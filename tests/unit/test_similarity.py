"""Near-duplicate detection of saved articles: one story with different page chrome
is recognised; another article on the same topic is not."""
from app.extractors.html import article_text
from app.text import similarity
from tests.conftest import SAMPLES

COVERAGE = SAMPLES / "coverage"
COPY_A = (COVERAGE / "bao-a-hoi-nghi-nhan-quyen.html").read_bytes()
COPY_B = (COVERAGE / "cong-b-dang-lai.html").read_bytes()
OTHER = (COVERAGE / "bao-c-bai-khac.html").read_bytes()


def test_article_text_drops_the_site_chrome_and_keeps_the_story():
    text = article_text(COPY_A)
    assert text.startswith("Cung cấp thông tin cho báo chí về công tác nhân quyền")
    assert "phản bác luận điệu xuyên tạc" in text
    for chrome in ("Thể thao", "Tin đọc nhiều", "Chia sẻ", "Bình luận", "Giấy phép số",
                   "analytics", "font-family"):
        assert chrome not in text
    portal = article_text(COPY_B)
    for chrome in ("Thủ tục hành chính", "Thống kê truy cập", "Cơ quan chủ quản"):
        assert chrome not in portal


def test_copies_of_one_story_are_near_duplicates_and_other_articles_are_not():
    a, b, c = (similarity.signature(article_text(x)) for x in (COPY_A, COPY_B, OTHER))
    assert similarity.similarity(a, b) >= similarity.SAME_STORY
    assert similarity.similarity(a, c) < 0.2
    assert similarity.similarity(b, c) < 0.2


def test_stripping_chrome_is_what_makes_the_copies_match():
    from bs4 import BeautifulSoup

    whole_a = BeautifulSoup(COPY_A, "lxml").get_text(" ")
    whole_b = BeautifulSoup(COPY_B, "lxml").get_text(" ")
    assert similarity.jaccard(article_text(COPY_A), article_text(COPY_B)) > \
        similarity.jaccard(whole_a, whole_b) + 0.1


def test_minhash_estimates_jaccard_and_ignores_case_and_diacritics():
    text = ("Hội nghị cung cấp thông tin cho báo chí về công tác nhân quyền và thông tin "
            "đối ngoại được tổ chức định kỳ hằng tháng tại tỉnh")
    assert similarity.similarity(similarity.signature(text),
                                 similarity.signature(text.upper())) == 1.0
    from app.text.vietnamese import fold
    assert similarity.signature(fold(text)) == similarity.signature(text)
    half = text.split()
    other = " ".join(half[: len(half) // 2] + ["khác"] * 10)
    exact = similarity.jaccard(text, other)
    estimate = similarity.similarity(similarity.signature(text), similarity.signature(other))
    assert abs(exact - estimate) < 0.15


def test_empty_text_has_no_signature():
    assert similarity.signature("") is None
    assert similarity.similarity(None, similarity.signature("một hai ba bốn năm sáu")) == 0.0
