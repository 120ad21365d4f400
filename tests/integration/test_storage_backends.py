"""The archive on both storage backends: the local folder and an S3 store (versitygw).

Each test runs twice (the ``backend`` fixture): uploads are stored under their
SHA-256 and verified by the store, the background job reads them back (OCR,
previews), downloads stream with ranges and ETags, exports and transfer packages
go through the store, and destruction removes the bytes. What the store holds is
looked at with a client of the test's own (``storage_probe``), not the app's.
"""
from __future__ import annotations

import base64
import csv
import hashlib
import io
import zipfile
from datetime import date

from tests.conftest import SAMPLES
from tests.integration.storage_probe import Probe
from tests.integration.test_bulk import operation_of, post_bulk
from tests.integration.test_retention import _propose, state, sweep


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def doc_files(app, document_id: int):
    from app.extensions import db
    from app.models import Document

    with app.app_context():
        file = db.session.get(Document, document_id).main_file
        return file.sha256, file.thumbnail_sha256, file.searchable_sha256


def test_upload_is_stored_verified_read_back_and_downloaded_in_ranges(backend, app, api,
                                                                      run_jobs):
    probe = Probe(backend)
    uploader = api("uploader")
    original = (SAMPLES / "text_vi.pdf").read_bytes()
    response = uploader.upload(SAMPLES / "text_vi.pdf", title="Kế hoạch truyền thông nhân quyền")
    assert response.status_code == 202, response.get_json()
    doc_id = response.get_json()["id"]
    digest = sha(original)
    assert digest in probe.names()
    assert probe.read(digest) == original
    if backend.kind == "s3":  # the store itself checked the SHA-256 sent with the bytes
        assert probe.head(digest)["ChecksumSHA256"] == base64.b64encode(
            bytes.fromhex(digest)).decode()

    run_jobs()  # the job reads the original back from the store, renders and indexes it
    doc = uploader.get(f"/api/v1/documents/{doc_id}").get_json()
    assert doc["status"] == "indexed"
    assert uploader.search("truyền thông nhân quyền")["hits"][0]["id"] == doc_id
    thumbnail = uploader.get(doc["thumbnail_url"])
    assert thumbnail.status_code == 200 and thumbnail.data.startswith(b"\x89PNG")
    assert sha(thumbnail.data) in probe.names()  # renderings are stored objects too

    download = uploader.get(f"/documents/{doc_id}/download")
    assert download.status_code == 200 and download.data == original
    assert download.headers["Content-Length"] == str(len(original))
    assert "attachment" in download.headers["Content-Disposition"]
    part = uploader.client.get(f"/documents/{doc_id}/download", headers={
        **uploader.headers, "Range": "bytes=100-199"})
    assert part.status_code == 206 and part.data == original[100:200]
    assert part.headers["Content-Range"] == f"bytes 100-199/{len(original)}"
    unchanged = uploader.client.get(f"/documents/{doc_id}/download", headers={
        **uploader.headers, "If-None-Match": f'"{digest}"'})
    assert unchanged.status_code == 304 and unchanged.data == b""
    preview = uploader.client.get(doc["preview_url"], headers={**uploader.headers,
                                                               "Range": "bytes=0-4"})
    assert preview.status_code == 206 and preview.data == b"%PDF-"

    # Secrecy is decided before any byte is read: above clearance, nothing.
    secret = api("uploader", clearance="mat")
    hidden = secret.upload(SAMPLES / "vi_utf8.txt", secrecy="mat").get_json()["id"]
    assert api("viewer").get(f"/documents/{hidden}/download").status_code == 404


def test_a_large_upload_goes_up_in_parts_each_verified(backend, app, api, tmp_path):
    # 6.5 MB: above the 5 MB part size the suite sets for S3.
    body = ("Báo cáo công tác thông tin đối ngoại năm 2024, phần phụ lục số liệu. " * 75_000)
    path = tmp_path / "phu-luc-lon.txt"
    path.write_text(body, encoding="utf-8")
    data = path.read_bytes()
    assert len(data) > 6_000_000
    uploader = api("uploader")
    response = uploader.upload(path)
    assert response.status_code == 202
    probe = Probe(backend)
    assert probe.read(sha(data)) == data
    if backend.kind == "s3":
        head = probe.head(sha(data))
        assert head["ChecksumSHA256"].endswith("-2")  # a checksum of the two parts' SHA-256
        assert head["Metadata"]["sha256"] == sha(data)
    download = uploader.get(f"/documents/{response.get_json()['id']}/download")
    assert download.is_streamed and sha(download.data) == sha(data)


def test_exports_and_transfer_packages_are_stored_objects(backend, app, api, login, make_user,
                                                          run_jobs, tmp_path):
    probe = Probe(backend)
    uploader = api("uploader")
    ids = []
    for n in (1, 2):
        path = tmp_path / f"ke-hoach-{n}.txt"
        path.write_text(f"Kế hoạch số {n} về tuyên truyền biển đảo năm 2014.", encoding="utf-8")
        # The first is kept permanently (transferred below), the second for 10 years.
        response = uploader.upload(path, title=f"Kế hoạch {n}", issue_date="10/10/2014",
                                   category="directive_decision" if n == 1 else "report")
        ids.append(response.get_json()["id"])
    run_jobs()

    viewer = login(make_user("viewer"))
    operation = viewer.get(f"/api/v1/bulk/{operation_of(post_bulk(viewer, action='export_zip', ids=ids))}").get_json()
    assert operation["status"] == "done" and operation["changed"] == 2
    zipped = viewer.get(operation["download_url"])
    assert zipped.status_code == 200
    assert sha(zipped.data) in probe.names()  # kept in the store, not on a web server's disk
    archive = zipfile.ZipFile(io.BytesIO(zipped.data))
    rows = list(csv.DictReader(io.StringIO(archive.read("index.csv").decode())))
    assert all(sha(archive.read(r["path"])) == r["sha256"] for r in rows) and len(rows) == 2

    archivist, approver = api("archivist"), api("approver")
    proposal = _propose(archivist, [ids[0]], action="transfer").get_json()
    assert approver.post(f"/api/v1/retention/proposals/{proposal['id']}/decision",
                         json={"approve": True, "decision_ref": "30/QĐ-UBND"}).status_code == 200
    assert state(app, ids[0]) == "transferred"
    package = archivist.client.get(f"/retention/proposals/{proposal['id']}/package",
                                   headers=archivist.headers)
    assert package.status_code == 200 and sha(package.data) in probe.names()
    bag = zipfile.ZipFile(io.BytesIO(package.data))
    original = next(n for n in bag.namelist() if "/data/" in n and "original-" in n)
    assert sha(bag.read(original)) == doc_files(app, ids[0])[0]

    # Destruction removes the bytes from the store.
    doomed = doc_files(app, ids[1])[0]
    sweep(app, date(2030, 1, 1))
    destroy = _propose(archivist, [ids[1]]).get_json()
    assert "id" in destroy, destroy
    assert approver.post(f"/api/v1/retention/proposals/{destroy['id']}/decision",
                         json={"approve": True, "decision_ref": "31/QĐ"}).status_code == 200
    run_jobs()
    assert doomed not in probe.names()
