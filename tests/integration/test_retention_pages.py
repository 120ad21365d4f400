"""The records-management pages, driven through their forms (CSRF included)."""
from __future__ import annotations

from datetime import date

from tests.integration.test_web_pages import csrf


def upload(api, tmp_path, name, **fields):
    path = tmp_path / name
    path.write_text(f"Báo cáo tháng {name} về công tác thông tin.", encoding="utf-8")
    response = api.upload(path, **fields)
    assert response.status_code == 202
    return response.get_json()["id"]


def test_archivist_edits_a_default_series_which_becomes_confirmed(login, make_user, api):
    client = login(make_user("archivist"))
    page = client.get("/retention/schedules").get_data(as_text=True)
    assert "TTTT-02" in page and "mặc định" in page.lower()
    form = client.get("/retention/schedules/2").get_data(as_text=True)
    response = client.post("/retention/schedules/2", data={
        "csrf_token": csrf(form), "code": "TTTT-02", "title": "Báo cáo tháng, quý",
        "retention_years": "15", "trigger": "issue_year_end", "action": "destroy",
        "legal_basis": "Thông tư 10/2022/TT-BNV, mục 5"})
    assert response.status_code == 303
    schedules = {s["code"]: s for s in
                 api("viewer").get("/api/v1/retention/schedules").get_json()["schedules"]}
    assert schedules["TTTT-02"]["retention_years"] == 15
    assert not schedules["TTTT-02"]["is_default"] and schedules["TTTT-01"]["is_default"]


def test_a_viewer_reads_the_file_plan_but_cannot_change_it(login, make_user):
    client = login(make_user("viewer"))
    assert "TTTT-01" in client.get("/retention/schedules").get_data(as_text=True)
    assert client.get("/retention/schedules/1").status_code == 403
    assert client.get("/retention/").status_code == 403


def test_document_page_shows_retention_and_holds_and_the_due_list_proposes(
        app, login, make_user, api, run_jobs, tmp_path):
    from app.services.retention import sweep

    uploader = api("uploader")
    document_id = upload(uploader, tmp_path, "bc-2012.txt", category="report",
                         issue_date="03/04/2012", title="Báo cáo tháng 4/2012")
    run_jobs()
    archivist = login(make_user("archivist"))
    page = archivist.get(f"/documents/{document_id}").get_data(as_text=True)
    assert "TTTT-02" in page and "01/01/2023" in page  # due date, dd/mm/yyyy

    held = archivist.post("/retention/holds", data={
        "csrf_token": csrf(page), "target": "document", "document_id": document_id,
        "reason": "Đang giải quyết khiếu nại", "back": f"/documents/{document_id}"})
    assert held.status_code == 303
    page = archivist.get(f"/documents/{document_id}").get_data(as_text=True)
    assert "Đang giải quyết khiếu nại" in page

    with app.app_context():
        sweep(date(2024, 1, 1))
    due_page = archivist.get("/retention/").get_data(as_text=True)
    assert "Báo cáo tháng 4/2012" in due_page
    refused = archivist.post("/retention/propose", data={
        "csrf_token": csrf(due_page), "document_id": document_id, "action": "destroy",
        "reason": "Hết hạn"}, follow_redirects=True)
    assert "giữ" in refused.get_data(as_text=True).lower()  # the hold is named in the message


def test_dossier_pages_create_and_file_a_document(login, make_user, api, run_jobs, tmp_path):
    document_id = upload(api("uploader"), tmp_path, "hb.txt", category="briefing_material")
    run_jobs()
    client = login(make_user("archivist"))
    form = client.get("/retention/dossiers/new").get_data(as_text=True)
    created = client.post("/retention/dossiers/new", data={
        "csrf_token": csrf(form), "code": "HB-2024-03", "title": "Họp báo tháng 3/2024",
        "year": "2024", "start_date": "01/03/2024", "end_date": "31/03/2024",
        "schedule_id": "8"})
    assert created.status_code == 303
    dossier_url = created.headers["Location"]
    page = client.get(dossier_url).get_data(as_text=True)
    client.post(f"{dossier_url}/documents", data={"csrf_token": csrf(page),
                                                  "document_id": document_id})
    page = client.get(dossier_url).get_data(as_text=True)
    assert "hb" in page and "31/03/2024" in page
    detail = client.get(f"/documents/{document_id}").get_data(as_text=True)
    assert "HB-2024-03" in detail and "01/01/2035" in detail  # 10 years from the closing year
