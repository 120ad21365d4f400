"""Clearance × secrecy × every way of reaching a document: visible exactly when allowed.

A document above a user's clearance must not betray its existence: not in hits,
totals or facet counts, not on its page (404, not 403), not in downloads, the
API, related documents or cited-by lists, nor as a material of a press briefing
(its page, its API, a search for the briefing by the material's words, the
dossier export and its index).
"""
import io
import itertools
import zipfile

import pytest

LEVELS = ["thuong", "mat", "toi_mat", "tuyet_mat"]
RANK = {level: n for n, level in enumerate(LEVELS)}


@pytest.fixture
def archive(api, run_jobs, tmp_path):
    owner = api("uploader", clearance="tuyet_mat")
    cited = tmp_path / "cited.txt"
    cited.write_text("Quyết định về công tác thông tin đối ngoại của tỉnh.", encoding="utf-8")
    cited_id = owner.upload(cited, number="99/QĐ-UBND", issue_date="01/01/2024").get_json()["id"]
    docs = {}
    for level in LEVELS:
        path = tmp_path / f"{level}.txt"
        path.write_text(f"Căn cứ Quyết định số 99/QĐ-UBND ngày 01/01/2024 của UBND tỉnh. "
                        f"Báo cáo tình hình thông tin đối ngoại, mã riêng {level}xyz.",
                        encoding="utf-8")
        docs[level] = owner.upload(path, secrecy=level, title=f"Báo cáo {level}").get_json()["id"]
    run_jobs()
    briefing = owner.post("/api/v1/briefings", json={
        "kind": "periodic", "title": "Giao ban báo chí tháng 6", "held_at": "14/06/2024 14:00",
        "minutes": "Hội nghị cung cấp thông tin định kỳ."}).get_json()["id"]
    for doc_id in docs.values():
        assert owner.post(f"/api/v1/briefings/{briefing}/materials",
                          json={"reference": str(doc_id), "role": "report"}).status_code == 201
    run_jobs()
    return cited_id, docs, briefing


@pytest.mark.parametrize("clearance", LEVELS)
def test_visibility_matrix(api, archive, clearance):
    cited_id, docs, briefing = archive
    user = api("viewer", clearance=clearance)
    visible = {level for level in LEVELS if RANK[level] <= RANK[clearance]}

    everything = user.search("thông tin đối ngoại")
    hit_ids = {h["id"] for h in everything["hits"]}
    # + the cited decision + the briefing, once whatever the clearance (it is
    # indexed once per level; only the reader's own entry may match).
    assert everything["total"] == len(visible) + 2
    facet = {f["value"]: f["count"] for f in everything["facets"]["secrecy"]}
    assert facet == {"thuong": 3 if "thuong" in visible else 2,
                     **{lvl: 1 for lvl in visible - {"thuong"}}}

    cited_by = {d["id"] for d in user.get(f"/api/v1/documents/{cited_id}").get_json()["cited_by"]}
    related = {r["id"] for r in user.get(f"/api/v1/documents/{cited_id}/related")
               .get_json()["related"]}
    page = user.client.get(f"/documents/{cited_id}", headers=user.headers).get_data(as_text=True)
    briefing_page = user.client.get(f"/briefings/{briefing}",
                                    headers=user.headers).get_data(as_text=True)
    briefing_api = {m["document"]["id"] for m in user.get(
        f"/api/v1/briefings/{briefing}").get_json()["materials"]}
    export = zipfile.ZipFile(io.BytesIO(user.client.get(f"/briefings/{briefing}/export",
                                                        headers=user.headers).data))
    export_index = export.read("index.html").decode("utf-8")
    exported = set(export.namelist()) - {"index.html"}
    # Not even a count: the index lists exactly the files the reader may see.
    assert len(exported) == len(visible) == export_index.count('class="entry"')

    for level, doc_id in docs.items():
        allowed = level in visible
        paths = {
            "search hits": doc_id in hit_ids,
            "own-word search": user.search(f"{level}xyz", record_type="document")["total"] == 1,
            "detail page": user.client.get(f"/documents/{doc_id}",
                                           headers=user.headers).status_code == 200,
            "download": user.client.get(f"/documents/{doc_id}/download",
                                        headers=user.headers).status_code == 200,
            "API detail": user.get(f"/api/v1/documents/{doc_id}").status_code == 200,
            "API status": doc_id in {d["id"] for d in user.get(
                "/api/v1/documents/status", query_string={"ids": str(doc_id)}
            ).get_json()["documents"]},
            "cited by": doc_id in cited_by,
            "cited-by on page": f'href="/documents/{doc_id}"' in page,
            "related": doc_id in related if not allowed else True,
            "citing filter": doc_id in {h["id"] for h in user.search(
                "", cites="99/QĐ-UBND")["hits"]},
            "briefing page": f'data-document="{doc_id}"' in briefing_page
                             and f"Báo cáo {level}" in briefing_page,
            "briefing API": doc_id in briefing_api,
            "briefing found by the material's words": user.search(
                f"{level}xyz", record_type="briefing")["total"] == 1,
            "export": any(name.endswith(f"-{level}.txt") for name in exported),
            "export index": f"Báo cáo {level}" in export_index,
        }
        for path, seen in paths.items():
            assert seen == allowed, (clearance, level, path)
        if not allowed:
            denied = user.client.get(f"/documents/{doc_id}", headers=user.headers)
            assert denied.status_code == 404  # not 403: nothing to learn
            assert f"{level}xyz" not in denied.get_data(as_text=True)
            assert f"Báo cáo {level}" not in briefing_page + export_index


@pytest.fixture
def previewed(api, run_jobs, tmp_path):
    """A PDF (thumbnail + the original as preview) and a DOCX (thumbnail + LibreOffice
    PDF) at every level; distinct bytes per level, or they would be one record."""
    from tests.conftest import SAMPLES

    owner = api("uploader", clearance="tuyet_mat")
    docs = {}
    for level in LEVELS:
        pdf = tmp_path / f"{level}.pdf"
        # Bytes after %%EOF are ignored by PDF readers; they make each level's file unique.
        pdf.write_bytes((SAMPLES / "text_vi.pdf").read_bytes() + f"\n% {level}\n".encode())
        docs[level, "pdf"] = owner.upload(pdf, secrecy=level).get_json()["id"]
    docx = owner.upload(SAMPLES / "table_header_footer.docx", secrecy="toi_mat")
    docs["toi_mat", "docx"] = docx.get_json()["id"]
    run_jobs()
    for doc_id in docs.values():
        body = owner.get(f"/api/v1/documents/{doc_id}").get_json()
        assert body["thumbnail_url"] and body["preview_url"], body
    return docs


@pytest.mark.parametrize("clearance", LEVELS)
def test_thumbnails_and_previews_obey_secrecy(api, previewed, clearance):
    user = api("viewer", clearance=clearance)
    for (level, _kind), doc_id in previewed.items():
        allowed = RANK[level] <= RANK[clearance]
        for url in (f"/documents/{doc_id}/thumbnail.png", f"/documents/{doc_id}/preview.pdf"):
            response = user.client.get(url, headers=user.headers)
            assert response.status_code == (200 if allowed else 404), (clearance, level, url)
        body = user.get(f"/api/v1/documents/{doc_id}")
        if allowed:
            assert body.get_json()["preview_url"] == f"/documents/{doc_id}/preview.pdf"
        else:
            assert body.status_code == 404 and "preview" not in body.get_data(as_text=True)
