"""Who may do what, and which documents a person may see: checked here, once.

Every service that reads or changes a document goes through ``get_document``
(secrecy: a document above the user's clearance does not exist for them) and
``require`` (the role's permissions).
"""
from __future__ import annotations

from flask_babel import gettext as _

from app.domain.vocab import levels_up_to
from app.extensions import db
from app.models import Document, User
from app.services.errors import NotFound, PermissionDenied, ReadOnlyRecord


def require(user: User, permission: str) -> None:
    if not user.can(permission):
        raise PermissionDenied(_("You do not have permission to do this."))


def get_document(user: User, document_id: int) -> Document:
    """A document the user may see; otherwise NotFound (never a hint it exists)."""
    require(user, "document.view")
    document = db.session.get(Document, document_id)
    if document is None or document.secrecy not in levels_up_to(user.clearance):
        raise NotFound(_("Document not found."))
    return document


def ensure_local(document: Document) -> None:
    """Records harvested from another archive are read-only here: edits, retention,
    sharing and deletion happen at their source, and reach us with the next harvest."""
    if document.source_id is not None:
        from app.models import HarvestSource

        source = db.session.get(HarvestSource, document.source_id)
        raise ReadOnlyRecord(_(
            "This record was harvested from %(source)s and is read-only here: it cannot be "
            "edited, given another retention period, shared or deleted in this archive. "
            "Changes are made in the source archive and arrive with the next harvest.",
            source=source.name if source else _("another archive")))
