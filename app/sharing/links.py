"""Share links, the archivist's side: make one, list them, revoke one; all audited.

A link opens one document or one briefing dossier to one outside person (a
journalist, another agency) until a date, optionally behind a password. Only
records at secrecy "Thường" that are still kept here may be shared
(``app.sharing.visibility.may_share``); a briefing is shareable, and its link
offers only the materials and coverage that may leave. The token is returned
once, at creation; only its SHA-256 is stored. The outside person's side is
``app.sharing.link_access``.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from flask_babel import gettext as _
from sqlalchemy import or_, select
from werkzeug.security import generate_password_hash

from app.domain.vocab import levels_up_to
from app.extensions import db
from app.models import Briefing, Document, ShareLink, User
from app.models.user import utcnow
from app.services import audit
from app.services.access import get_document, require
from app.services.briefings import from_local, load_briefing, local_time
from app.services.errors import NotFound, ValidationFailed
from app.sharing.link_files import briefing_files
from app.sharing.visibility import may_share
from app.text.vietnamese import normalize

PERMISSION = "sharing.manage"
DEFAULT_DAYS = 7
MAX_DAYS = 90
MIN_PASSWORD = 8
MAX_PASSWORD = 200


@dataclass
class ShareLinkData:
    """What an archivist enters for a link (form and API)."""

    recipient: str = ""
    note: str | None = None
    expires_on: date | None = None  # the last day it works (local); None: DEFAULT_DAYS
    password: str | None = None


@dataclass
class CreatedLink:
    link: ShareLink
    token: str  # shown once; never stored


def today() -> date:
    """Today in the archive's time zone."""
    return local_time(utcnow()).date()


def default_expiry() -> date:
    return today() + timedelta(days=DEFAULT_DAYS)


def share_document(user: User, document_id: int, data: ShareLinkData) -> CreatedLink:
    """A link to one record; refused above "Thường", for disposed or harvested records."""
    require(user, PERMISSION)
    document = get_document(user, document_id)
    if not may_share(document):
        raise ValidationFailed(_("Only records with secrecy \"Thường\" that are still kept "
                                 "here can be shared through a link."))
    return _create(user, data, document=document)


def share_briefing(user: User, briefing_id: int, data: ShareLinkData) -> CreatedLink:
    """A link to a briefing dossier: its shareable materials and coverage."""
    require(user, PERMISSION)
    require(user, "document.view")
    return _create(user, data, briefing=load_briefing(briefing_id))


def _create(user: User, data: ShareLinkData, document: Document | None = None,
            briefing: Briefing | None = None) -> CreatedLink:
    recipient, note, expires_on, password = _cleaned(data)
    token = ShareLink.new_token()
    link = ShareLink(token_hash=ShareLink.hash(token), prefix=token[:8], recipient=recipient,
                     note=note, expires_at=_end_of(expires_on), created_by_id=user.id,
                     document=document, briefing=briefing, use_count=0, download_count=0,
                     failed_passwords=0,
                     password_hash=generate_password_hash(password) if password else None)
    db.session.add(link)
    db.session.flush()
    object_type, object_id = _target(link)
    audit.record(user, "share.create", object_type, object_id, share_link=link.id,
                 prefix=link.prefix, recipient=recipient, note=note,
                 expires_on=expires_on.isoformat(), password=bool(password))
    db.session.commit()
    return CreatedLink(link, token)


def _cleaned(data: ShareLinkData) -> tuple[str, str | None, date, str | None]:
    errors = {}
    recipient = " ".join(normalize(data.recipient or "").split())
    note = normalize(data.note or "").strip() or None
    if not recipient:
        errors["recipient"] = _("Say who the link is for.")
    elif len(recipient) > 300:
        errors["recipient"] = _("At most %(max)d characters.", max=300)
    if note and len(note) > 2000:
        errors["note"] = _("At most %(max)d characters.", max=2000)
    expires_on = data.expires_on or default_expiry()
    first, last = today(), today() + timedelta(days=MAX_DAYS)
    if expires_on < first:
        errors["expires_on"] = _("The last day cannot be in the past.")
    elif expires_on > last:
        errors["expires_on"] = _("A link works for at most %(n)d days (until %(d)s).",
                                 n=MAX_DAYS, d=last.strftime("%d/%m/%Y"))
    password = data.password or None
    if password is not None and not MIN_PASSWORD <= len(password) <= MAX_PASSWORD:
        errors["password"] = _("A password needs %(min)d to %(max)d characters.",
                               min=MIN_PASSWORD, max=MAX_PASSWORD)
    if errors:
        raise ValidationFailed(_("Some fields are invalid."), fields=errors)
    return recipient, note, expires_on, password


def _end_of(day: date) -> datetime:
    """The link works through ``day`` in the archive's time zone: until 23:59:59 that day."""
    return from_local(datetime.combine(day, time(23, 59, 59)))


def _target(link: ShareLink) -> tuple[str, int]:
    if link.document_id is not None:
        return "document", link.document_id
    return "briefing", link.briefing_id


def links_for_document(user: User, document_id: int) -> list[ShareLink]:
    """Every link ever made to a record (newest first), for the record's page."""
    require(user, PERMISSION)
    get_document(user, document_id)
    return _links(ShareLink.document_id == document_id)


def links_for_briefing(user: User, briefing_id: int) -> list[ShareLink]:
    require(user, PERMISSION)
    load_briefing(briefing_id)
    return _links(ShareLink.briefing_id == briefing_id)


def _links(condition) -> list[ShareLink]:
    return list(db.session.scalars(select(ShareLink).where(condition)
                                   .order_by(ShareLink.created_at.desc(), ShareLink.id.desc())))


def open_links(user: User) -> list[ShareLink]:
    """Links across the archive that are neither revoked nor expired, soonest expiry first.

    Links to records above the reader's clearance are left out (a record raised
    to "Mật" after it was shared keeps its link listed for those who may see it;
    the link itself no longer opens anything).
    """
    require(user, PERMISSION)
    visible = select(Document.id).where(Document.secrecy.in_(levels_up_to(user.clearance)))
    return list(db.session.scalars(
        select(ShareLink)
        .where(ShareLink.revoked_at.is_(None), ShareLink.expires_at > utcnow(),
               or_(ShareLink.briefing_id.is_not(None), ShareLink.document_id.in_(visible)))
        .order_by(ShareLink.expires_at, ShareLink.id)))


def revoke(user: User, link_id: int, document_id: int | None = None,
           briefing_id: int | None = None) -> ShareLink:
    """End a link at once (audited). Revoking a revoked link changes nothing.

    ``document_id``/``briefing_id``: the link must belong to that target (API paths).
    """
    require(user, PERMISSION)
    link = db.session.get(ShareLink, link_id)
    if link is None or (document_id is not None and link.document_id != document_id) or (
            briefing_id is not None and link.briefing_id != briefing_id):
        raise NotFound(_("Share link not found."))
    if link.document_id is not None:
        try:
            get_document(user, link.document_id)
        except NotFound:
            raise NotFound(_("Share link not found.")) from None
    if link.revoked_at is None:
        link.revoked_at, link.revoked_by_id = utcnow(), user.id
        object_type, object_id = _target(link)
        audit.record(user, "share.revoke", object_type, object_id, share_link=link.id,
                     prefix=link.prefix, recipient=link.recipient)
        db.session.commit()
    return link


@dataclass
class SharePanel:
    """The "share through a link" section of a document or briefing page."""

    target: Document | Briefing
    links: list[ShareLink]
    shareable: bool     # a new link may be made
    files: int          # how many files a new link would hand out now


def panel(user: User, document: Document | None = None,
          briefing: Briefing | None = None) -> SharePanel | None:
    """The section for a page the user already opened; None for those who may not share."""
    if not user.can(PERMISSION):
        return None
    if document is not None:
        return SharePanel(document, links_for_document(user, document.id), may_share(document),
                          len(document.files) if may_share(document) else 0)
    return SharePanel(briefing, links_for_briefing(user, briefing.id), True,
                      len(briefing_files(briefing)))


def share_target(user: User, document_id: int | None = None,
                 briefing_id: int | None = None) -> Document | Briefing:
    """The record or briefing a link would open, for the form's own page."""
    require(user, PERMISSION)
    if document_id is not None:
        return get_document(user, document_id)
    require(user, "document.view")
    return load_briefing(briefing_id)
