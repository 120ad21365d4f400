"""One harvest of one source, from the last successful harvest onwards.

The provider's own clock decides ``from``: the run asks Identify first and
keeps its responseDate; only a run that ends without a failed record moves
the source's ``harvested_until`` there, so a record that failed is asked for
again next time (records already here come back as "unchanged").

Records are taken in batches: the existing rows of a batch are looked up at
once, each record is applied in a savepoint (one bad record never stops the
rest), the batch is committed with its progress, and then its work is sent:
extraction jobs for new files, one bulk index request for records whose
search entry only needs rewriting. A run whose process died is taken over
once its last sign of life is older than ``HARVEST_STALE_SECONDS``.
"""
from __future__ import annotations

import json
import logging
from collections import Counter
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import timedelta
from typing import Callable

from flask import current_app
from sqlalchemy import inspect as sa_inspect
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models import Document, HarvestRun, HarvestSource, User
from app.models.user import utcnow
from app.services.errors import FileTooLarge, ValidationFailed
from app.services.uow import UnitOfWork
from app.sharing.harvest import messages
from app.sharing.harvest.after_batch import index_now, remove_unused
from app.sharing.harvest.client import HarvestError, OaiClient, format_from
from app.sharing.harvest.importer import Importer
from app.sharing.harvest.mapping import MappingError, read_record

log = logging.getLogger(__name__)

BATCH = 100
QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
ACTIVE = (QUEUED, RUNNING)
OUTCOMES = ("created", "updated", "deleted", "unchanged", "skipped", "failed")


def stale_before():
    return utcnow() - timedelta(seconds=current_app.config.get("HARVEST_STALE_SECONDS", 900))


def active_run(source_id: int, exclude: int | None = None) -> HarvestRun | None:
    """A run of this source that is waiting or running and still alive."""
    query = select(HarvestRun).where(
        HarvestRun.source_id == source_id, HarvestRun.status.in_(ACTIVE),
        (HarvestRun.progress_at.is_(None) & (HarvestRun.started_at >= stale_before()))
        | (HarvestRun.progress_at >= stale_before()))
    if exclude is not None:
        query = query.where(HarvestRun.id != exclude)
    return db.session.scalar(query.order_by(HarvestRun.id.desc()).limit(1))


def execute(run_id: int, progress: Callable[[HarvestRun, int], None] | None = None
            ) -> HarvestRun:
    """Run harvest ``run_id`` (queued) to its end; idempotent for a finished run."""
    db.session.rollback()
    run = db.session.get(HarvestRun, run_id)
    if run is None or run.status not in ACTIVE:
        return run
    source = db.session.scalar(select(HarvestSource).where(HarvestSource.id == run.source_id)
                               .with_for_update())
    if active_run(source.id, exclude=run.id) is not None:
        # The source's state belongs to the run that is alive: only this one ends.
        run.status, run.finished_at = FAILED, utcnow()
        run.errors = [messages.entry("already_running")]
        db.session.commit()
        return run
    _abandon_dead_runs(source, run)
    run.status, run.started_at, run.progress_at = RUNNING, utcnow(), utcnow()
    run.counts = {k: 0 for k in OUTCOMES}
    run.harvest_from = source.harvested_until
    source.last_status, source.last_run_at = RUNNING, run.started_at
    db.session.commit()
    actor = db.session.get(User, run.triggered_by_id) if run.triggered_by_id else None
    client = OaiClient(source.base_url, source.token,
                       timeout=current_app.config.get("HARVEST_TIMEOUT_SECONDS", 60))
    try:
        _harvest(run, source, client, actor, progress)
    except HarvestError as exc:
        db.session.rollback()
        _finish(run, source, FAILED, messages.entry(exc.code, **exc.params))
    except Exception:  # noqa: BLE001 - recorded on the run; details in the log
        db.session.rollback()
        log.exception("harvest run %s of source %s failed", run.id, source.id)
        _finish(run, source, FAILED, messages.entry("internal"))
    finally:
        client.close()
    return run


def _harvest(run: HarvestRun, source: HarvestSource, client: OaiClient, actor: User | None,
             progress) -> None:
    identity = client.identify()
    run.until = identity.response_date
    since = format_from(source.harvested_until, identity.granularity) \
        if source.harvested_until else None
    stream = client.records(source.metadata_prefix or "nd30", source.set_spec, since)
    counts: Counter = Counter({k: 0 for k in OUTCOMES})
    errors: list[dict] = []
    importer = Importer(source, client, actor)
    # While one batch is written here, the files of the next are downloaded beside it.
    with ThreadPoolExecutor(max_workers=1) as downloader:
        waiting, elements = None, []
        for element in stream:
            if run.total is None:
                run.total = stream.complete_list_size
            elements.append(element)
            if len(elements) >= BATCH:
                ready = _read(elements, downloader, importer, source.id)
                if waiting is not None:
                    _batch(run, source, importer, waiting, counts, errors, progress)
                waiting, elements = ready, []
        ready = _read(elements, downloader, importer, source.id) if elements else None
        for pending in (waiting, ready):
            if pending is not None:
                _batch(run, source, importer, pending, counts, errors, progress)
    run.counts = {**dict(counts), "files_fetched": importer.files_fetched,
                  "files_reused": importer.files_reused}
    _finish(run, source, DONE, None, errors)


class _Read:
    """A batch read from the provider, its files being fetched in the background."""

    def __init__(self, elements: list, records: list, unreadable: list, downloads: Future):
        self.elements, self.records, self.unreadable = elements, records, unreadable
        self.downloads = downloads


def _read(elements: list, downloader: ThreadPoolExecutor, importer: Importer,
          source_id: int) -> _Read:
    records, unreadable = [], []
    for element in elements:
        try:
            records.append(read_record(element))
        except MappingError:
            unreadable.append(_identifier(element))
    app = current_app._get_current_object()

    def fetch() -> dict:
        with app.app_context():
            try:
                return importer.download_all(importer.wanted(records, _existing(
                    db.session.get(HarvestSource, source_id), records)))
            finally:
                db.session.remove()

    return _Read(elements, records, unreadable, downloader.submit(fetch))


def _batch(run, source, importer: Importer, read: _Read, counts: Counter,
           errors: list[dict], progress) -> None:
    elements, records = read.elements, read.records
    for identifier in read.unreadable:
        counts["failed"] += 1
        _note(errors, messages.entry("record_unreadable", identifier))
    uow = UnitOfWork()
    importer.start_batch(uow)
    existing = _existing(source, records)
    importer.take_downloads(read.downloads.result())
    fetched, reused = importer.files_fetched, importer.files_reused
    try:
        # The quick way: the whole batch in one savepoint and one flush.
        with db.session.begin_nested():
            outcomes = [_apply(run, importer, record, existing, uow, errors)
                        for record in records]
            db.session.flush()
            importer.settle()
    except SQLAlchemyError:
        # A record the database refused: again one at a time, each in its own savepoint.
        log.warning("harvest run %s: batch refused, applying its records one by one",
                    run.id, exc_info=True)
        uow = UnitOfWork()
        importer.start_batch(uow)
        importer.files_fetched, importer.files_reused = fetched, reused
        existing = _existing(source, records)
        outcomes = [_apply_alone(run, importer, record, existing, uow, errors)
                    for record in records]
    counts.update(outcomes)
    run.seen += len(elements)
    run.progress_at = utcnow()
    run.counts = {**dict(counts), "files_fetched": importer.files_fetched,
                  "files_reused": importer.files_reused}
    run.errors = list(errors)
    unused = importer.take_unused_blobs()
    to_index = [d.id for d in importer.to_index if d.id is not None]
    uow.after_commit(lambda: remove_unused(unused))
    uow.commit()
    index_now(to_index)
    if progress:
        progress(run, len(elements))


def _existing(source: HarvestSource, records: list) -> dict:
    identifiers = [r.identifier for r in records]
    if not identifiers:
        return {}
    return {d.source_identifier: d for d in db.session.scalars(
        select(Document).where(Document.source_id == source.id,
                               Document.source_identifier.in_(identifiers))
        .options(selectinload(Document.files)))}


def _apply(run, importer: Importer, record, existing: dict, uow, errors: list) -> str:
    """One record into the session; a refused file or field counts it as failed."""
    try:
        outcome, document = importer.apply(record, existing.get(record.identifier), uow)
    except HarvestError as exc:
        _note(errors, messages.entry(exc.code, record.identifier, **exc.params))
        return "failed"
    except FileTooLarge:
        _note(errors, messages.entry("file_too_large", record.identifier))
        return "failed"
    except ValidationFailed as exc:
        fields = ", ".join(sorted((exc.details.get("fields") or {}).keys()))
        _note(errors, messages.entry("record_invalid", record.identifier, fields=fields))
        return "failed"
    if outcome == "created":  # listed twice in one batch: found the second time
        existing[record.identifier] = document
    return outcome


def _apply_alone(run, importer: Importer, record, existing: dict, uow, errors: list) -> str:
    try:
        with db.session.begin_nested():
            outcome = _apply(run, importer, record, existing, uow, errors)
            db.session.flush()
            importer.settle()
        return outcome
    except Exception:  # noqa: BLE001 - one record never stops the rest
        log.exception("harvest run %s: record %s failed", run.id, record.identifier)
        importer.pending = []
        document = existing.get(record.identifier)
        if document is not None and sa_inspect(document).transient:
            del existing[record.identifier]  # its row was rolled back
        _note(errors, messages.entry("record_failed", record.identifier))
        return "failed"


def _identifier(element) -> str | None:
    from app.sharing.harvest.client import OAI

    return (element.findtext(f"{OAI}header/{OAI}identifier") or "").strip()[:300] or None


def _note(errors: list[dict], error: dict) -> None:
    if len(errors) < messages.MAX_ERRORS:
        errors.append(error)


def _abandon_dead_runs(source: HarvestSource, current: HarvestRun) -> None:
    for other in db.session.scalars(select(HarvestRun).where(
            HarvestRun.source_id == source.id, HarvestRun.status.in_(ACTIVE),
            HarvestRun.id != current.id)):
        other.status, other.finished_at = FAILED, utcnow()
        other.errors = [*(other.errors or []), messages.entry("abandoned")]


def _finish(run: HarvestRun, source: HarvestSource, status: str, error: dict | None,
            errors: list[dict] | None = None) -> None:
    run.status, run.finished_at, run.progress_at = status, utcnow(), utcnow()
    run.errors = list(errors if errors is not None else (run.errors or []))
    if error:
        run.errors.append(error)
    failed = (run.counts or {}).get("failed", 0)
    source.last_status = status
    source.last_run_at = run.finished_at
    first = error or (run.errors[0] if failed and run.errors else None)
    source.last_error = json.dumps(first, ensure_ascii=False) if first else None
    if status == DONE and not failed and run.until is not None:
        source.harvested_until = run.until
    db.session.commit()
