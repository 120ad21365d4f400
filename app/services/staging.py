"""Uploads kept for a moment while the person corrects the form.

A browser cannot refill a file input, so when the upload form comes back with
an error (a date that does not exist, a secrecy level above the clearance) the
chosen files would be lost. They are kept here instead, under a random token
that the form carries in a hidden field, and archived when the corrected form
is sent. A staged file belongs to the person who uploaded it (anyone else gets
nothing for the token) and expires after ``UPLOAD_STAGING_SECONDS``.

Layout: ``STORAGE_DIR/staging/<token>/file`` and ``meta.json`` (owner, file
name, size, time); the path comes only from the token, never from user input.
"""
from __future__ import annotations

import json
import re
import secrets
import shutil
import time
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from flask import current_app

from app.models import User
from app.services.access import require
from app.storage import read_limited

_TOKEN = re.compile(r"^[A-Za-z0-9_-]{32}$")


@dataclass(frozen=True)
class StagedFile:
    token: str
    filename: str
    size: int
    path: Path


def stage(user: User, stream: BinaryIO, filename: str) -> StagedFile:
    """Keep an upload for the owner's next attempt; FileTooLarge past the limit."""
    require(user, "document.upload")
    purge_expired()
    token = secrets.token_urlsafe(24)  # 32 characters
    folder = _root() / token
    folder.mkdir(parents=True)
    limit = current_app.config["MAX_UPLOAD_MB"] * 1024 * 1024
    size = 0
    try:
        with (folder / "file").open("wb") as out:
            for chunk in read_limited(stream, limit):
                size += len(chunk)
                out.write(chunk)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    meta = {"user_id": user.id, "filename": filename, "size": size, "at": time.time()}
    (folder / "meta.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    return StagedFile(token, filename, size, folder / "file")


def get(user: User, token: str) -> StagedFile | None:
    """The user's staged file for ``token``; None if unknown, expired or someone else's."""
    if not _TOKEN.match(token or ""):
        return None
    folder = _root() / token
    try:
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if meta.get("user_id") != user.id:
        return None
    if _expired(meta):
        shutil.rmtree(folder, ignore_errors=True)
        return None
    return StagedFile(token, meta["filename"], meta["size"], folder / "file")


def discard(user: User, token: str) -> None:
    """Forget a staged file (once archived, or when the person no longer wants it)."""
    if get(user, token) is not None:
        shutil.rmtree(_root() / token, ignore_errors=True)


def purge_expired() -> int:
    """Remove every expired staged file; returns how many went."""
    removed = 0
    root = _root()
    if not root.is_dir():
        return 0
    for folder in root.iterdir():
        try:
            meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            meta = {"at": folder.stat().st_mtime}  # half-written: judge by its age
        if _expired(meta):
            shutil.rmtree(folder, ignore_errors=True)
            removed += 1
    return removed


def _expired(meta: dict) -> bool:
    return time.time() - float(meta.get("at", 0)) > current_app.config["UPLOAD_STAGING_SECONDS"]


def _root() -> Path:
    return Path(current_app.config["STORAGE_DIR"]) / "staging"
