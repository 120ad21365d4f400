"""Facets and filters use the issuing body's authority name (issue 13)."""
import re

from tests.integration.test_search_ranking import upload_text


def facet(client, q="báo cáo"):
    return dict((f["value"], f["count"]) for f in client.search(q)["facets"]["issuing_agency"])


def test_facets_group_spellings_and_archivists_confirm_names(api, run_jobs, tmp_path, login,
                                                             make_user):
    client = api("uploader")
    for n, agency in enumerate(["UBND TỈNH QUẢNG NGÃI", "Ủy ban nhân dân tỉnh Quảng Ngãi",
                                "ỦY BAN NHÂN DÂN TỈNH PHÚ THỌ , | LJ", "BCĐ NQ ĐL"]):
        upload_text(client, tmp_path, f"{n}.txt", f"Báo cáo số {n}.", title=f"Báo cáo {n}",
                    issuing_agency=agency)
    run_jobs()
    assert facet(client) == {"Ủy ban nhân dân tỉnh Quảng Ngãi": 2,
                             "Ủy ban nhân dân tỉnh Phú Thọ": 1, "BCĐ NQ ĐL": 1}
    narrowed = client.search("báo cáo", agency="Ủy ban nhân dân tỉnh Quảng Ngãi")
    assert narrowed["total"] == 2
    assert {h["issuing_agency"] for h in narrowed["hits"]} == {"Ủy ban nhân dân tỉnh Quảng Ngãi"}

    assert login(make_user("viewer")).get("/retention/agencies").status_code == 403
    archivist = login(make_user("archivist"))
    page = archivist.get("/retention/agencies").get_data(as_text=True)
    assert "BCĐ NQ ĐL" in page and 'value="Ủy ban nhân dân tỉnh Phú Thọ"' in page
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    answer = archivist.post("/retention/agencies", data={
        "csrf_token": token, "spelling": "BCĐ NQ ĐL",
        "name": "Ban Chỉ đạo Nhân quyền tỉnh Đắk Lắk"})
    assert answer.status_code == 303
    run_jobs()
    assert facet(client)["Ban Chỉ đạo Nhân quyền tỉnh Đắk Lắk"] == 1
    assert "BCĐ NQ ĐL" not in facet(client)


def test_document_page_names_the_body_as_the_authority_list_does(api, run_jobs, tmp_path,
                                                                 login, make_user):
    """The page shows the same name as the hits and facets, and the spelling as written."""
    client = api("uploader")
    doc = upload_text(client, tmp_path, "pt.txt", "Báo cáo của tỉnh.", title="Báo cáo Phú Thọ",
                         issuing_agency="ỦY BAN NHÂN DÂN TỈNH PHÚ THỌ , | LJ")
    run_jobs()
    page = login(make_user("viewer")).get(f"/documents/{doc}").get_data(as_text=True)
    shown = re.search(r"<dd>(.*?)</dd>", page.split("Cơ quan ban hành", 1)[1], re.S).group(1)
    assert shown.startswith("Ủy ban nhân dân tỉnh Phú Thọ")
    assert "ỦY BAN NHÂN DÂN TỈNH PHÚ THỌ , | LJ" in shown  # the spelling, named as such
    assert "viết trong văn bản" in shown
