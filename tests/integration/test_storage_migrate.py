"""``flask storage migrate --to URL``: an archive moves between backends, verified, resumable."""
from __future__ import annotations

import base64
import hashlib

import pytest

from tests.conftest import S3_KEYS, SAMPLES, s3_run_url, wipe
from tests.integration.storage_probe import Probe, flip_a_byte


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@pytest.fixture
def s3_keys(app, monkeypatch):
    for name, value in S3_KEYS.items():
        monkeypatch.setitem(app.config, name, value)


def test_local_archive_moves_to_s3_and_an_interrupted_run_continues(
        app, api, run_jobs, s3_store, s3_keys):
    from app import storage
    from app.services.storage_migration import migrate, plan
    from app.storage import EXTENSION

    wipe(s3_store)
    uploader = api("uploader")
    files = [SAMPLES / "text_vi.pdf", SAMPLES / "table_header_footer.docx",
             SAMPLES / "vi_utf8.txt"]
    ids = [uploader.upload(path).get_json()["id"] for path in files]
    run_jobs()  # thumbnails and a PDF rendition join the originals in the store
    with app.app_context():
        names = sorted(storage.iter_hashes())
    assert len(names) >= 6

    class Interrupted(Exception):
        pass

    def stop_after_two(_sha, _size, seen=[]):  # noqa: B006 - a counter for this call
        seen.append(_sha)
        if len(seen) == 2:
            raise Interrupted  # as Ctrl-C or a killed process would, between objects

    with app.app_context(), pytest.raises(Interrupted):
        migrate(s3_store, plan(s3_store), progress=stop_after_two)
    probe = Probe(s3_store)
    assert len(probe.names()) == 2

    result = app.test_cli_runner().invoke(args=["storage", "migrate", "--to", s3_run_url()])
    assert result.exit_code == 0, result.output
    assert f"Copied {len(names) - 2} " in result.output and "already there 2" in result.output
    assert probe.names() == set(names)
    for name in names:  # each object verified by the store against its SHA-256
        checksum = probe.head(name)["ChecksumSHA256"]
        assert checksum == base64.b64encode(bytes.fromhex(name)).decode()

    # Run again: nothing left to copy.
    again = app.test_cli_runner().invoke(args=["storage", "migrate", "--to", s3_run_url()])
    assert again.exit_code == 0 and f"Copied 0 " in again.output

    # The archive now works from S3: downloads, thumbnails, a full fixity pass.
    local = app.extensions[EXTENSION]
    app.extensions[EXTENSION] = s3_store
    try:
        for doc_id, path in zip(ids, files):
            assert uploader.get(f"/documents/{doc_id}/download").data == path.read_bytes()
        doc = uploader.get(f"/api/v1/documents/{ids[1]}").get_json()
        assert uploader.get(doc["thumbnail_url"]).data.startswith(b"\x89PNG")
        assert uploader.get(doc["preview_url"]).data.startswith(b"%PDF")
        verify = app.test_cli_runner().invoke(args=["storage", "verify"])
        assert verify.exit_code == 0 and "0 missing, 0 altered" in verify.output
    finally:
        app.extensions[EXTENSION] = local


def test_a_damaged_object_is_not_carried_over(app, api, s3_store, backend, tmp_path,
                                               s3_keys):
    """Either way (here S3 or local folder -> another local folder): bytes that no
    longer hash to their name stay behind and are reported; the rest is copied."""
    from app.storage import from_url

    uploader = api("uploader")
    good, bad = SAMPLES / "vi_utf8.txt", SAMPLES / "text_vi.pdf"
    for path in (good, bad):
        assert uploader.upload(path).status_code == 202
    Probe(backend).replace(sha(bad.read_bytes()), flip_a_byte(bad.read_bytes()))

    target_url = f"file://{tmp_path / 'moved'}"
    result = app.test_cli_runner().invoke(args=["storage", "migrate", "--to", target_url])
    assert result.exit_code == 1, result.output
    assert f"damaged (not copied): {sha(bad.read_bytes())}" in result.output
    target = from_url(target_url, app.config)
    assert set(target.iter_hashes()) == {sha(good.read_bytes())}
    assert (tmp_path / "moved" / sha(good.read_bytes())[:2]).is_dir()  # the usual layout
