"""Original files of shared records, for harvesters (links in the ``nd30`` records).

The same rule as for the records themselves (``app.sharing.visibility``): a
file is served only while its record is visible to the principal asking --
anyone for public records, the partner's bearer token for partner records.
Anything else is "not found", with no hint that it exists. Every download is
audited under the partner (or the public) that fetched it.
"""
from __future__ import annotations

from flask_babel import gettext as _

from app.extensions import db
from app.models import Document, DocumentFile, PartnerToken
from app.services import audit, storage
from app.services.errors import NotFound
from app.sharing.visibility import Principal, is_document_visible

PUBLIC_ACTOR = "Công chúng (OAI-PMH)"


def open_shared_file(principal: Principal, partner: PartnerToken | None, document_id: int,
                     sha256: str) -> DocumentFile:
    """The file with these bytes of a record this principal may see; audited."""
    document = db.session.get(Document, document_id)
    if document is None or not is_document_visible(principal, document):
        raise NotFound(_("File not found."))
    file = next((f for f in document.files if f.sha256 == sha256), None)
    if file is None or not storage.path_for(file.sha256).exists():
        raise NotFound(_("File not found."))
    who = (f"{partner.agency} ({partner.prefix}…)" if partner is not None else PUBLIC_ACTOR)
    audit.record(None, "oai.download", "document", document.id, actor_name=who[:80],
                 sha256=file.sha256, principal=principal.value,
                 agency=partner.agency if partner else None,
                 partner_token=partner.prefix if partner else None)
    db.session.commit()
    return file
