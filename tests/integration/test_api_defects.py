"""Defects found by a hostile but careful client (issue 17), each pinned by a test.

Secrecy through deduplication, impossible dates, numbers beyond the columns,
ids beyond 64 bits, and queries too long for a URL.
"""
from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select, text

from tests.integration.test_retention import sweep

HUGE = "99999999999999999999"


def stored_files(app) -> list[Path]:
    """Stored objects, less half-written uploads (tmp) and a form's chosen files kept for
    its next try (app.services.staging: objects named in ``staged_uploads``)."""
    from app.extensions import db
    from app.models import StagedUpload

    with app.app_context():
        kept = set(db.session.scalars(select(StagedUpload.sha256)))
    root = Path(app.config["STORAGE_DIR"])
    return [p for p in root.rglob("*") if p.is_file() and p.name not in kept
            and not {"tmp", "staging"} & set(p.parts)]


def write(tmp_path: Path, name: str, body: str) -> Path:
    path = tmp_path / name
    path.write_text(body, encoding="utf-8")
    return path


# --- 1. deduplication must not reveal a record above the uploader's clearance

def test_same_bytes_as_a_secret_record_look_like_a_new_upload(app, api, run_jobs, tmp_path):
    secret_owner, ordinary = api("uploader", "toi_mat"), api("uploader", "thuong")
    archivist = api("archivist", "tuyet_mat")
    path = write(tmp_path, "bao-cao.txt", "Báo cáo tối mật về tình hình an ninh thông tin.")
    secret = secret_owner.upload(path, secrecy="toi_mat", title="Báo cáo tối mật")
    assert secret.status_code == 202
    secret_id = secret.get_json()["id"]
    run_jobs()

    answer = ordinary.upload(path, title="Bản của tôi")
    body = answer.get_json()
    assert answer.status_code == 202, body
    assert body["duplicate"] is False and body["id"] != secret_id
    assert body["status"] == "queued"
    assert ordinary.get(f"/api/v1/documents/{secret_id}").status_code == 404
    run_jobs()
    mine = ordinary.get(f"/api/v1/documents/{body['id']}").get_json()
    assert mine["status"] == "indexed" and mine["title"] == "Bản của tôi"
    assert [h["id"] for h in ordinary.search("an ninh thông tin")["hits"]] == [body["id"]]

    # An archivist cleared for it learns of the attempt, on the secret record's trail.
    from app.models import AuditEvent
    from app.extensions import db
    with app.app_context():
        events = db.session.scalars(select(AuditEvent).where(
            AuditEvent.action == "upload.hidden_duplicate")).all()
        assert [(e.object_id, e.details["new_document"]) for e in events] == [
            (str(secret_id), body["id"])]

    # A same-level duplicate is still answered as one.
    again = ordinary.upload(path)
    assert again.status_code == 200 and again.get_json()["id"] == body["id"]

    # Deleting one record keeps the bytes the other still uses.
    admin = api("admin", "tuyet_mat")
    deleted = admin.client.delete(f"/api/v1/documents/{secret_id}", headers=admin.headers,
                                  json={"reason": "thử xóa bản mật"})
    assert deleted.status_code == 200, deleted.get_json()
    run_jobs()
    download = ordinary.get(f"/documents/{body['id']}/download")
    assert download.status_code == 200 and download.data == path.read_bytes()
    del archivist


# --- 2 (upload side). An empty file is refused, and nothing is kept

def test_an_empty_file_is_refused_with_a_sentence(app, api, tmp_path):
    client = api("uploader")
    response = client.upload(write(tmp_path, "rong.pdf", ""))
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert "0 byte" in error["message"] and "file" in error["details"]["fields"]
    assert stored_files(app) == []


# --- 4. dates out of any sane range

@pytest.mark.parametrize("value, words", [
    ("31/12/9999", "1900"), ("01/01/0001", "1900"), ("31/02/2024", "không tồn tại"),
    ("2024-13-01", "không tồn tại"), ("hôm qua", "dd/mm/yyyy")])
def test_impossible_issue_dates_are_refused_at_the_edge(app, api, tmp_path, value, words):
    response = api("uploader").upload(write(tmp_path, "a.txt", "Nội dung"), issue_date=value)
    assert response.status_code == 422
    message = " ".join(response.get_json()["error"]["details"]["fields"]["issue_date"])
    assert words in message
    assert stored_files(app) == []


def test_the_upload_form_says_the_day_does_not_exist(login, make_user, tmp_path):
    client = login(make_user("uploader"))
    page = client.get("/documents/upload").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    path = write(tmp_path, "a.txt", "Nội dung")
    with path.open("rb") as fh:
        response = client.post("/documents/upload", data={
            "csrf_token": token, "files": (fh, "a.txt"), "issue_date": "31/02/2024"},
            content_type="multipart/form-data")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "31/02/2024 không tồn tại" in html and "29 ngày" in html


def test_one_record_with_a_year_9999_does_not_stop_the_sweep(app, api, run_jobs, tmp_path):
    client = api("uploader")
    ids = []
    for n, issued in enumerate(("15/06/2014", "15/06/2014")):
        response = client.upload(write(tmp_path, f"r{n}.txt", f"Báo cáo tháng {n}"),
                                 category="report", issue_date=issued, title=f"Báo cáo {n}")
        ids.append(response.get_json()["id"])
    run_jobs()
    from app.extensions import db
    with app.app_context():  # as a record archived before the edge refused such dates
        db.session.execute(text("UPDATE documents SET issue_date = '9999-12-31' WHERE id = :i"),
                           {"i": ids[0]})
        db.session.commit()
    report = sweep(app, date(2026, 1, 1))
    assert report.checked == 2 and report.newly_due == 1 and report.failed == []
    for path in (f"/api/v1/documents/{ids[0]}", f"/documents/{ids[0]}"):
        assert client.get(path).status_code == 200


# --- 6. numbers beyond what the columns hold

@pytest.mark.parametrize("field", ["page_count", "product_cost"])
def test_numbers_beyond_the_columns_are_refused_and_nothing_is_stored(app, api, tmp_path,
                                                                      field):
    response = api("uploader").upload(write(tmp_path, "a.txt", "Nội dung"),
                                      **{field: HUGE + "999"})
    assert response.status_code == 422
    assert field in response.get_json()["error"]["details"]["fields"]
    assert stored_files(app) == []


def test_the_form_refuses_a_huge_page_count_with_a_sentence(login, make_user, tmp_path, app):
    client = login(make_user("uploader"))
    page = client.get("/documents/upload").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    path = write(tmp_path, "a.txt", "Nội dung")
    with path.open("rb") as fh:
        response = client.post("/documents/upload", data={
            "csrf_token": token, "files": (fh, "a.txt"), "page_count": HUGE},
            content_type="multipart/form-data")
    assert response.status_code == 200
    assert "1.000.000" in response.get_data(as_text=True)
    assert stored_files(app) == []


# --- 7. ids beyond 64 bits

@pytest.mark.parametrize("path", [
    f"/api/v1/documents/{HUGE}", f"/api/v1/documents/{HUGE}/related",
    f"/api/v1/briefings/{HUGE}", "/api/v1/documents/2147483648",
    f"/api/v1/dossiers/{HUGE}", f"/api/v1/retention/proposals/{HUGE}"])
def test_ids_beyond_the_column_are_not_found(api, path):
    response = api("archivist").get(path)
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "not_found"


def test_ids_beyond_the_column_on_pages_and_in_status_lists(api, login, make_user):
    client = login(make_user("viewer"))
    for path in (f"/documents/{HUGE}", f"/briefings/{HUGE}", f"/documents/{'9' * 5000}"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert "<h1>" in response.get_data(as_text=True)
    status = api("viewer").get("/api/v1/documents/status",
                               query_string={"ids": f"{HUGE},1,{'9' * 5000},²"})
    assert status.status_code == 200 and status.get_json() == {"documents": []}


# --- 8. queries too long for a URL

def test_a_long_query_by_post_and_a_too_long_url_in_the_envelope(api, run_jobs, tmp_path):
    client = api("viewer")
    uploader = api("uploader")
    uploader.upload(write(tmp_path, "a.txt", "Kế hoạch thông tin đối ngoại năm 2024"),
                    title="Kế hoạch thông tin đối ngoại")
    run_jobs()
    long_q = ("thông tin đối ngoại " * 600)[:10_000]
    by_post = client.client.post("/api/v1/search", headers=client.headers, json={"q": long_q})
    assert by_post.status_code == 200, by_post.get_json()
    assert by_post.get_json()["total"] == 1
    many_or = " OR ".join(f"từ{n}" for n in range(2000)) + " OR đối"
    assert client.client.post("/api/v1/search", headers=client.headers,
                              json={"q": many_or}).status_code == 200
    too_long = client.get("/api/v1/search", query_string={"q": "x" * 70_000})
    assert too_long.status_code == 414
    assert "POST" in too_long.get_json()["error"]["message"]
    long_cites = client.get("/api/v1/search", query_string={"q": "a", "cites": "1/QĐ-" * 500})
    assert long_cites.status_code == 422 and "cites" in long_cites.get_json()["error"][
        "details"]["fields"]


# --- 9. titles made of invisible characters

@pytest.mark.parametrize("title", ["\ufeff", "\u200b\ufeff ", " \u00ad "])
def test_a_briefing_title_of_invisible_characters_is_refused(api, title):
    response = api("uploader").post("/api/v1/briefings", json={
        "kind": "periodic", "title": title, "held_at": "2024-05-02T09:00:00"})
    assert response.status_code == 422, response.get_json()
    assert "title" in response.get_json()["error"]["fields"]


def test_control_characters_in_a_briefing_are_dropped(api):
    client = api("uploader")
    response = client.post("/api/v1/briefings", json={
        "kind": "periodic", "title": "Họp báo\x00 quý II", "held_at": "2024-05-02T09:00:00",
        "place": "\x07", "minutes": "Dòng một\nDòng hai"})
    assert response.status_code == 201, response.get_json()
    saved = client.get(f"/api/v1/briefings/{response.get_json()['id']}").get_json()
    assert saved["title"] == "Họp báo quý II"
    assert saved["place"] is None and saved["minutes"] == "Dòng một\nDòng hai"
