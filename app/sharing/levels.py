"""Setting a record's or briefing's sharing level: validate, act, audit, commit."""
from __future__ import annotations

from flask_babel import gettext as _

from app.extensions import db
from app.models import Briefing, Document, SharingLevel, User
from app.models.user import utcnow
from app.services import audit
from app.services.access import get_document, require
from app.services.errors import NotFound, ValidationFailed
from app.services.tasks import schedule
from app.services.uow import UnitOfWork
from app.sharing.visibility import may_share


def _check_level(level: str) -> None:
    if level not in SharingLevel.ALL:
        raise ValidationFailed(_("Unknown sharing level."),
                               fields={"sharing": _("Unknown sharing level.")})


def apply_document_level(document: Document, level: str) -> dict:
    """Set the level on a loaded document (no commit); the changes for an audit entry.

    Raises ValidationFailed when the record may not leave the archive.
    """
    _check_level(level)
    if level != SharingLevel.INTERNAL and not may_share(document):
        raise ValidationFailed(
            _("Only records with secrecy \"Thường\" that are still kept here can be shared."),
            fields={"sharing": _("This record cannot be shared.")})
    if document.sharing == level:
        return {}
    changes = {"sharing": [document.sharing, level]}
    document.sharing = level
    now = utcnow()
    if level in SharingLevel.SHARED and document.shared_at is None:
        document.shared_at = now
    if level == SharingLevel.PUBLIC and document.public_at is None:
        document.public_at = now
    document.bump_revision()
    return changes


def withdraw_if_not_shareable(document: Document) -> dict:
    """After a change of secrecy or disposition: an unshareable record goes back to internal."""
    if document.sharing != SharingLevel.INTERNAL and not may_share(document):
        changes = {"sharing": [document.sharing, SharingLevel.INTERNAL]}
        document.sharing = SharingLevel.INTERNAL
        return changes
    return {}


def set_document_sharing(user: User, document_id: int, level: str) -> Document:
    """An archivist changes who may see a record outside the archive."""
    require(user, "sharing.manage")
    document = get_document(user, document_id)
    if document.is_external:
        raise ValidationFailed(_("Records harvested from another archive are read-only here."))
    changes = apply_document_level(document, level)
    if changes:
        audit.record(user, "sharing.set", "document", document.id, changes=changes)
        uow = UnitOfWork()
        schedule(uow, document, "index")
        uow.commit()
    return document


def set_briefing_sharing(user: User, briefing_id: int, level: str) -> Briefing:
    """An archivist changes who may see a briefing (and its shared materials) outside."""
    require(user, "sharing.manage")
    _check_level(level)
    briefing = db.session.get(Briefing, briefing_id)
    if briefing is None:
        raise NotFound(_("Briefing not found."))
    if briefing.sharing != level:
        changes = {"sharing": [briefing.sharing, level]}
        briefing.sharing = level
        now = utcnow()
        if level in SharingLevel.SHARED and briefing.shared_at is None:
            briefing.shared_at = now
        if level == SharingLevel.PUBLIC and briefing.public_at is None:
            briefing.public_at = now
        briefing.revision += 1
        audit.record(user, "sharing.set", "briefing", briefing.id, changes=changes)
        db.session.commit()
    return briefing
