"""Share links, the outside person's side: resolve a token, unlock, open, download.

Nobody is logged in here. An unknown, expired or revoked token, or one whose
record may no longer leave the archive, resolves to nothing, and the page says
the same neutral sentence for all of them. Every opening, every download and
every wrong password is on the audit trail (actor "system", with the link's id,
its recipient and the caller's address in the details), and counted on the link.
Wrong passwords lock the link for a while, and an address that keeps guessing
across links is throttled (Redis; without Redis only the per-link lock applies).
"""
from __future__ import annotations

import hmac
from dataclasses import dataclass
from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import select, update
from werkzeug.security import check_password_hash

from app.extensions import db
from app.models import ShareLink
from app.models.user import utcnow
from app import storage
from app.services import address_failures, audit
from app.sharing.link_files import ACTIVE, SharedFile, offered_files, status

MAX_TOKEN_LENGTH = 100
MAX_FAILED_PASSWORDS = 5       # then the link refuses every password for LOCKOUT
LOCKOUT = timedelta(minutes=15)
MAX_FAILURES_PER_ADDRESS = 20  # per LOCKOUT window, whatever the links tried


class PasswordRefused(Exception):
    """A wrong password, or too many; ``message`` is safe to show."""

    def __init__(self, message: str, locked: bool = False) -> None:
        super().__init__(message)
        self.message, self.locked = message, locked


@dataclass
class SharedView:
    """What the minimal page shows: the target and the files it may hand out."""

    link: ShareLink
    files: list[SharedFile]


def resolve(token: str) -> ShareLink | None:
    """The usable link for ``token``, or None (unknown, expired, revoked, not shareable).

    The token is looked up by its SHA-256 (the stored value), so the time taken
    says nothing about how much of a guess was right.
    """
    digest = ShareLink.hash(token if token and len(token) <= MAX_TOKEN_LENGTH else "")
    link = db.session.scalar(select(ShareLink).where(ShareLink.token_hash == digest))
    if link is None or not hmac.compare_digest(link.token_hash, digest):
        return None
    return link if status(link) == ACTIVE else None


def unlock(link: ShareLink, password: str, address: str) -> None:
    """Check the link's password; raises PasswordRefused (wrong, or locked for a while)."""
    now = utcnow()
    if _address_failures(address) >= MAX_FAILURES_PER_ADDRESS:
        raise PasswordRefused(_("Too many wrong passwords from your address. Try again "
                                "later."), locked=True)
    db.session.refresh(link, with_for_update=True)  # concurrent guesses count one by one
    if link.locked_until and link.locked_until > now:
        db.session.rollback()
        raise PasswordRefused(_locked_message(link.locked_until - now), locked=True)
    if link.password_hash and check_password_hash(link.password_hash, password or ""):
        link.failed_passwords, link.locked_until = 0, None
        _audit(link, "share.unlock", address)
        db.session.commit()
        return
    link.failed_passwords += 1
    locked = link.failed_passwords >= MAX_FAILED_PASSWORDS
    if locked:
        link.locked_until, link.failed_passwords = now + LOCKOUT, 0
    _audit(link, "share.password_failed", address, locked=locked)
    db.session.commit()
    _count_address_failure(address)
    if locked:
        raise PasswordRefused(_locked_message(LOCKOUT), locked=True)
    raise PasswordRefused(_("Wrong password."))


def open_link(link: ShareLink, address: str) -> SharedView:
    """The page is opened: counted and audited."""
    db.session.execute(update(ShareLink).where(ShareLink.id == link.id).values(
        use_count=ShareLink.use_count + 1, last_used_at=utcnow()))
    _audit(link, "share.open", address)
    db.session.commit()
    return SharedView(link, offered_files(link))


def download(link: ShareLink, file_id: int, address: str) -> SharedFile | None:
    """One of the files the link offers now (counted and audited), or None."""
    shared = next((f for f in offered_files(link) if f.file.id == file_id), None)
    if shared is None or not storage.exists(shared.file.sha256):
        return None
    db.session.execute(update(ShareLink).where(ShareLink.id == link.id).values(
        download_count=ShareLink.download_count + 1, last_used_at=utcnow()))
    details = {"briefing": link.briefing_id} if link.briefing_id is not None else {}
    audit.record(None, "share.download", "document", shared.document.id,
                 share_link=link.id, prefix=link.prefix, recipient=link.recipient,
                 address=address, filename=shared.file.original_filename,
                 sha256=shared.file.sha256, secrecy=shared.document.secrecy, **details)
    db.session.commit()
    return shared


def _audit(link: ShareLink, action: str, address: str, **details) -> None:
    object_type, object_id = (("document", link.document_id) if link.document_id is not None
                              else ("briefing", link.briefing_id))
    audit.record(None, action, object_type, object_id, share_link=link.id,
                 prefix=link.prefix, recipient=link.recipient, address=address, **details)


def _locked_message(left: timedelta) -> str:
    minutes = max(1, int(left.total_seconds() // 60) + (1 if left.total_seconds() % 60 else 0))
    return _("Too many wrong passwords. This link accepts none for %(m)d minutes.", m=minutes)


def _address_failures(address: str) -> int:
    return address_failures.count("share-password-failures", address)


def _count_address_failure(address: str) -> None:
    address_failures.add("share-password-failures", address, int(LOCKOUT.total_seconds()))
