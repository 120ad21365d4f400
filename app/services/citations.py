"""What a document's text says about itself, and the citation graph.

``apply_recognition`` runs inside the extraction job: it stores what the
recognisers read, fills only the metadata fields nobody filled in, and
replaces the document's outgoing citations. Citations resolve to archived
documents by number key and year, now or whenever the cited document
arrives later (``resolve_incoming``).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import or_, select

from app.domain.vocab import levels_up_to
from app.extensions import db
from app.models import Document, DocumentCitation, User
from app.recognition import RecognizedMetadata, recognize
from app.services.metadata import DocumentMetadata
from app.services.suggestions import current_fields, offers
from app.services.titles import retitle

# Document field <- recognised attribute. Secrecy and urgency are never set
# automatically: raising secrecy would hide a document from its uploader, and
# both remain visible as suggestions.
FILLED_FIELDS = {
    "doc_type": "doc_type",
    "issuing_agency": "issuing_body",
    "place": "place",
    "issue_date": "issue_date",
    "summary": "summary",
    "signer_name": "signer_name",
    "signer_position": "signer_position",
}


def apply_recognition(document: Document, text: str) -> RecognizedMetadata:
    """Record what the text says; fill empty fields; rebuild outgoing citations."""
    meta = recognize(text)
    document.extracted = meta.as_dict()
    filled = False
    for field, attribute in FILLED_FIELDS.items():
        value = getattr(meta, attribute)
        if getattr(document, field) in (None, "") and value:
            setattr(document, field, value)
            filled = True
    if not document.recipients and meta.recipients:
        document.recipients = "\n".join(meta.recipients)
        filled = True
    if not (document.number or document.symbol) and (meta.number or meta.symbol):
        document.number, document.symbol = meta.number, meta.symbol
        filled = True
    document.number_key = DocumentMetadata(number=document.number,
                                           symbol=document.symbol).number_key()
    retitle(document)  # only while no person has titled it
    document.citations.clear()
    db.session.flush()
    for cited in meta.citations:
        document.citations.append(DocumentCitation(
            key=cited.key, number_symbol=cited.number_symbol, doc_type=cited.doc_type,
            year=cited.year, cited_date=cited.date, issuer=cited.issuer, text=cited.text,
            target=find_target(cited.key, cited.year, exclude=document.id)))
    resolve_incoming(document)
    # What the text said that a person should look at: fields filled for them, or
    # values that differ from what they entered (secrecy and urgency marks among them).
    document.suggestions_pending = filled or bool(offers(document.extracted,
                                                         current_fields(document)))
    return meta


def find_target(key: str, year: int | None, exclude: int | None = None) -> Document | None:
    """The archived document carrying ``key`` (in ``year`` when known)."""
    candidates = list(db.session.scalars(
        select(Document).where(Document.number_key == key, Document.id != (exclude or 0))
        .order_by(Document.id)))
    if year is not None:
        dated = [d for d in candidates if d.issue_date is None or d.issue_date.year == year]
        candidates = dated or ([] if all(d.issue_date for d in candidates) else candidates)
    return candidates[0] if candidates else None


def resolve_incoming(document: Document) -> int:
    """Point waiting citations at ``document`` now that it is archived."""
    if not document.number_key or "/" not in document.number_key:
        return 0
    conditions = [DocumentCitation.key == document.number_key,
                  DocumentCitation.target_id.is_(None),
                  DocumentCitation.document_id != document.id]
    if document.issue_date:  # numbers restart every year
        conditions.append(or_(DocumentCitation.year.is_(None),
                              DocumentCitation.year == document.issue_date.year))
    waiting = db.session.scalars(select(DocumentCitation).where(*conditions))
    count = 0
    for citation in waiting:
        citation.target = document
        count += 1
    return count


@dataclass
class CitationView:
    number_symbol: str
    doc_type: str | None
    cited_date: date | None
    issuer: str | None
    text: str | None
    target: Document | None  # None: not archived, or not visible to this user


def cites(user: User, document: Document) -> list[CitationView]:
    visible = set(levels_up_to(user.clearance))
    return [CitationView(c.number_symbol, c.doc_type, c.cited_date, c.issuer, c.text,
                         c.target if c.target is not None and c.target.secrecy in visible
                         else None)
            for c in document.citations]


def cited_by(user: User, document: Document) -> list[Document]:
    """Documents whose text cites ``document``, among those the user may see."""
    citing = select(DocumentCitation.document_id).where(DocumentCitation.target_id == document.id)
    return list(db.session.scalars(
        select(Document).where(Document.id.in_(citing),
                               Document.secrecy.in_(levels_up_to(user.clearance)))
        .order_by(Document.issue_date.desc().nulls_last(), Document.id)))
