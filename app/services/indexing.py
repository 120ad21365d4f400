"""Index administration: rebuild behind the alias, readiness."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from sqlalchemy import func, select, update

from app.extensions import db
from app.models import Document
from indexers import client
from indexers import briefings as briefing_index
from indexers.documents import bulk_load


@dataclass
class ReindexReport:
    index: str
    loaded: int
    errors: list[dict]


def count_documents() -> int:
    return db.session.scalar(select(func.count(Document.id))) or 0


def reindex(progress: Callable[[int], None] | None = None) -> ReindexReport:
    """Build a fresh index from the database and swap the alias to it atomically.

    Searches keep using the old index until the swap. A document changed
    while this runs keeps a revision above its indexed revision, so the
    next reconcile writes it again into the new index.
    """
    max_revisions = dict(db.session.execute(select(Document.id, Document.revision)).all())
    new_index = client.create_index()
    loaded, errors = bulk_load(new_index, progress)
    # Briefings follow their revision through reconcile, like documents.
    briefings_loaded, briefing_errors = briefing_index.bulk_load(new_index)
    loaded += briefings_loaded
    client.es().indices.refresh(index=new_index)
    client.swap_alias(new_index)
    failed = {int(e.get("index", {}).get("_id", 0)) for e in errors}
    errors += briefing_errors
    for doc_id, revision in max_revisions.items():
        if doc_id in failed:
            continue
        db.session.execute(update(Document).where(Document.id == doc_id,
                                                  Document.revision == revision)
                           .values(indexed_revision=revision))
    db.session.commit()
    return ReindexReport(new_index, loaded, errors)
