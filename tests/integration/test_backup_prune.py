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


def _restores(app, dest: Path, name: str, sign_in, originals: dict[int, Path]):
    """Every service wiped, backup ``name`` restored: each record's original, byte for byte,
    to an administrator signed in afterwards (returned)."""
    wipe_every_service(app)
    restored = cli(app, "backup", "restore", str(dest), "--backup", name)
    assert restored.exit_code == 0 and "chain intact" in restored.output, restored.output
    browser = sign_in()
    for document_id, path in originals.items():
        assert browser.get(f"/documents/{document_id}/download").data == path.read_bytes()
    return browser


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
    _restores(clean, dest, "20260228T030000Z",
              lambda: login(make_user("admin", username="quantri")),
              {kept_a: FILES[0], kept_b: FILES[1]})


def test_prune_of_encrypted_backups_after_a_key_rotation_leaves_what_the_new_key_opens(
        clean, api, make_user, login, run_jobs, nights, tmp_path):
    """Backups under an old key, then under a new one: pruning the old ones removes their
    copies (named by the old key) and nothing the remaining backups need."""
    uploader, admin = api("uploader"), api("admin")
    dest = tmp_path / "nas"
    nights("20260104", "20260201", "20260301", "20260302")
    old_key, new_key = (cli(clean, "backup", "keygen").output.strip() for _ in range(2))
    try:
        clean.config["BACKUP_KEY"] = old_key
        kept_a = uploader.upload(FILES[0], category="report").get_json()["id"]
        run_jobs()
        backup(clean, dest)                               # 4 Jan, old key
        mistake = uploader.upload(FILES[2], category="report").get_json()["id"]
        kept_b = uploader.upload(FILES[1], category="report").get_json()["id"]
        run_jobs()
        backup(clean, dest)                               # 1 Feb, old key: holds the mistake
        assert admin.client.delete(f"/api/v1/documents/{mistake}", headers=admin.headers,
                                   json={"reason": "Tải lên nhầm"}).status_code == 200
        run_jobs()
        clean.config["BACKUP_KEY"] = new_key              # rotated: every object copied again
        backup(clean, dest)                               # 1 Mar, new key
        backup(clean, dest)                               # 2 Mar, new key
        bodies = {n: json.loads((dest / "backups" / n / "manifest.json").read_text())
                  for n in ("20260104T030000Z", "20260201T030000Z", "20260302T030000Z")}
        old_id = bodies["20260104T030000Z"]["encryption"]["key_id"]
        new_id = bodies["20260302T030000Z"]["encryption"]["key_id"]
        assert old_id != new_id
        old_copies = {f"{sha}.{old_id}" for name in ("20260104T030000Z", "20260201T030000Z")
                      for sha in bodies[name]["objects"]}
        needed = {f"{sha}.{new_id}" for sha in bodies["20260302T030000Z"]["objects"]}
        mistake_only = (set(bodies["20260201T030000Z"]["objects"])
                        - set(bodies["20260302T030000Z"]["objects"]))
        assert mistake_only  # the deleted record's original and renderings

        pruned = cli(clean, "backup", "prune", str(dest), "--keep-daily", "2")
        assert pruned.exit_code == 0, pruned.output
        assert f"Đã xóa 2 bản sao lưu và {len(old_copies)} tệp lưu trữ" in pruned.output, \
            pruned.output
        assert sorted(p.name for p in (dest / "backups").iterdir()) == [
            "20260301T030000Z", "20260302T030000Z"]
        left = {p.name for p in (dest / "objects").rglob("*") if p.is_file()}
        assert left == needed  # only copies the new key opens; none in clear, none old
        assert not any(name.split(".")[0] in mistake_only for name in left)
        checked = cli(clean, "backup", "verify", str(dest))
        assert checked.exit_code == 0 and "2 backup(s)" in checked.output, checked.output
        assert "every hash matches" in checked.output

        # The older backup left restores every byte with the new key alone.
        browser = _restores(clean, dest, "20260301T030000Z",
                            lambda: login(make_user("admin", username="quantri")),
                            {kept_a: FILES[0], kept_b: FILES[1]})
        assert browser.get(f"/documents/{mistake}/download").status_code == 404
    finally:
        clean.config["BACKUP_KEY"] = ""


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
