"""Every real text file of ../shared/corpus goes through the HTTP API and is
found by a phrase from its body, with and without diacritics; files that
cannot be read end with a reason a person understands."""
import pytest

from app.text.vietnamese import fold
from tests.conftest import CORPUS, SAMPLES
from tests.corpus_phrases import SEARCH_PHRASES


@pytest.fixture
def archived_corpus(api, run_jobs):
    client = api("uploader")
    ids = {}
    for rel in SEARCH_PHRASES:
        response = client.upload(CORPUS / rel)
        assert response.status_code == 202, (rel, response.get_json())
        ids[rel] = response.get_json()["id"]
    run_jobs()
    return client, ids


def test_every_text_file_is_indexed_and_found_by_a_phrase(archived_corpus):
    client, ids = archived_corpus
    for rel, doc_id in ids.items():
        doc = client.get(f"/api/v1/documents/{doc_id}").get_json()
        assert doc["status"] == "indexed", (rel, doc["error_code"], doc["tasks"])

    for rel, phrase in SEARCH_PHRASES.items():
        for query in (f'"{phrase}"', f'"{fold(phrase)}"'):
            hits = client.search(query)["hits"]
            assert hits and hits[0]["id"] == ids[rel], (rel, query, [h["id"] for h in hits])
            assert "<mark>" in hits[0]["snippet"], (rel, query)


def test_number_inside_a_docx_table_finds_the_decree(archived_corpus):
    client, ids = archived_corpus
    target = ids["docx/nghi_dinh_19_2019_ND_CP.docx"]
    for query in ("19/2019/NĐ-CP", "19/2019/nd-cp"):
        assert target in [h["id"] for h in client.search(query)["hits"]], query


def test_scanned_pdf_is_read_by_ocr_and_found_by_words_printed_on_it(api, run_jobs, app):
    client = api("uploader")
    scan = CORPUS / "pdf-scanned" / "51 QĐ UB.signed_20250219_231940.pdf"
    # No metadata: the words must come from the page images themselves.
    doc_id = client.upload(scan).get_json()["id"]
    run_jobs()
    doc = client.get(f"/api/v1/documents/{doc_id}").get_json()
    assert doc["status"] == "indexed"
    assert doc["files"][0]["extraction_method"] == "ocr"
    assert doc["page_count"] == 3
    # Read by a person on the rendered first page: "... ứng phó sự cố tràn dầu
    # ... huyện Nghĩa Hành".
    for query in ("tràn dầu Nghĩa Hành", "tran dau nghia hanh"):
        assert client.search(query)["hits"][0]["id"] == doc_id, query
    page = client.client.get(f"/documents/{doc_id}", headers=client.headers)
    html = page.get_data(as_text=True)
    assert "OCR" in html and "searchable.pdf" in html
    searchable = client.client.get(f"/documents/{doc_id}/searchable.pdf", headers=client.headers)
    assert searchable.status_code == 200 and searchable.data.startswith(b"%PDF")


@pytest.mark.parametrize("sample, code", [
    ("truncated_200b.pdf", "corrupt"),
    ("truncated_40pct.pdf", "corrupt"),
    # empty.pdf (0 bytes) is refused at upload: tests/integration/test_api_defects.py
    ("encrypted_user_pw.pdf", "encrypted"),
    ("corrupt_truncated.docx", "corrupt"),
])
def test_unreadable_files_fail_with_a_reason_and_the_original_is_kept(
        api, run_jobs, app, sample, code):
    client = api("uploader")
    doc_id = client.upload(SAMPLES / sample).get_json()["id"]
    run_jobs()
    doc = client.get(f"/api/v1/documents/{doc_id}").get_json()
    assert doc["status"] == "failed"
    assert doc["error_code"] == code
    assert doc["error_message"]  # a sentence for people, not a code
    original = client.get(f"/documents/{doc_id}/download")
    assert original.status_code == 200
    assert original.data == (SAMPLES / sample).read_bytes()
    # The failure is visible in search results by metadata, and the app is up.
    assert client.client.get("/healthz").status_code == 200


def test_retry_after_failure_runs_extraction_again(api, run_jobs, app):
    from app.extensions import db
    from app.models import Document

    client = api("uploader")
    doc_id = client.upload(SAMPLES / "truncated_40pct.pdf").get_json()["id"]
    run_jobs()
    assert client.get(f"/api/v1/documents/{doc_id}").get_json()["status"] == "failed"
    # Pretend a fixed parser now reads the file: point the record at a readable type.
    with app.app_context():
        db.session.get(Document, doc_id).main_file.media_type = "text/plain"
        db.session.commit()
    response = client.post(f"/api/v1/documents/{doc_id}/retry")
    assert response.status_code == 202
    run_jobs()
    doc = client.get(f"/api/v1/documents/{doc_id}").get_json()
    assert doc["status"] == "indexed", (doc["tasks"], doc["files"])
    assert [t["kind"] for t in doc["tasks"]] == ["extract", "index", "extract", "index"]
