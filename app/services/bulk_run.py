"""Running a bulk operation: one document at a time, through the ordinary services.

Idempotent and resumable: the operation remembers how many documents it has
processed, and each action first checks whether the document is already as
asked (counted as unchanged), so running it again after a crash or a retry
changes nothing twice. Called in the request for small selections and by
app.jobs.bulk for large ones.
"""
from __future__ import annotations

import logging

from flask_babel import gettext as _
from sqlalchemy import select

from app.domain.vocab import levels_up_to
from app.extensions import db
from app.models import BulkOperation, Document, DocumentStatus, LegalHold, User
from app.models.user import utcnow
from app.services import audit, dossiers, holds, retention
from app.services import documents as document_service
from app.services.errors import Conflict, NotFound, PermissionDenied, ServiceError
from app.services.tasks import schedule
from app.services.uow import UnitOfWork
from app.sharing.levels import SharingRefused, set_document_sharing

log = logging.getLogger(__name__)
CHANGED, UNCHANGED, SKIPPED, NOT_FOUND, FAILED = (
    "changed", "unchanged", "skipped", "not_found", "failed")


def run(operation_id: int) -> str:
    """Process the operation's documents; a finished operation is left alone."""
    db.session.rollback()  # a fresh view of the database
    operation = db.session.get(BulkOperation, operation_id)
    if operation is None or operation.finished:
        return "skipped"
    operation.status, operation.started_at = BulkOperation.RUNNING, utcnow()
    db.session.commit()
    user = db.session.get(User, operation.created_by_id)
    try:
        if operation.action == "export_zip":
            from app.services.bulk_export import export_zip

            export_zip(user, operation)
        else:
            _each_document(user, operation)
    except Exception as exc:  # noqa: BLE001 - recorded on the operation for its author
        log.exception("bulk operation %s failed", operation_id)
        db.session.rollback()
        operation = db.session.get(BulkOperation, operation_id)
        operation.status, operation.finished_at = BulkOperation.FAILED, utcnow()
        operation.error = str(getattr(exc, "message", "") or exc)[:2000] or type(exc).__name__
        db.session.commit()
        return "failed"
    operation.status, operation.progress = BulkOperation.DONE, 100
    operation.finished_at = utcnow()
    audit.record(user, "bulk.done", "bulk", operation.id, bulk_action=operation.action,
                 changed=operation.changed, unchanged=operation.unchanged,
                 skipped=operation.skipped, failed=operation.failed)
    db.session.commit()
    return "done"


def _each_document(user: User, operation: BulkOperation) -> None:
    apply = ACTIONS[operation.action]
    for document_id in operation.document_ids[operation.processed:]:
        try:
            outcome = apply(user, document_id, operation.params)
        except Exception as exc:  # noqa: BLE001 - sorted below; one record never stops the rest
            db.session.rollback()  # whatever the refused change had begun
            outcome = _refused(user, operation, document_id, exc)
        operation.count(outcome)
        # Every time: a rollback for the next document must not undo this count.
        db.session.commit()


def _refused(user: User, operation: BulkOperation, document_id: int, exc: Exception) -> str:
    """The outcome of a refused document; its author reads why, one sentence each."""
    if isinstance(exc, NotFound):
        return NOT_FOUND  # gone, or now above the user's clearance: never counted apart
    if isinstance(exc, ServiceError):
        log.info("bulk %s: document %s refused: %s", operation.id, document_id, exc.message)
        operation.refuse(document_id, exc.message, _visible_title(user, document_id))
    else:
        log.error("bulk %s: document %s failed", operation.id, document_id, exc_info=exc)
        operation.refuse(document_id, _("An unexpected error stopped the change of this "
                                        "document; it was left as it was."),
                         _visible_title(user, document_id))
    if isinstance(exc, (PermissionDenied, Conflict, SharingRefused)):
        return SKIPPED    # not the user's to change; legal holds; disposed or secret records
    return FAILED


def _visible_title(user: User, document_id: int) -> str | None:
    document = db.session.get(Document, document_id)
    if document is None or document.secrecy not in levels_up_to(user.clearance):
        return None
    return document.title


def _set_field(name: str):
    def apply(user: User, document_id: int, params: dict) -> str:
        document = document_service.get_editable(user, document_id)
        if getattr(document, name) == params["value"]:
            return UNCHANGED
        changes = audit.apply_changes(document, {name: params["value"]})
        audit.record(user, "edit", "document", document.id, changes=changes, bulk=True)
        retention.assign_schedule(document)
        document.bump_revision()
        uow = UnitOfWork()
        schedule(uow, document, "index")
        uow.commit()
        return CHANGED
    return apply


def _set_schedule(user: User, document_id: int, params: dict) -> str:
    document = document_service.get_document(user, document_id)
    if document.schedule_id == params["schedule_id"] and document.schedule_override_reason:
        return UNCHANGED
    retention.override_schedule(user, document_id, params["schedule_id"], params["reason"])
    return CHANGED


def _add_to_dossier(user: User, document_id: int, params: dict) -> str:
    document = document_service.get_document(user, document_id)
    if document.dossier_id == params["dossier_id"]:
        return UNCHANGED
    dossiers.add_document(user, params["dossier_id"], document_id)
    return CHANGED


def _hold(user: User, document_id: int, params: dict) -> str:
    document = document_service.get_document(user, document_id)
    held = db.session.scalar(select(LegalHold.id).where(
        LegalHold.document_id == document.id, LegalHold.released_at.is_(None)).limit(1))
    if held is not None:
        return UNCHANGED  # already held on its own: a second hold adds nothing
    holds.place_hold(user, params["reason"], document_id=document.id)
    return CHANGED


def _set_sharing(user: User, document_id: int, params: dict) -> str:
    document = document_service.get_document(user, document_id)
    if document.sharing == params["value"]:
        return UNCHANGED
    set_document_sharing(user, document_id, params["value"], bulk=True)  # checks; audits
    return CHANGED


def _retry(user: User, document_id: int, params: dict) -> str:
    document = document_service.get_document(user, document_id)
    if document.status != DocumentStatus.FAILED:
        return UNCHANGED  # only failed documents are processed again
    document_service.retry_document(user, document_id)
    return CHANGED


ACTIONS = {
    "set_category": _set_field("category"),
    "set_type": _set_field("doc_type"),
    "set_schedule": _set_schedule,
    "add_to_dossier": _add_to_dossier,
    "hold": _hold,
    "retry": _retry,
    "set_sharing": _set_sharing,
}
