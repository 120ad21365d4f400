"""A transfer, a legal hold or its release is never undone by a restore.

Restoring an older backup brings back a state in which a record since handed
to the historical archive was still kept here, a legal hold since lifted
still held, and a hold since placed not there at all — so the record it froze
could be destroyed. The restore replays what it finds newer than the backup —
in newer backups beside it, in the database it replaces — so the record stays
transferred (with its proposal and package), a hold placed since is placed
again (on a document, a dossier or a saved search, with its reason, who
placed it and when) and a hold released stays released, even one placed and
released after the backup.
"""
from __future__ import annotations

import pytest

from tests.integration.backup_helpers import audit_chain, backup, cli, wipe_every_service


@pytest.fixture
def people(api):
    return api("archivist"), api("approver")


@pytest.fixture
def record(api, tmp_path, run_jobs):
    uploader = api("uploader")

    def upload(words: str) -> int:
        path = tmp_path / f"{abs(hash(words))}.txt"
        path.write_text(f"Báo cáo công tác thông tin đối ngoại: {words}.", encoding="utf-8")
        response = uploader.upload(path, title=f"Báo cáo {words}", category="report",
                                   issue_date="15/06/2014")
        assert response.status_code == 202, response.get_json()
        run_jobs()
        return response.get_json()["id"]

    return upload


def _transfer(people, document_id: int) -> int:
    archivist, approver = people
    proposal = archivist.post("/api/v1/retention/proposals", json={
        "action": "transfer", "document_ids": [document_id],
        "reason": "Nộp lưu vào Lưu trữ lịch sử tỉnh"}).get_json()
    decided = approver.post(f"/api/v1/retention/proposals/{proposal['id']}/decision",
                            json={"approve": True, "decision_ref": "30/QĐ-UBND"}).get_json()
    assert decided["status"] == "executed", decided
    return proposal["id"]


def _moved_and_held(people, record, topic: str) -> tuple[int, dict]:
    """A record to transfer later, and a hold on another one (to release later)."""
    moved, held = record(f"{topic}: nộp lưu"), record(f"{topic}: thanh tra")
    hold = people[0].post("/api/v1/retention/holds", json={
        "document_id": held, "reason": "Thanh tra đang xem xét"}).get_json()
    return moved, hold


def _restore_on_new_services(app, dest, name: str):
    """Every service lost, then backup ``name`` restored from ``dest``; the CLI's result."""
    wipe_every_service(app)
    result = cli(app, "backup", "restore", str(dest), "--backup", name)
    assert result.exit_code == 0, result.output
    return result


def test_an_older_backup_restored_keeps_a_later_transfer_and_hold_release(
        clean, api, people, record, run_jobs, tmp_path):
    archivist = people[0]
    moved, hold = _moved_and_held(people, record, "hội nghị báo chí về biên giới")
    dest = tmp_path / "backups"
    older = backup(clean, dest)  # kept here, and held
    proposal = _transfer(people, moved)
    package = archivist.get(f"/retention/proposals/{proposal}/package")
    assert package.status_code == 200
    released = archivist.post(f"/api/v1/retention/holds/{hold['id']}/release",
                              json={"reason": "Thanh tra đã kết thúc"})
    assert released.status_code == 200, released.get_json()
    run_jobs()
    transferred_at = next(s for s, a, _h in audit_chain(clean) if a == "disposition.transfer")
    released_at = next(s for s, a, _h in audit_chain(clean) if a == "hold.release")
    backup(clean, dest)  # the newer backup knows of both

    result = _restore_on_new_services(clean, dest, older)
    assert "Nộp lưu được áp dụng lại: 1 hồ sơ" in result.output, result.output
    assert "Gỡ tạm giữ được áp dụng lại: 1" in result.output, result.output

    viewer = api("viewer")
    state = viewer.get(f"/api/v1/documents/{moved}").get_json()
    assert state["disposition"] == "transferred"
    # The executed proposal is back, and so is its package, byte for byte.
    again = archivist.get(f"/api/v1/retention/proposals/{proposal}").get_json()
    assert again["status"] == "executed" and again["decision_ref"] == "30/QĐ-UBND"
    copy = archivist.get(f"/retention/proposals/{proposal}/package")
    assert copy.status_code == 200 and copy.data == package.data
    # The hold is no longer active: nothing holds the record any more.
    assert archivist.get("/api/v1/retention/holds").get_json()["holds"] == []
    every = archivist.get("/api/v1/retention/holds", query_string={"all": "1"}).get_json()
    assert [h["id"] for h in every["holds"]] == [hold["id"]]
    # The trail quotes the original entries, in words on the audit page.
    from app.extensions import db
    from app.models import AuditEvent

    with clean.app_context():
        events = {e.action: e for e in db.session.scalars(db.select(AuditEvent).where(
            AuditEvent.action.like("backup.replay%")))}
        assert events["backup.replay_transfer"].object_id == str(moved)
        assert events["backup.replay_transfer"].details["original_seq"] == transferred_at
        assert events["backup.replay_release"].object_id == str(hold["id"])
        assert events["backup.replay_release"].details["original_seq"] == released_at
    trail = archivist.client.get("/audit/", headers=archivist.headers).get_data(as_text=True)
    assert "Giữ nguyên trạng thái đã nộp lưu khi khôi phục bản sao lưu" in trail
    assert "Giữ nguyên việc gỡ lệnh tạm giữ khi khôi phục bản sao lưu" in trail
    verified = cli(clean, "audit", "verify")
    assert verified.exit_code == 0 and "chain intact" in verified.output


def test_force_over_a_database_that_still_exists_keeps_its_transfers_and_releases(
        clean, api, people, record, run_jobs, tmp_path):
    archivist = people[0]
    moved, hold = _moved_and_held(people, record, "kế hoạch truyền thông chuyển đổi số")
    dest = tmp_path / "backups"
    older = backup(clean, dest)
    _transfer(people, moved)
    archivist.post(f"/api/v1/retention/holds/{hold['id']}/release",
                   json={"reason": "Đã giải quyết xong"})
    run_jobs()
    # No newer backup: only the database being replaced knows of them.
    result = cli(clean, "backup", "restore", str(dest), "--backup", older, "--force")
    assert result.exit_code == 0, result.output
    viewer = api("viewer")
    assert viewer.get(f"/api/v1/documents/{moved}").get_json()["disposition"] == "transferred"
    assert archivist.get("/api/v1/retention/holds").get_json()["holds"] == []
    assert cli(clean, "audit", "verify").exit_code == 0


def _hold(archivist, reason: str, **target) -> dict:
    response = archivist.post("/api/v1/retention/holds", json={"reason": reason, **target})
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def _deleted(admin, document_id: int) -> int:
    return admin.client.delete(f"/api/v1/documents/{document_id}", headers=admin.headers,
                               json={"reason": "Dọn dẹp kho"}).status_code


def _active(archivist) -> dict[int, dict]:
    return {h["id"]: h for h in archivist.get("/api/v1/retention/holds").get_json()["holds"]}


def test_an_older_backup_restored_keeps_the_holds_placed_after_it(
        clean, api, record, run_jobs, tmp_path):
    admin, archivist = api("admin"), api("archivist")
    alone, filed = record("đoàn công tác Lào"), record("hồ sơ vụ việc biên giới")
    matched, free = record("khiếu nại đất đai Sơn Tịnh"), record("lịch công tác tuần")
    briefly = record("hội nghị giao ban báo chí")
    dossier = archivist.post("/api/v1/dossiers", json={"code": "VV-07", "title": "Vụ việc"}
                             ).get_json()
    archivist.post(f"/api/v1/dossiers/{dossier['id']}/documents", json={"document_id": filed})
    dest = tmp_path / "backups"
    older = backup(clean, dest)  # no hold yet

    placed = [_hold(archivist, "Thanh tra tỉnh đang xác minh", document_id=alone),
              _hold(archivist, "Tố tụng hành chính", dossier_id=dossier["id"]),
              _hold(archivist, "Yêu cầu của tòa án", query={"q": "khieu nai dat dai"})]
    lifted = _hold(archivist, "Kiểm tra nội bộ", document_id=briefly)
    assert archivist.post(f"/api/v1/retention/holds/{lifted['id']}/release",
                          json={"reason": "Kiểm tra đã xong"}).status_code == 200
    place_seq = {s for s, a, _h in audit_chain(clean) if a == "hold.place"}
    backup(clean, dest)  # the newer backup knows of them

    result = _restore_on_new_services(clean, dest, older)
    assert "Lệnh tạm giữ được áp dụng lại: 4" in result.output, result.output
    assert "Gỡ tạm giữ được áp dụng lại: 1" in result.output, result.output

    # The three holds are in force again, as they were placed.
    active = _active(archivist)
    assert sorted(active) == sorted(h["id"] for h in placed)
    for hold in placed:
        again = active[hold["id"]]
        for name in ("target_type", "document_id", "dossier_id", "query", "reason",
                     "placed_by", "placed_at"):
            assert again[name] == hold[name], name
    # The one lifted after the backup is back as lifted, with its reason.
    every = {h["id"]: h for h in archivist.get("/api/v1/retention/holds",
                                               query_string={"all": "1"}).get_json()["holds"]}
    assert every[lifted["id"]]["released_at"] is not None
    assert every[lifted["id"]]["release_reason"] == "Kiểm tra đã xong"
    # So nothing they cover can be deleted; what no hold covers still can.
    assert [_deleted(admin, i) for i in (alone, filed, matched)] == [409, 409, 409]
    assert (_deleted(admin, briefly), _deleted(admin, free)) == (200, 200)

    from app.extensions import db
    from app.models import AuditEvent

    with clean.app_context():
        replayed = list(db.session.scalars(db.select(AuditEvent).where(
            AuditEvent.action == "backup.replay_hold").order_by(AuditEvent.seq)))
        assert {e.details["original_seq"] for e in replayed} == place_seq
        assert {e.details["original_actor"] for e in replayed} == {archivist.user.username}
    trail = archivist.client.get("/audit/", headers=archivist.headers).get_data(as_text=True)
    assert "Đặt lại lệnh tạm giữ khi khôi phục bản sao lưu" in trail
    verified = cli(clean, "audit", "verify")
    assert verified.exit_code == 0 and "chain intact" in verified.output


def test_force_over_a_database_that_still_exists_keeps_its_holds(
        clean, api, record, run_jobs, tmp_path):
    admin, archivist = api("admin"), api("archivist")
    held, lifted_on = record("thanh tra dự án"), record("kiểm toán nhà nước")
    dest = tmp_path / "backups"
    older = backup(clean, dest)
    hold = _hold(archivist, "Thanh tra đang xem xét", document_id=held)
    lifted = _hold(archivist, "Kiểm toán", document_id=lifted_on)
    archivist.post(f"/api/v1/retention/holds/{lifted['id']}/release",
                   json={"reason": "Kiểm toán kết thúc"})
    # No newer backup: only the database being replaced knows of them.
    result = cli(clean, "backup", "restore", str(dest), "--backup", older, "--force")
    assert result.exit_code == 0, result.output
    assert list(_active(archivist)) == [hold["id"]]
    assert (_deleted(admin, held), _deleted(admin, lifted_on)) == (409, 200)
    # A hold placed after the restore takes a number of its own.
    later = _hold(archivist, "Hồ sơ khiếu nại mới", query={"q": "kiem toan"})
    assert later["id"] not in (hold["id"], lifted["id"])
    assert cli(clean, "audit", "verify").exit_code == 0
