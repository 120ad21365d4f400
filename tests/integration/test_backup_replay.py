"""A transfer or a hold release is never undone by a restore.

Restoring an older backup brings back a state in which a record since handed
to the historical archive was still kept here, and a legal hold since lifted
still held. The restore replays what it finds newer than the backup — in
newer backups beside it, in the database it replaces — so the record stays
transferred (with its proposal and package) and the hold stays released.
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

    wipe_every_service(clean)
    result = cli(clean, "backup", "restore", str(dest), "--backup", older)
    assert result.exit_code == 0, result.output
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
