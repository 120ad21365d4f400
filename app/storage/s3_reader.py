"""Reading one S3 object as a seekable stream, in chunks (downloads, fixity, local copies)."""
from __future__ import annotations

import io

from boto3.exceptions import S3UploadFailedError
from botocore.exceptions import BotoCoreError, ClientError

from app.storage.base import ObjectMissing, StorageUnavailable

MISSING_CODES = {"404", "NoSuchKey", "NotFound"}
FAILURES = (BotoCoreError, ClientError, S3UploadFailedError)


def missing(exc: Exception) -> bool:
    return isinstance(exc, ClientError) and \
        str(exc.response.get("Error", {}).get("Code")) in MISSING_CODES


class ObjectReader(io.RawIOBase):
    """A seekable view of one object: each read continues a GET from the position;
    a seek ends it (the next read starts a ranged GET there)."""

    def __init__(self, storage, key: str, size: int) -> None:
        self._storage, self._key, self._size = storage, key, size
        self._pos, self._body = 0, None

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._pos

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._pos, io.SEEK_END: self._size}[whence]
        position = max(0, base + offset)
        if position != self._pos:
            self._drop()
            self._pos = position
        return self._pos

    def readinto(self, buffer) -> int:
        if self._pos >= self._size:
            return 0
        try:
            if self._body is None:
                extra = {"Range": f"bytes={self._pos}-"} if self._pos else {}
                self._body = self._storage.client().get_object(
                    Bucket=self._storage.bucket, Key=self._key, **extra)["Body"]
            data = self._body.read(len(buffer))
        except FAILURES as exc:
            self._drop()
            if missing(exc):
                raise ObjectMissing() from exc
            raise StorageUnavailable(reading=True) from exc
        buffer[:len(data)] = data
        self._pos += len(data)
        return len(data)

    def _drop(self) -> None:
        if self._body is not None:
            self._body.close()
            self._body = None

    def close(self) -> None:
        self._drop()
        super().close()
