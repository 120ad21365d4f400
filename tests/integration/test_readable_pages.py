"""Pages speak in sentences, not codes; destructive and ambiguous steps ask first.

Issue 13, defects 2 (failure reasons), 6 (audit), 7 (codes on pages, English
labels), 8 (ambiguous words), 9 (approval confirmation), 10 (ambiguous
material numbers) and 12 (calendar, export index).
"""
from __future__ import annotations

import io
import re
import zipfile
from datetime import date

from app.extensions import db
from tests.integration.test_briefings import PERIODIC, _create
from tests.integration.test_web_pages import csrf


def _txt(tmp_path, name: str, text: str):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _fail(app, document_id: int, code: str, detail: str) -> None:
    """Put a document in the state the extraction job leaves after a failure."""
    from app.models import Document
    from app.models.document import DocumentStatus

    with app.app_context():
        document = db.session.get(Document, document_id)
        document.status = DocumentStatus.FAILED
        document.error_code, document.error_detail = code, detail
        for task in document.tasks:
            task.status, task.error = "failed", f"{code}: {detail}"
        db.session.commit()


# 2. Failure reasons as sentences; no retry where retrying cannot help.
def test_a_permanent_failure_reads_as_a_sentence_without_a_retry_button(
        app, api, login, run_jobs, tmp_path):
    uploader = api("uploader")
    doc_id = uploader.upload(_txt(tmp_path, "a.txt", "Báo cáo tháng 3.")).get_json()["id"]
    run_jobs()
    _fail(app, doc_id, "empty", "e3b0c44298fc1c149afbf4c8996fb924: zero-byte file")
    client = login(uploader.user)
    page = client.get(f"/documents/{doc_id}").get_data(as_text=True)
    assert "Tệp rỗng (0 byte)." in page
    assert "e3b0c4" not in page and "empty:" not in page and "zero-byte" not in page
    assert 'data-retry="' not in page
    listing = client.get("/documents/").get_data(as_text=True)
    assert "Tệp rỗng (0 byte)." in listing
    status = uploader.get(f"/api/v1/documents/status?ids={doc_id}").get_json()["documents"][0]
    assert status["label"] == "lỗi xử lý" and status["error"] == "Tệp rỗng (0 byte)."
    assert status["retryable"] is False


def test_a_passing_failure_still_offers_retry(app, api, login, run_jobs, tmp_path):
    uploader = api("uploader")
    doc_id = uploader.upload(_txt(tmp_path, "b.txt", "Báo cáo tháng 4.")).get_json()["id"]
    run_jobs()
    _fail(app, doc_id, "internal", "MemoryError: worker ran out")
    page = login(uploader.user).get(f"/documents/{doc_id}").get_data(as_text=True)
    assert re.search(r'<form[^>]*data-retry="%d"(?![^>]*hidden)' % doc_id, page)
    assert "MemoryError" not in page  # technical detail only for archivists


# 6. The audit trail in sentences.
def test_audit_trail_shows_actions_and_changes_in_words(app, api, login, make_user, run_jobs,
                                                         tmp_path):
    archivist = api("archivist")
    doc_id = archivist.upload(_txt(tmp_path, "c.txt", "Công văn về thông tin đối ngoại."),
                              title="Công văn cũ", secrecy="thuong").get_json()["id"]
    run_jobs()
    client = login(archivist.user)
    form = client.get(f"/documents/{doc_id}/edit").get_data(as_text=True)
    response = client.post(f"/documents/{doc_id}/edit", data={
        "csrf_token": csrf(form), "title": "Công văn về thông tin đối ngoại",
        "category": "official_letter", "doc_type": "CV", "secrecy": "thuong",
        "urgency": "thuong", "issue_date": "05/06/2024"})
    assert response.status_code == 302
    page = client.get("/audit/").get_data(as_text=True)
    assert "\\u" not in page and "{&#34;" not in page and '{"' not in page
    assert "Tiêu đề: Công văn cũ → Công văn về thông tin đối ngoại" in page
    assert "Ngày ban hành: — → 05/06/2024" in page
    assert "Loại văn bản: — → Công văn" in page
    assert "Tên tệp: c.txt" in page
    cells = re.findall(r'<td data-action="[^"]+">([^<]*)</td>', page)
    assert "Sửa" in cells and "Tạo mới" in cells, cells
    assert not {"create", "edit"} & set(cells)
    # The filter offers actions by name, with the code as the value.
    assert re.search(r'<option value="dossier.save"[^>]*>Lưu hồ sơ</option>', page)


# 7. No codes on pages; the vocabulary in English with ?lang=en.
def test_briefing_page_names_its_retention_series(api, login):
    user = api("uploader")
    created = _create(user, PERIODIC)
    page = login(user.user).get(f"/briefings/{created['id']}").get_data(as_text=True)
    footer = re.search(r"<p[^>]*data-retention-series>(.*?)</p>", page, re.S).group(1)
    assert "briefing" not in footer and "Nhóm bảo quản: briefing" not in page
    assert "Hồ sơ họp báo" in footer or "họp báo" in footer.lower()
    assert "10 năm" in footer


def test_english_pages_show_types_and_categories_in_english(api, login, run_jobs, tmp_path):
    user = api("uploader")
    doc_id = user.upload(_txt(tmp_path, "qd.txt", "Quyết định về công tác thông tin."),
                         doc_type="QD", category="directive_decision").get_json()["id"]
    run_jobs()
    client = login(user.user)
    page = client.get(f"/documents/{doc_id}?lang=en").get_data(as_text=True)
    assert "<dd>Decision</dd>" in page and "Directive / decision" in page
    results = client.get("/search/?q=quyết+định&lang=en").get_data(as_text=True)
    assert "Decision" in results and "Directive / decision" in results
    vietnamese = client.get(f"/documents/{doc_id}?lang=vi").get_data(as_text=True)
    assert "<dd>Quyết định</dd>" in vietnamese


# 8. Words that mean one thing.
def test_schedule_columns_and_account_actions_are_unambiguous(login, make_user):
    archivist = login(make_user("archivist"))
    page = archivist.get("/retention/schedules").get_data(as_text=True)
    for table in re.findall(r"<thead>(.*?)</thead>", page, re.S):
        headers = [h for h in re.findall(r"<th>([^<]*)</th>", table) if h]
        assert len(headers) == len(set(headers)), headers
    rules = re.findall(r"<thead>(.*?)</thead>", page, re.S)[1]
    assert "Nhóm tài liệu" in rules and "Nhóm thời hạn bảo quản" in rules

    admin = login(make_user("admin"))
    users = admin.get("/admin/users").get_data(as_text=True)
    assert "Trạng thái tài khoản" in users and "Đang hoạt động" in users
    assert ">Khóa tài khoản này</button>" in users
    assert ">Khóa</button>" not in users


def test_cancel_and_destroy_are_different_words(app, api, login, run_jobs, tmp_path):
    archivist = api("archivist")
    doc_id = archivist.upload(_txt(tmp_path, "d.txt", "Báo cáo.")).get_json()["id"]
    run_jobs()
    client = login(archivist.user)
    edit = client.get(f"/documents/{doc_id}/edit").get_data(as_text=True)
    assert "Quay lại, không lưu" in edit and ">Hủy<" not in edit


# 9. Approving a destruction shows what will be destroyed and needs a confirmation.
def test_approving_a_destruction_needs_a_confirmation_naming_the_records(
        app, api, login, make_user, run_jobs, tmp_path):
    from app.services.retention import sweep

    uploader = api("uploader")
    doc_id = uploader.upload(_txt(tmp_path, "bc.txt", "Báo cáo tháng 4/2012."),
                             category="report", issue_date="03/04/2012",
                             title="Báo cáo tháng 4/2012").get_json()["id"]
    run_jobs()
    with app.app_context():
        sweep(date(2024, 1, 1))
    archivist = login(make_user("archivist"))
    index = archivist.get("/retention/").get_data(as_text=True)
    assert '<option value="destroy">Tiêu hủy</option>' in index  # 8: not "Hủy" (cancel)
    proposed = archivist.post("/retention/propose", data={
        "csrf_token": csrf(index), "action": "destroy", "document_id": str(doc_id),
        "reason": "Hết thời hạn bảo quản"})
    proposal_url = proposed.headers["Location"]

    approver = login(make_user("approver"))
    page = approver.get(proposal_url).get_data(as_text=True)
    approve = re.search(r'<button[^>]*value="approve"[^>]*>', page).group(0)
    reject = re.search(r'<button[^>]*value="reject"[^>]*>', page).group(0)
    assert 'class="danger"' in approve and 'class="secondary"' in reject
    decide = proposal_url + "/decide"
    first = approver.post(decide, data={"csrf_token": csrf(page), "decision": "approve",
                                        "decision_ref": "12/QĐ-STTTT"})
    confirm = first.get_data(as_text=True)
    assert first.status_code == 200
    assert "Xác nhận tiêu hủy" in confirm and "Báo cáo tháng 4/2012" in confirm
    assert "bc.txt" in confirm and "Không thể hoàn tác" in confirm
    assert api("viewer").get(f"/api/v1/documents/{doc_id}").get_json()["disposition"] == "proposed"
    # A confirmation for other records than the proposal's does nothing.
    wrong = approver.post(decide, data={"csrf_token": csrf(page), "decision": "approve",
                                        "decision_ref": "12/QĐ-STTTT", "confirm": "999"})
    assert wrong.status_code == 200 and "Xác nhận tiêu hủy" in wrong.get_data(as_text=True)
    key = re.search(r'name="confirm" value="([^"]+)"', confirm).group(1)
    done = approver.post(decide, data={"csrf_token": csrf(page), "decision": "approve",
                                       "decision_ref": "12/QĐ-STTTT", "confirm": key})
    assert done.status_code == 303
    assert api("viewer").get(f"/api/v1/documents/{doc_id}").get_json()["disposition"] == \
        "destroyed"


# 10. A number carried by two documents: ask which one.
def test_a_material_number_carried_by_two_documents_asks_which(api, login, run_jobs, tmp_path):
    user = api("uploader")
    first = user.upload(_txt(tmp_path, "kh-2023.txt", "Kế hoạch năm 2023."), number="15/KH-UBND",
                        title="Kế hoạch 2023", issue_date="01/02/2023").get_json()["id"]
    second = user.upload(_txt(tmp_path, "kh-2024.txt", "Kế hoạch năm 2024."), number="15/KH-UBND",
                         title="Kế hoạch 2024", issue_date="01/02/2024").get_json()["id"]
    # Carried by a secret document too, which this uploader must not learn of.
    api("uploader", clearance="mat").upload(
        _txt(tmp_path, "kh-mat.txt", "Kế hoạch mật."), number="15/KH-UBND", secrecy="mat")
    run_jobs()
    briefing = _create(user, PERIODIC)
    url = f"/api/v1/briefings/{briefing['id']}/materials"
    answer = user.post(url, json={"reference": "15/KH-UBND", "role": "guidance"})
    assert answer.status_code == 409
    error = answer.get_json()["error"]
    assert error["code"] == "ambiguous_reference"
    assert {c["id"] for c in error["details"]["candidates"]} == {first, second}
    assert user.get(f"/api/v1/briefings/{briefing['id']}").get_json()["materials"] == []

    browser = login(user.user)
    page = browser.get(f"/briefings/{briefing['id']}").get_data(as_text=True)
    chooser = browser.post(f"/briefings/{briefing['id']}/materials", data={
        "csrf_token": csrf(page), "reference": "15/KH-UBND", "role": "guidance"})
    body = chooser.get_data(as_text=True)
    assert chooser.status_code == 200 and "Có 2 tài liệu cùng mang số 15/KH-UBND" in body
    assert f'name="reference" value="{first}"' in body
    assert f'name="reference" value="{second}"' in body
    assert re.search(r'<option selected value="guidance">|<option value="guidance" selected',
                     body)
    assert "Kế hoạch 2023" in body and "Kế hoạch 2024" in body
    assert 'data-document=' not in browser.get(f"/briefings/{briefing['id']}").get_data(
        as_text=True)


    # Linking coverage to "the document it reports on" asks the same way.
    from tests.integration.test_briefings import COPY_A, _coverage

    article = _coverage(user, briefing["id"], COPY_A, outlet="Báo A")["article"]
    linked = user.post(f"/api/v1/briefings/articles/{article['id']}/documents",
                       json={"reference": "15/KH-UBND"})
    assert linked.status_code == 409
    assert len(linked.get_json()["error"]["details"]["candidates"]) == 2
    page = browser.get(f"/briefings/{briefing['id']}").get_data(as_text=True)
    answer = browser.post(f"/briefings/{briefing['id']}/coverage/{article['id']}/documents",
                          data={"csrf_token": csrf(page), "reference": "15/KH-UBND"},
                          follow_redirects=True).get_data(as_text=True)
    assert f"{first} (Kế hoạch 2023)" in answer and f"{second} (Kế hoạch 2024)" in answer


# 12. The calendar does not call the future "no briefing"; the index keeps people apart.
def test_calendar_does_not_mark_future_months_as_missed(api, login):
    user = api("uploader")
    this_year = date.today().year
    page = login(user.user).get(f"/briefings/calendar?year={this_year + 1}").get_data(
        as_text=True)
    assert 'class="month missing"' not in page
    assert page.count('class="month upcoming"') == 12
    past = login(user.user).get(f"/briefings/calendar?year={this_year - 1}").get_data(
        as_text=True)
    assert past.count('class="month missing"') == 12


def test_export_index_lists_each_spokesperson_on_its_own_line(api, login):
    user = api("uploader")
    briefing = _create(user, PERIODIC)
    response = login(user.user).get(f"/briefings/{briefing['id']}/export")
    index = zipfile.ZipFile(io.BytesIO(response.data)).read("index.html").decode("utf-8")
    assert "Đại diện Công an tỉnh<br>Đại diện Sở Thông tin và Truyền thông" in index


def test_a_hold_on_a_search_reads_as_filters_not_parameters(api, login):
    archivist = api("archivist")
    placed = archivist.post("/api/v1/retention/holds", json={
        "query": {"q": "khiếu nại", "category": "report", "secrecy": "thuong"},
        "reason": "Yêu cầu của tòa án"})
    assert placed.status_code == 201, placed.get_json()
    page = login(archivist.user).get("/retention/holds").get_data(as_text=True)
    shown = re.search(r'<a href="/search/\?[^"]*">([^<]*)</a>', page).group(1)
    assert shown == "Tìm kiếm: khiếu nại; Nhóm tài liệu: Báo cáo; Độ mật: Thường"


def test_extraction_warnings_are_a_sentence_with_details_for_archivists(
        app, api, login, make_user, run_jobs, tmp_path):
    from app.models import Document

    uploader = api("uploader")
    doc_id = uploader.upload(_txt(tmp_path, "w.txt", "Báo cáo.")).get_json()["id"]
    run_jobs()
    with app.app_context():
        file = db.session.get(Document, doc_id).main_file
        file.extraction_notes = {**(file.extraction_notes or {}),
                                 "warnings": ["OCR failed on page 2: TesseractError(1)"]}
        db.session.commit()
    page = login(uploader.user).get(f"/documents/{doc_id}").get_data(as_text=True)
    assert "OCR failed" not in page
    assert "Một số phần của tệp" in page
    archivist = login(make_user("archivist")).get(f"/documents/{doc_id}").get_data(as_text=True)
    assert "OCR failed on page 2" in archivist
