"""A backup's own files and objects, plain or encrypted, behind one small API.

``create``, ``verify``, ``restore`` and ``prune`` ask here for the file that
holds ``database.dump`` or ``tombstones.json`` in a backup and for a readable
stream of an object copy, whatever the backup's manifest says about its
encryption (``crypto.py``), so none of them branches on it twice.
"""
from __future__ import annotations

import hmac
import io
import json
import os
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO, Iterator

from app.backup import crypto, manifest


def write_json(folder: Path, backup: str, name: str, data,
               key: crypto.Key | None) -> tuple[str, str]:
    """Write ``data`` as ``name`` (encrypted with ``key`` when given) into a backup folder;
    returns (the file's name, its SHA-256)."""
    if key is None:
        return name, manifest.write_json(folder / name, data)
    payload = json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True, default=str)
    stored = folder / (name + manifest.SEALED)
    with stored.open("wb") as out:
        crypto.encrypt_stream(io.BytesIO(payload.encode()), out, key,
                              crypto.label(backup, name))
        out.flush()
        os.fsync(out.fileno())
    return stored.name, manifest.sha256_file(stored)


def seal_dump(plain: Path, folder: Path, name: str, key: crypto.Key) -> str:
    """Encrypt the database dump into the backup folder; returns its file name."""
    stored = manifest.DUMP + manifest.SEALED
    crypto.encrypt_file(plain, folder / stored, key, crypto.label(name, manifest.DUMP))
    plain.unlink()
    return stored


def key_for(body: dict, key: crypto.Key | None = None) -> crypto.Key | None:
    """The key that opens this backup (None: a plain one); a clear error when it is
    missing or another key is configured."""
    needed = manifest.key_id(body)
    return crypto.require_key(needed, key) if needed else None


def check_mac(folder: Path, key: crypto.Key) -> bool:
    """Does ``manifest.mac`` seal this ``SHA256SUMS`` under ``key``?"""
    try:
        recorded = (folder / manifest.MAC).read_text(encoding="utf-8").strip()
        sums = (folder / manifest.SUMS).read_bytes()
    except FileNotFoundError:
        return False
    return hmac.compare_digest(recorded, key.mac(sums))


def write_mac(folder: Path, key: crypto.Key) -> None:
    with (folder / manifest.MAC).open("w", encoding="utf-8") as out:
        out.write(key.mac((folder / manifest.SUMS).read_bytes()) + "\n")
        out.flush()
        os.fsync(out.fileno())


def read_json(folder: Path, body: dict, name: str, key: crypto.Key | None = None):
    """A backup's own JSON file (``tombstones.json``), decrypted when it is encrypted."""
    key = key_for(body, key)
    if key is None:
        return manifest.read_json(folder / name)
    with crypto.DecryptingReader((folder / (name + manifest.SEALED)).open("rb"), key,
                                 crypto.label(folder.name, name),
                                 f"{folder.name}/{name}") as stream:
        return json.loads(stream.read().decode("utf-8"))


@contextmanager
def plain_dump(folder: Path, body: dict, work: Path,
               key: crypto.Key | None = None) -> Iterator[Path]:
    """A path to the backup's dump as pg_restore reads it: the file itself, or a
    decrypted copy in ``work`` (a local temporary folder, removed after)."""
    key = key_for(body, key)
    if key is None:
        yield folder / manifest.DUMP
        return
    plain = work / manifest.DUMP
    try:
        crypto.decrypt_file(folder / (manifest.DUMP + manifest.SEALED), plain, key,
                            crypto.label(folder.name, manifest.DUMP),
                            f"{folder.name}/{manifest.DUMP}")
        yield plain
    finally:
        plain.unlink(missing_ok=True)


def open_object(path: Path, sha256: str, key: crypto.Key | None) -> BinaryIO:
    """The plaintext of an object copy (decrypted and authenticated chunk by chunk)."""
    if key is None:
        return path.open("rb")
    return crypto.DecryptingReader(path.open("rb"), key, crypto.object_label(sha256),
                                   f"object {sha256}")


def sealed_size(size: int, chunk: int = crypto.CHUNK) -> int:
    """The size of an encrypted copy of ``size`` bytes."""
    chunks = max(1, -(-size // chunk))
    return crypto.HEADER + size + crypto.TAG * chunks


def plain_size(stored: int, chunk: int = crypto.CHUNK) -> int:
    """The size of the object an encrypted copy of ``stored`` bytes holds."""
    body = stored - crypto.HEADER
    chunks = max(1, -(-body // (chunk + crypto.TAG)))
    return body - crypto.TAG * chunks
