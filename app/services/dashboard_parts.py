"""The dashboard's counts: the processing queue, documents per month and by category.

Each count is the document list's own query (``filtered``) reduced to aggregates,
so a bar and the list it links to always say the same number.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from app.domain.processing import LANES
from app.domain.vocab import CATEGORIES
from app.extensions import db
from app.models import Document, ProcessingTask, User
from app.services.document_list import ListParams, filtered

MEASURED_TASKS = 100  # the latest finished tasks of a lane give its mean duration


@dataclass
class Count:
    key: str
    label: str
    value: int
    link: tuple[str, dict]  # (endpoint, arguments) of the list behind the number


@dataclass
class Lane:
    lane: str
    label: str
    waiting: int                 # tasks of documents the reader may see
    running: int
    mean_seconds: float | None   # measured on the lane's latest finished tasks
    wait_seconds: float | None   # waiting × mean ÷ tasks running now (≈ busy workers)


def lanes(levels: list[str]) -> list[Lane]:
    """Tasks waiting and running per lane (visible documents), and the wait they mean."""
    rows = db.session.execute(
        select(ProcessingTask.lane, ProcessingTask.status, func.count())
        .join(Document, Document.id == ProcessingTask.document_id)
        .where(ProcessingTask.status.in_((ProcessingTask.QUEUED, ProcessingTask.RUNNING)),
               Document.secrecy.in_(levels))
        .group_by(ProcessingTask.lane, ProcessingTask.status)).all()
    counts = {(lane, status): n for lane, status, n in rows}
    out = []
    for lane in (ProcessingTask.INTERACTIVE, ProcessingTask.LONG):
        waiting = counts.get((lane, ProcessingTask.QUEUED), 0)
        running = counts.get((lane, ProcessingTask.RUNNING), 0)
        mean = _mean_seconds(lane)
        wait = waiting * mean / max(1, running) if mean is not None else None
        out.append(Lane(lane, str(LANES[lane]), waiting, running, mean, wait))
    return out


def _mean_seconds(lane: str) -> float | None:
    """Mean duration of the lane's latest finished tasks (the newest ids come first)."""
    rows = db.session.execute(
        select(ProcessingTask.started_at, ProcessingTask.finished_at)
        .where(ProcessingTask.lane == lane, ProcessingTask.status == ProcessingTask.DONE,
               ProcessingTask.started_at.is_not(None), ProcessingTask.finished_at.is_not(None))
        .order_by(ProcessingTask.id.desc()).limit(MEASURED_TASKS)).all()
    if not rows:
        return None
    total = sum(max(0.0, (end - start).total_seconds()) for start, end in rows)
    return round(total / len(rows), 2)


def month_counts(user: User, today: date) -> list[Count]:
    """Documents uploaded in each month of this year so far: the list's own filter for each
    month, as one statement of index-only range counts (bucketing every row of the year by
    month cost 4-8 times more at 100,000 documents)."""
    months = [f"{today.year}-{m:02d}" for m in range(1, today.month + 1)]
    counts = [filtered(user, ListParams(uploaded=month)).with_only_columns(
        func.count()).scalar_subquery() for month in months]
    values = db.session.execute(select(*counts)).one()
    return [Count(month, f"{month[5:]}/{month[:4]}", value or 0,
                  ("documents.index", {"uploaded": month}))
            for month, value in zip(months, values)]


def category_counts(user: User) -> list[Count]:
    """Every document the reader may see, by category, largest first."""
    rows = db.session.execute(filtered(user, ListParams()).with_only_columns(
        Document.category, func.count()).group_by(Document.category)).all()
    rows = sorted(rows, key=lambda r: (-r[1], r[0] or ""))
    return [Count(category, str(CATEGORIES.get(category, category)), n,
                  ("documents.index", {"category": category})) for category, n in rows]
