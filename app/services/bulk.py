"""Bulk work on many documents: start it, run it (in the request or a job), read its state.

A selection is a list of ids or "the whole result" of a search (or of the
document list's filters), resolved when the operation is created and always
within the user's clearance: documents above it are neither changed nor
counted. Each document is then checked again, when its turn comes, by the
same service a person would use one document at a time (permissions,
secrecy, legal holds, disposed records), and every change is audited there.

Small selections run in the request; larger ones are recorded as queued and
sent to the job queue after the commit through a port the application factory
wires (``set_enqueuer``): services never import app.jobs.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Callable

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from app.domain.vocab import CATEGORIES, DOCUMENT_TYPES, levels_up_to
from app.extensions import db
from app.models import BulkOperation, Document, Dossier, RetentionSchedule, SharingLevel, User
from app.models.user import utcnow
from app.services import audit
from app.services.access import require
from app.services.errors import NotFound, PermissionDenied, ValidationFailed

log = logging.getLogger(__name__)

# Which permission (any of them) a person needs to start each action; whether
# each document may be changed is decided per document when it is processed.
ACTIONS = {
    "set_category": ("document.edit", "document.upload"),
    "set_type": ("document.edit", "document.upload"),
    "set_schedule": ("retention.manage",),
    "add_to_dossier": ("retention.manage",),
    "hold": ("retention.manage",),
    "retry": ("document.retry", "document.upload"),
    "export_zip": ("document.view",),
    "set_sharing": ("sharing.manage",),
}
INLINE_MAX = 50          # larger selections run as a background job
MAX_SELECTION = 10_000   # Elasticsearch's result window; the list uses the same cap

_enqueue: Callable[[int], None] | None = None


def set_enqueuer(fn: Callable[[int], None]) -> None:
    global _enqueue
    _enqueue = fn


@dataclass
class BulkRequest:
    action: str
    document_ids: list[int] | None = None
    query: dict | None = None   # search parameters; {"from": "list", ...}: the list's filters
    value: str | None = None
    reason: str | None = None


def start(user: User, request: BulkRequest) -> BulkOperation:
    """Create the operation; run it now when small, otherwise queue it."""
    if request.action not in ACTIONS:
        raise ValidationFailed(_("Choose what to do with the documents."),
                               fields={"action": _("Not a known value.")})
    if not any(user.can(p) for p in ACTIONS[request.action]):
        raise PermissionDenied(_("You do not have permission to do this."))
    params = _params(request)
    ids, requested = _selection(user, request)
    if not ids:
        raise ValidationFailed(_("Select at least one document."))
    operation = BulkOperation(action=request.action, params=params, document_ids=ids,
                              query=request.query, total=len(ids), created_by=user,
                              not_found=max(0, requested - len(ids)))
    db.session.add(operation)
    db.session.flush()
    audit.record(user, "bulk.start", "bulk", operation.id, bulk_action=operation.action,
                 total=operation.total, **_audit_details(operation.action, params))
    db.session.commit()
    if operation.total <= current_app.config.get("BULK_INLINE_MAX", INLINE_MAX):
        from app.services.bulk_run import run  # the runner builds on this module

        run(operation.id)
    else:
        _send(operation)
    return operation


# The action's argument under the names the audit page knows (app.web.audit.present).
_DETAIL_NAMES = {"set_category": "category", "set_type": "doc_type",
                 "set_schedule": "schedule", "add_to_dossier": "dossier",
                 "set_sharing": "sharing"}


def _audit_details(action: str, params: dict) -> dict:
    details = {"reason": params["reason"]} if params.get("reason") else {}
    if action in _DETAIL_NAMES and params.get("value"):
        details[_DETAIL_NAMES[action]] = params["value"]
    return details


def _send(operation: BulkOperation) -> None:
    try:
        if _enqueue is None:
            raise RuntimeError("no job queue wired (create_app sets it)")
        _enqueue(operation.id)
    except Exception as exc:  # noqa: BLE001 - Redis down: say so on the operation
        log.warning("bulk operation %s could not be queued", operation.id, exc_info=True)
        db.session.rollback()
        operation.status, operation.finished_at = BulkOperation.FAILED, utcnow()
        operation.error = _("The job queue is unavailable; nothing was changed. Try again "
                            "later.") + f" ({type(exc).__name__})"
        db.session.commit()


def get_operation(user: User, operation_id: int) -> BulkOperation:
    """An operation its author (or an administrator) may follow; others get NotFound."""
    require(user, "document.view")
    operation = db.session.get(BulkOperation, operation_id)
    if operation is None or (operation.created_by_id != user.id and not user.can("users.manage")):
        raise NotFound(_("Bulk operation not found."))
    return operation


def find_dossiers(user: User, text: str, limit: int = 20) -> list[Dossier]:
    """Dossiers whose code or title contains ``text`` (for picking one by name)."""
    require(user, "document.view")
    return list(db.session.scalars(
        select(Dossier).where(_matches(text)).order_by(Dossier.code).limit(limit)))


def _matches(text: str):
    """Code or title contains ``text`` (case-insensitive; % and _ taken literally)."""
    pattern = "%" + "".join("\\" + c if c in "%_\\" else c for c in (text or "").strip()) + "%"
    return Dossier.code.ilike(pattern, escape="\\") | Dossier.title.ilike(pattern, escape="\\")


def _params(request: BulkRequest) -> dict:
    """The action's argument, checked and resolved (dossier and series by code)."""
    value = (request.value or "").strip()
    reason = (request.reason or "").strip()
    action = request.action
    if action == "set_category" and value not in CATEGORIES:
        raise ValidationFailed(_("Choose a category."), fields={"value": _("Required.")})
    if action == "set_type" and value not in DOCUMENT_TYPES:
        raise ValidationFailed(_("Choose a document type."), fields={"value": _("Required.")})
    if action == "set_sharing" and value not in SharingLevel.ALL:
        raise ValidationFailed(_("Choose a sharing level."), fields={"value": _("Required.")})
    if action == "set_schedule":
        schedule = db.session.scalar(select(RetentionSchedule).where(
            RetentionSchedule.code == value))
        if schedule is None:
            raise ValidationFailed(_("Choose a retention series."), fields={"value": _("Required.")})
        if not reason:
            raise ValidationFailed(_("Give the reason for overriding the schedule."),
                                   fields={"reason": _("Required.")})
        return {"value": schedule.code, "schedule_id": schedule.id, "reason": reason}
    if action == "add_to_dossier":
        dossier = _dossier_by_name(value)
        return {"value": dossier.code, "dossier_id": dossier.id}
    if action == "hold":
        reason = reason or value
        if not reason:
            raise ValidationFailed(_("Give the reason for the hold."),
                                   fields={"reason": _("Required.")})
        return {"reason": reason}
    return {"value": value} if value else {}


def _dossier_by_name(text: str) -> Dossier:
    """The dossier with this code, or the only one whose code or title contains ``text``."""
    if not text:
        raise ValidationFailed(_("Choose a dossier."), fields={"value": _("Required.")})
    exact = db.session.scalar(select(Dossier).where(Dossier.code == text))
    if exact is not None:
        return exact
    found = db.session.scalars(
        select(Dossier).where(_matches(text)).limit(2)).all()
    if len(found) != 1:
        raise ValidationFailed(
            _("No dossier matches “%(text)s”.", text=text) if not found else
            _("Several dossiers match “%(text)s”: choose one from the list.", text=text),
            fields={"value": _("Choose one dossier.")})
    return found[0]


def _selection(user: User, request: BulkRequest) -> tuple[list[int], int]:
    """(visible ids to work on, how many were asked for)."""
    if request.document_ids:
        wanted = list(dict.fromkeys(int(i) for i in request.document_ids))[:MAX_SELECTION]
        visible = set(db.session.scalars(select(Document.id).where(
            Document.id.in_(wanted), Document.secrecy.in_(levels_up_to(user.clearance)))))
        return [i for i in wanted if i in visible], len(wanted)
    if request.query is not None:
        from app.services.bulk_select import query_ids

        ids = query_ids(user, request.query, MAX_SELECTION)
        return ids, len(ids)
    raise ValidationFailed(_("Select at least one document."))
