"""Passages and vectors of documents: when to embed, embedding, and what pages show.

Lexical search works as soon as a document is indexed; embedding comes after, in
the long lane (a passage takes about 0.15 s on 2 cores), and the document's index
entry is written again with its vectors. The database keeps the passages so that a
reindex or a restore never has to embed again.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import select

from app.extensions import db
from app.models import Disposition, Document, DocumentPassage, ProcessingTask
from app.semantic import embedder
from app.semantic.passages import cut
from app.services.tasks import schedule
from app.services.uow import UnitOfWork


def enabled() -> bool:
    """Whether documents are embedded here (SEMANTIC_EMBED) and the model can load."""
    return bool(current_app.config.get("SEMANTIC_EMBED")) and embedder.available()


def _source(document: Document) -> tuple[str, str]:
    file = document.main_file
    return document.title or "", (file.extracted_text or "") if file else ""


def source_hash(document: Document) -> str:
    """What the vectors are made of: the model, the title and the text."""
    title, text = _source(document)
    digest = hashlib.sha256()
    for part in (embedder.MODEL_ID, title, text):
        digest.update(part.encode("utf-8"))
        digest.update(b"\0")
    return digest.hexdigest()


def needs_embedding(document: Document) -> bool:
    if document.disposition in Disposition.ERASED:
        return False
    title, text = _source(document)
    if not (title.strip() or text.strip()):
        return False
    current = source_hash(document)
    return not document.passages or any(p.source_hash != current for p in document.passages)


def schedule_if_needed(uow: UnitOfWork, document: Document) -> ProcessingTask | None:
    """After indexing: queue the embedding in the long lane, once."""
    if not current_app.config.get("SEMANTIC_EMBED") or not needs_embedding(document):
        return None
    if any(t.kind == "embed" and t.status in (ProcessingTask.QUEUED, ProcessingTask.RUNNING)
           for t in document.tasks):
        return None
    return schedule(uow, document, "embed", lane=ProcessingTask.LONG)


def embed(document: Document) -> int:
    """Cut, embed and store ``document``'s passages in place of the old ones (caller
    commits); the number of passages."""
    title, text = _source(document)
    passages = cut(text, title, current_app.config.get("SEMANTIC_MAX_PASSAGES", 150))
    vectors = embedder.passages([p.text for p in passages])
    current = source_hash(document)
    document.passages.clear()
    db.session.flush()  # the old rows go before the new ones take their ordinals
    for n, (passage, vector) in enumerate(zip(passages, vectors)):
        document.passages.append(DocumentPassage(
            ordinal=n, heading=passage.heading, text=passage.text,
            vector=embedder.to_bytes(vector), source_hash=current))
    return len(passages)


@dataclass
class SemanticState:
    state: str  # "done", "pending", "waiting" (not yet queued), "none" (nothing to embed), "off"
    passages: int = 0


def state(document: Document) -> SemanticState:
    """What the document page and the API say about the search by meaning."""
    count = len(document.passages)
    if any(t.kind == "embed" and t.status in (ProcessingTask.QUEUED, ProcessingTask.RUNNING)
           for t in document.tasks):
        return SemanticState("pending", count)
    if count and not needs_embedding(document):
        return SemanticState("done", count)
    if not current_app.config.get("SEMANTIC_EMBED"):
        return SemanticState("off", count)
    title, text = _source(document)
    if document.disposition in Disposition.ERASED or not (title.strip() or text.strip()):
        return SemanticState("none", count)
    return SemanticState("waiting", count)


def passage_texts(keys: list[tuple[int, int]]) -> dict[tuple[int, int], DocumentPassage]:
    """The passages (document id, ordinal) that matched, for showing them on hits."""
    if not keys:
        return {}
    wanted = set(keys)
    rows = db.session.scalars(select(DocumentPassage).where(
        DocumentPassage.document_id.in_({d for d, _ in keys}),
        DocumentPassage.ordinal.in_({n for _, n in keys})))  # not every passage's text
    return {(p.document_id, p.ordinal): p for p in rows if (p.document_id, p.ordinal) in wanted}


def missing_ids(limit: int | None = None, stale: bool = False) -> list[int]:
    """Documents to embed for ``flask search embed``: those without passages, and with
    ``stale`` also those whose title or text changed since (this reads every text)."""
    has_passages = select(DocumentPassage.id).where(
        DocumentPassage.document_id == Document.id).exists()
    live = Document.disposition.not_in(Disposition.ERASED)
    ids = list(db.session.scalars(select(Document.id).where(live, ~has_passages)
                                  .order_by(Document.id).limit(limit)))
    if stale:
        for doc_id in db.session.scalars(select(Document.id).where(live, has_passages)
                                         .order_by(Document.id)):
            if limit and len(ids) >= limit:
                break
            document = db.session.get(Document, doc_id)
            if needs_embedding(document):
                ids.append(doc_id)
            db.session.expunge(document)
    return [i for i in ids if _has_content(i)]


def _has_content(doc_id: int) -> bool:
    title, text = _source(db.session.get(Document, doc_id))
    return bool(title.strip() or text.strip())


@dataclass
class EmbedReport:
    documents: int = 0
    passages: int = 0
    index_errors: int = 0


def embed_many(ids: list[int], progress=None, chunk: int = 20) -> EmbedReport:
    """Embed ``ids`` in the calling process, committing and indexing every ``chunk``
    documents: an interrupted backfill loses at most one chunk of work."""
    from indexers.documents import index_many

    report = EmbedReport()
    for start in range(0, len(ids), chunk):
        documents = [d for d in (db.session.get(Document, i) for i in ids[start:start + chunk])
                     if d is not None and needs_embedding(d)]
        for document in documents:
            report.passages += embed(document)
            report.documents += 1
            if progress:
                progress(1)
        db.session.commit()
        taken = set(index_many(documents))
        report.index_errors += sum(1 for d in documents if d.id not in taken)
        if progress:
            progress(len(ids[start:start + chunk]) - len(documents))
        db.session.expunge_all()
    return report
