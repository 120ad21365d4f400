"""Bulk work: per-document permission and secrecy checks, audit, ZIP, background progress."""
import csv
import hashlib
import io
import re
import zipfile

from tests.integration.listing_factories import insert_documents
from tests.integration.test_web_pages import csrf


def audit_actions(app, action: str) -> list[tuple[str, str]]:
    from sqlalchemy import select

    from app.extensions import db
    from app.models import AuditEvent

    with app.app_context():
        return [(e.object_id, e.actor_name) for e in db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.seq))]


def doc(app, document_id: int):
    from app.extensions import db
    from app.models import Document

    with app.app_context():
        document = db.session.get(Document, document_id)
        db.session.expunge(document)
        return document


def post_bulk(client, **form):
    token = csrf(client.get("/documents/").get_data(as_text=True))
    return client.post("/documents/bulk/", data={"csrf_token": token, **form})


def operation_of(response) -> int:
    return int(re.search(r"/documents/bulk/(\d+)", response.headers["Location"]).group(1))


def test_set_category_checks_each_document_and_audits_each_change(app, login, make_user):
    uploader = make_user("uploader")
    other = make_user("uploader")
    mine = insert_documents(app, [{"uploaded_by_id": uploader.id} for _ in range(2)])
    theirs = insert_documents(app, [{"uploaded_by_id": other.id}])
    secret = insert_documents(app, [{"uploaded_by_id": uploader.id, "secrecy": "mat"}])
    client = login(uploader)
    response = post_bulk(client, action="set_category", category="plan",
                         ids=[*mine, *theirs, *secret, 999_999])
    assert response.status_code == 302
    op = client.get(f"/api/v1/bulk/{operation_of(response)}").get_json()
    assert op["status"] == "done" and op["progress"] == 100
    # The document above the uploader's clearance is counted like an id that does not
    # exist: not at all among those worked on.
    assert (op["total"], op["changed"], op["skipped"], op["not_found"]) == (3, 2, 1, 2)
    assert [doc(app, i).category for i in mine] == ["plan", "plan"]
    assert doc(app, theirs[0]).category == "other"
    assert doc(app, secret[0]).category == "other"
    edits = audit_actions(app, "edit")
    assert sorted(i for i, _ in edits) == sorted(str(i) for i in mine)
    page = client.get(f"/documents/bulk/{op['id']}").get_data(as_text=True)
    assert "<progress" in page and "data-bulk-status" in page


def test_set_type_by_an_archivist_and_viewers_are_refused(app, login, make_user):
    ids = insert_documents(app, [{"doc_type": "CV"}, {"doc_type": "QD"}])
    archivist = login(make_user("archivist"))
    op = archivist.get(f"/api/v1/bulk/{operation_of(post_bulk(archivist, action='set_type', doc_type='QD', ids=ids))}").get_json()
    assert (op["changed"], op["unchanged"]) == (1, 1)
    assert doc(app, ids[0]).doc_type == "QD"
    viewer = login(make_user("viewer"))
    assert post_bulk(viewer, action="set_type", doc_type="KH", ids=ids).status_code == 403
    assert doc(app, ids[1]).doc_type == "QD"


def test_set_schedule_needs_a_reason_and_overrides_each(app, login, make_user):
    ids = insert_documents(app, [{}, {}])
    client = login(make_user("archivist"))
    refused = post_bulk(client, action="set_schedule", schedule="HB-01", ids=ids)
    assert refused.status_code == 302 and "/documents/bulk/" not in refused.headers["Location"]
    response = post_bulk(client, action="set_schedule", schedule="HB-01", reason="Hồ sơ họp báo",
                         ids=ids)
    assert client.get(f"/api/v1/bulk/{operation_of(response)}").get_json()["changed"] == 2
    assert {i for i, _ in audit_actions(app, "schedule.override")} == {str(i) for i in ids}


def test_add_to_dossier_picked_by_code_or_title(app, login, make_user):
    from app.extensions import db
    from app.models import Dossier

    with app.app_context():
        db.session.add_all([Dossier(code="HS-01", title="Kế hoạch tuyên truyền biển đảo"),
                            Dossier(code="HS-02", title="Kế hoạch chuyển đổi số")])
        db.session.commit()
    ids = insert_documents(app, [{}, {}])
    client = login(make_user("archivist"))
    found = client.get("/documents/bulk/dossiers?q=biển").get_json()["dossiers"]
    assert [d["code"] for d in found] == ["HS-01"]
    ambiguous = post_bulk(client, action="add_to_dossier", dossier="Kế hoạch", ids=ids)
    assert "/documents/bulk/" not in ambiguous.headers["Location"]
    response = post_bulk(client, action="add_to_dossier", dossier="chuyển đổi số", ids=ids)
    op = client.get(f"/api/v1/bulk/{operation_of(response)}").get_json()
    assert op["changed"] == 2
    assert {doc(app, i).dossier_id for i in ids} == {2}
    assert len(audit_actions(app, "dossier.add")) == 2


def test_legal_hold_for_archivists_only(app, login, make_user):
    ids = insert_documents(app, [{}, {}])
    uploader = login(make_user("uploader"))
    assert post_bulk(uploader, action="hold", reason="Thanh tra", ids=ids).status_code == 403
    archivist = login(make_user("archivist"))
    response = post_bulk(archivist, action="hold", reason="Thanh tra năm 2024", ids=ids)
    assert archivist.get(f"/api/v1/bulk/{operation_of(response)}").get_json()["changed"] == 2
    again = post_bulk(archivist, action="hold", reason="Thanh tra năm 2024", ids=ids)
    assert archivist.get(f"/api/v1/bulk/{operation_of(again)}").get_json()["unchanged"] == 2
    assert len(audit_actions(app, "hold.place")) == 2
    trail = archivist.get("/audit/").get_data(as_text=True)
    assert "Bắt đầu xử lý nhiều tài liệu cùng lúc" in trail and ">bulk.start<" not in trail
    assert "Đặt lệnh tạm giữ" in trail and "Thanh tra năm 2024" in trail


def test_retry_only_the_failed_ones(app, login, make_user):
    uploader = make_user("uploader")
    ids = insert_documents(app, [{"status": "failed", "error_code": "corrupt",
                                  "uploaded_by_id": uploader.id},
                                 {"status": "indexed", "uploaded_by_id": uploader.id}])
    client = login(uploader)
    op = client.get(f"/api/v1/bulk/{operation_of(post_bulk(client, action='retry', ids=ids))}").get_json()
    assert (op["changed"], op["unchanged"]) == (1, 1)
    assert doc(app, ids[0]).status == "queued"
    assert [i for i, _ in audit_actions(app, "retry")] == [str(ids[0])]


def test_zip_with_an_index_of_sizes_and_sha256(app, login, make_user):
    ids = insert_documents(app, [{"title": "Kế hoạch số 1", "number": "12",
                                  "symbol": "KH-UBND"}, {"title": "Báo cáo"}], store_files=True)
    secret = insert_documents(app, [{"title": "Mật", "secrecy": "mat"}], store_files=True)
    client = login(make_user("viewer"))
    response = post_bulk(client, action="export_zip", ids=[*ids, *secret])
    op_id = operation_of(response)
    op = client.get(f"/api/v1/bulk/{op_id}").get_json()
    assert op["status"] == "done" and op["changed"] == 2
    assert op["download_url"] == f"/documents/bulk/{op_id}/download"
    download = client.get(op["download_url"])
    assert download.status_code == 200 and download.mimetype == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(download.data))
    rows = list(csv.DictReader(io.StringIO(archive.read("index.csv").decode())))
    assert [r["title"] for r in rows] == ["Kế hoạch số 1", "Báo cáo"]
    assert rows[0]["number"] == "12/KH-UBND"
    for row in rows:
        data = archive.read(row["path"])
        assert hashlib.sha256(data).hexdigest() == row["sha256"]
        assert int(row["size"]) == len(data)
    index_html = archive.read("index.html").decode()
    assert rows[1]["sha256"] in index_html and "Mật" not in index_html
    assert len(archive.namelist()) == 4
    assert sorted(i for i, _ in audit_actions(app, "export")) == sorted(str(i) for i in ids)
    # Someone else cannot follow or download it.
    stranger = login(make_user("viewer"))
    assert stranger.get(op["download_url"]).status_code == 404
    assert stranger.get(f"/api/v1/bulk/{op_id}").status_code == 404


def test_large_selection_runs_in_the_background_with_progress(app, api, make_user, run_jobs):
    client = api("archivist")
    ids = insert_documents(app, [{} for _ in range(60)])
    response = client.post("/api/v1/documents/bulk",
                           json={"action": "set_category", "document_ids": ids, "value": "plan"})
    assert response.status_code == 202
    body = response.get_json()
    assert body["status"] == "queued" and body["total"] == 60 and body["progress"] == 0
    assert response.headers["Location"] == body["url"] == f"/api/v1/bulk/{body['id']}"
    run_jobs()
    done = client.get(body["url"]).get_json()
    assert (done["status"], done["progress"], done["processed"], done["changed"]) == (
        "done", 100, 60, 60)
    assert {doc(app, i).category for i in ids} == {"plan"}
    # Idempotent: running it again changes nothing and audits nothing more.
    from app.services.bulk_run import run
    with app.app_context():
        assert run(body["id"]) == "skipped"
    assert len(audit_actions(app, "edit")) == 60


def test_whole_search_result_within_clearance(app, api, run_jobs):
    insert_documents(app, [{"title": "Kế hoạch truyền thông A", "index": True},
                           {"title": "Kế hoạch truyền thông B", "index": True},
                           {"title": "Kế hoạch truyền thông mật", "secrecy": "mat",
                            "index": True},
                           {"title": "Báo cáo khác", "index": True}])
    client = api("archivist")
    response = client.post("/api/v1/documents/bulk", json={
        "action": "set_category", "query": {"q": "kế hoạch truyền thông"}, "value": "plan"})
    assert response.status_code == 202
    op = client.get(response.get_json()["url"]).get_json()
    assert (op["total"], op["changed"], op["not_found"]) == (2, 2, 0)
    bad = client.post("/api/v1/documents/bulk", json={"action": "set_category", "value": "plan"})
    assert bad.status_code == 422


def test_list_filters_as_the_selection(app, login, make_user):
    ids = insert_documents(app, [{"status": "failed"}, {"status": "failed"}, {}])
    client = login(make_user("archivist"))
    response = post_bulk(client, action="set_category", category="report", scope="all",
                         source="list", query="status=failed&page=2")
    op = client.get(f"/api/v1/bulk/{operation_of(response)}").get_json()
    assert (op["total"], op["changed"]) == (2, 2)
    assert [doc(app, i).category for i in ids] == ["report", "report", "other"]


def test_whole_search_result_from_the_search_page(app, login, make_user):
    ids = insert_documents(app, [{"title": "Thông cáo báo chí số một", "index": True},
                                 {"title": "Thông cáo báo chí mật", "secrecy": "mat",
                                  "index": True},
                                 {"title": "Kế hoạch khác", "index": True}])
    client = login(make_user("archivist"))
    page = client.get("/search/?q=thông cáo báo chí").get_data(as_text=True)
    assert 'name="scope" value="all"' in page and 'value="q=' in page
    token = csrf(page)
    response = client.post("/documents/bulk/", data={
        "csrf_token": token, "action": "set_type", "doc_type": "TC", "scope": "all",
        "source": "search", "query": "q=th%C3%B4ng+c%C3%A1o+b%C3%A1o+ch%C3%AD&page=1"})
    op = client.get(f"/api/v1/bulk/{operation_of(response)}").get_json()
    assert (op["total"], op["changed"]) == (1, 1)
    assert [doc(app, i).doc_type for i in ids] == ["TC", None, None]


def test_queue_down_marks_the_operation_failed_and_changes_nothing(app, api, monkeypatch):
    from app.services import bulk

    def down(operation_id):
        raise ConnectionError("redis down")

    monkeypatch.setattr(bulk, "_enqueue", down)
    ids = insert_documents(app, [{} for _ in range(51)])
    client = api("archivist")
    response = client.post("/api/v1/documents/bulk",
                           json={"action": "set_category", "document_ids": ids, "value": "plan"})
    body = client.get(response.get_json()["url"]).get_json()
    assert body["status"] == "failed" and "Hàng đợi" in body["error"]
    assert {doc(app, i).category for i in ids} == {"other"}
