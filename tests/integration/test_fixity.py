"""Fixity on both backends: a flipped byte and a deleted file are found, raised and repaired.

The damage is done behind the archive's back (a file written on disk, or a boto3
client of the test's own overwriting or deleting the object); the archive finds
it by re-hashing, says so on the admin page, in the audit trail and in /healthz,
refuses to hand out the altered bytes, and puts the right ones back from a
folder of hash-named objects (the hook the backups will use).
"""
from __future__ import annotations

import hashlib
import time
from pathlib import Path

from sqlalchemy import select

from tests.integration.listing_factories import insert_documents
from tests.integration.storage_probe import Probe, flip_a_byte
from tests.integration.test_web_pages import csrf


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def trail(app, action: str) -> list[tuple[str, str, dict]]:
    from app.extensions import db
    from app.models import AuditEvent

    with app.app_context():
        return [(e.object_type, e.object_id, e.details) for e in db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.seq))]


def upload_texts(api, tmp_path: Path, count: int) -> list[tuple[int, bytes]]:
    uploader = api("uploader")
    out = []
    for n in range(count):
        path = tmp_path / f"bien-ban-{n}.txt"
        path.write_text(f"Biên bản hội nghị cung cấp thông tin cho báo chí số {n}.",
                        encoding="utf-8")
        response = uploader.upload(path, title=f"Biên bản hội nghị số {n}")
        assert response.status_code == 202
        out.append((response.get_json()["id"], path.read_bytes()))
    return out


def test_a_flipped_byte_and_a_missing_file_are_found_raised_and_repaired(
        backend, app, api, login, make_user, tmp_path):
    probe = Probe(backend)
    (altered_id, altered), (missing_id, missing), (kept_id, kept) = upload_texts(api, tmp_path, 3)
    probe.replace(sha(altered), flip_a_byte(altered))  # same size, one bit different
    probe.remove(sha(missing))

    runner = app.test_cli_runner()
    result = runner.invoke(args=["storage", "verify"])
    assert result.exit_code == 1, result.output
    assert "3 objects" in result.output and "1 ok, 1 missing, 1 altered" in result.output
    assert f"altered  {sha(altered)}" in result.output
    assert f"missing  {sha(missing)}" in result.output
    info = runner.invoke(args=["storage", "info"]).output
    assert f"kind={backend.kind}" in info and "missing 1, altered 1" in info

    checks = api("viewer").client.get("/healthz").get_json()["checks"]["storage"]
    assert checks["status"] == "up"
    assert (checks["fixity"]["missing"], checks["fixity"]["altered"]) == (1, 1)

    failed = trail(app, "fixity.failed")
    assert {(t, i, d["fixity_status"]) for t, i, d in failed} == {
        ("document", str(altered_id), "altered"), ("document", str(missing_id), "missing")}
    assert next(d for _t, i, d in failed if i == str(altered_id))["observed_sha256"] == sha(
        flip_a_byte(altered))

    admin = login(make_user("admin"))
    page = admin.get("/admin/storage").get_data(as_text=True)
    assert "Tệp bị thay đổi" in page and "Mất tệp" in page
    assert "Biên bản hội nghị số 0" in page and "Biên bản hội nghị số 1" in page
    assert "Biên bản hội nghị số 2" not in page  # intact: not listed
    audit_page = admin.get("/audit/").get_data(as_text=True)
    assert "Phát hiện tệp lưu trữ bị mất hoặc bị thay đổi" in audit_page
    assert "nội dung tệp đã bị thay đổi" in audit_page
    assert admin.get("/admin/storage", follow_redirects=False).status_code == 200
    assert login(make_user("archivist")).get("/admin/storage").status_code == 403

    reader = api("uploader")
    refused = reader.get(f"/documents/{altered_id}/download")
    assert refused.status_code == 409
    assert "không còn khớp với tệp đã được lưu trữ" in refused.get_data(as_text=True)
    assert reader.get(f"/documents/{missing_id}/download").status_code == 404
    assert reader.get(f"/documents/{kept_id}/download").data == kept

    # The backup hook: a folder of hash-named objects. The one copy is right, the other
    # is not what was archived either, so it is refused.
    backup = tmp_path / "backup"
    (backup / sha(altered)[:2] / sha(altered)[2:4]).mkdir(parents=True)
    (backup / sha(altered)[:2] / sha(altered)[2:4] / sha(altered)).write_bytes(altered)
    (backup / sha(missing)).write_bytes(b"not the archived bytes")
    result = runner.invoke(args=["storage", "repair", "--from", str(backup)])
    assert result.exit_code == 1 and "Repaired 1" in result.output, result.output
    assert "wrong in the backup too 1" in result.output
    assert reader.get(f"/documents/{altered_id}/download").data == altered
    assert probe.read(sha(altered)) == altered
    assert [(t, i) for t, i, _d in trail(app, "fixity.repaired")] == [("document",
                                                                       str(altered_id))]

    # The page's button uses the backup folder set in FIXITY_REPAIR_DIR.
    assert "Chưa cấu hình bản sao lưu nào để khôi phục tệp." in admin.get(
        "/admin/storage").get_data(as_text=True)
    app.config["FIXITY_REPAIR_DIR"] = str(backup)
    try:
        token = csrf(admin.get("/admin/storage").get_data(as_text=True))
        answer = admin.post(f"/admin/storage/{sha(missing)}/repair",
                            data={"csrf_token": token}, follow_redirects=True)
        assert "Bản sao lưu của tệp này cũng không đúng" in answer.get_data(as_text=True)
    finally:
        app.config["FIXITY_REPAIR_DIR"] = ""

    # Someone puts the missing file back; "check again" on the admin page finds it intact.
    if backend.kind == "s3":
        probe.client.put_object(Bucket=probe.bucket, Key=probe.key(sha(missing)), Body=missing)
    else:
        probe.path(sha(missing)).write_bytes(missing)
    token = csrf(admin.get("/admin/storage").get_data(as_text=True))
    answer = admin.post(f"/admin/storage/{sha(missing)}/check", data={"csrf_token": token},
                        follow_redirects=True)
    assert "Đã kiểm tra lại: Tệp nguyên vẹn." in answer.get_data(as_text=True)
    assert "Chưa phát hiện tệp nào bị mất hoặc bị thay đổi." in answer.get_data(as_text=True)
    assert [i for _t, i, _d in trail(app, "fixity.recovered")] == [str(missing_id)]
    health = api("viewer").client.get("/healthz").get_json()["checks"]["storage"]["fixity"]
    assert (health["missing"], health["altered"], health["ok"]) == (0, 0, 3)


def test_an_altered_object_is_refused_at_download_before_any_check(backend, app, api, tmp_path):
    """A file whose size no longer matches is caught by the download itself."""
    probe = Probe(backend)
    [(doc_id, data)] = upload_texts(api, tmp_path, 1)
    probe.replace(sha(data), data + b" (appended)")
    reader = api("viewer")
    assert reader.get(f"/documents/{doc_id}/download").status_code == 409
    assert [(t, i, d["fixity_status"]) for t, i, d in trail(app, "fixity.failed")] == [
        ("document", str(doc_id), "altered")]


def test_slices_cover_every_object_within_the_period(app, ctx):
    from app.extensions import db
    from app.models.fixity import FixityRecord
    from app.services import fixity

    def checked(times: int) -> set[str]:
        return set(db.session.scalars(select(FixityRecord.sha256)
                                      .where(FixityRecord.checks == times)))

    # 4 slices per period: each takes its share plus 20 % (3 of 10), so the fourth
    # run has checked all 10.
    app.config.update(FIXITY_PERIOD_DAYS=1, FIXITY_INTERVAL_SECONDS=6 * 3600)
    try:
        insert_documents(app, [{} for _ in range(10)], store_files=True)
        sizes = [fixity.run_slice().checked]
        first = checked(1)
        sizes += [fixity.run_slice().checked for _run in range(3)]
        assert sizes == [3, 3, 3, 3]
        assert fixity.summary()["pending"] == 0 and fixity.summary()["ok"] == 10
        # The fourth run's spare budget went to the least recently checked: the first's.
        assert len(checked(2)) == 2 and checked(2) <= first
    finally:
        app.config.update(FIXITY_PERIOD_DAYS=30, FIXITY_INTERVAL_SECONDS=3600)


def test_the_rate_limit_holds_reads_to_the_configured_speed(app, ctx):
    import io

    from app import storage
    from app.extensions import db
    from app.models import Document, DocumentFile
    from app.services import fixity

    for n in range(2):
        blob = storage.save(io.BytesIO(bytes([n]) * (1024 * 1024)), 1 << 30)
        document = Document(title=f"Bản ghi âm {n}", category="other", secrecy="thuong")
        document.files.append(DocumentFile(original_filename=f"{n}.mp3", sha256=blob.sha256,
                                           size=blob.size, media_type="audio/mpeg"))
        db.session.add(document)
    db.session.commit()
    started = time.monotonic()
    report = fixity.verify_all(mb_per_s=1)  # 2 MB at 1 MB/s
    assert report.checked == 2 and report.ok == 2
    assert time.monotonic() - started >= 1.8 and report.mb_per_s <= 1.1
    started = time.monotonic()
    assert fixity.verify_all(mb_per_s=0).ok == 2
    assert time.monotonic() - started < 1.0
