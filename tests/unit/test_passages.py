"""Passages follow the document's structure: what a reader of a hit expects to see."""
from app.semantic.passages import MAX_WORDS, cut


def words(n: int, word: str = "chữ") -> str:
    return " ".join([word] * n)


def test_no_passage_runs_across_two_articles():
    text = ("Điều 1. Phạm vi điều chỉnh\nLuật này quy định về báo chí.\n"
            "Điều 2. Đối tượng áp dụng\nLuật này áp dụng đối với cơ quan báo chí.")
    passages = cut(text)
    assert [p.heading for p in passages] == ["Điều 1. Phạm vi điều chỉnh",
                                             "Điều 2. Đối tượng áp dụng"]
    assert "Điều 2" not in passages[0].text and "báo chí." in passages[0].text


def test_a_long_article_is_cut_and_each_part_still_names_its_article():
    paragraphs = "\n".join(f"{n}. {words(60)}." for n in range(1, 9))  # 8 × 61 words
    passages = cut(f"Điều 7. Xử phạt vi phạm\n{paragraphs}")
    assert len(passages) >= 3
    assert all(p.text.startswith("Điều 7. Xử phạt vi phạm") for p in passages)
    assert all(len(p.text.split()) <= MAX_WORDS + 10 for p in passages)


def test_a_paragraph_longer_than_a_passage_is_cut_at_its_sentences():
    sentence = words(100) + "."
    passages = cut(" ".join([sentence] * 4))
    assert len(passages) >= 2
    assert all(p.text.rstrip().endswith(".") for p in passages)


def test_the_title_leads_the_first_passage_and_stands_alone_without_text():
    passages = cut("Nội dung kế hoạch.", title="Kế hoạch tổ chức họp báo")
    assert passages[0].text.startswith("Kế hoạch tổ chức họp báo\n")
    assert [p.text for p in cut("", title="Quyết định 15/2010/QĐ-UBND")] == [
        "Quyết định 15/2010/QĐ-UBND"]
    assert cut("   \n  ") == []


def test_a_short_tail_joins_the_part_before_it_and_the_count_is_capped():
    text = "Chương I\n" + "\n".join([words(170)] * 2) + "\nHết."
    passages = cut(text)
    assert passages[-1].text.endswith("Hết.")
    many = "\n".join(f"Điều {n}. Nội dung {n}" for n in range(1, 400))
    assert len(cut(many, max_passages=20)) == 20
