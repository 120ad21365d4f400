"""Thumbnails and page-by-page previews made by the extraction job, read like downloads."""
import pytest

from tests.conftest import CORPUS, SAMPLES

PNG = b"\x89PNG\r\n\x1a\n"
PDF_7_PAGES = CORPUS / "pdf-text" / "an_le_so_692023AL.pdf"


def _processed(client, run_jobs, path, **fields):
    doc_id = client.upload(path, **fields).get_json()["id"]
    run_jobs()
    return doc_id, client.get(f"/api/v1/documents/{doc_id}").get_json()


@pytest.mark.parametrize("path, preview", [
    (PDF_7_PAGES, True),                                     # a PDF with a text layer
    (SAMPLES / "scan_title.png", True),                      # a scan: OCR's searchable PDF
    (SAMPLES / "table_header_footer.docx", True),            # printed by LibreOffice
    (SAMPLES / "page.html", True),                           # a static copy, never live
])
def test_thumbnail_and_preview_after_processing(api, run_jobs, path, preview):
    client = api("uploader")
    doc_id, doc = _processed(client, run_jobs, path)
    assert doc["thumbnail_url"] == f"/documents/{doc_id}/thumbnail.png"
    thumb = client.get(doc["thumbnail_url"])
    assert thumb.status_code == 200 and thumb.mimetype == "image/png"
    assert thumb.data.startswith(PNG)
    width = int.from_bytes(thumb.data[16:20], "big")
    assert 0 < width <= 240
    if preview:
        assert doc["preview_url"] == f"/documents/{doc_id}/preview.pdf"
        pdf = client.get(doc["preview_url"])
        assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
        assert pdf.data.startswith(b"%PDF")
        assert "attachment" not in pdf.headers.get("Content-Disposition", "")


def test_scanned_pdf_gets_a_thumbnail(api, run_jobs):
    client = api("uploader")
    _doc_id, doc = _processed(client, run_jobs, SAMPLES / "scan_title.pdf")
    assert client.get(doc["thumbnail_url"]).data.startswith(PNG)
    assert doc["preview_url"]


def test_plain_text_has_neither_and_answers_404(api, run_jobs):
    client = api("uploader")
    doc_id, doc = _processed(client, run_jobs, SAMPLES / "vi_utf8.txt")
    assert doc["status"] == "indexed"
    assert doc["thumbnail_url"] is None and doc["preview_url"] is None
    assert client.get(f"/documents/{doc_id}/thumbnail.png").status_code == 404
    assert client.get(f"/documents/{doc_id}/preview.pdf").status_code == 404


def test_a_pdf_the_job_refused_is_not_previewed(api, run_jobs):
    client = api("uploader")
    doc_id, doc = _processed(client, run_jobs, SAMPLES / "truncated_200b.pdf")
    assert doc["status"] == "failed"
    assert doc["thumbnail_url"] is None and doc["preview_url"] is None
    assert client.get(f"/documents/{doc_id}/preview.pdf").status_code == 404
    assert "data-pdf-viewer" not in client.get(f"/documents/{doc_id}").get_data(as_text=True)


def test_a_failed_rendering_never_fails_the_extraction(api, run_jobs, monkeypatch):
    from app.previews import render

    def broken(*args, **kwargs):
        raise render.RenderError("pdftoppm crashed")

    monkeypatch.setattr(render, "pdf_thumbnail", broken)
    client = api("uploader")
    _doc_id, doc = _processed(client, run_jobs, SAMPLES / "text_vi.pdf")
    assert doc["status"] == "indexed"
    assert doc["thumbnail_url"] is None
    assert doc["preview_url"]  # the original PDF itself


def test_document_page_opens_the_viewer_at_the_first_matching_page(api, run_jobs):
    client = api("uploader")
    doc_id, _doc = _processed(client, run_jobs, PDF_7_PAGES)
    page = client.get(f"/documents/{doc_id}",
                      query_string={"q": "chung cu gia mao"}).get_data(as_text=True)
    assert 'data-pdf-viewer' in page and f'data-src="/documents/{doc_id}/preview.pdf"' in page
    assert 'data-start-page="3"' in page
    # Coming from the search page, the words come with the referrer.
    page = client.client.get(f"/documents/{doc_id}", headers={
        **client.headers, "Referer": "http://localhost/search/?q=VIAC"}).get_data(as_text=True)
    assert 'data-start-page="2"' in page
    assert 'data-start-page="1"' in client.get(f"/documents/{doc_id}").get_data(as_text=True)
    edit = client.get(f"/documents/{doc_id}/edit").get_data(as_text=True)
    assert "edit-with-preview" in edit and "data-pdf-viewer" in edit
    hits = client.get("/search/", query_string={"q": "VIAC"}).get_data(as_text=True)
    assert f'src="/documents/{doc_id}/thumbnail.png"' in hits


def test_first_matching_page():
    from app.services.previews import first_matching_page, query_words

    text = "Trang một\fNhân quyền\fnhân quyền và báo chí\fkhác"
    assert first_matching_page(text, "nhan quyen") == 2
    assert first_matching_page(text, '"nhân quyền" báo -khác') == 3
    assert first_matching_page(text, "không có") is None
    # Typed with diacritics, only that spelling; typed without, any spelling.
    assert first_matching_page("giá cả\fgiả mạo\fgia đình", "giả") == 2
    assert first_matching_page("giá cả\fgiả mạo\fgia đình", "gia") == 1
    assert first_matching_page(None, "x") is None
    assert query_words("a OR b -c 1079/QĐ-TTg prefix*") == ["a", "b", "1079/QĐ-TTg", "prefix"]


def test_secret_preview_is_audited_and_hidden_below_clearance(api, run_jobs):
    owner = api("uploader", clearance="mat")
    doc_id, doc = _processed(owner, run_jobs, SAMPLES / "text_vi.pdf", secrecy="mat")
    assert owner.get(doc["preview_url"]).status_code == 200
    reader = api("viewer", clearance="thuong")
    for url in (doc["thumbnail_url"], doc["preview_url"], f"/api/v1/documents/{doc_id}"):
        assert reader.get(url).status_code == 404
    archivist = api("archivist", clearance="tuyet_mat")
    trail = archivist.client.get("/audit/", headers=archivist.headers).get_data(as_text=True)
    assert "Xem bản gốc trong trình duyệt (tài liệu mật)" in trail


def test_retry_replaces_the_renderings_and_removes_the_old_ones(app, api, run_jobs):
    from app import storage

    client = api("uploader")
    doc_id, _doc = _processed(client, run_jobs, SAMPLES / "table_header_footer.docx")
    with app.app_context():
        from app.extensions import db
        from app.models import Document

        file = db.session.get(Document, doc_id).main_file
        old_pdf = file.preview_sha256
        assert storage.exists(old_pdf)
    assert client.post(f"/api/v1/documents/{doc_id}/retry").status_code == 202
    run_jobs()
    doc = client.get(f"/api/v1/documents/{doc_id}").get_json()
    assert client.get(doc["preview_url"]).data.startswith(b"%PDF")
    with app.app_context():
        file = db.session.get(Document, doc_id).main_file
        if file.preview_sha256 != old_pdf:  # LibreOffice stamps the time into its PDFs
            assert not storage.exists(old_pdf)
