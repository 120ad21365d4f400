"""Uploads kept for a moment while the person corrects the form.

A browser cannot refill a file input, so when the upload form comes back with
an error (a date that does not exist, a secrecy level above the clearance) the
chosen files would be lost. They are kept here instead, under a random token
that the form carries in a hidden field, and archived when the corrected form
is sent. A staged file belongs to the person who uploaded it (anyone else gets
nothing for the token) and expires after ``UPLOAD_STAGING_SECONDS``.

The bytes go to the object store like any original (content-addressed, so
archiving them later stores nothing twice) and the facts to a row of
``staged_uploads``: with several web hosts behind a proxy, the corrected form
may reach another host than the one that kept the file, and nothing here relies
on a disk the hosts share. Bytes that no record and no other kept upload use
are deleted when the kept upload is discarded or expires.

While the object store is down (the upload itself answered 503), the bytes wait
on the receiving host's disk instead (``STORAGE_DIR/staging/<token>``, the row
names the host), so the person still does not choose the file again once the
store is back, unless the corrected form reaches another host.
"""
from __future__ import annotations

import re
import secrets
import shutil
import socket
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import BinaryIO, Iterator

from flask import current_app
from sqlalchemy import delete, select

from app import storage
from app.extensions import db
from app.models import StagedUpload, User
from app.models.user import utcnow
from app.services.access import require
from app.storage import StorageUnavailable

_TOKEN = re.compile(r"^[A-Za-z0-9_-]{32}$")


@dataclass(frozen=True)
class StagedFile:
    token: str
    filename: str
    size: int
    sha256: str
    local: Path | None = None  # kept on this host while the store was down

    @contextmanager
    def open(self) -> Iterator[BinaryIO]:
        """The kept bytes, streamed from the store (or this host's disk)."""
        stream = self.local.open("rb") if self.local else storage.open(self.sha256)
        try:
            yield stream
        finally:
            stream.close()


def stage(user: User, stream: BinaryIO, filename: str) -> StagedFile:
    """Keep an upload for the owner's next attempt; FileTooLarge past the limit,
    StorageUnavailable (nothing kept) when the store does not confirm the write."""
    require(user, "document.upload")
    purge_expired()
    limit = current_app.config["MAX_UPLOAD_MB"] * 1024 * 1024
    token = secrets.token_urlsafe(24)  # 32 characters
    try:
        blob = storage.save(stream, limit)
        size, sha256, host = blob.size, blob.sha256, None
    except StorageUnavailable:
        stream.seek(0)  # an upload's stream is spooled by Werkzeug: it can be read again
        size, sha256, host = _keep_here(token, stream, limit)
    row = StagedUpload(token=token, user_id=user.id, filename=(filename or "")[:255],
                       size=size, sha256=sha256, host=host)
    db.session.add(row)
    db.session.commit()
    return _file(row)


def get(user: User, token: str) -> StagedFile | None:
    """The user's staged file for ``token``; None if unknown, expired or someone else's."""
    if not _TOKEN.match(token or ""):
        return None
    row = db.session.get(StagedUpload, token)
    if row is None or row.user_id != user.id:
        return None
    if row.host is not None and (row.host != socket.gethostname()
                                 or not (_root() / token / "file").is_file()):
        return None  # kept on another web host while the store was down
    if row.created_at < _cutoff():
        purge_expired()
        return None
    return _file(row)


def discard(user: User, token: str) -> None:
    """Forget a staged file (once archived, or when the person no longer wants it)."""
    kept = get(user, token)
    if kept is not None:
        db.session.execute(delete(StagedUpload).where(StagedUpload.token == token))
        db.session.commit()
        _forget_bytes([(token, kept.sha256)])


def purge_expired() -> int:
    """Remove every expired staged file; returns how many went."""
    rows = db.session.execute(select(StagedUpload.token, StagedUpload.sha256)
                              .where(StagedUpload.created_at < _cutoff())).all()
    if not rows:
        return 0
    db.session.execute(delete(StagedUpload).where(
        StagedUpload.token.in_([token for token, _ in rows])))
    db.session.commit()
    _forget_bytes(rows)
    return len(rows)


def _forget_bytes(rows) -> None:
    """Delete kept bytes unless a record (app.services.previews) or another kept upload
    uses them; what waited on this host's disk goes with its folder."""
    from app.services.previews import remove_replaced

    for token, _sha in rows:
        shutil.rmtree(_root() / token, ignore_errors=True)
    shas = [sha for _, sha in rows]
    still_kept = set(db.session.scalars(select(StagedUpload.sha256)
                                        .where(StagedUpload.sha256.in_(shas))))
    remove_replaced([sha for sha in shas if sha not in still_kept])


def _keep_here(token: str, stream: BinaryIO, limit: int) -> tuple[int, str, str]:
    """The store is down: keep the bytes on this host's disk; (size, sha256, host).
    Received (hashed, limited) as for the store, then moved out of the spool."""
    folder = _root() / token
    folder.mkdir(parents=True)
    try:
        with storage.receive(stream, limit) as spool:
            shutil.move(spool.path, folder / "file")
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return spool.size, spool.sha256, socket.gethostname()


def _root() -> Path:
    return Path(current_app.config["STORAGE_DIR"]) / "staging"


def _cutoff():
    return utcnow() - timedelta(seconds=current_app.config["UPLOAD_STAGING_SECONDS"])


def _file(row: StagedUpload) -> StagedFile:
    local = _root() / row.token / "file" if row.host is not None else None
    return StagedFile(row.token, row.filename, row.size, row.sha256, local)
