"""The S3 store fails during uploads and downloads: a clear Vietnamese 503, nothing half-written.

The app talks to the real S3 server (versitygw) through a loopback proxy the test
cuts (tests/faults.py), exactly what a client sees when the store goes away; a
boto3 client of the test's own looks at the store directly afterwards.
"""
from __future__ import annotations

import hashlib
import re
from datetime import timedelta
from io import BytesIO
from urllib.parse import urlsplit

import pytest
import requests
from sqlalchemy import func, select

from tests.conftest import S3_KEYS, SAMPLES, wipe
from tests.faults import CuttingProxy
from tests.integration.storage_probe import Probe
from tests.integration.test_upload_form import post_upload

UNAVAILABLE = "Kho lưu trữ tệp đang không phản hồi"


def counts(app) -> tuple[int, int]:
    from app.extensions import db
    from app.models import AuditEvent, Document

    with app.app_context():
        return (db.session.scalar(select(func.count()).select_from(Document)),
                db.session.scalar(select(func.count()).select_from(AuditEvent)
                                  .where(AuditEvent.action == "create")))


@pytest.fixture
def cut_store(app, clean, s3_store, tmp_path):
    """The app's store is S3 reached through a proxy; (store, proxy, spool folder)."""
    from app.storage import EXTENSION
    from app.storage.s3 import S3Storage

    wipe(s3_store)
    proxy = CuttingProxy(urlsplit(s3_store.endpoint).port, limit=1 << 62)
    spool = tmp_path / "spool"
    store = S3Storage(s3_store.bucket, endpoint=f"http://127.0.0.1:{proxy.port}",
                      region=s3_store.region, prefix=s3_store.prefix,
                      access_key=S3_KEYS["STORAGE_S3_KEY"],
                      secret_key=S3_KEYS["STORAGE_S3_SECRET"], multipart_mb=5,
                      spool_dir=str(spool))
    local = app.extensions[EXTENSION]
    app.extensions[EXTENSION] = store
    try:
        yield store, proxy, spool
    finally:
        app.extensions[EXTENSION] = local
        proxy.close()


def test_store_down_upload_refused_with_a_vietnamese_503_and_nothing_kept(
        app, api, login, make_user, cut_store, s3_store):
    store, proxy, spool = cut_store
    probe = Probe(s3_store)
    uploader = api("uploader")
    proxy.cut()

    response = uploader.upload(SAMPLES / "text_vi.pdf", title="Kế hoạch tháng 5")
    assert response.status_code == 503 and response.headers["Retry-After"] == "30"
    error = response.get_json()["error"]
    assert error["code"] == "storage_unavailable" and UNAVAILABLE in error["message"]
    health = uploader.client.get("/healthz")
    assert health.status_code == 503
    assert health.get_json()["checks"]["storage"]["status"] == "down"

    # The form: a 503 in Vietnamese, what was typed and the chosen file kept.
    person = login(make_user())
    page = post_upload(person, [(BytesIO((SAMPLES / "vi_utf8.txt").read_bytes()), "bao-cao.txt")],
                       title="Báo cáo nhanh về hội nghị")
    text = page.get_data(as_text=True)
    assert page.status_code == 503 and page.headers["Retry-After"] == "30"
    assert UNAVAILABLE in text and 'value="Báo cáo nhanh về hội nghị"' in text
    staged = re.findall(r'name="staged" value="([^"]+)"', text)
    assert len(staged) == 1

    assert counts(app) == (0, 0)  # no document row, nothing audited as created
    assert probe.names() == set()  # no object
    assert not any(spool.rglob("*.*")) and not [p for p in spool.rglob("*") if p.is_file()]

    # Back up: the kept file goes in without being chosen again.
    proxy.restore()
    again = post_upload(person, None, staged=staged, title="Báo cáo nhanh về hội nghị")
    assert again.status_code == 302, again.get_data(as_text=True)[:500]
    assert counts(app) == (1, 1)
    assert hashlib.sha256((SAMPLES / "vi_utf8.txt").read_bytes()).hexdigest() in probe.names()


def test_store_dies_in_the_middle_of_a_multipart_upload(app, api, cut_store, s3_store, tmp_path):
    store, proxy, _spool = cut_store
    probe = Probe(s3_store)
    big = tmp_path / "tai-lieu-lon.txt"
    big.write_text("Phụ lục số liệu thông tin đối ngoại. " * 300_000, encoding="utf-8")
    assert big.stat().st_size > 11_000_000  # three parts of 5 MB
    proxy.rearm(7_000_000)  # the first part gets through, the second does not

    response = api("uploader").upload(big)
    assert response.status_code == 503
    assert response.get_json()["error"]["code"] == "storage_unavailable"
    assert counts(app) == (0, 0)
    assert probe.names() == set()  # no object under the file's name, complete or not

    # A multipart upload the outage left open holds space but is no object; the fixity
    # job's housekeeping aborts such leftovers.
    proxy.rearm(1 << 62)
    proxy.restore()
    store.abort_stale_uploads(older_than=timedelta(0))
    assert probe.pending_uploads() == []


def test_download_while_the_store_is_down_is_a_503_not_an_error_page(app, api, cut_store):
    _store, proxy, _spool = cut_store
    uploader = api("uploader")
    doc_id = uploader.upload(SAMPLES / "vi_utf8.txt").get_json()["id"]
    proxy.cut()
    page = uploader.get(f"/documents/{doc_id}/download")
    assert page.status_code == 503 and page.headers["Retry-After"] == "30"
    assert UNAVAILABLE in page.get_data(as_text=True)


def test_presigned_downloads_only_after_the_secrecy_check(app, api, backend_s3):
    app.config["STORAGE_DOWNLOADS"] = "presigned"
    try:
        owner = api("uploader", clearance="mat")
        data = (SAMPLES / "text_vi.pdf").read_bytes()
        doc_id = owner.upload(SAMPLES / "text_vi.pdf", secrecy="mat").get_json()["id"]
        answer = owner.get(f"/documents/{doc_id}/download")
        assert answer.status_code == 302 and "no-store" in answer.headers["Cache-Control"]
        signed = answer.headers["Location"]
        assert "X-Amz-Signature=" in signed and "X-Amz-Expires=60" in signed
        fetched = requests.get(signed, timeout=10)  # a client that is not the app
        assert fetched.status_code == 200 and fetched.content == data
        assert "attachment" in fetched.headers["Content-Disposition"]
        assert requests.get(signed.replace("X-Amz-Signature=", "X-Amz-Signature=0"),
                            timeout=10).status_code == 403
        below = api("viewer", clearance="thuong").get(f"/documents/{doc_id}/download")
        assert below.status_code == 404 and "Location" not in below.headers
    finally:
        app.config["STORAGE_DOWNLOADS"] = "proxy"


@pytest.fixture
def backend_s3(app, clean, s3_store):
    from app.storage import EXTENSION

    wipe(s3_store)
    local = app.extensions[EXTENSION]
    app.extensions[EXTENSION] = s3_store
    yield s3_store
    app.extensions[EXTENSION] = local


def test_fixity_waits_while_the_store_is_down(app, api, cut_store):
    """An unreachable store is not a lost file: nothing is marked missing."""
    from app.services import fixity

    _store, proxy, _spool = cut_store
    api("uploader").upload(SAMPLES / "vi_utf8.txt")
    proxy.cut()
    with app.app_context():
        report = fixity.run_slice()
        assert report.unavailable and report.checked == 0
        assert fixity.summary()["missing"] == 0 and fixity.summary()["pending"] == 1
    proxy.restore()
    with app.app_context():
        assert fixity.run_slice().ok == 1
