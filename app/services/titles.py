"""Titles for documents nobody titled: composed from type, number and summary.

``retitle`` runs wherever the metadata changes without a person choosing the
title: at upload, after recognition (extraction), after an edit that kept the
automatic title. ``retitle_archive`` brings existing archives up to date (the
``flask archive retitle`` command); each changed record goes back to the index.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Callable

from sqlalchemy import func, select

from app.domain.titles import TitleSource, compose_title
from app.extensions import db
from app.models import Disposition, Document
from app.recognition.doctype import type_from_symbol
from app.services.tasks import schedule
from app.services.uow import UnitOfWork


def printed_number(document: Document) -> str:
    """Number and symbol as a title shows them: ``…/UBND-KGVX`` while the number is blank."""
    if not document.number and document.symbol and "-" in document.symbol:
        return f"…/{document.symbol}"
    return document.number_symbol


def automatic_title(document: Document) -> tuple[str, str]:
    """(title, source) for a document no person titled."""
    # No type entered or recognised: the symbol says it (07/CT-UBND is a Chỉ thị).
    doc_type = document.doc_type or type_from_symbol(document.symbol)
    composed = compose_title(doc_type, printed_number(document), document.summary)
    if composed:
        return composed, TitleSource.RECOGNISED
    return file_title(document), TitleSource.FILE_NAME


def file_title(document: Document) -> str:
    file = document.main_file
    if file is None:
        return document.title or "—"
    return PurePath(file.original_filename).stem or file.original_filename


def retitle(document: Document) -> bool:
    """Give an untitled document its automatic title; True when the title changed.

    A person's title is never touched. A file-name title is only replaced by a
    composed one, so a recognition that read nothing keeps what is there.
    """
    if document.title_source == TitleSource.PERSON:
        return False
    title, source = automatic_title(document)
    if source == TitleSource.FILE_NAME and document.title and \
            document.title_source == TitleSource.FILE_NAME:
        return False
    changed = title != document.title
    document.title, document.title_source = title, source
    return changed


@dataclass
class RetitleReport:
    checked: int = 0
    changed: list[int] = field(default_factory=list)


def count_untitled() -> int:
    return db.session.scalar(select(func.count()).select_from(Document).where(
        Document.title_source != TitleSource.PERSON)) or 0


def retitle_archive(progress: Callable[[int], None] = lambda n: None,
                    batch: int = 200) -> RetitleReport:
    """Compose titles for every record no person titled; changed ones are reindexed.

    Runs in batches, each its own transaction, so a long run can be stopped
    and started again (it is idempotent).
    """
    report = RetitleReport()
    last_id = 0
    while True:
        documents = list(db.session.scalars(
            select(Document).where(Document.title_source != TitleSource.PERSON,
                                   Document.id > last_id)
            .order_by(Document.id).limit(batch)))
        if not documents:
            return report
        uow = UnitOfWork()
        for document in documents:
            if retitle(document):
                report.changed.append(document.id)
                if document.disposition not in Disposition.ERASED:
                    document.bump_revision()
                    schedule(uow, document, "index")
        uow.commit()
        report.checked += len(documents)
        last_id = documents[-1].id
        progress(len(documents))
        db.session.expunge_all()
