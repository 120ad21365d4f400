"""Looking at a backend behind the archive's back: files on disk, or a boto3 client of
the test's own (not the app's), to see and damage what the archive stored."""
from __future__ import annotations

from pathlib import Path

import boto3
from botocore.config import Config

from tests.conftest import S3_KEYS


class Probe:
    def __init__(self, store):
        self.store = store
        self.kind = store.kind
        if self.kind == "s3":
            self.client = boto3.client(
                "s3", endpoint_url=store.endpoint, region_name=store.region,
                aws_access_key_id=S3_KEYS["STORAGE_S3_KEY"],
                aws_secret_access_key=S3_KEYS["STORAGE_S3_SECRET"],
                config=Config(s3={"addressing_style": "path"}, signature_version="s3v4"))
            self.bucket, self.prefix = store.bucket, store.prefix

    def key(self, sha: str) -> str:
        return f"{self.prefix}objects/{sha[:2]}/{sha[2:4]}/{sha}"

    def path(self, sha: str) -> Path:
        return Path(self.store.root) / sha[:2] / sha[2:4] / sha

    def names(self) -> set[str]:
        if self.kind == "s3":
            pages = self.client.get_paginator("list_objects_v2").paginate(
                Bucket=self.bucket, Prefix=self.prefix)
            return {o["Key"].rsplit("/", 1)[-1] for p in pages for o in p.get("Contents", [])}
        root = Path(self.store.root)
        return {p.name for p in root.glob("??/??/*") if p.is_file()}

    def read(self, sha: str) -> bytes:
        if self.kind == "s3":
            return self.client.get_object(Bucket=self.bucket, Key=self.key(sha))["Body"].read()
        return self.path(sha).read_bytes()

    def head(self, sha: str) -> dict:
        return self.client.head_object(Bucket=self.bucket, Key=self.key(sha),
                                       ChecksumMode="ENABLED")

    def replace(self, sha: str, data: bytes) -> None:
        """Overwrite the object with other bytes (as a faulty disk or a person would)."""
        if self.kind == "s3":
            self.client.put_object(Bucket=self.bucket, Key=self.key(sha), Body=data)
        else:
            self.path(sha).write_bytes(data)

    def remove(self, sha: str) -> None:
        if self.kind == "s3":
            self.client.delete_object(Bucket=self.bucket, Key=self.key(sha))
        else:
            self.path(sha).unlink()

    def pending_uploads(self) -> list:
        return self.client.list_multipart_uploads(Bucket=self.bucket,
                                                  Prefix=self.prefix).get("Uploads", [])


def flip_a_byte(data: bytes, at: int = 10) -> bytes:
    return data[:at] + bytes([data[at] ^ 0x01]) + data[at + 1:]
