"""The records a principal harvests: documents and briefings, in datestamp order.

A record is listed when ``app.sharing.visibility`` says the principal may see it
(then with its metadata) or that it left the archive for this principal once and
no longer may (destroyed, transferred, secrecy raised, sharing lowered: then as
*deleted*, which the archive keeps forever). Anything else -- internal records,
secret ones, records harvested from elsewhere -- is never listed, not even by
identifier.

The datestamp is the row's ``updated_at`` (naive UTC; every change of sharing,
secrecy or disposition moves it; a briefing's also moves with the materials and
coverage its record names, ``app.sharing.datestamps``). Lists are ordered by (datestamp, kind, id) and
paged by keyset: a page starts after the last record of the previous one.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from flask import current_app
from sqlalchemy import and_, func, or_, select, tuple_
from sqlalchemy.orm import load_only, selectinload

from app.extensions import db
from app.models import (Briefing, BriefingCoverage, BriefingMaterial, Document, DocumentFile,
                        PressArticle)
from app.sharing.oai import sets
from app.sharing.oai.tokens import Position
from app.sharing.visibility import (Principal, briefing_visible, briefing_withdrawn,
                                    document_visible, document_withdrawn)

DOC, BRIEFING = "doc", "briefing"
KINDS = {DOC: (Document, document_visible, document_withdrawn),
         BRIEFING: (Briefing, briefing_visible, briefing_withdrawn)}
ORDER = (DOC, BRIEFING)  # at equal datestamps documents come first
MAX_ID = 2**31 - 1


@dataclass
class Record:
    kind: str
    id: int
    datestamp: datetime
    deleted: bool
    item: Document | Briefing | None = None  # loaded for records that are not deleted
    set_specs: list[str] = field(default_factory=list)

    @property
    def position(self) -> Position:
        return Position(self.datestamp, self.kind, self.id)


@dataclass(frozen=True)
class Selection:
    """A list request: who asks, which set, which datestamps (``until`` exclusive)."""

    principal: Principal
    set_filter: sets.SetFilter = sets.EVERYTHING
    since: datetime | None = None
    before: datetime | None = None


def identifier(kind: str, record_id: int) -> str:
    return f"oai:{current_app.config['OAI_REPOSITORY_ID']}:{kind}/{record_id}"


def parse_identifier(value: str) -> tuple[str, int] | None:
    prefix = f"oai:{current_app.config['OAI_REPOSITORY_ID']}:"
    if not value.startswith(prefix):
        return None
    match = re.fullmatch(r"(doc|briefing)/([1-9][0-9]{0,9})", value[len(prefix):])
    if not match or int(match.group(2)) > MAX_ID:
        return None
    return match.group(1), int(match.group(2))


def page(selection: Selection, after: Position | None, size: int) -> list[Record]:
    """Up to ``size`` + 1 records after ``after`` (the extra one says whether more follow)."""
    found: list[Record] = []
    for kind in ORDER:
        stmt = _listed(kind, selection)
        if stmt is None:
            continue
        model = KINDS[kind][0]
        if after is not None:
            stmt = stmt.where(_after(kind, model, after))
        stmt = stmt.order_by(model.updated_at, model.id).limit(size + 1)
        found += [Record(kind, row.id, row.updated_at, not row.visible)
                  for row in db.session.execute(stmt)]
    found.sort(key=lambda r: (r.datestamp, ORDER.index(r.kind), r.id))
    found = found[:size + 1]
    load(selection.principal, found[:size])
    return found


def count(selection: Selection) -> int:
    total = 0
    for kind in ORDER:
        stmt = _listed(kind, selection)
        if stmt is not None:
            total += db.session.scalar(select(func.count()).select_from(stmt.subquery()))
    return total


def find(principal: Principal, value: str) -> Record | None:
    """The record behind an identifier, if this principal may know of it."""
    parsed = parse_identifier(value)
    if parsed is None:
        return None
    kind, record_id = parsed
    model = KINDS[kind][0]
    row = db.session.execute(_listed(kind, Selection(principal)).where(model.id == record_id)
                             ).first()
    if row is None:
        return None
    record = Record(kind, row.id, row.updated_at, not row.visible)
    load(principal, [record])
    return record


def earliest(principal: Principal) -> datetime | None:
    stamps = []
    for kind in ORDER:
        listed = _listed(kind, Selection(principal)).subquery()
        stamps.append(db.session.scalar(select(func.min(listed.c.updated_at))))
    stamps = [s for s in stamps if s is not None]
    return min(stamps) if stamps else None


# What the crosswalks and the visibility check read: never the extracted texts.
DOCUMENT_COLUMNS = (
    Document.id, Document.title, Document.category, Document.doc_type, Document.number,
    Document.symbol, Document.issuing_agency, Document.place, Document.issue_date,
    Document.summary, Document.signer_name, Document.signer_position, Document.recipients,
    Document.secrecy, Document.urgency, Document.language, Document.page_count,
    Document.sharing, Document.disposition, Document.source_id, Document.updated_at)
FILE_COLUMNS = (DocumentFile.id, DocumentFile.document_id, DocumentFile.original_filename,
                DocumentFile.media_type, DocumentFile.size, DocumentFile.sha256)


def load(principal: Principal, records: list[Record]) -> None:
    """Attach the rows of records that are not deleted, and their sets."""
    wanted = {kind: [r.id for r in records if r.kind == kind and not r.deleted] for kind in ORDER}
    documents = {d.id: d for d in db.session.scalars(
        select(Document).options(load_only(*DOCUMENT_COLUMNS),
                                 selectinload(Document.files).load_only(*FILE_COLUMNS))
        .where(Document.id.in_(wanted[DOC])))} if wanted[DOC] else {}
    briefings = {b.id: b for b in db.session.scalars(
        select(Briefing).options(selectinload(Briefing.materials)
                                 .selectinload(BriefingMaterial.document)
                                 .load_only(*DOCUMENT_COLUMNS),
                                 selectinload(Briefing.coverage)
                                 .selectinload(BriefingCoverage.article)
                                 .selectinload(PressArticle.document)
                                 .load_only(*DOCUMENT_COLUMNS))
        .where(Briefing.id.in_(wanted[BRIEFING])))} if wanted[BRIEFING] else {}
    for record in records:
        if record.deleted:
            continue
        if record.kind == DOC:
            record.item = documents[record.id]
            record.set_specs = sets.document_sets(record.item)
        else:
            record.item = briefings[record.id]
            record.set_specs = sets.briefing_sets(record.item)


def _listed(kind: str, selection: Selection):
    """SELECT id, updated_at, visible of the records of one kind this selection lists."""
    model, visible_for, withdrawn_for = KINDS[kind]
    in_set = (selection.set_filter.documents if kind == DOC
              else selection.set_filter.briefings)
    if in_set is None:
        return None
    visible = visible_for(selection.principal)
    stmt = select(model.id, model.updated_at, visible.label("visible")).where(
        or_(and_(visible, in_set), withdrawn_for(selection.principal)))
    if selection.since is not None:
        stmt = stmt.where(model.updated_at >= selection.since)
    if selection.before is not None:
        stmt = stmt.where(model.updated_at < selection.before)
    return stmt


def _after(kind: str, model, after: Position):
    """Records of ``kind`` that come after ``after`` in (datestamp, kind, id) order."""
    mine, theirs = ORDER.index(kind), ORDER.index(after.kind)
    if mine == theirs:
        return tuple_(model.updated_at, model.id) > tuple_(after.datestamp, after.id)
    if mine > theirs:
        return model.updated_at >= after.datestamp
    return model.updated_at > after.datestamp
