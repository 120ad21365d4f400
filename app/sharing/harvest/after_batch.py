"""What follows a batch's commit: its records without files into the index, unused bytes out."""
from __future__ import annotations

import logging

from sqlalchemy import select, update
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models import Document

log = logging.getLogger(__name__)


def index_now(ids: list[int]) -> None:
    """One bulk request for the batch's records without files to read.

    Their revision is ahead of what the index holds until this succeeds, so if
    Elasticsearch is down the periodic reconcile sends them later.
    """
    if not ids:
        return
    from indexers.documents import index_many

    try:
        documents = list(db.session.scalars(
            select(Document).where(Document.id.in_(ids))
            .options(selectinload(Document.files), selectinload(Document.citations),
                     selectinload(Document.uploaded_by))))
        revisions = {d.id: d.revision for d in documents}
        taken = index_many(documents)
    except Exception:  # noqa: BLE001 - reconcile recovers
        db.session.rollback()
        log.warning("harvested records not indexed now; reconcile will", exc_info=True)
        return
    for doc_id in taken:
        db.session.execute(update(Document).where(
            Document.id == doc_id, Document.indexed_revision < revisions[doc_id])
            .values(indexed_revision=revisions[doc_id]))
    db.session.commit()


def remove_unused(blobs: list[str]) -> None:
    from app.services.previews import remove_replaced

    remove_replaced(blobs)
