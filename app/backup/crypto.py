"""Encryption of backups: AES-256-GCM in 1 MiB chunks, never a whole file in memory.

``BACKUP_KEY`` is 32 random bytes in base64 (``flask backup keygen``). Each
encrypted file starts with a header — a magic, the key's id, a random salt,
the chunk size — and each file gets its own AES key derived from
``BACKUP_KEY`` with HKDF-SHA256 over that salt and the file's *label* (the
object's SHA-256, or the backup's name and file name). Every chunk is sealed
with AES-GCM under the nonce ``chunk number || last-chunk flag`` and the
header as associated data (the STREAM construction of Hoang et al., as in
Tink's streaming AEAD and age): a changed, reordered, swapped or cut chunk,
a file moved under another name, or a header edited, fails its tag.

The manifest stays readable without the key (object hashes, sizes, counts per
table; no title or metadata: those are in the encrypted dump and
tombstones); ``SHA256SUMS`` is sealed with an HMAC under a key derived from
``BACKUP_KEY`` (``manifest.mac``), so an edited manifest is found as well.
"""
from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app, has_app_context
from flask_babel import gettext as _

MAGIC = b"VNABENC1"
CHUNK = 1024 * 1024
TAG = 16
ALGORITHM = "AES-256-GCM, 1 MiB chunks (STREAM), HKDF-SHA256 key per file"
HEADER = len(MAGIC) + 8 + 16 + 4


class BackupKeyError(Exception):
    """The key is missing, malformed, not the backup's, or a file was altered.

    The message is a sentence for the operator, in the archive's language.
    """


class KeyMissing(BackupKeyError):
    pass


class WrongKey(BackupKeyError):
    pass


class Tampered(BackupKeyError):
    pass


@dataclass(frozen=True)
class Key:
    secret: bytes

    @property
    def id(self) -> str:
        """16 hex digits naming the key (not secret: an HMAC of a constant)."""
        return hmac.new(self.secret, b"vn-archive-backup key id", hashlib.sha256).hexdigest()[:16]

    def derive(self, purpose: bytes, salt: bytes = b"") -> bytes:
        return HKDF(algorithm=hashes.SHA256(), length=32, salt=salt or None,
                    info=b"vn-archive-backup/1|" + purpose).derive(self.secret)

    def mac(self, data: bytes) -> str:
        return hmac.new(self.derive(b"manifest-mac"), data, hashlib.sha256).hexdigest()


def parse_key(value: str | bytes | None, name: str = "BACKUP_KEY") -> Key | None:
    """``BACKUP_KEY`` (base64 of 32 bytes, standard or URL-safe) -> a key; None when unset."""
    if value in (None, "", b""):
        return None
    text = value.decode() if isinstance(value, bytes) else str(value)
    text = text.strip()
    try:
        raw = base64.b64decode(text + "=" * (-len(text) % 4), altchars=b"-_"
                               if ("-" in text or "_" in text) else None, validate=True)
    except (binascii.Error, ValueError):
        raw = b""
    if len(raw) != 32:
        if name != "BACKUP_KEY":
            raise KeyMissing(_("%(name)s holds a value that is not a backup key: each must be "
                               "32 random bytes in base64, separated by commas.", name=name))
        raise KeyMissing(_("BACKUP_KEY is not a backup key: it must be 32 random bytes in "
                           "base64 (make one with flask backup keygen)."))
    return Key(raw)


def configured_key() -> Key | None:
    return parse_key(current_app.config.get("BACKUP_KEY"))


def previous_keys() -> list[Key]:
    """``BACKUP_PREVIOUS_KEYS``: the keys of before a rotation, to read older backups."""
    if not has_app_context():
        return []
    value = current_app.config.get("BACKUP_PREVIOUS_KEYS") or ""
    return [parse_key(part, "BACKUP_PREVIOUS_KEYS") for part in value.split(",")
            if part.strip()]


def reading_keys() -> list[Key]:
    """Every key that may open a backup: BACKUP_KEY first, then the previous ones."""
    return [k for k in (configured_key(), *previous_keys()) if k is not None]


def new_key() -> str:
    return base64.b64encode(os.urandom(32)).decode()


def require_key(key_id: str, key: Key | None = None) -> Key:
    """The key a backup was written with: ``key`` (by default BACKUP_KEY) or one of
    BACKUP_PREVIOUS_KEYS, found by the key id the backup names."""
    key = key or configured_key()
    for candidate in (key, *previous_keys()):
        if candidate is not None and candidate.id == key_id:
            return candidate
    if key is None:
        raise KeyMissing(_("This backup is encrypted; set BACKUP_KEY to the key it was made "
                           "with (key id %(id)s).", id=key_id))
    if key.id != key_id:
        raise WrongKey(_("BACKUP_KEY is not the key this backup was encrypted with (the backup "
                         "needs key id %(needed)s, the configured key is %(given)s).",
                         needed=key_id, given=key.id))
    return key


def _header(key: Key, salt: bytes, chunk: int) -> bytes:
    return MAGIC + bytes.fromhex(key.id) + salt + chunk.to_bytes(4, "big")


def _nonce(index: int, last: bool) -> bytes:
    return index.to_bytes(11, "big") + (b"\x01" if last else b"\x00")


def encrypt_stream(source: BinaryIO, out: BinaryIO, key: Key, label: str,
                   on_plain: Callable[[bytes], None] | None = None, chunk: int = CHUNK) -> int:
    """Encrypt ``source`` into ``out`` chunk by chunk; returns the plaintext size."""
    salt = os.urandom(16)
    header = _header(key, salt, chunk)
    aead = AESGCM(key.derive(label.encode(), salt))
    out.write(header)
    size, index = 0, 0
    current = source.read(chunk)
    while True:
        following = source.read(chunk) if len(current) == chunk else b""
        last = not following
        if on_plain:
            on_plain(current)
        out.write(aead.encrypt(_nonce(index, last), current, header))
        size += len(current)
        if last:
            return size
        current, index = following, index + 1


class DecryptingReader:
    """A read-only stream of the plaintext of an encrypted file; each chunk is
    authenticated before a byte of it is given out (:class:`Tampered` otherwise)."""

    def __init__(self, raw: BinaryIO, key: Key, label: str, what: str) -> None:
        self.raw, self.what = raw, what
        header = raw.read(HEADER)
        try:
            if len(header) != HEADER or not header.startswith(MAGIC):
                raise Tampered(_("%(what)s is not an encrypted backup file (or its start was "
                                 "altered).", what=what))
            require_key(header[len(MAGIC):len(MAGIC) + 8].hex(), key)
        except BackupKeyError:
            raw.close()
            raise
        self.header, salt = header, header[len(MAGIC) + 8:len(MAGIC) + 24]
        self.chunk = int.from_bytes(header[-4:], "big")
        self.aead = AESGCM(key.derive(label.encode(), salt))
        self.index, self.buffer, self.done = 0, b"", False
        self.pending = raw.read(self.chunk + TAG)

    def _next(self) -> None:
        sealed = self.pending
        self.pending = self.raw.read(self.chunk + TAG) if len(sealed) == self.chunk + TAG else b""
        last = not self.pending
        try:
            self.buffer += self.aead.decrypt(_nonce(self.index, last), sealed, self.header)
        except InvalidTag:
            raise Tampered(_("%(what)s was altered or cut short: its encryption does not "
                             "authenticate it.", what=self.what)) from None
        self.index += 1
        self.done = last

    def read(self, size: int = -1) -> bytes:
        while not self.done and (size < 0 or len(self.buffer) < size):
            self._next()
        if size < 0:
            size = len(self.buffer)
        data, self.buffer = self.buffer[:size], self.buffer[size:]
        return data

    def close(self) -> None:
        self.raw.close()

    def __enter__(self) -> DecryptingReader:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def label(backup: str, file_name: str) -> str:
    """What a backup's own file is bound to: moved into another backup, it fails."""
    return f"file:{backup}/{file_name}"


def object_label(sha256: str) -> str:
    return f"object:{sha256}"


def encrypt_file(plain, sealed, key: Key, file_label: str) -> None:
    """``plain`` (a local path) -> ``sealed`` (fsynced)."""
    with open(plain, "rb") as source, open(sealed, "wb") as out:
        encrypt_stream(source, out, key, file_label)
        out.flush()
        os.fsync(out.fileno())


def decrypt_file(sealed, plain, key: Key, file_label: str, what: str) -> None:
    """``sealed`` -> ``plain``, every chunk authenticated on the way."""
    with DecryptingReader(open(sealed, "rb"), key, file_label, what) as source, \
            open(plain, "wb") as out:
        while data := source.read(CHUNK):
            out.write(data)
