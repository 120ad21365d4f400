"""Document -> index body, single writes and bulk loading."""
from __future__ import annotations

from typing import Callable, Iterable

from elasticsearch import ConflictError
from elasticsearch.helpers import streaming_bulk
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models import Disposition, Document
from app.semantic.embedder import from_bytes
from app.services.agencies import canonical_name
from app.text.vietnamese import fold, normalize
from indexers.client import alias, es

# Bodies above this are cut for the index (the full text stays in the
# database); 3M characters is far beyond any administrative document.
MAX_BODY_CHARS = 3_000_000


def to_body(document: Document) -> dict:
    """The index entry: exact text (NFC, canonical tone marks) and a folded copy."""
    file = document.main_file
    text = normalize(file.extracted_text or "")[:MAX_BODY_CHARS] if file else ""
    title = normalize(document.title or "")
    summary = normalize(document.summary or "")
    agency = normalize(document.issuing_agency or "")
    # Facets, filters and hits show the body's authority name, not OCR debris.
    canonical = canonical_name(document.issuing_agency) if agency else None
    number = document.number_symbol
    filename = file.original_filename if file else ""
    # Every file's name is searchable (a record may hold the .DOC and the .DOCX).
    all_names = " ".join(f.original_filename for f in document.files)
    return {
        "id": document.id,
        "record_type": "document",
        "title": title,
        "title_folded": fold(title),
        "summary": summary,
        "summary_folded": fold(summary),
        "body": text,
        "body_folded": fold(text),
        "number_symbol": number or None,
        "number_key": document.number_key,
        "number_text": fold(number) if number else None,
        "cites": sorted({c.key for c in document.citations}),
        "issuing_agency": canonical,
        "agency_text": agency,
        "agency_folded": fold(agency),
        "filename": filename,
        "filename_folded": fold(all_names.replace("_", " ")),
        "category": document.category,
        "doc_type": document.doc_type,
        "secrecy": document.secrecy,
        "status": document.status,
        "issue_date": document.issue_date.isoformat() if document.issue_date else None,
        "year": document.issue_date.year if document.issue_date else None,
        "uploaded_at": document.uploaded_at.isoformat(),
        "uploaded_by": document.uploaded_by.username if document.uploaded_by else None,
        "media_type": file.media_type if file else None,
        "page_count": document.page_count,
        "revision": document.revision,
        # Who may find it outside the archive: app.sharing.visibility.search_clause.
        "sharing": document.sharing or "internal",
        "external": document.source_id is not None,
        "disposition": document.disposition,
        "public_at": document.public_at.isoformat() if document.public_at else None,
        # Where the record comes from: "local", or the id of the harvest source.
        "source": str(document.source_id) if document.source_id else "local",
        # Meaning vectors of its passages, in order (app.services.semantic); the hit's
        # matched passage is the nested offset. Not in _source (mapping v2).
        "passages": [{"vector": from_bytes(p.vector)} for p in document.passages],
    }


def index(document: Document, refresh: bool = False) -> None:
    """Write ``document`` at its revision; an older revision never overwrites a newer one."""
    try:
        es().index(
            index=alias(), id=str(document.id), document=to_body(document),
            version=document.revision, version_type="external_gte",
            refresh="wait_for" if refresh else None,
        )
    except ConflictError:
        pass  # the index already holds a newer revision: nothing to do


def index_many(documents: Iterable[Document]) -> list[int]:
    """Write several documents in one bulk request each 200; the ids Elasticsearch took.

    A conflict (the index already holds a newer revision) counts as taken.
    """
    taken = []
    for ok, item in streaming_bulk(es(), _actions(alias(), documents), chunk_size=200,
                                   raise_on_error=False, raise_on_exception=False):
        result = item.get("index", {})
        if ok or result.get("status") == 409:
            taken.append(int(result["_id"]))
    return taken


def delete(document_id: int) -> None:
    es().options(ignore_status=404).delete(index=alias(), id=str(document_id))


def _actions(index_name: str, documents: Iterable[Document]):
    for document in documents:
        yield {
            "_op_type": "index", "_index": index_name, "_id": str(document.id),
            "_version": document.revision, "_version_type": "external_gte",
            "_source": to_body(document),
        }


def bulk_load(index_name: str, progress: Callable[[int], None] | None = None,
              chunk: int = 200) -> tuple[int, list[dict]]:
    """Load every document from the database into ``index_name``.

    Returns (loaded, errors). Streams the table in batches so memory stays
    flat however large the archive is.
    """
    loaded, errors, last_id = 0, [], 0
    while True:
        batch = list(db.session.scalars(
            select(Document).where(Document.id > last_id)
            # Tombstones (destroyed, deleted) have no search entry.
            .where(Document.disposition.not_in(Disposition.ERASED))
            .options(selectinload(Document.files), selectinload(Document.uploaded_by),
                     selectinload(Document.citations), selectinload(Document.passages))
            .order_by(Document.id).limit(chunk)
        ))
        if not batch:
            return loaded, errors
        for ok, item in streaming_bulk(es(), _actions(index_name, batch),
                                       chunk_size=50, max_chunk_bytes=50 * 1024 * 1024,
                                       raise_on_error=False, raise_on_exception=False):
            if ok:
                loaded += 1
            else:
                errors.append(item)
            if progress:
                progress(1)
        last_id = batch[-1].id
        db.session.expunge_all()  # keep memory flat across batches
