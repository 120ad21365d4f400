"""Any S3-compatible object store, through boto3: keys ``[<prefix>/]objects/ab/cd/<sha256>``.

Every write sends the SHA-256 so the store verifies it: a single PUT carries
``ChecksumSHA256`` (the store refuses bytes that do not match, ``BadDigest``);
a multipart upload sends a SHA-256 per part and the composite checksum the
store reports afterwards is compared with the one computed from the spool file.
Only then is the upload acknowledged. Reads stream with ranged GETs, so a
download never holds a whole file in memory.
"""
from __future__ import annotations

import base64
import hashlib
import io
import logging
import os
import threading
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import BinaryIO
from urllib.parse import quote

import boto3
from boto3.s3.transfer import TransferConfig
from botocore.config import Config
from botocore.exceptions import ClientError
from s3transfer.utils import ChunksizeAdjuster

from app.storage.base import (ObjectInfo, ObjectMissing, Spool, Storage, StorageUnavailable,
                              check_name, is_name)
from app.storage.s3_reader import FAILURES as _FAILURES
from app.storage.s3_reader import ObjectReader
from app.storage.s3_reader import missing as _missing

log = logging.getLogger(__name__)


def _b64(hex_digest: str) -> str:
    return base64.b64encode(bytes.fromhex(hex_digest)).decode()


class S3Storage(Storage):
    kind = "s3"

    def __init__(self, bucket: str, *, endpoint: str | None = None, region: str = "us-east-1",
                 prefix: str = "", access_key: str | None = None, secret_key: str | None = None,
                 addressing: str = "path", public_endpoint: str | None = None,
                 multipart_mb: int = 16, presign_seconds: int = 60,
                 spool_dir: str | None = None) -> None:
        self.bucket, self.endpoint, self.region = bucket, endpoint, region
        self.prefix = prefix.strip("/") + "/" if prefix.strip("/") else ""
        self._credentials = (access_key, secret_key)
        self.addressing, self.public_endpoint = addressing, public_endpoint
        self.part_size = max(5, multipart_mb) * 1024 * 1024
        self.transfer = TransferConfig(multipart_threshold=self.part_size,
                                       multipart_chunksize=self.part_size, max_concurrency=4)
        self.presign_seconds = presign_seconds
        self._spool_dir = Path(spool_dir) if spool_dir else None
        self._clients: dict[tuple[int, str | None], object] = {}
        self._lock = threading.Lock()

    # ---------------------------------------------------------------- clients

    def client(self, endpoint: str | None = None):
        """One client per process (RQ forks work horses) and endpoint."""
        key = (os.getpid(), endpoint or self.endpoint)
        with self._lock:
            if key not in self._clients:
                access, secret = self._credentials
                self._clients[key] = boto3.session.Session().client(
                    "s3", endpoint_url=key[1], region_name=self.region,
                    aws_access_key_id=access or None, aws_secret_access_key=secret or None,
                    config=Config(signature_version="s3v4", connect_timeout=3, read_timeout=30,
                                  retries={"max_attempts": 2, "mode": "standard"},
                                  s3={"addressing_style": self.addressing},
                                  # We send and check SHA-256 ourselves, on every write.
                                  request_checksum_calculation="when_required",
                                  response_checksum_validation="when_required"))
            return self._clients[key]

    def key_for(self, sha256: str) -> str:
        check_name(sha256)
        return f"{self.prefix}objects/{sha256[:2]}/{sha256[2:4]}/{sha256}"

    def spool_dir(self) -> Path:
        return self._spool_dir or super().spool_dir()

    # ---------------------------------------------------------------- writing

    def _put(self, spool: Spool, replace: bool) -> bool:
        try:
            before = self.stat(spool.sha256)
        except StorageUnavailable as exc:
            raise StorageUnavailable() from exc.__cause__  # a write: "nothing was saved"
        if before is not None and not replace and before.size == spool.size \
                and before.verified_sha256 == spool.sha256:
            return False
        key = self.key_for(spool.sha256)
        try:
            if spool.size < self.part_size:
                confirmed = self._put_single(spool, key)
            else:
                confirmed = self._put_multipart(spool, key)
        except _FAILURES as exc:
            log.warning("object store refused or missed a write: %s", exc)
            raise StorageUnavailable() from exc
        if not confirmed:
            self._forget(key)
            log.warning("object store did not confirm the SHA-256 of %s", key)
            raise StorageUnavailable()
        return before is None

    def _put_single(self, spool: Spool, key: str) -> bool:
        expected = _b64(spool.sha256)
        with spool.path.open("rb") as body:
            answer = self.client().put_object(
                Bucket=self.bucket, Key=key, Body=body, ContentLength=spool.size,
                ContentType="application/octet-stream", ChecksumSHA256=expected,
                Metadata={"sha256": spool.sha256})
        return answer.get("ChecksumSHA256") == expected or self._stored_matches(key, spool)

    def _put_multipart(self, spool: Spool, key: str) -> bool:
        self.client().upload_file(str(spool.path), self.bucket, key, Config=self.transfer,
                                  ExtraArgs={"ChecksumAlgorithm": "SHA256",
                                             "ContentType": "application/octet-stream",
                                             "Metadata": {"sha256": spool.sha256}})
        return self._stored_matches(key, spool)

    def _stored_matches(self, key: str, spool: Spool) -> bool:
        head = self.client().head_object(Bucket=self.bucket, Key=key, ChecksumMode="ENABLED")
        reported = head.get("ChecksumSHA256") or ""
        return head["ContentLength"] == spool.size and reported in (
            _b64(spool.sha256), self._composite(spool))

    def _composite(self, spool: Spool) -> str:
        """The checksum of part checksums a store reports for a multipart SHA-256 upload."""
        part = ChunksizeAdjuster().adjust_chunksize(self.part_size, spool.size)
        digests, count = hashlib.sha256(), 0
        with spool.path.open("rb") as source:
            while chunk := source.read(part):
                digests.update(hashlib.sha256(chunk).digest())
                count += 1
        return f"{base64.b64encode(digests.digest()).decode()}-{count}"

    def _forget(self, key: str) -> None:
        try:
            self.client().delete_object(Bucket=self.bucket, Key=key)
        except _FAILURES:
            log.warning("could not remove unconfirmed object %s", key)

    # ---------------------------------------------------------------- reading

    def stat(self, sha256: str) -> ObjectInfo | None:
        try:
            head = self.client().head_object(Bucket=self.bucket, Key=self.key_for(sha256),
                                              ChecksumMode="ENABLED")
        except _FAILURES as exc:
            if _missing(exc):
                return None
            raise StorageUnavailable(reading=True) from exc
        return ObjectInfo(sha256, head["ContentLength"], self._vouched(head),
                          head.get("LastModified"))

    @staticmethod
    def _vouched(head: dict) -> str | None:
        """The SHA-256 the store checked at write time: its full-object checksum, or,
        after a verified multipart upload (composite checksum), the digest we stored."""
        checksum = head.get("ChecksumSHA256")
        if not checksum:
            return None
        if "-" not in checksum:
            return base64.b64decode(checksum).hex()
        return (head.get("Metadata") or {}).get("sha256")

    def open(self, sha256: str) -> BinaryIO:
        info = self.stat(sha256)
        if info is None:
            raise ObjectMissing()
        return io.BufferedReader(ObjectReader(self, self.key_for(sha256), info.size),
                                 buffer_size=256 * 1024)

    def presigned_url(self, sha256: str, filename: str, media_type: str,
                      attachment: bool = True) -> str | None:
        disposition = "attachment" if attachment else "inline"
        params = {"Bucket": self.bucket, "Key": self.key_for(sha256),
                  "ResponseContentType": media_type,
                  "ResponseContentDisposition":
                      f"{disposition}; filename*=UTF-8''{quote(filename, safe='')}"}
        client = self.client(self.public_endpoint) if self.public_endpoint else self.client()
        return client.generate_presigned_url("get_object", Params=params,
                                             ExpiresIn=self.presign_seconds)

    # ---------------------------------------------------------------- housekeeping

    def delete(self, sha256: str) -> None:
        try:
            self.client().delete_object(Bucket=self.bucket, Key=self.key_for(sha256))
        except _FAILURES as exc:
            if not _missing(exc):
                raise StorageUnavailable() from exc

    def iter_hashes(self) -> Iterator[str]:
        pages = self.client().get_paginator("list_objects_v2").paginate(
            Bucket=self.bucket, Prefix=f"{self.prefix}objects/")
        try:
            for page in pages:
                for item in page.get("Contents", []):
                    name = item["Key"].rsplit("/", 1)[-1]
                    if is_name(name) and item["Key"] == self.key_for(name):
                        yield name
        except _FAILURES as exc:
            raise StorageUnavailable(reading=True) from exc

    def abort_stale_uploads(self, older_than: timedelta = timedelta(days=1)) -> int:
        """Abort multipart uploads a crash or an outage left behind (they hold space)."""
        cutoff = datetime.now(timezone.utc) - older_than
        aborted = 0
        answer = self.client().list_multipart_uploads(Bucket=self.bucket,
                                                      Prefix=f"{self.prefix}objects/")
        for upload in answer.get("Uploads", []):
            if upload["Initiated"] < cutoff:
                self.client().abort_multipart_upload(Bucket=self.bucket, Key=upload["Key"],
                                                     UploadId=upload["UploadId"])
                aborted += 1
        return aborted

    def check(self) -> None:
        try:
            self.client().head_bucket(Bucket=self.bucket)
        except _FAILURES as exc:
            raise StorageUnavailable(reading=True) from exc

    def prepare(self) -> None:
        try:
            self.client().head_bucket(Bucket=self.bucket)
            return
        except ClientError as exc:
            if not _missing(exc):
                raise
        extra = ({} if self.region == "us-east-1" else
                 {"CreateBucketConfiguration": {"LocationConstraint": self.region}})
        self.client().create_bucket(Bucket=self.bucket, **extra)

    def describe(self) -> dict:
        return {"kind": self.kind, "location": f"s3://{self.bucket}/{self.prefix}",
                "endpoint": self.endpoint or "AWS"}
