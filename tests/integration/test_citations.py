"""Metadata read from the text, and the citation graph, through the API and pages."""
from tests.conftest import CORPUS

PLAN = CORPUS / "seeds" / "ke-hoach-2024-dak-lak-hoi-nghi-bao-chi.txt"
GUIDANCE = CORPUS / "seeds" / "tin-btttt-huong-dan-qd-1079.txt"


def test_recognised_metadata_fills_empty_fields_only(api, run_jobs):
    client = api("uploader")
    doc_id = client.upload(PLAN, summary="Tóm tắt do cán bộ nhập").get_json()["id"]
    run_jobs()
    doc = client.get(f"/api/v1/documents/{doc_id}").get_json()
    # Filled from the header and signature block (read from the file by a person):
    assert doc["doc_type"] == "KH"
    assert doc["symbol"] == "KH-UBND" and doc["number"] is None  # "Số: /KH-UBND"
    assert doc["issuing_agency"] == "ỦY BAN NHÂN DÂN TỈNH ĐẮK LẮK"
    assert doc["place"] == "Đắk Lắk"
    assert doc["signer_name"] == "Nguyễn Tuấn Hà"
    assert doc["signer_position"] == "PHÓ CHỦ TỊCH"
    assert "Ban Tuyên giáo Tỉnh ủy" in doc["recipients"]
    # What the person typed stays; the recognised value is offered under `extracted`.
    assert doc["summary"] == "Tóm tắt do cán bộ nhập"
    assert doc["extracted"]["summary"].startswith("Triển khai Hội nghị cung cấp thông tin")
    assert doc["extracted"]["issue_date_text"] == "ngày tháng 7 năm 2024"


def test_citations_resolve_when_the_cited_document_arrives_later(api, run_jobs, tmp_path):
    client = api("uploader")
    plan_id = client.upload(PLAN).get_json()["id"]
    run_jobs()
    plan = client.get(f"/api/v1/documents/{plan_id}").get_json()
    cited = {c["number_symbol"]: c for c in plan["cites"]}
    assert set(cited) >= {"1079/QĐ-TTg", "1531/BTTTT-TTĐN"}
    assert cited["1079/QĐ-TTg"]["date"] == "2022-09-14"
    assert cited["1079/QĐ-TTg"]["document"] is None  # not archived yet

    decision = tmp_path / "qd-1079.txt"
    decision.write_text("Phê duyệt Đề án truyền thông về quyền con người ở Việt Nam.",
                        encoding="utf-8")
    decision_id = client.upload(decision, number="1079/QĐ-TTg", issue_date="14/09/2022",
                                doc_type="QD", title="Quyết định 1079/QĐ-TTg").get_json()["id"]
    run_jobs()
    plan = client.get(f"/api/v1/documents/{plan_id}").get_json()
    cited = {c["number_symbol"]: c for c in plan["cites"]}
    assert cited["1079/QĐ-TTg"]["document"]["id"] == decision_id
    decision_doc = client.get(f"/api/v1/documents/{decision_id}").get_json()
    assert [d["id"] for d in decision_doc["cited_by"]] == [plan_id]

    page = client.client.get(f"/documents/{decision_id}", headers=client.headers)
    html = page.get_data(as_text=True)
    assert "Được trích dẫn bởi" in html and f'href="/documents/{plan_id}"' in html

    citing = client.search("", cites="1079/qd-ttg")
    assert "hits" in citing, citing
    assert plan_id in [h["id"] for h in citing["hits"]]
    assert decision_id not in [h["id"] for h in citing["hits"]]


def test_a_number_from_another_year_does_not_resolve(api, run_jobs, tmp_path):
    client = api("uploader")
    plan_id = client.upload(PLAN).get_json()["id"]
    other = tmp_path / "qd.txt"
    other.write_text("Một quyết định khác cùng số, năm 2019.", encoding="utf-8")
    client.upload(other, number="1079/QĐ-TTg", issue_date="01/03/2019")
    run_jobs()
    plan = client.get(f"/api/v1/documents/{plan_id}").get_json()
    cited = {c["number_symbol"]: c for c in plan["cites"]}
    assert cited["1079/QĐ-TTg"]["document"] is None


def test_secret_citing_documents_stay_invisible(api, run_jobs, tmp_path):
    secret_uploader = api("uploader", clearance="mat")
    plan_id = secret_uploader.upload(PLAN, secrecy="mat").get_json()["id"]
    decision = tmp_path / "qd.txt"
    decision.write_text("Phê duyệt Đề án truyền thông về quyền con người.", encoding="utf-8")
    decision_id = secret_uploader.upload(decision, number="1079/QĐ-TTg",
                                         issue_date="14/09/2022").get_json()["id"]
    run_jobs()
    assert [d["id"] for d in secret_uploader.get(
        f"/api/v1/documents/{decision_id}").get_json()["cited_by"]] == [plan_id]
    viewer = api("viewer")
    assert viewer.get(f"/api/v1/documents/{decision_id}").get_json()["cited_by"] == []
    assert viewer.get(f"/api/v1/documents/{plan_id}").status_code == 404
    assert viewer.search("", cites="1079/QĐ-TTg")["total"] == 0
    related = viewer.get(f"/api/v1/documents/{decision_id}/related").get_json()["related"]
    assert plan_id not in [r["id"] for r in related]


def test_related_documents_share_citations_or_text(api, run_jobs):
    client = api("uploader")
    plan_id = client.upload(PLAN).get_json()["id"]
    guidance_id = client.upload(GUIDANCE).get_json()["id"]  # also cites 1079/QĐ-TTg
    client.upload(CORPUS / "docx" / "an_le_so_262018AL.docx")  # unrelated court precedent
    run_jobs()
    related = client.get(f"/api/v1/documents/{plan_id}/related").get_json()["related"]
    assert related and related[0]["id"] == guidance_id


def test_edit_page_offers_recognised_values(login, make_user, api, run_jobs):
    user = make_user("uploader")
    client = login(user)
    from tests.integration.test_web_pages import csrf

    token = csrf(client.get("/documents/upload").get_data(as_text=True))
    with PLAN.open("rb") as fh:
        response = client.post("/documents/upload", data={
            "csrf_token": token, "files": [(fh, "kh.txt")], "category": "plan",
            "summary": "Tóm tắt của tôi", "secrecy": "thuong", "urgency": "thuong",
            "doc_type": ""}, content_type="multipart/form-data")
    run_jobs()
    doc_url = response.headers["Location"]
    page = client.get(doc_url + "/edit").get_data(as_text=True)
    assert 'data-suggest-for="summary"' in page
    assert "Triển khai Hội nghị cung cấp thông tin" in page
    assert "Tóm tắt của tôi</textarea>" in page  # the person's value stays in the field
