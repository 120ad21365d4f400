"""Snippets people can read (issue 13): an accented query marks only its own
spellings, fragments are readable stretches of text, and a number query says
which hit is the document and which ones cite it."""
from __future__ import annotations

import re

from tests.integration.test_search_ranking import upload_text


def marked(snippet: str) -> list[str]:
    return re.findall(r"<mark>(.*?)</mark>", snippet)


def test_an_accented_query_marks_only_its_own_spellings(api, run_jobs, tmp_path):
    client = api("uploader")
    upload_text(client, tmp_path, "a.txt", "Ủy ban nhân dân tỉnh họp bàn về kế hoạch. "
                "Cuộc họp bàn giao được ủy ban nhân dân chủ trì.", title="Biên bản họp")
    run_jobs()
    snippet = client.search("ủy ban nhân dân")["hits"][0]["snippet"]
    words = " ".join(marked(snippet)).lower().split()
    assert "bàn" not in words and "ban" in words
    # Typed without any diacritics: every accented spelling is the person's word.
    folded = " ".join(marked(client.search("uy ban nhan dan")["hits"][0]["snippet"])).lower()
    assert "bàn" in folded.split() and "nhân" in folded.split()


def test_fragments_are_readable_stretches_not_sentence_crumbs(api, run_jobs, tmp_path):
    client = api("uploader")
    body = ("Điều 1. Phạm vi điều chỉnh. Quy định này áp dụng cho công tác quản lý. "
            "2. Đối tượng áp dụng là cơ quan quản lý. 3. Trách nhiệm quản lý. "
            + "Nội dung khác không liên quan đến từ khóa tìm kiếm. " * 20
            + "Cuối cùng, các đơn vị có trách nhiệm quản lý hồ sơ lưu trữ theo quy định.")
    upload_text(client, tmp_path, "a.txt", body, title="Quy định")
    run_jobs()
    snippet = client.search("quản lý")["hits"][0]["snippet"]
    fragments = [re.sub(r"<[^>]+>", "", f).strip() for f in snippet.split(" … ")]
    assert all(len(f.split()) >= 8 for f in fragments), fragments


def test_a_number_query_says_which_hit_is_the_document_and_which_cite_it(
        api, run_jobs, tmp_path, login, make_user):
    client = api("uploader")
    decision = upload_text(client, tmp_path, "qd.txt", "Quyết định về công tác nhân quyền.",
                           title="Quyết định 1079", number="1079", symbol="QĐ-TTg",
                           issue_date="14/09/2022")
    plan = upload_text(client, tmp_path, "kh.txt", "Căn cứ Quyết định số 1079/QĐ-TTg ngày "
                       "14/9/2022 của Thủ tướng Chính phủ, Ủy ban ban hành kế hoạch.",
                       title="Kế hoạch thực hiện")
    run_jobs()
    hits = client.search("1079/QĐ-TTg")["hits"]
    relation = {h["id"]: h["number_relation"] for h in hits}
    assert hits[0]["id"] == decision and relation == {decision: "carries", plan: "cites"}
    page = login(make_user("viewer")).get("/search/", query_string={"q": "1079/QĐ-TTg"})
    html = page.get_data(as_text=True)
    assert "Văn bản số 1079/QĐ-TTg" in html and "Trích dẫn 1079/QĐ-TTg" in html
    assert client.search("nhân quyền")["hits"][0]["number_relation"] is None
