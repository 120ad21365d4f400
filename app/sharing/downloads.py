"""Original files of shared records, for harvesters (links in the ``nd30`` records).

The same rule as for the records themselves (``app.sharing.visibility``): a
file is served only while its record is visible to the principal asking --
anyone for public records, the partner's bearer token for partner records.
Anything else is "not found", with no hint that it exists. Every download is
audited under the partner (or the public) that fetched it.
"""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from app.extensions import db
from app.models import Document, DocumentFile, PartnerToken
from app import storage
from app.services import audit
from app.services.errors import NotFound
from app.sharing.visibility import Principal, document_visible

PUBLIC_ACTOR = "Công chúng (OAI-PMH)"


def open_shared_file(principal: Principal, partner: PartnerToken | None, document_id: int,
                     sha256: str):
    """The file with these bytes of a record this principal may see; audited.

    A harvest asks for thousands of files one after another, so the check is one
    query on the few columns it needs (``document_visible``, the SQL form of the
    same rule), rather than loading the record and all its files.
    """
    file = db.session.execute(
        select(DocumentFile.id, DocumentFile.sha256, DocumentFile.original_filename)
        .join(Document, Document.id == DocumentFile.document_id)
        .where(DocumentFile.document_id == document_id, DocumentFile.sha256 == sha256,
               document_visible(principal))
        .order_by(DocumentFile.id).limit(1)).first()
    if file is None or not storage.exists(file.sha256):
        raise NotFound(_("File not found."))
    who = (f"{partner.agency} ({partner.prefix}…)" if partner is not None else PUBLIC_ACTOR)
    audit.record(None, "oai.download", "document", document_id, actor_name=who[:80],
                 sha256=file.sha256, principal=principal.value,
                 agency=partner.agency if partner else None,
                 partner_token=partner.prefix if partner else None)
    db.session.commit()
    return file
