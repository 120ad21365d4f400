"""The document list: filter, sort and page the documents a user may see.

Secrecy is part of the query itself (``levels_up_to``), so documents above the
user's clearance are neither listed nor counted. Every sort ends with the id,
so pages never overlap or skip rows that share a date or a title; the
matching indexes are in app/models/bulk.py (measured by bench/list_latency.py).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from typing import Mapping
from zoneinfo import ZoneInfo

from flask import current_app

from sqlalchemy import func, select
from sqlalchemy.orm import defer, selectinload

from app.domain import vocab
from app.domain.processing import STATUS_LABELS
from app.domain.vocab import levels_up_to
from app.extensions import db
from app.models import Document, DocumentFile, DocumentStatus, Dossier, SharingLevel, User
from app.services.access import require

PAGE_SIZE = 50
MAX_PAGE_SIZE = 200
# Counting is capped: an exact count of 100,000 visible rows is a full scan on
# every page view, and nobody pages past 10,000 rows (they sort or filter).
COUNT_CAP = 10_000
NULLABLE_SORTS = {"issue_date", "number"}  # empty values go last both ways
SORTS = {
    "uploaded": Document.uploaded_at,
    "issue_date": Document.issue_date,
    "title": Document.title,
    "number": Document.number_key,
}


@dataclass
class ListParams:
    status: str | None = None
    category: str | None = None
    doc_type: str | None = None
    year: int | None = None
    agency: str | None = None
    uploader: int | None = None   # user id
    dossier: int | None = None    # dossier id
    sharing: str | None = None    # internal | partner | public
    uploaded: str | None = None   # "2025-03": uploaded in that month (the archive's time zone)
    review: str | None = None     # "suggestions": recognised values no person has checked
    sort: str = "uploaded"
    descending: bool = True
    page: int = 1
    per_page: int = PAGE_SIZE


@dataclass
class DocumentPage:
    documents: list[Document]
    total: int               # at most COUNT_CAP + 1 (see ``more``)
    params: ListParams
    uploader: User | None = None     # the uploader filtered on, for its name
    dossier: Dossier | None = None   # the dossier filtered on, for its code
    uploaders: list[User] = field(default_factory=list)  # choices for the filters
    dossiers: list[Dossier] = field(default_factory=list)

    @property
    def more(self) -> bool:
        """More documents match than were counted (COUNT_CAP)."""
        return self.total > COUNT_CAP

    @property
    def pages(self) -> int:
        return max(1, -(-min(self.total, COUNT_CAP) // self.params.per_page))


def _int(value: str | None, low: int = 1, high: int = 10**9) -> int | None:
    try:
        number = int((value or "").strip())
    except ValueError:
        return None
    return number if low <= number <= high else None


REVIEWS = ("suggestions",)
_MONTH = re.compile(r"^(19|20)\d\d-(0[1-9]|1[0-2])$")


def month_bounds(month: str) -> tuple[datetime, datetime]:
    """A local calendar month ``YYYY-MM`` as a naive-UTC [start, end) range (stored times)."""
    year, number = int(month[:4]), int(month[5:7])
    tz = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])

    def utc(moment: datetime) -> datetime:
        return moment.replace(tzinfo=tz).astimezone(timezone.utc).replace(tzinfo=None)

    return utc(datetime(year, number, 1)), utc(datetime(year + number // 12, number % 12 + 1, 1))


def params_from_args(args: Mapping[str, str]) -> ListParams:
    """The list's filters, sort and page; unknown values are ignored, not refused."""
    def known(name: str, allowed) -> str | None:
        value = (args.get(name) or "").strip()
        return value if value in allowed else None

    sort = args.get("sort", "uploaded")
    return ListParams(
        status=known("status", STATUS_LABELS),
        category=known("category", vocab.CATEGORIES),
        doc_type=known("type", vocab.DOCUMENT_TYPES),
        year=_int(args.get("year"), 1900, 2100),
        agency=(args.get("agency") or "").strip()[:300] or None,
        uploader=_int(args.get("uploader")),
        dossier=_int(args.get("dossier")),
        sharing=known("sharing", SharingLevel.ALL),
        uploaded=(args.get("uploaded") or "").strip() if _MONTH.match(
            (args.get("uploaded") or "").strip()) else None,
        review=known("review", REVIEWS),
        sort=sort if sort in SORTS else "uploaded",
        descending=args.get("order", "desc" if sort in ("uploaded", "issue_date") else "asc")
        != "asc",
        page=_int(args.get("page")) or 1,
        per_page=_int(args.get("per_page"), 1, 200) or PAGE_SIZE,
    )


def filtered(user: User, params: ListParams):
    """SELECT of the visible documents matching ``params`` (no order, no paging)."""
    query = select(Document).where(Document.secrecy.in_(levels_up_to(user.clearance)))
    if params.status == DocumentStatus.PROCESSING:  # people see one "processing" state
        query = query.where(Document.status.in_(DocumentStatus.IN_PROGRESS))
    elif params.status:
        query = query.where(Document.status == params.status)
    if params.category:
        query = query.where(Document.category == params.category)
    if params.doc_type:
        query = query.where(Document.doc_type == params.doc_type)
    if params.year:
        # A range, not extract(year): the issue_date index answers it.
        query = query.where(Document.issue_date >= date(params.year, 1, 1),
                            Document.issue_date <= date(params.year, 12, 31))
    if params.agency:
        query = query.where(Document.issuing_agency == params.agency)
    if params.uploader:
        query = query.where(Document.uploaded_by_id == params.uploader)
    if params.dossier:
        query = query.where(Document.dossier_id == params.dossier)
    if params.sharing:
        query = query.where(Document.sharing == params.sharing)
    if params.uploaded:
        start, end = month_bounds(params.uploaded)
        query = query.where(Document.uploaded_at >= start, Document.uploaded_at < end)
    if params.review == "suggestions":
        # The bare column, as in the partial index's predicate, so that the index serves it.
        query = query.where(Document.suggestions_pending)
    return query


def list_documents(user: User, params: ListParams) -> DocumentPage:
    """One page of the documents ``user`` may see, with the total that match."""
    require(user, "document.view")
    params.per_page = max(1, min(params.per_page, MAX_PAGE_SIZE))
    query = filtered(user, params)
    counted = query.with_only_columns(Document.id).limit(COUNT_CAP + 1).subquery()
    total = db.session.scalar(select(func.count()).select_from(counted))
    pages = max(1, -(-min(total, COUNT_CAP) // params.per_page))
    params.page = max(1, min(params.page, pages))
    if params.sort not in SORTS:
        params.sort = "uploaded"
    key = SORTS[params.sort]
    # ASC is NULLS LAST by default; DESC NULLS LAST only where the column may be
    # empty (it has an index of that shape), plain DESC for NOT NULL columns so
    # their index can be read backwards.
    if not params.descending:
        order = [key.asc(), Document.id.asc()]
    elif params.sort in NULLABLE_SORTS:
        order = [key.desc().nulls_last(), Document.id.desc()]
    else:
        order = [key.desc(), Document.id.desc()]
    documents = list(db.session.scalars(
        # Never the extracted text (megabytes per file) nor the recognised values.
        query.options(defer(Document.extracted), defer(Document.summary),
                      defer(Document.recipients),
                      selectinload(Document.files).defer(DocumentFile.extracted_text)
                      .defer(DocumentFile.extraction_notes))
        .order_by(*order).offset((params.page - 1) * params.per_page).limit(params.per_page)))
    return DocumentPage(
        documents, total, params,
        uploader=db.session.get(User, params.uploader) if params.uploader else None,
        dossier=db.session.get(Dossier, params.dossier) if params.dossier else None,
        # People who may upload (a short table), not a DISTINCT over every document.
        uploaders=list(db.session.scalars(
            select(User).where(User.role != "viewer").order_by(User.username))),
        dossiers=list(db.session.scalars(select(Dossier).order_by(Dossier.code))),
    )
