"""Background processing of a document: extract its text, then index it.

Both jobs take a ProcessingTask id, reload everything from the database and
can run any number of times with the same result. Permanent failures (a
corrupt or encrypted file) are written on the document and not raised;
anything else is raised so that RQ retries it with backoff.
"""
from __future__ import annotations

import logging
import tempfile
from pathlib import Path

from flask import current_app

from app.extensions import db
from app.extractors import OCR_SKIPPED, ExtractionError, ExtractionLimits, extract
from app.models import Disposition, Document, DocumentStatus, ProcessingTask
from app.models.user import utcnow
from app import storage
from app.services import notifications, previews, semantic
from app.services.citations import apply_recognition
from app.services.retention import assign_schedule
from app.services.tasks import schedule
from app.services.uow import UnitOfWork
from app.text.vietnamese import normalize
from indexers import documents as document_index

log = logging.getLogger(__name__)


def extract_document(task_id: int) -> str:
    task = _start(task_id)
    if task is None:
        return "skipped"
    document = task.document
    file = document.main_file
    if file is None or document.disposition in Disposition.ERASED:
        _finish(task)  # destroyed or deleted meanwhile: nothing left to read
        db.session.commit()
        return "skipped: erased"
    if file.extraction_method is not None:
        _finish(task)  # one run per revision: a retry asks again by clearing the method
        db.session.commit()
        return "skipped: already extracted"
    document.status = DocumentStatus.PROCESSING
    db.session.commit()
    replaced: list[str] = []  # renderings of an earlier run, removed once this one is kept
    try:
        # One local copy of the original for the parsers and the renderers (with S3,
        # a temporary file of this process; with the local folder, the file itself).
        with storage.local_copy(file.sha256) as original, \
                tempfile.TemporaryDirectory(prefix="extract-") as work_dir:
            result = extract(original, file.media_type,
                             limits=_limits(ocr=task.lane == ProcessingTask.LONG),
                             work_dir=Path(work_dir),
                             progress=lambda done, total: _progress(task, done, total))
            searchable = result.derived_files.get("searchable_pdf")
            if searchable and Path(searchable).exists():
                with open(searchable, "rb") as stream:
                    file.searchable_sha256 = storage.save(stream, 1 << 40).sha256
            previews_done = (None if OCR_SKIPPED in result.warnings
                             else _render_previews(file, replaced, original))
    except ExtractionError as exc:
        document.status = DocumentStatus.FAILED
        document.error_code, document.error_detail = exc.code, exc.detail or None
        file.extracted_text = None
        outcome = f"failed: {exc.code}"
        task_error = f"{exc.code}: {exc.detail}" if exc.detail else exc.code
    else:
        if OCR_SKIPPED in result.warnings:
            return _continue_in_long_lane(task, document)
        task_error = None
        file.extracted_text = normalize(result.text) if result.text else None
        file.page_count = result.page_count
        file.extraction_method = "none" if result.no_text_layer else result.method
        file.extraction_quality = result.quality
        file.extraction_notes = {"methods": result.methods, "warnings": result.warnings,
                                 "details": _jsonable(result.details),
                                 "previews": previews_done}
        if document.page_count is None:
            document.page_count = result.page_count
        if file.extracted_text:
            apply_recognition(document, file.extracted_text)
            # The type or date read from the text can change the retention series.
            assign_schedule(document)
        document.error_code = document.error_detail = None
        outcome = "no text layer" if result.no_text_layer else "extracted"
    # Failed documents are still indexed: their metadata stays findable.
    document.bump_revision()
    uow = UnitOfWork()
    if document.status == DocumentStatus.FAILED:
        notifications.processing_finished(uow, document)  # the uploader, with this commit
    _finish(task, error=task_error)
    schedule(uow, document, "index")
    uow.after_commit(lambda: previews.remove_replaced(replaced))
    uow.commit()
    return outcome


def _render_previews(file, replaced: list[str], original: Path) -> dict:
    """Thumbnail and PDF rendition; a failure is noted, never fatal to the extraction."""
    with tempfile.TemporaryDirectory(prefix="preview-") as work_dir:
        outcome = previews.render_for(file, Path(work_dir), original)
    replaced += outcome.replaced
    return {"thumbnail": outcome.thumbnail, "preview": outcome.preview,
            "ms": {k: round(v * 1000) for k, v in outcome.seconds.items()},
            "error": outcome.error}


def _continue_in_long_lane(task: ProcessingTask, document: Document) -> str:
    """Scanned pages need OCR (seconds to minutes a page): not in the interactive lane."""
    uow = UnitOfWork()
    _finish(task)
    schedule(uow, document, "extract", lane=ProcessingTask.LONG)
    uow.commit()
    return "OCR needed: continued in the long lane"


def index_document(task_id: int) -> str:
    task = _start(task_id)
    if task is None:
        return "skipped"
    document = task.document
    revision = document.revision
    if document.disposition in Disposition.ERASED:
        # A tombstone has no search entry; deleting is as idempotent as indexing.
        document_index.delete(document.id)
        document.indexed_revision = max(document.indexed_revision, revision)
        _finish(task)
        db.session.commit()
        _refresh_briefings(document.id)  # their entries held this record's text
        return "deleted"
    # The final status goes into the index entry too (search shows it); it is
    # committed only if Elasticsearch accepted the write.
    uow = UnitOfWork()
    if document.status in DocumentStatus.IN_PROGRESS and _extraction_done(document):
        no_text = document.main_file.extraction_method == "none"
        document.status = DocumentStatus.NO_TEXT if no_text else DocumentStatus.INDEXED
        # Searchable now: the uploader is told, in the commit that says so.
        notifications.processing_finished(uow, document)
    try:
        document_index.index(document)
    except Exception:
        db.session.rollback()
        raise
    # Only move forward: a slower, older job must not lower the mark.
    if document.indexed_revision < revision:
        document.indexed_revision = revision
    _finish(task)
    semantic.schedule_if_needed(uow, document)  # searchable by meaning after this
    uow.commit()
    _refresh_briefings(document.id)
    return "indexed"


def _refresh_briefings(document_id: int) -> None:
    """Briefings are searchable by their materials' and coverage's text: follow it."""
    from app.services.briefings import reindex_for_document

    try:
        reindex_for_document(document_id)
    except Exception:  # noqa: BLE001 - their revision is ahead now; reconcile retries
        db.session.rollback()
        log.warning("briefings of document %s not reindexed", document_id, exc_info=True)


JOBS = {"extract": extract_document, "index": index_document}


def _limits(ocr: bool = True) -> ExtractionLimits:
    config = current_app.config
    return ExtractionLimits(ocr=ocr, max_pages=config["EXTRACT_MAX_PAGES"],
                            max_chars=config["EXTRACT_MAX_CHARS"],
                            # Leave the job time to index after OCR.
                            ocr_timeout_s=max(30, config["EXTRACT_JOB_TIMEOUT"] - 60))


def _progress(task: ProcessingTask, done: int, total: int) -> None:
    """Page-by-page progress (OCR), committed so pages can show it live."""
    task.progress = int(done * 100 / total) if total else 0
    db.session.commit()


def _jsonable(details: dict) -> dict:
    return {k: (v if isinstance(v, (str, int, float, bool, list, type(None))) else str(v))
            for k, v in (details or {}).items()}


def on_job_failure(job, connection, exc_type, exc_value, traceback) -> None:
    """RQ calls this after each failed attempt: record it where people look."""
    try:
        db.session.rollback()
        task = db.session.get(ProcessingTask, job.args[0])
        if task is None or task.status in (ProcessingTask.DONE, ProcessingTask.FAILED):
            # Finished, or superseded by reconcile after its worker died: an
            # abandoned job handed back by RQ must not bring the task back to life.
            return
        task.error = f"{exc_type.__name__}: {exc_value}"[:2000]
        retries_left = job.retries_left or 0
        task.status = ProcessingTask.QUEUED if retries_left else ProcessingTask.FAILED
        db.session.commit()
    except Exception:  # noqa: BLE001 - the database may be what failed
        db.session.rollback()
        log.exception("could not record failure of job %s", job.id)


def _start(task_id: int) -> ProcessingTask | None:
    db.session.rollback()  # a fresh view of the database for every job
    task = db.session.get(ProcessingTask, task_id)
    # DONE: already ran; FAILED: superseded by reconcile or out of retries.
    if task is None or task.status not in (ProcessingTask.QUEUED, ProcessingTask.RUNNING):
        return None
    task.status = ProcessingTask.RUNNING
    task.attempts += 1
    task.started_at = utcnow()
    task.error = None
    db.session.commit()
    return task


def _finish(task: ProcessingTask, error: str | None = None) -> None:
    """Mark the task finished; with ``error``, as failed: the file could not be read."""
    task.status = ProcessingTask.FAILED if error else ProcessingTask.DONE
    task.error = error
    task.progress = 100
    task.finished_at = utcnow()


def _extraction_done(document: Document) -> bool:
    file = document.main_file
    return file is None or file.extraction_method is not None
