"""The upload form as a person meets it: errors in Vietnamese, nothing lost, no codes.

Issue 13, defects 1-5 and 11 (the form and the document page after an upload).
"""
from __future__ import annotations

import re
from io import BytesIO
from pathlib import Path

from sqlalchemy import func, select

from app import storage
from app.extensions import db
from tests.conftest import CORPUS, SAMPLES
from tests.integration.test_web_pages import csrf

SEED = CORPUS / "seeds" / "tin-2018-cao-bang-kh-3432.txt"
TEXT_PDF = SAMPLES / "text_vi.pdf"
FIELDS = {"category": "other", "secrecy": "thuong", "urgency": "thuong", "doc_type": ""}


def count_documents(app) -> int:
    from app.models import Document

    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Document))


def post_upload(client, files=None, **fields):
    token = csrf(client.get("/documents/upload").get_data(as_text=True))
    data = {"csrf_token": token, **FIELDS, **fields}
    if files is not None:
        data["files"] = files
    return client.post("/documents/upload", data=data, content_type="multipart/form-data")


def staged_tokens(page: str) -> list[str]:
    return re.findall(r'name="staged" value="([^"]+)"', page)


# 1. A title and no file: the form again, with a sentence, not a 500.
def test_upload_without_a_file_shows_the_form_with_a_vietnamese_message(app, login, make_user):
    client = login(make_user())
    for files in (None, [(BytesIO(b""), "")]):  # no part at all, or the browser's empty part
        response = post_upload(client, files, title="Kế hoạch tuyên truyền")
        page = response.get_data(as_text=True)
        assert response.status_code == 200
        assert "Vui lòng chọn ít nhất một tệp." in page
        assert 'value="Kế hoạch tuyên truyền"' in page  # what was typed is kept
    assert count_documents(app) == 0


# 2. (form part) A refusal of the file itself is shown next to the file field.
def test_a_refused_file_is_shown_on_the_file_field(app, login, make_user, monkeypatch):
    from app.services import documents as document_service
    from app.services.errors import ValidationFailed

    def refuse(*args, **kwargs):
        raise ValidationFailed("Tệp rỗng (0 byte), không thể lưu trữ.",
                               fields={"file": "Tệp rỗng (0 byte), không thể lưu trữ."})

    monkeypatch.setattr(document_service, "archive_document", refuse)
    client = login(make_user())
    response = post_upload(client, [(BytesIO(b""), "rong.pdf")])
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert re.search(r'class="error">rong.pdf: Tệp rỗng \(0 byte\)', page)
    assert staged_tokens(page) == []  # a refused file is not kept for another try


# 3. A text file named .pdf: the uploader is told what it really is.
def test_a_text_file_named_pdf_is_called_what_it_is(app, login, make_user, run_jobs):
    client = login(make_user())
    expected = "Tệp có đuôi .pdf nhưng thực chất là văn bản thuần (text/plain)."
    with SEED.open("rb") as fh:
        response = post_upload(client, [(fh, "ke-hoach.pdf")], title="Kế hoạch")
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert expected in page
    with SEED.open("rb") as one, (CORPUS / "seeds" / "tin-2024-hoi-nghi-cung-cap-thong-tin-nhan-quyen.txt"
                                  ).open("rb") as two:
        response = post_upload(client, [(one, "again.pdf"), (two, "tin.txt")])
    results = response.get_data(as_text=True)
    assert results.count("data-type-mismatch") == 1  # the duplicate .pdf, not the .txt
    assert expected in results


# 4. A form error keeps the chosen file on the server for its owner.
def test_a_form_error_keeps_the_chosen_file(app, login, make_user, run_jobs):
    owner = make_user()
    client = login(owner)
    with SEED.open("rb") as fh:
        first = post_upload(client, [(fh, "ke-hoach-3432.txt")], issue_date="không-phải-ngày")
    page = first.get_data(as_text=True)
    assert first.status_code == 200
    assert "ke-hoach-3432.txt" in page and "không cần chọn lại" in page
    [token] = staged_tokens(page)
    assert f'data-staged-token="{token}"' in page  # the suggestions are asked for again
    assert count_documents(app) == 0

    # Nobody else can use or read the kept file.
    stranger = login(make_user())
    taken = post_upload(stranger, staged=token, issue_date="25/10/2018")
    assert taken.status_code == 200 and "Vui lòng chọn ít nhất một tệp." in taken.get_data(
        as_text=True)
    peek = stranger.post("/documents/upload/suggest", data={"staged": token},
                         headers={"X-CSRFToken": csrf(page)})
    assert peek.status_code == 400

    # The owner corrects the date without choosing the file again.
    again = post_upload(client, staged=token, issue_date="25/10/2018", title="Kế hoạch 3432")
    assert again.status_code == 302
    run_jobs()
    detail = client.get(again.headers["Location"]).get_data(as_text=True)
    assert "ke-hoach-3432.txt" in detail and "25/10/2018" in detail
    assert count_documents(app) == 1
    # Once archived, the kept copy is gone.
    assert post_upload(client, staged=token).status_code == 200
    assert count_documents(app) == 1


def test_suggestions_are_read_again_from_the_kept_file(app, login, make_user):
    client = login(make_user())
    with TEXT_PDF.open("rb") as fh:
        page = post_upload(client, [(fh, "thong-bao.pdf")],
                           issue_date="không-phải-ngày").get_data(as_text=True)
    [token] = staged_tokens(page)
    res = client.post("/documents/upload/suggest", data={"staged": token},
                      headers={"X-CSRFToken": csrf(page)})
    assert res.status_code == 200
    assert res.get_json()["offers"]["symbol"] == "TB-UBND"


def test_kept_files_expire(ctx, make_user):
    from app.models import User
    from app.services import staging

    owner = db.session.get(User, make_user().id)
    kept = staging.stage(owner, BytesIO(b"noi dung"), "a.txt")
    assert staging.get(owner, kept.token).filename == "a.txt"
    assert staging.get(owner, "../../etc/passwd") is None
    ctx.app.config["UPLOAD_STAGING_SECONDS"] = -1
    try:
        assert staging.get(owner, kept.token) is None
        assert not storage.exists(kept.sha256)  # its bytes went with it
    finally:
        ctx.app.config["UPLOAD_STAGING_SECONDS"] = 3600


def test_a_kept_file_is_in_the_object_store_for_every_web_host(ctx, make_user):
    """Two web hosts behind a proxy: the corrected form may reach the other one, so the
    kept file is an object of the store and a row, not a file on one host's disk."""
    import hashlib
    import shutil

    from app.models import User
    from app.services import staging

    owner = db.session.get(User, make_user().id)
    body = "Báo cáo kết quả hội nghị cung cấp thông tin".encode()
    kept = staging.stage(owner, BytesIO(body), "bao-cao.txt")
    assert storage.exists(hashlib.sha256(body).hexdigest())
    # Nothing of it on this host's disk: another host with its own disk finds it too.
    shutil.rmtree(Path(ctx.app.config["STORAGE_DIR"]) / "staging", ignore_errors=True)
    again = staging.get(owner, kept.token)
    assert again is not None and again.filename == "bao-cao.txt"
    with again.open() as stream:
        assert stream.read() == body
    # Discarded without being archived: nobody uses the bytes, they go.
    staging.discard(owner, kept.token)
    assert staging.get(owner, kept.token) is None
    assert not storage.exists(hashlib.sha256(body).hexdigest())  # nobody used them


# 5. Suggestions name the type, secrecy and urgency in words.
def test_upload_suggestions_show_names_not_codes(app, login, make_user):
    client = login(make_user())
    page = client.get("/documents/upload").get_data(as_text=True)
    with TEXT_PDF.open("rb") as fh:
        body = client.post("/documents/upload/suggest", data={"file": (fh, "a.pdf")},
                           content_type="multipart/form-data",
                           headers={"X-CSRFToken": csrf(page)}).get_json()
    assert body["offers"]["doc_type"] == "TB"            # the value the select takes
    assert body["labels"]["doc_type"] == "Thông báo"     # what the person reads


def test_edit_page_suggestions_show_names_not_codes(app, api, login, make_user, run_jobs):
    uploader = api("archivist")
    doc_id = uploader.upload(TEXT_PDF, doc_type="CV", secrecy="thuong").get_json()["id"]
    run_jobs()
    client = login(make_user("archivist"))
    page = client.get(f"/documents/{doc_id}/edit").get_data(as_text=True)
    offered = re.findall(r'<span class="offer">([^<]*)</span>', page)
    assert "Thông báo" in offered and "TB" not in offered


# 11. No page the user cannot use, and no link to it.
def test_a_viewer_gets_no_edit_page_and_no_edit_link(app, api, login, make_user, run_jobs):
    doc_id = api("uploader").upload(SEED).get_json()["id"]
    run_jobs()
    viewer = login(make_user("viewer"))
    assert viewer.get(f"/documents/{doc_id}/edit").status_code == 403
    assert viewer.get("/documents/upload").status_code == 403
    page = viewer.get(f"/documents/{doc_id}").get_data(as_text=True)
    assert f"/documents/{doc_id}/edit" not in page
    assert "/documents/upload" not in page
    other_uploader = login(make_user("uploader"))
    assert other_uploader.get(f"/documents/{doc_id}/edit").status_code == 403
    assert f"/documents/{doc_id}/edit" not in other_uploader.get(
        f"/documents/{doc_id}").get_data(as_text=True)


def test_an_unexpected_error_is_a_vietnamese_page(app, login, make_user, monkeypatch):
    from app.services import documents as document_service

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(document_service, "list_recent", broken)
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)
    response = login(make_user()).get("/documents/")
    page = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Internal Server Error" not in page
    assert "Đã xảy ra lỗi" in page and "không có gì bị thay đổi" in page
