"""A destruction is never undone by a restore.

Restoring an older backup brings back a state in which a record since
destroyed was still alive. The restore replays the tombstones it finds —
in newer backups beside it, in the database it replaces, in a file — so the
record stays destroyed, its bytes stay gone and the audit trail says why.
"""
from __future__ import annotations

import json
import threading

import pytest

from tests.integration.backup_helpers import (
    audit_chain, backup, cli, destroy, stored_bytes, sweep, wipe_every_service,
)


@pytest.fixture
def people(api):
    """The archivist who proposes and the approver who decides, both older than any backup."""
    return api("archivist"), api("approver")


@pytest.fixture
def record(api, people, tmp_path, run_jobs):
    """A text record issued in 2014 under a 10-year series (due on 1/1/2025)."""
    uploader = api("uploader")

    def upload(words: str) -> tuple[int, str]:
        path = tmp_path / f"{abs(hash(words))}.txt"
        path.write_text(f"Báo cáo tháng về công tác thông tin đối ngoại: {words}.",
                        encoding="utf-8")
        response = uploader.upload(path, title=f"Báo cáo {words}", category="report",
                                   issue_date="15/06/2014")
        assert response.status_code == 202, response.get_json()
        run_jobs()
        return response.get_json()["id"], _sha(uploader, response.get_json()["id"])

    return upload


def _sha(client, document_id: int) -> str:
    return client.get(f"/api/v1/documents/{document_id}").get_json()["files"][0]["sha256"]


def _assert_destroyed(app, api, destroyed: int, sha: str, kept: int, words: str):
    viewer = api("viewer")
    tombstone = viewer.get(f"/api/v1/documents/{destroyed}").get_json()
    assert tombstone["disposition"] == "destroyed" and tombstone["files"] == []
    assert [h["id"] for h in viewer.search(words)["hits"]] == [kept]
    assert not any(path.endswith(sha) for path in stored_bytes(app))
    assert viewer.get(f"/api/v1/documents/{kept}").get_json()["disposition"] != "destroyed"
    verified = cli(app, "audit", "verify")
    assert verified.exit_code == 0 and "chain intact" in verified.output


def test_an_older_backup_restored_does_not_resurrect_a_record_destroyed_after_it(
        clean, api, people, record, run_jobs, tmp_path):
    doomed, doomed_sha = record("chiến dịch tuyên truyền biển đảo")
    kept, _ = record("chiến dịch tuyên truyền biển đảo năm sau")
    dest = tmp_path / "backups"
    older = backup(clean, dest)  # the record is alive in this one
    sweep(clean)
    proposal = destroy(people, [doomed], decision_ref="25/QĐ-STTTT")
    run_jobs()
    destroyed_at = next(s for s, a, _h in audit_chain(clean) if a == "disposition.destroy")
    backup(clean, dest)  # the newer backup holds the tombstone

    wipe_every_service(clean)
    result = cli(clean, "backup", "restore", str(dest), "--backup", older)
    assert result.exit_code == 0, result.output
    assert f"Tombstones replayed: 1 record(s)" in result.output and str(doomed) in result.output

    _assert_destroyed(clean, api, doomed, doomed_sha, kept, "tuyên truyền biển đảo")
    # The destruction record (biên bản hủy) is back, with the decision that authorised it.
    archivist = people[0]
    page = archivist.client.get(f"/retention/proposals/{proposal}/record",
                                headers=archivist.headers).get_data(as_text=True)
    assert "BIÊN BẢN" in page and "25/QĐ-STTTT" in page and doomed_sha in page
    # The trail says what the restore did, quoting the original entry.
    from app.extensions import db
    from app.models import AuditEvent

    with clean.app_context():
        replay = db.session.scalars(db.select(AuditEvent).where(
            AuditEvent.action == "backup.replay")).one()
        assert replay.object_id == str(doomed)
        assert replay.details["original_seq"] == destroyed_at
        assert replay.details["decision_ref"] == "25/QĐ-STTTT"
    # An archivist reads it on the audit page in words, not codes.
    trail = archivist.client.get("/audit/", query_string={"action": "backup.replay"},
                                 headers=archivist.headers).get_data(as_text=True)
    assert "Giữ nguyên trạng thái đã hủy khi khôi phục bản sao lưu" in trail
    assert "Thông tin hủy lấy từ" in trail and "25/QĐ-STTTT" in trail
    table = trail[trail.index("<table"):]
    assert ">backup.replay<" not in table and "tombstone_from" not in table


def test_force_over_a_database_that_still_exists_keeps_its_destructions(
        clean, api, people, record, run_jobs, tmp_path):
    doomed, doomed_sha = record("lịch tiếp công dân định kỳ")
    kept, _ = record("lịch tiếp công dân định kỳ tháng mười")
    dest = tmp_path / "backups"
    older = backup(clean, dest)
    sweep(clean)
    destroy(people, [doomed])
    run_jobs()
    # No newer backup: only the database being replaced knows of the destruction.
    result = cli(clean, "backup", "restore", str(dest), "--backup", older, "--force")
    assert result.exit_code == 0, result.output
    _assert_destroyed(clean, api, doomed, doomed_sha, kept, "tiếp công dân định kỳ")


def test_a_destruction_while_the_backup_runs_stays_a_destruction(
        clean, api, people, record, run_jobs, tmp_path, monkeypatch):
    from app.backup import create

    doomed, doomed_sha = record("hội nghị giao ban báo chí")
    kept, _ = record("hội nghị giao ban báo chí quý hai")
    sweep(clean)
    copy_objects = create._copy_objects

    def destroyed_between_dump_and_copy(*args, **kwargs):
        # A real approval by other people, committed after the snapshot was taken; in
        # a thread of its own, as another web worker would (not in the command's context).
        other = threading.Thread(target=destroy, args=(people, [doomed]))
        other.start()
        other.join()
        return copy_objects(*args, **kwargs)

    monkeypatch.setattr(create, "_copy_objects", destroyed_between_dump_and_copy)
    dest = tmp_path / "backups"
    name = backup(clean, dest)
    monkeypatch.undo()
    manifest = json.loads((dest / "backups" / name / "manifest.json").read_text())
    assert doomed_sha in manifest["removed_after_snapshot"] and manifest["complete"]
    assert manifest["counts"]["documents"] == 2  # the dump has it alive...
    tombs = json.loads((dest / "backups" / name / "tombstones.json").read_text())
    assert [t["document_id"] for t in tombs["documents"]] == [doomed]  # ...its tombstones not
    assert cli(clean, "backup", "verify", str(dest)).exit_code == 0

    wipe_every_service(clean)
    result = cli(clean, "backup", "restore", str(dest))
    assert result.exit_code == 0, result.output
    _assert_destroyed(clean, api, doomed, doomed_sha, kept, "giao ban báo chí")


def test_tombstones_exported_to_a_file_are_replayed_when_given(
        clean, api, people, record, run_jobs, tmp_path):
    doomed, doomed_sha = record("kế hoạch tuyên truyền pháp luật")
    kept, _ = record("kế hoạch tuyên truyền pháp luật năm mới")
    dest = tmp_path / "usb"
    older = backup(clean, dest)
    sweep(clean)
    destroy(people, [doomed])
    run_jobs()
    out = tmp_path / "tombstones.json"
    exported = cli(clean, "backup", "tombstones", str(out))
    assert exported.exit_code == 0 and "1 tombstone(s)" in exported.output

    # Restored from a backup that knows nothing of the destruction, it would come back…
    wipe_every_service(clean)
    assert cli(clean, "backup", "restore", str(dest), "--backup", older).exit_code == 0
    back = api("viewer").get(f"/api/v1/documents/{doomed}").get_json()
    assert back["disposition"] != "destroyed" and back["files"]
    # …so the administrator gives the tombstones they exported.
    result = cli(clean, "backup", "restore", str(dest), "--backup", older, "--force",
                 "--tombstones", str(out))
    assert result.exit_code == 0, result.output
    _assert_destroyed(clean, api, doomed, doomed_sha, kept, "tuyên truyền pháp luật")
