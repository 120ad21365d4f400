"""Background embedding of a document's passages (the long lane; reconcile recovers it)."""
from __future__ import annotations

from app.extensions import db
from app.jobs.documents import _finish, _start
from app.models import Disposition
from app.services import semantic
from indexers import documents as document_index


def embed_document(task_id: int) -> str:
    """Embed the passages, then write the index entry again with its vectors.

    Idempotent: a document whose passages match its text and model is left alone.
    """
    task = _start(task_id)
    if task is None:
        return "skipped"
    document = task.document
    if document.disposition in Disposition.ERASED or not semantic.needs_embedding(document):
        _finish(task)
        db.session.commit()
        return "skipped: nothing to embed"
    count = semantic.embed(document)
    db.session.flush()
    try:
        # At the document's revision: a newer revision already in the index wins, and
        # its own index job reads these passages from the database.
        document_index.index(document)
    except Exception:
        db.session.rollback()
        raise
    _finish(task)
    db.session.commit()
    return f"embedded {count} passages"
