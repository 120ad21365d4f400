"""Retention schedule (file plan): edit it, assign it to records, find what is due.

A document's schedule comes from, in order: its dossier's schedule, an
archivist's override (with a reason), the most specific matching rule. The
clock starts at the end of the year the dossier closed or the document was
issued (DOMAIN.md); ``sweep`` marks records whose period has ended as due for
review and is run daily (``flask retention sweep``).
"""
from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.domain import retention as rules_logic
from app.domain.vocab import RETENTION_ACTIONS, RETENTION_TRIGGERS, levels_up_to
from app.extensions import db
from app.models import (
    Disposition, Document, Dossier, RetentionRule, RetentionSchedule, User,
)
from app.services import audit
from app.services.access import ensure_local, get_document, require
from app.services.errors import NotFound, ValidationFailed

log = logging.getLogger(__name__)
DEFAULTS_FILE = Path(__file__).resolve().parents[1] / "domain" / "data" / "retention_defaults.json"


@dataclass
class ScheduleValues:
    code: str
    title: str
    retention_years: int | None  # None: permanent
    trigger: str
    action: str
    legal_basis: str = ""


@dataclass
class RetentionInfo:
    """What the document page shows about a record's retention."""

    schedule: RetentionSchedule | None
    source: str | None         # dossier | override | rule
    closed_on: date | None     # when the clock started counting
    due_on: date | None        # None: permanent, unscheduled or dossier still open


def install_defaults() -> int:
    """Insert the shipped file plan where the tables are empty (idempotent)."""
    if db.session.scalar(select(RetentionSchedule.id).limit(1)) is not None:
        return 0
    data = json.loads(DEFAULTS_FILE.read_text(encoding="utf-8"))
    by_code = {}
    for entry in data["schedules"]:
        by_code[entry["code"]] = RetentionSchedule(is_default=True, **entry)
        db.session.add(by_code[entry["code"]])
    for rule in data["rules"]:
        db.session.add(RetentionRule(category=rule.get("category"), doc_type=rule.get("doc_type"),
                                     funding_source=rule.get("funding_source"),
                                     schedule=by_code[rule["schedule"]]))
    db.session.commit()
    return len(by_code)


def list_schedules(user: User) -> list[RetentionSchedule]:
    """The file plan; every signed-in user may read it."""
    require(user, "document.view")
    return list(db.session.scalars(select(RetentionSchedule).order_by(RetentionSchedule.code)))


def list_rules() -> list[RetentionRule]:
    return list(db.session.scalars(select(RetentionRule).order_by(RetentionRule.id)))


def get_schedule(schedule_id: int) -> RetentionSchedule:
    schedule = db.session.get(RetentionSchedule, schedule_id)
    if schedule is None:
        raise NotFound(_("Retention schedule not found."))
    return schedule


def save_schedule(user: User, schedule_id: int | None, values: ScheduleValues) -> RetentionSchedule:
    """Create or change a series; saving a shipped default confirms it."""
    require(user, "retention.manage")
    _validate(values)
    clash = db.session.scalar(select(RetentionSchedule).where(RetentionSchedule.code == values.code))
    schedule = get_schedule(schedule_id) if schedule_id else RetentionSchedule()
    if clash is not None and clash is not schedule:
        raise ValidationFailed(_("Another series already has this code."),
                               fields={"code": _("Already used.")})
    changes = audit.apply_changes(schedule, vars(values))
    schedule.is_default = False
    schedule.updated_by_id = user.id
    db.session.add(schedule)
    db.session.flush()
    audit.record(user, "schedule.save", "schedule", schedule.id, code=schedule.code,
                 changes=changes)
    db.session.commit()
    return schedule


def save_rule(user: User, category: str | None, doc_type: str | None,
              funding_source: str | None, schedule_id: int) -> RetentionRule:
    require(user, "retention.manage")
    rule = RetentionRule(category=category or None, doc_type=doc_type or None,
                         funding_source=funding_source or None,
                         schedule=get_schedule(schedule_id))
    db.session.add(rule)
    db.session.flush()
    audit.record(user, "rule.add", "retention_rule", rule.id, category=rule.category,
                 doc_type=rule.doc_type, funding_source=rule.funding_source,
                 schedule=rule.schedule.code)
    db.session.commit()
    return rule


def delete_rule(user: User, rule_id: int) -> None:
    require(user, "retention.manage")
    rule = db.session.get(RetentionRule, rule_id)
    if rule is None:
        raise NotFound(_("Rule not found."))
    audit.record(user, "rule.delete", "retention_rule", rule.id, category=rule.category,
                 doc_type=rule.doc_type, schedule=rule.schedule.code)
    db.session.delete(rule)
    db.session.commit()


def assign_schedule(document: Document, rules: list[RetentionRule] | None = None) -> None:
    """Apply the rules to ``document`` unless an archivist overrode them (caller commits)."""
    if document.schedule_override_reason:
        return
    rule = rules_logic.matching_rule(list_rules() if rules is None else rules,
                                     document.category, document.doc_type,
                                     document.funding_source)
    document.schedule = rule.schedule if rule else None


def override_schedule(user: User, document_id: int, schedule_id: int | None,
                      reason: str) -> Document:
    """An archivist's choice of schedule, kept with its reason; None returns to the rules."""
    require(user, "retention.manage")
    document = get_document(user, document_id)
    ensure_local(document)
    before = document.schedule.code if document.schedule else None
    if schedule_id is None:
        document.schedule_override_reason = None
        assign_schedule(document)
    else:
        if not (reason or "").strip():
            raise ValidationFailed(_("Give the reason for overriding the schedule."),
                                   fields={"reason": _("Required.")})
        document.schedule = get_schedule(schedule_id)
        document.schedule_override_reason = reason.strip()
    audit.record(user, "schedule.override", "document", document.id, before=before,
                 after=document.schedule.code if document.schedule else None, reason=reason)
    db.session.commit()
    return document


def info(document: Document) -> RetentionInfo:
    if document.dossier is not None and document.dossier.schedule is not None:
        schedule, source = document.dossier.schedule, "dossier"
    elif document.schedule is not None:
        schedule = document.schedule
        source = "override" if document.schedule_override_reason else "rule"
    else:
        return RetentionInfo(None, None, None, None)
    closed_on = _closed_on(document, schedule)
    years = schedule.retention_years
    return RetentionInfo(schedule, source, closed_on, rules_logic.due_date(years, closed_on))


def _closed_on(document: Document, schedule: RetentionSchedule) -> date | None:
    if document.dossier is not None:
        # The dossier's closing date governs its documents; open means not yet.
        return document.dossier.end_date
    if document.issue_date is not None:
        return document.issue_date
    # Without an issue date, count from the upload: later, so never too early.
    return document.uploaded_at.date()


@dataclass
class SweepReport:
    checked: int = 0
    newly_due: int = 0
    no_longer_due: int = 0
    failed: list[int] = field(default_factory=list)  # ids skipped with an error (logged)


def _sweep_one(document: Document, today: date, rules, actor: User | None,
               report: SweepReport) -> None:
    if document.schedule_id is None:
        # Archived before the file plan existed (or before a rule matched).
        assign_schedule(document, rules)
    due_on = info(document).due_on
    is_due = due_on is not None and today >= due_on
    if is_due and document.disposition == Disposition.ACTIVE:
        document.disposition = Disposition.DUE
        report.newly_due += 1
        audit.record(actor, "retention.due", "document", document.id,
                     due_on=due_on.isoformat(), today=today.isoformat())
    elif not is_due and document.disposition == Disposition.DUE:
        document.disposition = Disposition.ACTIVE
        report.no_longer_due += 1
        audit.record(actor, "retention.not_due", "document", document.id,
                     today=today.isoformat())


def sweep(today: date, actor: User | None = None) -> SweepReport:
    """Mark records whose retention ended by ``today`` as due for review.

    Records marked due whose schedule changed since (e.g. made permanent) go
    back to kept; records without a schedule get the one the rules give now.
    Idempotent; each change of state is audited.
    """
    report = SweepReport()
    rules = list_rules()
    last_id = 0
    while True:
        batch = list(db.session.scalars(
            select(Document).where(Document.id > last_id,
                                   Document.disposition.in_((Disposition.ACTIVE, Disposition.DUE)),
                                   # Harvested records follow their source's schedule, not ours.
                                   Document.source_id.is_(None))
            .options(selectinload(Document.schedule),
                     selectinload(Document.dossier).selectinload(Dossier.schedule))
            .order_by(Document.id).limit(500)))
        if not batch:
            break
        for document in batch:
            report.checked += 1
            try:
                with db.session.begin_nested():
                    _sweep_one(document, today, rules, actor, report)
            except Exception:  # noqa: BLE001 - one bad record must not stop the sweep
                report.failed.append(document.id)
                log.exception("retention sweep: document %s skipped", document.id)
        last_id = batch[-1].id
        db.session.commit()
    return report


def due_for_review(user: User, limit: int = 500) -> list[Document]:
    """Records due for review that ``user`` may see, oldest first."""
    require(user, "retention.manage")
    return list(db.session.scalars(
        select(Document).where(Document.disposition == Disposition.DUE,
                               Document.secrecy.in_(levels_up_to(user.clearance)))
        .order_by(Document.issue_date.asc().nulls_first(), Document.id).limit(limit)))


def _validate(values: ScheduleValues) -> None:
    problems = {}
    if not values.code.strip():
        problems["code"] = _("Required.")
    if not values.title.strip():
        problems["title"] = _("Required.")
    if values.retention_years is not None and not 1 <= values.retention_years <= 200:
        problems["retention_years"] = _("Between 1 and 200 years, or permanent.")
    if values.trigger not in RETENTION_TRIGGERS:
        problems["trigger"] = _("Not a known value.")
    if values.action not in RETENTION_ACTIONS:
        problems["action"] = _("Not a known value.")
    if problems:
        raise ValidationFailed(_("Please correct the highlighted fields."), fields=problems)
