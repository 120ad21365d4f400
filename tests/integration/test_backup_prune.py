"""``flask backup prune``: old backups go, then the objects only they held; the rest verify.

The backups are made for real and given the names (start times) of a few
months of nightly runs, as ``Location.new_name`` would have on those nights.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import CORPUS
from tests.integration.backup_helpers import backup, cli, wipe_every_service

FILES = [CORPUS / "seeds" / "tin-2018-cao-bang-kh-3432.txt",
         CORPUS / "seeds" / "tin-btttt-huong-dan-qd-1079.txt",
         CORPUS / "html" / "vbpl_v1.html"]


@pytest.fixture
def nights(monkeypatch):
    """Backups named after the days given, in order (03:00 UTC: 10:00 in Hà Nội)."""
    from app.backup import manifest

    names: list[str] = []
    monkeypatch.setattr(manifest.Location, "new_name", lambda self: names.pop(0))

    def plan(*days: str) -> None:
        names.extend(f"{day}T030000Z" for day in days)

    return plan


def _objects(dest: Path, name: str) -> set[str]:
    return set(json.loads((dest / "backups" / name / "manifest.json").read_text())["objects"])


def test_prune_keeps_the_daily_and_monthly_backups_and_the_objects_they_need(
        clean, api, make_user, login, run_jobs, nights, tmp_path):
    uploader, admin = api("uploader"), api("admin")
    dest = tmp_path / "backups"
    nights("20260104", "20260119", "20260209", "20260228", "20260301", "20260302")
    kept_a = uploader.upload(FILES[0], category="report").get_json()["id"]
    run_jobs()
    backup(clean, dest)                                   # 4 Jan
    mistake = uploader.upload(FILES[2], category="report").get_json()["id"]
    kept_b = uploader.upload(FILES[1], category="report").get_json()["id"]
    run_jobs()
    backup(clean, dest)                                   # 19 Jan: holds the mistake
    gone = _objects(dest, "20260119T030000Z") - _objects(dest, "20260104T030000Z")
    deleted = admin.client.delete(f"/api/v1/documents/{mistake}", headers=admin.headers,
                                  json={"reason": "Tải lên nhầm"})
    assert deleted.status_code == 200, deleted.get_json()
    run_jobs()
    for _day in range(4):                                 # 9 Feb, 28 Feb, 1 Mar, 2 Mar
        backup(clean, dest)
    gone -= _objects(dest, "20260302T030000Z")
    assert gone  # the mistake's original and renderings: in the January backups only
    every_copy = {p for p in (dest / "objects").rglob("*") if p.is_file()}

    dry = cli(clean, "backup", "prune", str(dest), "--keep-daily", "2", "--keep-monthly", "2",
              "--dry-run")
    assert dry.exit_code == 0, dry.output
    for name in ("20260104T030000Z", "20260119T030000Z", "20260209T030000Z"):
        assert f"Sẽ xóa {name}" in dry.output
    assert "Giữ 20260302T030000Z (mới nhất, theo ngày, theo tháng)" in dry.output
    assert "Giữ 20260301T030000Z (theo ngày)" in dry.output
    assert "Giữ 20260228T030000Z (theo tháng)" in dry.output  # February's newest
    assert f"Sẽ xóa 3 bản sao lưu và {len(gone)} tệp lưu trữ" in dry.output, dry.output
    assert {p for p in (dest / "objects").rglob("*") if p.is_file()} == every_copy
    assert len(list((dest / "backups").iterdir())) == 6

    pruned = cli(clean, "backup", "prune", str(dest), "--keep-daily", "2",
                 "--keep-monthly", "2")
    assert pruned.exit_code == 0, pruned.output
    assert f"Đã xóa 3 bản sao lưu và {len(gone)} tệp lưu trữ" in pruned.output
    assert sorted(p.name for p in (dest / "backups").iterdir()) == [
        "20260228T030000Z", "20260301T030000Z", "20260302T030000Z"]
    left = {p.name for p in (dest / "objects").rglob("*") if p.is_file()}
    assert not left & gone and left == _objects(dest, "20260302T030000Z")
    checked = cli(clean, "backup", "verify", str(dest))
    assert checked.exit_code == 0 and "3 backup(s)" in checked.output, checked.output

    # The oldest backup left still restores every byte it needs.
    wipe_every_service(clean)
    restored = cli(clean, "backup", "restore", str(dest), "--backup", "20260228T030000Z")
    assert restored.exit_code == 0 and "chain intact" in restored.output, restored.output
    browser = login(make_user("admin", username="quantri"))
    for path, document_id in ((FILES[0], kept_a), (FILES[1], kept_b)):
        assert browser.get(f"/documents/{document_id}/download").data == path.read_bytes()


def test_prune_asks_what_to_keep_and_keeps_the_newest_even_if_incomplete(clean, tmp_path):
    from app.backup.prune import choose

    refused = cli(clean, "backup", "prune", str(tmp_path))
    assert refused.exit_code != 0 and "Hãy cho biết giữ bao nhiêu bản sao lưu" in refused.output
    # An incomplete newest backup stays (its tombstones are the latest word) but fills no slot.
    from zoneinfo import ZoneInfo

    zone = ZoneInfo("Asia/Ho_Chi_Minh")
    kept = choose({"20260301T030000Z": True, "20260302T030000Z": True,
                   "20260303T030000Z": False}, {"daily": 1}, zone)
    assert kept == {"20260303T030000Z": ["newest"], "20260302T030000Z": ["daily"]}
    # Days are counted in the archive's time zone: 18:30 UTC on the 28th is 1 March there.
    kept = choose({"20260228T183000Z": True, "20260301T020000Z": True}, {"daily": 2}, zone)
    assert kept == {"20260301T020000Z": ["newest", "daily"]}
