"""Backup → wipe every service → restore, on the real services, through the CLI.

What an administrator needs after losing the server: every original byte
back, every record findable again, every account, dossier, hold, briefing
and audit entry, and an audit trail that still verifies; a second backup
that copies only what is new; a check that finds a changed byte.
"""
from __future__ import annotations

import hashlib
import json
import os
import subprocess
from pathlib import Path

import pytest

from tests.conftest import CORPUS
from tests.integration.backup_helpers import (
    audit_chain, backup, cli, stored_bytes, wipe_every_service,
)

FILES = [CORPUS / "seeds" / "tin-2018-cao-bang-kh-3432.txt",
         CORPUS / "seeds" / "tin-btttt-huong-dan-qd-1079.txt",
         CORPUS / "docx" / "an_le_so_262018AL.docx",
         CORPUS / "pdf-text" / "vht534.signed_20250510_124908.pdf",
         CORPUS / "html" / "vbpl_v1.html"]


def _phrase(app, document_id: int) -> str:
    """Four words from the middle of the record's own extracted text."""
    from app.extensions import db
    from app.models import Document

    with app.app_context():
        words = db.session.get(Document, document_id).main_file.extracted_text.split()
    middle = len(words) // 2
    return " ".join(w.strip(".,;:()\"'“”") for w in words[middle:middle + 4])


def test_backup_wipe_restore_brings_back_every_byte_record_and_entry(
        clean, api, make_user, login, run_jobs, tmp_path):
    uploader, archivist = api("uploader"), api("archivist")
    admin = make_user("admin", username="quantri")
    ids = {}
    for path in FILES:
        response = uploader.upload(path, category="report")
        assert response.status_code == 202, response.get_json()
        ids[path] = response.get_json()["id"]
    run_jobs()
    dossier = archivist.post("/api/v1/dossiers", json={"code": "HS-2024-01",
                                                        "title": "Hồ sơ họp báo 2024"}).get_json()
    archivist.post(f"/api/v1/dossiers/{dossier['id']}/documents",
                   json={"document_id": ids[FILES[0]]})
    hold = archivist.post("/api/v1/retention/holds", json={
        "document_id": ids[FILES[1]], "reason": "Thanh tra đang xem xét"}).get_json()
    briefing = uploader.post("/api/v1/briefings", json={
        "kind": "periodic", "title": "Hội nghị cung cấp thông tin cho báo chí tháng 3/2024",
        "held_at": "14/03/2024 14:00", "hosts": ["propaganda"], "topics": ["human_rights"],
        "minutes": "Thông tin về công tác bảo đảm quyền con người trên địa bàn tỉnh."}
    ).get_json()
    uploader.post(f"/api/v1/briefings/{briefing['id']}/materials",
                  json={"reference": str(ids[FILES[0]]), "role": "report"})
    run_jobs()

    phrases = {i: _phrase(clean, i) for i in ids.values()}
    for document_id, phrase in phrases.items():  # findable before, or the test proves nothing
        assert document_id in {h["id"] for h in uploader.search(f'"{phrase}"')["hits"]}, phrase
    before_bytes, before_chain = stored_bytes(clean), audit_chain(clean)
    assert len(before_bytes) >= len(FILES) + 2  # originals plus thumbnails and renderings

    dest = tmp_path / "backups"
    name = backup(clean, dest)
    checked = cli(clean, "backup", "verify", str(dest))
    assert checked.exit_code == 0 and "every hash matches" in checked.output, checked.output
    # An independent check of the same hashes: coreutils' sha256sum.
    sums = subprocess.run(["sha256sum", "--check", "--quiet", "SHA256SUMS"],
                          cwd=dest / "backups" / name, capture_output=True, text=True)
    assert sums.returncode == 0, sums.stdout + sums.stderr

    wipe_every_service(clean)
    assert stored_bytes(clean) == {}

    restored = cli(clean, "backup", "restore", str(dest))
    assert restored.exit_code == 0, restored.output
    assert "Audit verify" in restored.output and "chain intact" in restored.output

    # Every stored byte is back, identical; the originals are the files uploaded.
    assert stored_bytes(clean) == before_bytes
    browser = login(admin)
    for path, document_id in ids.items():
        download = browser.get(f"/documents/{document_id}/download")
        assert download.status_code == 200 and download.data == path.read_bytes(), path.name
    # Every record is searchable again, through the same API token as before.
    for document_id, phrase in phrases.items():
        assert document_id in {h["id"] for h in uploader.search(f'"{phrase}"')["hits"]}, phrase
    assert uploader.search("hội nghị báo chí", record_type="briefing")["total"] >= 1
    # Accounts, dossier, hold and briefing with its material.
    assert archivist.get(f"/api/v1/dossiers/{dossier['id']}").get_json()["code"] == "HS-2024-01"
    holds = archivist.get("/api/v1/retention/holds").get_json()["holds"]
    assert [h["id"] for h in holds] == [hold["id"]]
    got = uploader.get(f"/api/v1/briefings/{briefing['id']}").get_json()
    assert [m["document"]["id"] for m in got["materials"]] == [ids[FILES[0]]]
    # The audit trail: every entry as it was, then the restore's own entry.
    after_chain = audit_chain(clean)
    assert after_chain[:len(before_chain)] == before_chain
    assert after_chain[len(before_chain)][1] == "backup.restore"  # then the downloads above
    assert cli(clean, "audit", "verify").exit_code == 0


def test_second_backup_copies_only_new_objects_and_verify_finds_a_changed_byte(
        clean, api, run_jobs, tmp_path):
    uploader = api("uploader")
    uploader.upload(FILES[0], category="report")
    run_jobs()
    dest = tmp_path / "backups"
    first = backup(clean, dest)
    first_manifest = json.loads((dest / "backups" / first / "manifest.json").read_text())
    inodes = {sha: (dest / "objects" / sha[:2] / sha[2:4] / sha).stat().st_ino
              for sha in first_manifest["objects"]}
    assert first_manifest["copied"]["objects"] == len(first_manifest["objects"]) >= 1

    uploader.upload(FILES[1], category="report")
    run_jobs()
    second = backup(clean, dest)
    second_manifest = json.loads((dest / "backups" / second / "manifest.json").read_text())
    new = set(second_manifest["objects"]) - set(first_manifest["objects"])
    assert new and set(first_manifest["objects"]) < set(second_manifest["objects"])
    assert second_manifest["copied"]["objects"] == len(new)
    assert second_manifest["copied"]["bytes"] == sum(second_manifest["objects"][s] for s in new)
    # The objects of the first backup were neither copied again nor rewritten.
    for sha, inode in inodes.items():
        assert (dest / "objects" / sha[:2] / sha[2:4] / sha).stat().st_ino == inode
    listed = cli(clean, "backup", "list", str(dest))
    assert first in listed.output and second in listed.output and "complete" in listed.output

    assert cli(clean, "backup", "verify", str(dest)).exit_code == 0
    victim = dest / "objects" / next(iter(new))[:2] / next(iter(new))[2:4] / next(iter(new))
    damaged = bytearray(victim.read_bytes())
    damaged[len(damaged) // 2] ^= 0x01
    victim.write_bytes(bytes(damaged))
    result = cli(clean, "backup", "verify", str(dest))
    assert result.exit_code == 1 and f"object {victim.name} is damaged" in result.output
    # The first backup does not refer to that object: on its own it still verifies.
    assert cli(clean, "backup", "verify", str(dest), "--backup", first).exit_code == 0

    manifest = dest / "backups" / first / "manifest.json"
    manifest.write_text(manifest.read_text().replace('"complete": true', '"complete": false'))
    result = cli(clean, "backup", "verify", str(dest), "--backup", first)
    assert result.exit_code == 1 and "manifest.json was changed" in result.output


def test_a_lost_object_makes_a_backup_incomplete_and_restore_takes_the_last_whole_one(
        clean, api, run_jobs, tmp_path):
    uploader = api("uploader")
    kept = uploader.upload(FILES[0], category="report").get_json()["id"]
    run_jobs()
    dest = tmp_path / "backups"
    whole = backup(clean, dest)
    lost = uploader.upload(FILES[1], category="report").get_json()["id"]
    sha = uploader.get(f"/api/v1/documents/{lost}").get_json()["files"][0]["sha256"]
    (Path(clean.config["STORAGE_DIR"]) / sha[:2] / sha[2:4] / sha).unlink()  # a failing disk

    result = cli(clean, "backup", "create", str(dest))
    assert result.exit_code == 1 and f"{sha}: missing from storage" in result.output
    assert "INCOMPLETE" in result.output and "INCOMPLETE" in cli(clean, "backup", "list",
                                                                  str(dest)).output
    checked = cli(clean, "backup", "verify", str(dest))
    assert checked.exit_code == 1 and "incomplete" in checked.output

    wipe_every_service(clean)
    restored = cli(clean, "backup", "restore", str(dest))
    assert restored.exit_code == 0 and f"Backup {whole} restored" in restored.output
    assert uploader.get(f"/api/v1/documents/{kept}").status_code == 200
    assert uploader.get(f"/api/v1/documents/{lost}").status_code == 404


def test_one_backup_at_a_time_and_an_interrupted_one_leaves_nothing_behind(
        clean, api, run_jobs, tmp_path):
    import fcntl

    api("uploader").upload(FILES[0], category="report")
    run_jobs()
    dest = tmp_path / "backups"
    first = backup(clean, dest)
    # What a backup killed half-way leaves: a half-written folder, a half-copied object.
    (dest / "backups" / ".20200101T000000Z.partial").mkdir()
    (dest / "objects" / "tmp").mkdir(exist_ok=True)
    (dest / "objects" / "tmp" / ("ab" * 32 + ".123")).write_bytes(b"half")
    with (dest / ".lock").open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # another backup is running
        busy = cli(clean, "backup", "create", str(dest))
        assert busy.exit_code != 0 and "another backup is writing" in busy.output
    second = backup(clean, dest)
    assert sorted(p.name for p in (dest / "backups").iterdir()) == [first, second]
    assert list((dest / "objects" / "tmp").iterdir()) == []
    assert cli(clean, "backup", "verify", str(dest)).exit_code == 0


def test_restore_refuses_a_database_that_is_not_empty(clean, api, run_jobs, tmp_path):
    api("uploader").upload(FILES[0], category="report")
    run_jobs()
    dest = tmp_path / "backups"
    backup(clean, dest)
    result = cli(clean, "backup", "restore", str(dest))
    assert result.exit_code != 0 and "not empty" in result.output


def test_find_object_returns_the_latest_good_copy(clean, api, run_jobs, tmp_path):
    from app.backup import find_object
    from app.extensions import db
    from app.models import DocumentFile

    api("uploader").upload(FILES[0], category="report")
    run_jobs()
    with clean.app_context():
        sha = db.session.scalars(db.select(DocumentFile.sha256)).first()
    older, newer = tmp_path / "usb", tmp_path / "nas"
    backup(clean, older)
    backup(clean, newer)
    clean.config["BACKUP_LOCATIONS"] = f"{older}:{newer}"
    try:
        with clean.app_context():
            found = find_object(sha)
            assert found.location == newer and found.open().read() == FILES[0].read_bytes()
            copy = newer / "objects" / sha[:2] / sha[2:4] / sha
            copy.write_bytes(copy.read_bytes() + b"\0")  # the newest copy rots
            found = find_object(sha)
            assert found.location == older and found.open().read() == FILES[0].read_bytes()
            (older / "objects" / sha[:2] / sha[2:4] / sha).unlink()
            assert find_object(sha) is None
            assert find_object("0" * 64) is None
    finally:
        clean.config["BACKUP_LOCATIONS"] = ""


@pytest.fixture
def second_archive(app, tmp_path):
    """Another deployment: its own empty database, storage and index prefix.

    The database is TEST_RESTORE_DATABASE_URL, or the test database's name with
    ``_restore`` (created on first use; the archive role has CREATEDB).
    """
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    from app import create_app
    from app.extensions import db
    from indexers import client
    from tests.conftest import TEST_PREFIX

    main_url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    url = make_url(os.environ.get("TEST_RESTORE_DATABASE_URL")
                   or main_url.set(database=f"{main_url.database}_restore"))
    server = create_engine(main_url, isolation_level="AUTOCOMMIT")
    with server.connect() as conn:
        if not conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"),
                           {"n": url.database}):
            conn.execute(text(f'CREATE DATABASE "{url.database}"'))
    server.dispose()
    other = create_app("testing", SQLALCHEMY_DATABASE_URI=url.render_as_string(False),
                       STORAGE_DIR=str(tmp_path / "other-storage"),
                       ES_INDEX_PREFIX=f"{TEST_PREFIX}-restore")

    def empty():
        with other.app_context():
            db.session.remove()
            with db.engine.begin() as conn:
                conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
                conn.execute(text("CREATE SCHEMA public"))
            db.engine.dispose()
            client.drop_all()

    empty()
    yield other
    empty()


def test_restore_into_another_empty_deployment_while_the_original_runs(
        clean, second_archive, api, run_jobs, tmp_path):
    uploader, archivist, approver = api("uploader"), api("archivist"), api("approver")
    kept = uploader.upload(FILES[0], category="report").get_json()["id"]
    moved = uploader.upload(FILES[1], category="directive_decision").get_json()["id"]
    run_jobs()
    proposal = archivist.post("/api/v1/retention/proposals", json={
        "action": "transfer", "document_ids": [moved], "reason": "Nộp lưu lịch sử"}).get_json()
    approver.post(f"/api/v1/retention/proposals/{proposal['id']}/decision",
                  json={"approve": True, "decision_ref": "30/QĐ-UBND"})
    package_url = f"/retention/proposals/{proposal['id']}/package"
    package = archivist.client.get(package_url, headers=archivist.headers)
    assert package.status_code == 200
    dest = tmp_path / "backups"
    backup(clean, dest)

    result = cli(second_archive, "backup", "restore", str(dest))
    assert result.exit_code == 0, result.output
    assert stored_bytes(second_archive) == stored_bytes(clean)
    # The transfer package (a BagIt ZIP in the store) comes back byte for byte.
    other = second_archive.test_client()
    copy = other.get(package_url, headers=archivist.headers)
    assert copy.status_code == 200 and copy.data == package.data
    # The other deployment answers the same token with the same records.
    found = other.get("/api/v1/search", query_string={"q": "Cao Bằng"},
                      headers=uploader.headers).get_json()
    assert kept in {h["id"] for h in found["hits"]}
    state = other.get(f"/api/v1/documents/{moved}", headers=uploader.headers).get_json()
    assert state["disposition"] == "transferred"
    # The original is untouched.
    assert uploader.get(f"/api/v1/documents/{kept}").status_code == 200


def test_fixity_repair_takes_the_latest_good_copy_from_the_backups(clean, api, run_jobs,
                                                                    tmp_path):
    from app.extensions import db
    from app.models import DocumentFile

    uploader = api("uploader")
    document_id = uploader.upload(FILES[0], category="report").get_json()["id"]
    run_jobs()
    with clean.app_context():
        sha = db.session.scalars(db.select(DocumentFile.sha256)).first()
    older, newer = tmp_path / "usb", tmp_path / "nas"
    backup(clean, older)
    backup(clean, newer)
    stored = Path(clean.config["STORAGE_DIR"]) / sha[:2] / sha[2:4] / sha
    stored.write_bytes(stored.read_bytes().replace("Cao Bằng".encode(), "Cao Bang".encode()))
    newest_copy = newer / "objects" / sha[:2] / sha[2:4] / sha
    newest_copy.write_bytes(newest_copy.read_bytes()[:-1])  # the newest backup rotted too
    checked = cli(clean, "storage", "verify")
    assert checked.exit_code == 1 and f"altered  {sha}" in checked.output

    repaired = cli(clean, "backup", "repair", "--location", str(older), "--location", str(newer))
    assert repaired.exit_code == 0 and "Repaired 1" in repaired.output, repaired.output
    assert stored.read_bytes() == FILES[0].read_bytes()
    assert cli(clean, "storage", "verify").exit_code == 0
    download = uploader.client.get(f"/documents/{document_id}/download",
                                   headers=uploader.headers)
    assert download.status_code == 200 and download.data == FILES[0].read_bytes()


def test_sqlite_archive_backs_up_with_the_backup_api_and_restores_into_a_new_file(
        app, tmp_path):
    """``make run``'s SQLite database: copied by sqlite3's backup API, restored by it."""
    from flask_migrate import upgrade

    from app import create_app
    from app.services.accounts import create_user, issue_token
    from indexers import client
    from tests.conftest import PASSWORD, TEST_PREFIX

    def sqlite_app(name: str):
        return create_app("testing", SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / name}.db",
                          STORAGE_DIR=str(tmp_path / f"{name}-storage"),
                          ES_INDEX_PREFIX=f"{TEST_PREFIX}-{name}", RQ_QUEUE=f"sqlite-{name}")

    first, second = sqlite_app("first"), sqlite_app("second")
    try:
        with first.app_context():
            upgrade()
            client.ensure_index()
            create_user("lan", PASSWORD, role="uploader")
            token = issue_token("lan")
        headers = {"Authorization": f"Bearer {token}"}
        with FILES[0].open("rb") as fh:
            uploaded = first.test_client().post(
                "/api/v1/documents", headers=headers, content_type="multipart/form-data",
                data={"file": (fh, FILES[0].name), "title": "Kế hoạch tuyên truyền Cao Bằng"})
        assert uploaded.status_code == 202, uploaded.get_json()
        dest = tmp_path / "backups"
        name = backup(first, dest)
        body = json.loads((dest / "backups" / name / "manifest.json").read_text())
        assert body["database"]["engine"] == "sqlite" and body["counts"]["documents"] == 1
        assert cli(first, "backup", "verify", str(dest)).exit_code == 0

        result = cli(second, "backup", "restore", str(dest))
        assert result.exit_code == 0 and "chain intact" in result.output, result.output
        assert stored_bytes(second) == stored_bytes(first)
        other = second.test_client()
        document = other.get(f"/api/v1/documents/{uploaded.get_json()['id']}",
                             headers=headers).get_json()
        assert document["files"][0]["sha256"] == hashlib.sha256(FILES[0].read_bytes()).hexdigest()
        found = other.get("/api/v1/search", query_string={"q": "tuyên truyền Cao Bằng"},
                          headers=headers).get_json()
        assert [h["id"] for h in found["hits"]] == [document["id"]]
    finally:
        for each in (first, second):
            with each.app_context():
                client.drop_all()


def test_backup_and_restore_through_either_storage_backend(clean, backend, api, run_jobs,
                                                           login, make_user, tmp_path):
    """The same backup and restore on the local folder and on S3, seen through the store."""
    from tests.conftest import wipe
    from tests.integration.storage_probe import Probe

    uploader = api("uploader")
    ids = [uploader.upload(path, category="report").get_json()["id"] for path in FILES[:3]]
    run_jobs()
    probe = Probe(backend)
    before = {name: probe.read(name) for name in probe.names()}
    assert len(before) >= 3
    dest = tmp_path / "backups"
    name = backup(clean, dest)
    held = json.loads((dest / "backups" / name / "manifest.json").read_text())["objects"]
    assert set(held) == set(before)

    wipe_every_service(clean)
    wipe(backend)
    assert probe.names() == set()
    restored = cli(clean, "backup", "restore", str(dest))
    assert restored.exit_code == 0 and "chain intact" in restored.output, restored.output
    assert {n: probe.read(n) for n in probe.names()} == before
    browser = login(make_user("admin", username="quantri"))
    for path, document_id in zip(FILES[:3], ids):
        assert browser.get(f"/documents/{document_id}/download").data == path.read_bytes()
