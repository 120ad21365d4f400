"""Upload -> extraction job -> index -> search, through the HTTP API."""
from pathlib import Path

from tests.conftest import CORPUS, SAMPLES

SEED = CORPUS / "seeds" / "tin-2024-hoi-nghi-cung-cap-thong-tin-nhan-quyen.txt"


def test_api_upload_answers_202_and_document_becomes_searchable(api, run_jobs):
    client = api("uploader")
    response = client.upload(SEED, title="Tin hội nghị nhân quyền 2024", category="press_coverage",
                             issue_date="15/03/2024")
    assert response.status_code == 202
    body = response.get_json()
    assert body["status"] == "queued" and body["duplicate"] is False

    queued = client.get(f"/api/v1/documents/{body['id']}").get_json()
    assert queued["status"] == "queued"
    assert queued["tasks"][0]["kind"] == "extract"

    run_jobs()
    doc = client.get(f"/api/v1/documents/{body['id']}").get_json()
    assert doc["status"] == "indexed"
    assert doc["indexed_revision"] == doc["revision"]
    assert doc["issue_date"] == "2024-03-15"
    assert doc["files"][0]["media_type"] == "text/plain"
    assert all(t["status"] == "done" for t in doc["tasks"])

    for query in ("nhân quyền", "nhan quyen", "NHÂN QUYỀN"):
        result = client.search(query)
        assert [h["id"] for h in result["hits"]] == [body["id"]], query
        assert "<mark>" in result["hits"][0]["snippet"]


def test_snippet_marks_accented_words_for_a_query_without_diacritics(api, run_jobs):
    client = api("uploader")
    doc_id = client.upload(SEED).get_json()["id"]
    run_jobs()
    snippet = client.search("nhan quyen")["hits"][0]["snippet"]
    # The snippet shows the document's own spelling, marked, not the folded copy.
    assert "<mark>nhân quyền</mark>" in snippet.lower()
    assert doc_id


def test_duplicate_upload_points_to_existing_document(api, run_jobs):
    client = api("uploader")
    first = client.upload(SEED).get_json()
    again = client.upload(SEED)
    assert again.status_code == 200
    assert again.get_json()["duplicate"] is True
    assert again.get_json()["id"] == first["id"]


def test_original_is_stored_by_hash_and_downloadable(api, app, run_jobs):
    import hashlib

    client = api("uploader")
    doc_id = client.upload(SEED).get_json()["id"]
    doc = client.get(f"/api/v1/documents/{doc_id}").get_json()
    digest = hashlib.sha256(SEED.read_bytes()).hexdigest()
    assert doc["files"][0]["sha256"] == digest
    stored = Path(app.config["STORAGE_DIR"]) / digest[:2] / digest[2:4] / digest
    assert stored.read_bytes() == SEED.read_bytes()


def test_upload_over_size_limit_is_refused_with_a_clear_message(api, app, tmp_path):
    client = api("uploader")
    big = tmp_path / "big.txt"
    big.write_bytes(b"a" * (2 * 1024 * 1024 + 10))
    app.config["MAX_UPLOAD_MB"] = 2
    try:
        response = client.upload(big)
    finally:
        app.config["MAX_UPLOAD_MB"] = 100
    assert response.status_code == 413
    assert response.get_json()["error"]["code"] == "file_too_large"
    assert "2 MB" in response.get_json()["error"]["message"]


def test_file_type_comes_from_content_not_extension(api, run_jobs, tmp_path):
    client = api("uploader")
    lying = tmp_path / "thong-bao.pdf"
    lying.write_bytes((SAMPLES / "table_header_footer.docx").read_bytes())
    doc_id = client.upload(lying).get_json()["id"]
    run_jobs()
    doc = client.get(f"/api/v1/documents/{doc_id}").get_json()
    assert doc["files"][0]["media_type"].endswith("wordprocessingml.document")
    assert doc["status"] == "indexed"


def test_viewer_cannot_upload(api):
    client = api("viewer")
    response = client.upload(SEED)
    assert response.status_code == 403
    assert response.get_json()["error"]["code"] == "forbidden"


def test_invalid_metadata_is_rejected_before_anything_is_stored(api, app):
    client = api("uploader")
    response = client.upload(SEED, category="nonsense", issue_date="31/02/2024")
    assert response.status_code == 422
    fields = response.get_json()["error"]["details"]["fields"]
    assert set(fields) == {"category", "issue_date"}


def test_search_filters_and_facets(api, run_jobs):
    client = api("uploader")
    client.upload(SEED, category="press_coverage", doc_type="TB", issue_date="01/02/2024",
                  issuing_agency="UBND tỉnh Điện Biên")
    client.upload(CORPUS / "seeds" / "tin-btttt-huong-dan-qd-1079.txt", category="guidance",
                  doc_type="HD", issue_date="01/02/2023",
                  issuing_agency="Bộ Thông tin và Truyền thông")
    run_jobs()
    everything = client.search("nhân quyền")
    assert everything["total"] == 2
    facets = {f["value"]: f["count"] for f in everything["facets"]["category"]}
    assert facets == {"press_coverage": 1, "guidance": 1}
    assert {f["value"] for f in everything["facets"]["year"]} == {"2024", "2023"}
    only_2023 = client.search("nhân quyền", year=2023)
    assert only_2023["total"] == 1 and only_2023["hits"][0]["doc_type"] == "HD"
    agencies = {f["value"]: f["count"] for f in everything["facets"]["issuing_agency"]}
    # Facets use the body's authority name (app/domain/agencies.py), not the spelling.
    assert agencies == {"Ủy ban nhân dân tỉnh Điện Biên": 1, "Bộ Thông tin và Truyền thông": 1}
    by_agency = client.search("nhân quyền", agency="Bộ Thông tin và Truyền thông")
    assert by_agency["total"] == 1 and by_agency["hits"][0]["doc_type"] == "HD"
    in_range = client.search("", date_from="01/01/2024", date_to="31/12/2024")
    assert [h["issue_date"] for h in in_range["hits"]] == ["2024-02-01"]
    newest = client.search("", sort="newest")["hits"]
    assert [h["issue_date"] for h in newest] == ["2024-02-01", "2023-02-01"]


def test_hostile_queries_never_error(api, run_jobs):
    client = api("viewer")
    for query in ['"unbalanced', "-", "OR", "((", "a" * 10_000, "\x00\x1f", "*", "nhân quy*",
                  '"nhân quyền" -báo OR "thông tin"', "]]]{{{", "\\"]:
        response = client.get("/api/v1/search", query_string={"q": query})
        assert response.status_code == 200, query
        assert isinstance(response.get_json()["hits"], list)
