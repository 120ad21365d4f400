"""Retention schedule, dossiers, legal holds and disposition, on the real services.

The clock is controlled: ``sweep(today)`` is given the day to count to.
"""
from __future__ import annotations

import hashlib
import io
import shutil
import zipfile
from datetime import date
from pathlib import Path

import bagit
import pytest
from sqlalchemy import select, text


def write(tmp_path: Path, name: str, body: str) -> Path:
    path = tmp_path / name
    path.write_text(body, encoding="utf-8")
    return path


@pytest.fixture
def archive(api, tmp_path, run_jobs):
    """Upload a small text record with the given metadata; returns its id."""
    uploader = api("uploader")
    counter = iter(range(1, 1000))

    def upload(category="report", issue_date="15/06/2014", words="báo cáo tháng", **fields):
        n = next(counter)
        path = write(tmp_path, f"record-{n}.txt",
                     f"Báo cáo số {n} về công tác thông tin đối ngoại. {words} {n}.")
        response = uploader.upload(path, title=f"Hồ sơ thử {n} {words}", category=category,
                                   issue_date=issue_date, **fields)
        assert response.status_code == 202, response.get_json()
        run_jobs()
        return response.get_json()["id"]

    return upload


def sweep(app, day: date):
    from app.services.retention import sweep as run

    with app.app_context():
        return run(day)


def state(app, document_id: int) -> str:
    from app.extensions import db
    from app.models import Document

    with app.app_context():
        return db.session.get(Document, document_id).disposition


def test_default_schedule_is_shipped_marked_as_defaults_to_confirm(api):
    schedules = api("viewer").get("/api/v1/retention/schedules").get_json()["schedules"]
    by_code = {s["code"]: s for s in schedules}
    assert by_code["TTTT-01"]["permanent"] and by_code["TTTT-02"]["retention_years"] == 10
    assert by_code["HB-01"]["trigger"] == "dossier_close"
    assert all(s["is_default"] for s in schedules)


def test_a_2014_record_under_ten_years_is_due_on_1_january_2025_and_not_before(app, api, archive):
    document_id = archive(category="report", issue_date="15/06/2014")
    detail = api("viewer").get(f"/api/v1/documents/{document_id}").get_json()
    assert detail["retention"]["schedule"] == "TTTT-02"
    assert detail["retention"]["due_on"] == "2025-01-01"

    assert sweep(app, date(2024, 12, 31)).newly_due == 0
    assert state(app, document_id) == "active"
    assert sweep(app, date(2025, 1, 1)).newly_due == 1
    assert state(app, document_id) == "due"
    assert [d["id"] for d in api("archivist").get("/api/v1/retention/due").get_json()
            ["documents"]] == [document_id]


def test_a_permanent_record_never_becomes_due(app, archive):
    document_id = archive(category="directive_decision", issue_date="01/01/1990")
    assert sweep(app, date(2999, 12, 31)).newly_due == 0
    assert state(app, document_id) == "active"


def test_funding_picks_the_schedule_and_an_override_needs_a_reason(api, archive):
    state_paid = archive(category="communication_product", funding_source="state_budget",
                         product_kind="video", product_cost="120000000",
                         approving_decision="15/QĐ-STTTT")
    other = archive(category="communication_product", funding_source="other")
    viewer, archivist = api("viewer"), api("archivist")
    paid = viewer.get(f"/api/v1/documents/{state_paid}").get_json()
    assert paid["retention"]["schedule"] == "SP-01"
    assert (paid["product_kind"], paid["product_cost"]) == ("video", 120000000)
    assert viewer.get(f"/api/v1/documents/{other}").get_json()["retention"]["schedule"] == "SP-02"

    schedules = {s["code"]: s["id"] for s in
                 viewer.get("/api/v1/retention/schedules").get_json()["schedules"]}
    refused = archivist.post(f"/api/v1/documents/{other}/schedule",
                             json={"schedule_id": schedules["TTTT-01"], "reason": ""})
    assert refused.status_code == 422
    assert viewer.post(f"/api/v1/documents/{other}/schedule", json={
        "schedule_id": schedules["TTTT-01"], "reason": "x"}).status_code == 403
    done = archivist.post(f"/api/v1/documents/{other}/schedule", json={
        "schedule_id": schedules["TTTT-01"], "reason": "Sản phẩm tiêu biểu, lưu vĩnh viễn"})
    assert done.status_code == 200
    retention = viewer.get(f"/api/v1/documents/{other}").get_json()["retention"]
    assert (retention["schedule"], retention["source"], retention["due_on"]) == (
        "TTTT-01", "override", None)


def test_a_dossier_governs_its_documents_and_an_open_dossier_is_never_due(app, api, archive):
    archivist = api("archivist")
    schedules = {s["code"]: s["id"] for s in
                 archivist.get("/api/v1/retention/schedules").get_json()["schedules"]}
    closed = archivist.post("/api/v1/dossiers", json={
        "code": "HS-2019-04", "title": "Hội nghị sơ kết quý II/2019", "year": 2019,
        "start_date": "01/04/2019", "end_date": "30/06/2019",
        "schedule_id": schedules["TTTT-04"]}).get_json()
    open_ = archivist.post("/api/v1/dossiers", json={
        "code": "HS-2019-05", "title": "Hồ sơ còn mở", "schedule_id": schedules["TTTT-04"]}
    ).get_json()
    # Issued 2010 under a permanent rule, but filed in a 5-year dossier closed in 2019.
    in_closed = archive(category="directive_decision", issue_date="01/01/2010")
    in_open = archive(category="report", issue_date="01/01/2010")
    for dossier, document in ((closed, in_closed), (open_, in_open)):
        assert archivist.post(f"/api/v1/dossiers/{dossier['id']}/documents",
                              json={"document_id": document}).status_code == 200
    retention = archivist.get(f"/api/v1/documents/{in_closed}").get_json()["retention"]
    assert (retention["source"], retention["due_on"]) == ("dossier", "2025-01-01")
    sweep(app, date(2030, 1, 1))
    assert (state(app, in_closed), state(app, in_open)) == ("due", "active")


def _propose(client, ids, action="destroy"):
    return client.post("/api/v1/retention/proposals", json={
        "action": action, "document_ids": ids, "reason": "Hết thời hạn bảo quản"})


def test_the_proposer_cannot_approve_and_an_archivist_cannot_approve_at_all(app, api, archive):
    document_id = archive()
    sweep(app, date(2026, 1, 1))
    approver, archivist = api("approver"), api("archivist")
    proposal = _propose(approver, [document_id]).get_json()
    own = approver.post(f"/api/v1/retention/proposals/{proposal['id']}/decision",
                        json={"approve": True, "decision_ref": "01/QĐ-STTTT"})
    assert own.status_code == 403
    assert archivist.post(f"/api/v1/retention/proposals/{proposal['id']}/decision",
                          json={"approve": True, "decision_ref": "01/QĐ"}).status_code == 403
    assert state(app, document_id) == "proposed"


def test_destruction_removes_bytes_text_and_index_entry_and_keeps_a_tombstone(
        app, api, archive, run_jobs):
    from app.extensions import db
    from app.models import Document
    from app import storage
    from indexers.client import alias, es

    document_id = archive(words="chiến dịch tuyên truyền biển đảo")
    keep_id = archive(words="chiến dịch tuyên truyền biển đảo")
    viewer = api("viewer")
    assert {h["id"] for h in viewer.search("tuyên truyền biển đảo")["hits"]} == {document_id,
                                                                                keep_id}
    with app.app_context():
        sha = db.session.get(Document, document_id).main_file.sha256
        assert storage.exists(sha)
    sweep(app, date(2026, 1, 1))
    archivist, approver = api("archivist"), api("approver")
    proposal = _propose(archivist, [document_id]).get_json()
    decided = approver.post(f"/api/v1/retention/proposals/{proposal['id']}/decision",
                            json={"approve": True, "decision_ref": "25/QĐ-STTTT",
                                  "note": "Hội đồng xác định giá trị đã thẩm định"})
    assert decided.status_code == 200 and decided.get_json()["status"] == "executed"
    run_jobs()

    with app.app_context():
        assert not storage.exists(sha)
        leftovers = db.session.execute(text(
            "SELECT count(*) FROM document_files WHERE document_id = :i"), {"i": document_id})
        assert leftovers.scalar() == 0
        assert db.session.get(Document, document_id).extracted is None
        assert not es().exists(index=alias(), id=str(document_id))
    assert [h["id"] for h in viewer.search("tuyên truyền biển đảo")["hits"]] == [keep_id]

    tombstone = viewer.get(f"/api/v1/documents/{document_id}").get_json()
    assert tombstone["disposition"] == "destroyed" and tombstone["files"] == []
    assert tombstone["title"].startswith("Hồ sơ thử")
    assert viewer.client.get(f"/documents/{document_id}/download",
                             headers=viewer.headers).status_code == 404

    record = archivist.client.get(f"/retention/proposals/{proposal['id']}/record",
                                  headers=archivist.headers)
    page = record.get_data(as_text=True)
    assert record.status_code == 200 and "attachment" in record.headers["Content-Disposition"]
    assert "BIÊN BẢN" in page and "25/QĐ-STTTT" in page and "Hồ sơ thử" in page
    assert sha in page  # the destroyed file is identified by its digest


def test_a_hold_blocks_proposal_execution_and_an_admins_delete(app, api, archive):
    document_id = archive()
    sweep(app, date(2026, 1, 1))
    archivist, approver, admin = api("archivist"), api("approver"), api("admin")
    proposal = _propose(archivist, [document_id]).get_json()
    hold = archivist.post("/api/v1/retention/holds", json={
        "document_id": document_id, "reason": "Thanh tra đang xác minh"}).get_json()
    blocked = approver.post(f"/api/v1/retention/proposals/{proposal['id']}/decision",
                            json={"approve": True, "decision_ref": "26/QĐ"})
    assert blocked.status_code == 409 and blocked.get_json()["error"]["code"] == "legal_hold"
    assert archivist.get(f"/api/v1/retention/proposals/{proposal['id']}").get_json()[
        "status"] == "blocked"
    assert state(app, document_id) == "due"
    assert _propose(archivist, [document_id]).status_code == 409

    deleted = admin.client.delete(f"/api/v1/documents/{document_id}", headers=admin.headers,
                                  json={"reason": "Tải nhầm"})
    assert deleted.status_code == 409
    assert admin.get(f"/api/v1/documents/{document_id}").get_json()["files"]

    assert archivist.post(f"/api/v1/retention/holds/{hold['id']}/release",
                          json={"reason": "Kết thúc thanh tra"}).status_code == 200
    assert admin.client.delete(f"/api/v1/documents/{document_id}", headers=admin.headers,
                               json={"reason": "Tải nhầm"}).status_code == 200
    assert state(app, document_id) == "deleted"


def test_holds_on_a_dossier_and_on_a_saved_search_cover_their_documents(app, api, archive):
    admin, archivist = api("admin"), api("archivist")
    in_dossier = archive(words="hồ sơ vụ việc")
    matched = archive(words="khiếu nại đất đai Sơn Tịnh")
    free = archive(words="lịch công tác tuần")
    dossier = archivist.post("/api/v1/dossiers", json={"code": "VV-01", "title": "Vụ việc"}
                             ).get_json()
    archivist.post(f"/api/v1/dossiers/{dossier['id']}/documents", json={"document_id": in_dossier})
    archivist.post("/api/v1/retention/holds", json={"dossier_id": dossier["id"], "reason": "Tố tụng"})
    archivist.post("/api/v1/retention/holds", json={"query": {"q": "khieu nai dat dai"},
                                                     "reason": "Yêu cầu của tòa án"})

    def delete(i):
        return admin.client.delete(f"/api/v1/documents/{i}", headers=admin.headers,
                                   json={"reason": "Dọn dẹp"}).status_code

    assert (delete(in_dossier), delete(matched), delete(free)) == (409, 409, 200)


def test_transfer_produces_a_bagit_package_that_verifies(app, api, archive, tmp_path):
    from app.extensions import db
    from app.models import Document, DispositionProposal

    document_id = archive(category="directive_decision", issue_date="10/10/2015")
    archivist, approver = api("archivist"), api("approver")
    proposal = _propose(archivist, [document_id], action="transfer").get_json()
    done = approver.post(f"/api/v1/retention/proposals/{proposal['id']}/decision",
                         json={"approve": True, "decision_ref": "30/QĐ-UBND"}).get_json()
    assert done["status"] == "executed" and state(app, document_id) == "transferred"
    with app.app_context():
        stored = db.session.get(Document, document_id).main_file.sha256
        package_sha = db.session.get(DispositionProposal, proposal["id"]).package_sha256
    download = archivist.client.get(f"/retention/proposals/{proposal['id']}/package",
                                    headers=archivist.headers)
    assert download.status_code == 200
    assert hashlib.sha256(download.data).hexdigest() == package_sha  # as audited
    with zipfile.ZipFile(io.BytesIO(download.data)) as zipped:
        zipped.extractall(tmp_path / "unpacked")
    bag_dir = next((tmp_path / "unpacked").iterdir())
    bag = bagit.Bag(str(bag_dir))
    bag.validate()  # every payload file against manifest-sha256.txt
    manifest = (bag_dir / "manifest-sha256.txt").read_text()
    assert stored in manifest and f"data/{document_id}/metadata.json" in manifest
    # A changed byte makes the package fail verification.
    original = next((bag_dir / "data" / str(document_id)).glob("original-*"))
    original.write_bytes(original.read_bytes() + b"x")
    with pytest.raises(bagit.BagValidationError):
        bagit.Bag(str(bag_dir)).validate()
    shutil.rmtree(tmp_path / "unpacked")


def test_records_above_clearance_stay_invisible_in_retention_lists(app, api, archive, tmp_path):
    uploader_secret = api("uploader", clearance="mat")
    secret = uploader_secret.upload(write(tmp_path, "secret.txt", "Báo cáo mật số 7"),
                                    category="report", issue_date="01/02/2013",
                                    secrecy="mat").get_json()["id"]
    normal = archive()
    sweep(app, date(2026, 1, 1))
    low, high = api("archivist"), api("archivist", clearance="mat")
    assert [d["id"] for d in low.get("/api/v1/retention/due").get_json()["documents"]] == [normal]
    assert {d["id"] for d in high.get("/api/v1/retention/due").get_json()["documents"]} == {
        normal, secret}
    proposal = _propose(high, [secret]).get_json()
    assert low.get("/api/v1/retention/proposals").get_json()["proposals"] == []
    assert low.get(f"/api/v1/retention/proposals/{proposal['id']}").status_code == 404
    assert _propose(low, [secret]).status_code == 404


def test_every_step_is_in_the_audit_trail_and_the_chain_verifies(app, api, archive):
    document_id = archive()
    sweep(app, date(2026, 1, 1))
    archivist, approver = api("archivist"), api("approver")
    proposal = _propose(archivist, [document_id]).get_json()
    approver.post(f"/api/v1/retention/proposals/{proposal['id']}/decision",
                  json={"approve": True, "decision_ref": "27/QĐ"})
    from app.extensions import db
    from app.models import AuditEvent

    with app.app_context():
        actions = list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.seq)))
    steps = [a for a in actions if a.startswith(("retention.", "disposition."))]
    assert steps == ["retention.due", "disposition.propose", "disposition.approve",
                            "disposition.destroy", "disposition.execute"]
    out = app.test_cli_runner().invoke(args=["audit", "verify"])
    assert out.exit_code == 0, out.output


def test_cli_sweep_counts_to_the_given_day(app, archive):
    document_id = archive(issue_date="01/03/2014")
    runner = app.test_cli_runner()
    before = runner.invoke(args=["retention", "sweep", "--today", "2024-12-31"])
    assert before.exit_code == 0 and "0 newly due" in before.output
    after = runner.invoke(args=["retention", "sweep", "--today", "01/01/2025"])
    assert "1 newly due" in after.output and state(app, document_id) == "due"


def test_rejection_returns_records_to_review(app, api, archive):
    document_id = archive()
    sweep(app, date(2026, 1, 1))
    archivist, approver = api("archivist"), api("approver")
    proposal = _propose(archivist, [document_id]).get_json()
    rejected = approver.post(f"/api/v1/retention/proposals/{proposal['id']}/decision",
                             json={"approve": False, "note": "Còn giá trị tham khảo"})
    assert rejected.get_json()["status"] == "rejected"
    assert state(app, document_id) == "due"



def test_the_sweep_schedules_records_archived_before_a_rule_matched(app, api, archive):
    from app.extensions import db
    from app.models import Document

    document_id = archive(category="report", issue_date="01/02/2013")
    with app.app_context():
        db.session.get(Document, document_id).schedule_id = None  # as before the file plan
        db.session.commit()
    assert sweep(app, date(2025, 1, 1)).newly_due == 1
    retention = api("viewer").get(f"/api/v1/documents/{document_id}").get_json()["retention"]
    assert (retention["schedule"], retention["due_on"]) == ("TTTT-02", "2024-01-01")
