"""Encrypted backups: nothing readable without BACKUP_KEY, nothing altered restored.

A backup on a NAS or a disk that travels must not show a record's title or a
byte of its original to whoever finds it; the key opens it again; a byte
changed in it is reported by verify and never lands in storage; without the
key, or with another one, the commands say so in a sentence.
"""
from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tests.conftest import CORPUS
from tests.integration.backup_helpers import backup, cli, stored_bytes, wipe_every_service

TITLE = "Kế hoạch tuyên truyền biển đảo bí mật"
FILES = [CORPUS / "seeds" / "tin-2018-cao-bang-kh-3432.txt",
         CORPUS / "docx" / "an_le_so_262018AL.docx",
         CORPUS / "pdf-text" / "vht534.signed_20250510_124908.pdf"]


@pytest.fixture
def key(clean):
    """A fresh BACKUP_KEY (what flask backup keygen prints), set for this test only."""
    made = cli(clean, "backup", "keygen")
    assert made.exit_code == 0
    clean.config["BACKUP_KEY"] = made.output.strip()
    yield made.output.strip()
    clean.config["BACKUP_KEY"] = ""
    clean.config["BACKUP_REQUIRE_KEY"] = False


def _every_file(dest: Path) -> list[Path]:
    return [p for p in dest.rglob("*") if p.is_file()]


def _object(dest: Path, sha: str, key_id: str) -> Path:
    return dest / "objects" / sha[:2] / sha[2:4] / f"{sha}.{key_id}"


def test_an_encrypted_backup_leaks_nothing_copies_only_new_objects_and_restores(
        clean, key, api, login, make_user, run_jobs, tmp_path):
    uploader = api("uploader")
    first = uploader.upload(FILES[0], title=TITLE, category="report").get_json()["id"]
    run_jobs()
    dest = tmp_path / "nas"
    created = cli(clean, "backup", "create", str(dest))
    assert created.exit_code == 0 and "Đã mã hóa bằng BACKUP_KEY" in created.output
    name = sorted(p.name for p in (dest / "backups").iterdir())[-1]
    body = json.loads((dest / "backups" / name / "manifest.json").read_text())
    key_id = body["encryption"]["key_id"]

    # Nothing in the folder shows the title, the text or the bytes of an original.
    secrets = [TITLE.encode(), "tuyên truyền".encode(), FILES[0].read_bytes()[200:260]]
    for path in _every_file(dest):
        data = path.read_bytes()
        assert not any(s in data for s in secrets), path
    assert not (dest / "backups" / name / "database.dump").exists()
    assert body["objects"] and all(_object(dest, sha, key_id).is_file() for sha in body["objects"])
    # The backup's own files still check with coreutils' sha256sum.
    sums = subprocess.run(["sha256sum", "--check", "--quiet", "SHA256SUMS"],
                          cwd=dest / "backups" / name, capture_output=True, text=True)
    assert sums.returncode == 0, sums.stdout + sums.stderr

    # Incremental: the second backup encrypts and copies only what is new.
    second = uploader.upload(FILES[1], category="report").get_json()["id"]
    run_jobs()
    inodes = {sha: _object(dest, sha, key_id).stat().st_ino for sha in body["objects"]}
    newer = backup(clean, dest)
    newer_body = json.loads((dest / "backups" / newer / "manifest.json").read_text())
    new = set(newer_body["objects"]) - set(body["objects"])
    assert new and newer_body["copied"]["objects"] == len(new)
    assert all(_object(dest, s, key_id).stat().st_ino == i for s, i in inodes.items())
    checked = cli(clean, "backup", "verify", str(dest))
    assert checked.exit_code == 0 and "every hash matches" in checked.output, checked.output

    before = stored_bytes(clean)
    wipe_every_service(clean)
    restored = cli(clean, "backup", "restore", str(dest))
    assert restored.exit_code == 0 and "chain intact" in restored.output, restored.output
    assert stored_bytes(clean) == before
    browser = login(make_user("admin", username="quantri"))
    for path, document_id in ((FILES[0], first), (FILES[1], second)):
        assert browser.get(f"/documents/{document_id}/download").data == path.read_bytes()
    assert first in {h["id"] for h in uploader.search("tuyên truyền biển đảo")["hits"]}


def test_a_changed_byte_in_an_encrypted_object_or_dump_is_reported_not_restored(
        clean, key, api, run_jobs, tmp_path):
    uploader = api("uploader")
    uploader.upload(FILES[0], category="report")
    run_jobs()
    dest = tmp_path / "usb"
    name = backup(clean, dest)
    folder = dest / "backups" / name
    body = json.loads((folder / "manifest.json").read_text())
    sha = next(s for s in body["objects"] if body["objects"][s] == FILES[0].stat().st_size)
    victim = _object(dest, sha, body["encryption"]["key_id"])
    damaged = bytearray(victim.read_bytes())
    damaged[len(damaged) // 2] ^= 0x01
    victim.write_bytes(bytes(damaged))

    checked = cli(clean, "backup", "verify", str(dest))
    assert checked.exit_code == 1 and f"object {sha} is damaged" in checked.output
    assert "đã bị thay đổi hoặc bị cắt ngắn" in checked.output, checked.output
    wipe_every_service(clean)
    restored = cli(clean, "backup", "restore", str(dest))
    assert restored.exit_code == 1 and f"object {sha} in the backup is damaged" in restored.output
    assert not any(p.endswith(sha) for p in stored_bytes(clean))  # never lands in storage

    # The dump changed, and SHA256SUMS rewritten to match: the key's seal finds it.
    dump = folder / "database.dump.enc"
    data = bytearray(dump.read_bytes())
    data[-100] ^= 0x01
    dump.write_bytes(bytes(data))
    sums = folder / "SHA256SUMS"
    new_sha = subprocess.run(["sha256sum", str(dump)], capture_output=True,
                             text=True).stdout.split()[0]
    sums.write_text("\n".join(
        f"{new_sha}  database.dump.enc" if line.endswith("  database.dump.enc") else line
        for line in sums.read_text().splitlines()) + "\n")
    checked = cli(clean, "backup", "verify", str(dest))
    assert checked.exit_code == 1 and "SHA256SUMS or manifest.mac was changed" in checked.output
    assert f"{name}/database.dump đã bị thay đổi hoặc bị cắt ngắn" in checked.output
    refused = cli(clean, "backup", "restore", str(dest), "--force")
    assert refused.exit_code == 1 and "is not sealed by this key" in refused.output
    assert "Traceback" not in refused.output


def test_a_missing_or_wrong_key_is_said_in_a_sentence(clean, key, api, run_jobs, tmp_path):
    kept = api("uploader").upload(FILES[0], category="report").get_json()["id"]
    run_jobs()
    dest = tmp_path / "backups"
    backup(clean, dest)
    key_id = json.loads(next((dest / "backups").glob("*/manifest.json")).read_text()
                        )["encryption"]["key_id"]

    clean.config["BACKUP_KEY"] = ""
    for command in (("verify", str(dest)), ("restore", str(dest), "--force")):
        result = cli(clean, "backup", *command)
        assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
        assert (f"Bản sao lưu này đã được mã hóa; hãy đặt BACKUP_KEY là khóa đã dùng khi tạo "
                f"nó (mã khóa {key_id}).") in result.output, result.output
        assert "Traceback" not in result.output

    clean.config["BACKUP_KEY"] = cli(clean, "backup", "keygen").output.strip()
    for command in (("verify", str(dest)), ("restore", str(dest), "--force")):
        result = cli(clean, "backup", *command)
        assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
        assert "BACKUP_KEY không phải là khóa đã dùng để mã hóa bản sao lưu này" in result.output
    # The archive was not touched by the refused restore.
    assert api("viewer").get(f"/api/v1/documents/{kept}").status_code == 200

    clean.config["BACKUP_KEY"] = "not-a-key"
    result = cli(clean, "backup", "create", str(dest))
    assert result.exit_code == 1 and "không phải là khóa sao lưu hợp lệ" in result.output


def test_after_a_key_rotation_the_previous_key_still_opens_the_older_backups(
        clean, key, api, login, make_user, run_jobs, tmp_path):
    """BACKUP_PREVIOUS_KEYS: a folder with backups under the old and the new key verifies
    whole, and an older backup restores, without swapping BACKUP_KEY back."""
    uploader = api("uploader")
    first = uploader.upload(FILES[0], category="report").get_json()["id"]
    run_jobs()
    dest = tmp_path / "nas"
    older = backup(clean, dest)
    try:
        clean.config["BACKUP_KEY"] = cli(clean, "backup", "keygen").output.strip()  # rotated
        uploader.upload(FILES[1], category="report")
        run_jobs()
        backup(clean, dest)

        alone = cli(clean, "backup", "verify", str(dest))
        assert alone.exit_code == 1
        assert "BACKUP_KEY không phải là khóa đã dùng để mã hóa bản sao lưu này" in alone.output

        clean.config["BACKUP_PREVIOUS_KEYS"] = key
        both = cli(clean, "backup", "verify", str(dest))
        assert both.exit_code == 0, both.output
        assert "2 backup(s)" in both.output and "every hash matches" in both.output

        wipe_every_service(clean)
        restored = cli(clean, "backup", "restore", str(dest), "--backup", older)
        assert restored.exit_code == 0 and "chain intact" in restored.output, restored.output
        browser = login(make_user("admin", username="quantri"))
        assert browser.get(f"/documents/{first}/download").data == FILES[0].read_bytes()

        clean.config["BACKUP_PREVIOUS_KEYS"] = f"{key},not-a-key"
        wrong = cli(clean, "backup", "verify", str(dest))
        assert wrong.exit_code == 1 and "Traceback" not in wrong.output
        assert "BACKUP_PREVIOUS_KEYS có một giá trị không phải là khóa sao lưu" in wrong.output
    finally:
        clean.config["BACKUP_PREVIOUS_KEYS"] = ""


def test_production_refuses_an_unencrypted_backup_unless_asked(clean, key, api, run_jobs,
                                                               tmp_path):
    api("uploader").upload(FILES[0], category="report")
    run_jobs()
    clean.config["BACKUP_KEY"], clean.config["BACKUP_REQUIRE_KEY"] = "", True
    dest = tmp_path / "backups"
    refused = cli(clean, "backup", "create", str(dest))
    assert refused.exit_code == 1 and "Chưa cấu hình BACKUP_KEY" in refused.output
    assert not list((dest / "backups").glob("2*"))
    plain = cli(clean, "backup", "create", str(dest), "--unencrypted")
    assert plain.exit_code == 0 and "Không mã hóa" in plain.output
    assert cli(clean, "backup", "verify", str(dest)).exit_code == 0


def test_fixity_repair_takes_the_good_copy_from_an_encrypted_backup(clean, key, api, run_jobs,
                                                                    tmp_path):
    uploader = api("uploader")
    document_id = uploader.upload(FILES[0], category="report").get_json()["id"]
    run_jobs()
    sha = uploader.get(f"/api/v1/documents/{document_id}").get_json()["files"][0]["sha256"]
    dest = tmp_path / "nas"
    backup(clean, dest)
    stored = Path(clean.config["STORAGE_DIR"]) / sha[:2] / sha[2:4] / sha
    stored.write_bytes(stored.read_bytes().replace("Cao Bằng".encode(), "Cao Bang".encode()))
    assert cli(clean, "storage", "verify").exit_code == 1

    repaired = cli(clean, "backup", "repair", "--location", str(dest))
    assert repaired.exit_code == 0 and "Repaired 1" in repaired.output, repaired.output
    assert stored.read_bytes() == FILES[0].read_bytes()
    assert cli(clean, "storage", "verify").exit_code == 0


def test_verify_says_which_backups_are_in_clear_where_backups_are_meant_to_be_encrypted(
        clean, key, api, run_jobs, tmp_path):
    api("uploader").upload(FILES[0], category="report")
    run_jobs()
    dest = tmp_path / "nas"
    clean.config["BACKUP_KEY"] = ""
    before_the_key = backup(clean, dest)  # no key yet: nothing to say
    quiet = cli(clean, "backup", "verify", str(dest))
    assert quiet.exit_code == 0 and "không được mã hóa" not in quiet.output, quiet.output

    clean.config["BACKUP_KEY"] = key
    encrypted = backup(clean, dest)
    warned = cli(clean, "backup", "verify", str(dest))
    assert warned.exit_code == 0 and "every hash matches" in warned.output, warned.output
    assert (f"Bản sao lưu {before_the_key} không được mã hóa, trong khi đã đặt BACKUP_KEY; "
            "các bản sao lưu khác trong thư mục này được mã hóa: ai đọc được thư mục này "
            "cũng đọc được các hồ sơ trong đó.") in warned.output, warned.output
    assert f"Bản sao lưu {encrypted} không" not in warned.output

    # Production requires a key: a backup in clear nobody asked for fails verify; one
    # written with --unencrypted (as create allows) is only said.
    asked = cli(clean, "backup", "create", str(dest), "--unencrypted")
    assert asked.exit_code == 0
    on_purpose = sorted(p.name for p in (dest / "backups").iterdir())[-1]
    clean.config["BACKUP_REQUIRE_KEY"] = True
    strict = cli(clean, "backup", "verify", str(dest))
    assert strict.exit_code == 1, strict.output
    assert (f"Bản sao lưu {before_the_key} không được mã hóa và không được chủ ý ghi ở dạng "
            "không mã hóa (--unencrypted)") in strict.output, strict.output
    assert f"Bản sao lưu {on_purpose} không được mã hóa, trong khi" in strict.output
    alone = cli(clean, "backup", "verify", str(dest), "--backup", on_purpose)
    assert alone.exit_code == 0, alone.output
