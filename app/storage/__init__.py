"""Where the archive keeps bytes: originals, OCR PDFs, previews, transfer packages, exports.

One backend per app, chosen by ``STORAGE_URL`` when the app is created:

- unset, empty or ``file:///path``: the local content-addressed folder
  (``STORAGE_DIR`` when unset), the layout the archive always had;
- ``s3://bucket[/prefix]?endpoint=http://127.0.0.1:9000&region=us-east-1``: any
  S3-compatible store (keys from ``STORAGE_S3_KEY``/``STORAGE_S3_SECRET`` or the
  usual ``AWS_ACCESS_KEY_ID``/``AWS_SECRET_ACCESS_KEY``). Optional parameters:
  ``addressing=path|virtual``, ``public_endpoint=`` (the host in presigned URLs).

Services call the functions below; only the backends touch paths or boto3.
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from typing import BinaryIO
from urllib.parse import parse_qs, unquote, urlsplit

from flask import Flask, current_app

from app.storage.base import (CHUNK, ObjectAltered, ObjectInfo, ObjectMissing, RateLimit, Spool,
                              Storage, StorageUnavailable, StoredBlob, is_name, read_limited)
from app.storage.local import LocalStorage

__all__ = ["CHUNK", "ObjectAltered", "ObjectInfo", "ObjectMissing", "RateLimit", "Spool",
           "Storage", "StorageUnavailable", "StoredBlob", "backend", "delete", "exists",
           "from_url", "init_app", "is_name", "local_copy", "open", "read_limited",
           "receive", "commit", "save", "stat"]

EXTENSION = "archive_storage"


def from_url(url: str | None, config: dict) -> Storage:
    """The backend a ``STORAGE_URL`` names (see the module docstring)."""
    if not url:
        return LocalStorage(config["STORAGE_DIR"])
    parts = urlsplit(url)
    if parts.scheme == "file":
        return LocalStorage(unquote(parts.path))
    if parts.scheme == "s3":
        from app.storage.s3 import S3Storage

        query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        if not parts.netloc:
            raise ValueError("STORAGE_URL: s3://<bucket>[/prefix]?endpoint=… needs a bucket")
        endpoint = query.get("endpoint")
        return S3Storage(
            parts.netloc, endpoint=endpoint, region=query.get("region", "us-east-1"),
            prefix=unquote(parts.path), access_key=config.get("STORAGE_S3_KEY"),
            secret_key=config.get("STORAGE_S3_SECRET"),
            addressing=query.get("addressing", "path" if endpoint else "auto"),
            public_endpoint=query.get("public_endpoint"),
            multipart_mb=int(config.get("STORAGE_S3_MULTIPART_MB", 16)),
            presign_seconds=int(config.get("STORAGE_PRESIGN_SECONDS", 60)),
            spool_dir=config.get("STORAGE_SPOOL_DIR") or None)
    raise ValueError(f"STORAGE_URL: unknown scheme {parts.scheme!r} (file:// or s3://)")


def init_app(app: Flask) -> None:
    app.extensions[EXTENSION] = from_url(app.config.get("STORAGE_URL"), app.config)


def backend() -> Storage:
    return current_app.extensions[EXTENSION]


def save(stream: BinaryIO, max_bytes: int) -> StoredBlob:
    return backend().save(stream, max_bytes)


def receive(stream: BinaryIO, max_bytes: int) -> AbstractContextManager[Spool]:
    return backend().receive(stream, max_bytes)


def commit(spool: Spool) -> StoredBlob:
    return backend().commit_spool(spool)


def open(sha256: str) -> BinaryIO:  # noqa: A001 - the storage API's verb
    return backend().open(sha256)


def stat(sha256: str) -> ObjectInfo | None:
    return backend().stat(sha256)


def exists(sha256: str) -> bool:
    return backend().exists(sha256)


def delete(sha256: str) -> None:
    backend().delete(sha256)


def local_copy(sha256: str) -> AbstractContextManager[Path]:
    return backend().local_copy(sha256)


def iter_hashes() -> Iterator[str]:
    return backend().iter_hashes()
