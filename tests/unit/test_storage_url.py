"""STORAGE_URL chooses the backend; the local folder keeps the archive's old layout."""
from __future__ import annotations

import hashlib
import io

import pytest

from app.storage import from_url
from app.storage.local import LocalStorage
from app.storage.s3 import S3Storage


def test_unset_or_file_urls_are_the_local_folder(tmp_path):
    config = {"STORAGE_DIR": str(tmp_path / "storage")}
    assert isinstance(from_url("", config), LocalStorage)
    assert from_url(None, config).root == tmp_path / "storage"
    assert from_url(f"file://{tmp_path}/kho%20tep", config).root == tmp_path / "kho tep"


def test_s3_urls_name_bucket_prefix_endpoint_and_region():
    store = from_url("s3://luu-tru/tinh-a?endpoint=http://127.0.0.1:9000&region=ap-southeast-1"
                     "&public_endpoint=https://files.example.vn",
                     {"STORAGE_S3_KEY": "khoa-truy-cap", "STORAGE_S3_SECRET": "bi-mat-123",
                      "STORAGE_S3_MULTIPART_MB": 8})
    assert isinstance(store, S3Storage)
    assert (store.bucket, store.prefix, store.endpoint, store.region) == (
        "luu-tru", "tinh-a/", "http://127.0.0.1:9000", "ap-southeast-1")
    assert store.addressing == "path" and store.public_endpoint == "https://files.example.vn"
    assert store.part_size == 8 * 1024 * 1024
    sha = "ab" + "0" * 62
    assert store.key_for(sha) == f"tinh-a/objects/ab/00/{sha}"
    described = str(store.describe())  # shown on the admin page and by the CLI
    assert "bi-mat-123" not in described and "khoa-truy-cap" not in described
    assert from_url("s3://b", {}).prefix == ""


@pytest.mark.parametrize("url", ["s3://?endpoint=http://x", "ftp://host/path"])
def test_other_urls_are_refused(url):
    with pytest.raises(ValueError):
        from_url(url, {"STORAGE_DIR": "/tmp/x"})


def test_local_layout_is_byte_for_byte_what_it_was(tmp_path):
    """ab/cd/<sha256>, written through a spool file in tmp/ that does not stay."""
    store = LocalStorage(tmp_path)
    data = "Kế hoạch 5547/KH-UBND".encode()
    digest = hashlib.sha256(data).hexdigest()
    blob = store.save(io.BytesIO(data), 1 << 20)
    assert (blob.sha256, blob.size, blob.created) == (digest, len(data), True)
    assert (tmp_path / digest[:2] / digest[2:4] / digest).read_bytes() == data
    assert list((tmp_path / "tmp").iterdir()) == []
    assert store.save(io.BytesIO(data), 1 << 20).created is False
    assert list(store.iter_hashes()) == [digest]
    with pytest.raises(ValueError):
        store.open("../../etc/passwd")
