"""Two archives on this machine: the province shares, the aggregator harvests.

The province is this test session's archive (its database, Redis database,
index and storage) served by its own gunicorn; the aggregator is a second
archive with its own database (``archive_test_g``), Redis database 7, index
prefix, storage, web server and worker, all separate processes. The province
publishes and shares records; an administrator of the aggregator registers
the province on the aggregator's admin page with a partner token and the
aggregator harvests with its own command (``flask share harvest``). Then:

- what is shared arrives, with its file (same SHA-256) extracted and searchable;
- a record above "Thường", or internal, never leaves: not its title, not its
  identifier, not its file;
- a record changed at the province is updated; one destroyed there disappears
  from the aggregator after the next harvest;
- a harvest with nothing new creates nothing.
"""
from __future__ import annotations

import os
import time
from datetime import date

import pytest
import requests

from tests.archives import Archive, csrf
from tests.conftest import PASSWORD, ROOT

AGGREGATOR_DB = "postgresql+psycopg://archive:archive@127.0.0.1:5432/archive_test_g"
AGGREGATOR_REDIS = "redis://127.0.0.1:6379/7"
SOURCE = "Sở TT&TT tỉnh (kho tỉnh)"
TEXTS = {
    "public": "Kế hoạch tuyên truyền về quyền con người năm 2024 trên địa bàn tỉnh biên giới.",
    "partner": "Công văn góp ý dự thảo quy chế người phát ngôn và cung cấp thông tin cho báo chí.",
    "internal": "Ghi chú nội bộ: lịch họp giao ban tuần, chưa chia sẻ ra ngoài.",
    "secret": "Báo cáo MẬT về diễn biến an ninh tư tưởng trên không gian mạng.",
}


@pytest.fixture(scope="module")
def province(app):
    """This session's archive, served by gunicorn (the /oai provider and its file links)."""
    from tests.conftest import reset_state
    from tests.web.conftest import _compile_catalog

    _compile_catalog()
    reset_state(app)
    served = Archive("province", app.config["SQLALCHEMY_DATABASE_URI"],
                     app.config["REDIS_URL"], app.config["ES_INDEX_PREFIX"],
                     app.config["STORAGE_DIR"], OAI_PAGE_SIZE="2")
    served.start(worker=False, workers=1)
    try:
        yield served
    finally:
        served.stop()


@pytest.fixture(scope="module")
def aggregator():
    archive = Archive("aggregator", AGGREGATOR_DB, AGGREGATOR_REDIS,
                      f"archive-test-agg-{os.getpid()}",
                      ROOT / "var" / f"test-storage-agg-{os.getpid()}")
    archive.reset()
    archive.create_user("quan-tri-tong-hop")
    archive.start(worker=True)
    try:
        yield archive
    finally:
        archive.stop()
        archive.drop_indices()
        archive.dispose()
        import shutil

        shutil.rmtree(archive.storage_dir, ignore_errors=True)


def _share_on_province(app, tmp_path):
    """Upload four records through the normal service, process them, share two."""
    from app.extensions import db
    from app.models import Document, User
    from app.services.accounts import create_user
    from app.services.documents import archive_document
    from app.services.metadata import DocumentMetadata
    from app.sharing.levels import set_document_sharing
    from app.sharing.partners import issue_token

    ids = {}
    with app.app_context():
        archivist = create_user("luu-tru-tinh", PASSWORD, role="archivist", clearance="mat")
        for key, body in TEXTS.items():
            path = tmp_path / f"{key}.txt"
            path.write_text(body, encoding="utf-8")
            with path.open("rb") as stream:
                ids[key] = archive_document(archivist, stream, path.name, DocumentMetadata(
                    title=f"Hồ sơ {key} — {body[:40]}", category="plan", doc_type="KH",
                    number=str(100 + len(ids)), symbol="KH-UBND",
                    issuing_agency="Ủy ban nhân dân tỉnh Điện Biên", issue_date=date(2024, 5, 2),
                    secrecy="mat" if key == "secret" else "thuong")).document.id
        _row, token = issue_token("Kho tổng hợp của Bộ", None)
        archivist_id = archivist.id
        db.session.remove()
    return ids, token, archivist_id


def _register_source(aggregator, province, token):
    admin = aggregator.browser_session("quan-tri-tong-hop")
    page = admin.get(f"{aggregator.url}/admin/harvest/new", timeout=30).text
    response = admin.post(f"{aggregator.url}/admin/harvest/new", allow_redirects=False,
                          timeout=30, data={
                              "csrf_token": csrf(page), "name": SOURCE,
                              "base_url": f"{province.url}/oai", "set_spec": "",
                              "metadata_prefix": "nd30", "token": token,
                              "schedule_hours": "24", "enabled": "y"})
    assert response.status_code == 302, response.text[:2000]
    return int(response.headers["Location"].rstrip("/").rsplit("/", 1)[1]), admin


def _harvest(aggregator) -> str:
    result = aggregator.flask("share", "harvest", SOURCE, check=False, timeout=300)
    assert result.returncode == 0, f"{result.stdout}\n{result.stderr}\n{aggregator.logs()}"
    return result.stdout


def _wait_processed(aggregator, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        waiting = aggregator.sql("SELECT count(*) FROM documents WHERE status IN "
                                 "('queued', 'processing') OR indexed_revision < revision")
        if waiting[0][0] == 0:
            # What the worker wrote is searchable after the index's next refresh: now.
            es = os.environ.get("ELASTICSEARCH_URL", "http://127.0.0.1:9200")
            requests.post(f"{es}/{aggregator.es_prefix}-documents/_refresh", timeout=30)
            return
        time.sleep(0.5)
    raise AssertionError(f"aggregator still processing:\n{aggregator.logs()}")


def _runs(aggregator):
    return aggregator.sql("SELECT status, counts, errors FROM harvest_runs ORDER BY id")


def _search(aggregator, token, q, **params):
    answer = requests.get(f"{aggregator.url}/api/v1/search", timeout=30,
                          params={"q": q, **params},
                          headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 200, answer.text
    return answer.json()


def test_province_shares_aggregator_harvests_secrets_never_leave(
        app, province, aggregator, run_jobs, tmp_path):
    from app.extensions import db
    from app.models import Document, User
    from app.services.disposition import delete_document
    from app.services.documents import get_document, update_metadata
    from app.services.metadata import DocumentMetadata
    from app.sharing.levels import set_document_sharing

    ids, token, archivist_id = _share_on_province(app, tmp_path)
    run_jobs()  # the province extracts and indexes its own uploads
    with app.app_context():
        archivist = db.session.get(User, archivist_id)
        set_document_sharing(archivist, ids["public"], "public")
        set_document_sharing(archivist, ids["partner"], "partner")
        shas = {k: db.session.get(Document, v).main_file.sha256 for k, v in ids.items()}
        repository = app.config["OAI_REPOSITORY_ID"]
        db.session.remove()
    identifier = {k: f"oai:{repository}:doc/{v}" for k, v in ids.items()}

    source_id, admin = _register_source(aggregator, province, token)
    agg_token = aggregator.api_token("quan-tri-tong-hop")

    # First harvest: everything shared arrives, nothing else.
    out = _harvest(aggregator)
    assert "2 new" in out, out
    _wait_processed(aggregator)
    rows = {r[0]: r for r in aggregator.sql(
        "SELECT d.source_identifier, d.title, d.status, d.source_id, f.sha256, "
        "f.extracted_text FROM documents d JOIN document_files f ON f.document_id = d.id")}
    assert set(rows) == {identifier["public"], identifier["partner"]}
    for key in ("public", "partner"):
        _ident, title, status, src, sha, text_ = rows[identifier[key]]
        assert src == source_id and sha == shas[key] and status == "indexed"
        assert TEXTS[key][:30] in text_

    # Not even an identifier of what may not leave, anywhere in the aggregator.
    everything = str(aggregator.sql("SELECT * FROM documents")) + \
        str(aggregator.sql("SELECT * FROM document_files")) + \
        str(aggregator.sql("SELECT * FROM audit_events")) + str(_runs(aggregator))
    for key in ("internal", "secret"):
        assert identifier[key] not in everything
        assert f"doc/{ids[key]}" not in everything
        assert TEXTS[key][:25] not in everything and shas[key] not in everything
    assert not list((aggregator.storage_dir).rglob(shas["secret"]))

    # Searchable on the aggregator by the file's words, under "Nguồn".
    found = _search(aggregator, agg_token, "quyền con người biên giới")
    assert [h["source"] for h in found["hits"]] == [str(source_id)]
    assert {b["value"]: b["count"] for b in found["facets"]["source"]} == {str(source_id): 1}
    assert _search(aggregator, agg_token, "an ninh tư tưởng")["total"] == 0

    # The province changes one record and deletes (destroys) another.
    with app.app_context():
        archivist = db.session.get(User, archivist_id)
        document = get_document(archivist, ids["partner"])
        fields = {n: getattr(document, n) for n in DocumentMetadata.field_names()}
        update_metadata(archivist, ids["partner"], DocumentMetadata(
            **{**fields, "title": "Công văn góp ý quy chế phát ngôn (đã sửa)"}))
        from app.services.accounts import create_user

        admin_user = create_user("quan-tri-tinh", PASSWORD, role="admin", clearance="tuyet_mat")
        delete_document(admin_user, ids["public"], "Hết giá trị, hủy theo quyết định 12/QĐ")
        db.session.remove()

    out = _harvest(aggregator)
    assert "0 new, 1 updated, 1 withdrawn" in out, out
    _wait_processed(aggregator)
    state = dict(aggregator.sql("SELECT source_identifier, disposition FROM documents"))
    assert state == {identifier["public"]: "deleted", identifier["partner"]: "active"}
    assert aggregator.sql("SELECT title FROM documents WHERE source_identifier = :i",
                          i=identifier["partner"])[0][0] == \
        "Công văn góp ý quy chế phát ngôn (đã sửa)"
    assert aggregator.sql("SELECT count(*) FROM document_files f JOIN documents d ON "
                          "d.id = f.document_id WHERE d.source_identifier = :i",
                          i=identifier["public"])[0][0] == 0
    assert _search(aggregator, agg_token, "quyền con người biên giới")["total"] == 0

    # Nothing new: nothing created, nothing changed.
    before = aggregator.sql("SELECT count(*), max(revision) FROM documents")
    out = _harvest(aggregator)
    assert "0 new, 0 updated, 0 withdrawn" in out, out
    assert aggregator.sql("SELECT count(*), max(revision) FROM documents") == before
    assert [r[0] for r in _runs(aggregator)] == ["done", "done", "done"]

    # The aggregator's status page tells it in Vietnamese.
    page = admin.get(f"{aggregator.url}/admin/harvest/{source_id}", timeout=30).text
    assert "Các lần thu thập gần đây" in page and "Đã thu thập đến" in page
    assert token not in page
