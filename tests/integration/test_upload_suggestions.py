"""The upload form offers what it recognises in the chosen file before it is archived;
the file is read in a child process with limits and nothing is stored."""
from __future__ import annotations

from sqlalchemy import func, select

from app.extensions import db
from tests.conftest import SAMPLES
from tests.integration.test_web_pages import csrf

TEXT_PDF = SAMPLES / "text_vi.pdf"     # page 1 of 05.signed_20250517_044750.pdf


def documents_count(app) -> int:
    from app.models import Document

    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Document))


def suggest(client, path, headers=None):
    with path.open("rb") as fh:
        return client.post("/api/v1/documents/suggest", data={"file": (fh, path.name)},
                           content_type="multipart/form-data", headers=headers or {})


def test_api_reads_the_header_of_a_text_pdf_without_archiving_it(app, api):
    client = api("uploader")
    with TEXT_PDF.open("rb") as fh:
        res = client.post("/api/v1/documents/suggest", data={"file": (fh, "thong-bao.pdf")},
                          content_type="multipart/form-data")
    assert res.status_code == 200
    body = res.get_json()
    assert body["status"] == "ok" and body["method"] == "pdf-text-layer"
    # read from the page: "ỦY BAN NHÂN DÂN / TỈNH QUẢNG NGÃI", "Số: /TB-UBND",
    # "Quảng Ngãi, ngày tháng 01 năm 2025", "THÔNG BÁO / Kết luận của Phó Chủ tịch ..."
    offers = body["offers"]
    assert offers["issuing_agency"] == "ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI"
    assert (offers["symbol"], offers["doc_type"], offers["place"]) == (
        "TB-UBND", "TB", "Quảng Ngãi")
    assert offers["summary"].startswith("Kết luận của Phó Chủ tịch UBND tỉnh Võ Phiên")
    assert "number" not in offers and "issue_date" not in offers   # printed blank
    assert body["extracted"]["number_blank"] is True
    assert documents_count(app) == 0


def test_scan_and_encrypted_file_get_a_reason_instead_of_suggestions(app, api):
    client = api("uploader")
    scan = suggest(client.client, SAMPLES / "image_only.pdf", client.headers).get_json()
    assert scan["status"] == "no_text" and scan["offers"] == {}
    assert "OCR" in scan["message"]
    locked = suggest(client.client, SAMPLES / "encrypted_user_pw.pdf", client.headers).get_json()
    assert locked["status"] == "failed" and locked["offers"] == {}
    assert "mật khẩu" in locked["message"]            # password-protected, in Vietnamese
    assert documents_count(app) == 0


def test_suggestions_need_the_upload_permission_and_a_login(app, api):
    assert suggest(api("viewer").client, TEXT_PDF, api("viewer").headers).status_code == 403
    assert suggest(app.test_client(), TEXT_PDF).status_code == 401


def test_upload_page_asks_with_its_csrf_token(app, make_user, login):
    browser = login(make_user("uploader"))
    page = browser.get("/documents/upload").get_data(as_text=True)
    assert "data-upload-suggestions" in page
    with TEXT_PDF.open("rb") as fh:
        refused = browser.post("/documents/upload/suggest", data={"file": (fh, "a.pdf")},
                               content_type="multipart/form-data")
    assert refused.status_code == 400                  # no CSRF token
    with TEXT_PDF.open("rb") as fh:
        res = browser.post("/documents/upload/suggest", data={"file": (fh, "a.pdf")},
                           content_type="multipart/form-data",
                           headers={"X-CSRFToken": csrf(page)})
    assert res.status_code == 200
    assert res.get_json()["offers"]["symbol"] == "TB-UBND"
    assert documents_count(app) == 0


def test_a_file_that_hangs_the_reader_is_given_up_on(app, api, monkeypatch):
    client = api("uploader")
    app.config["SUGGEST_TIMEOUT_S"] = 0.001
    try:
        body = suggest(client.client, TEXT_PDF, client.headers).get_json()
    finally:
        app.config["SUGGEST_TIMEOUT_S"] = 30
    assert body["status"] == "timeout" and body["offers"] == {}
    assert "trang sửa" in body["message"] or "edit page" in body["message"]
