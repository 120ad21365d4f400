"""Retention actions: what is waiting now and what was done in the period.

"Due" and "proposed" are states (how things stand when the report is made);
proposals, destructions, transfers and holds are counted by the day they
happened. Records above the reader's clearance are not counted, nor holds
on them, nor proposals holding any of them (as on the retention pages).
"""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import func, or_, select

from app.domain.vocab import levels_up_to
from app.extensions import db
from app.models import (
    Disposition, DispositionItem, DispositionProposal, Document, Dossier, LegalHold, User,
)
from app.services.report_model import Chart, Figure, Period, Section, Table
from app.services.reports_briefings import utc_bounds


def retention_section(user: User, period: Period) -> Section:
    start, end = utc_bounds(period)
    allowed = levels_up_to(user.clearance)

    def records(*where) -> int:
        return db.session.scalar(select(func.count()).select_from(Document)
                                 .where(Document.secrecy.in_(allowed), *where))

    def proposed_in_period(action: str) -> int:
        return db.session.scalar(
            select(func.count(func.distinct(DispositionItem.document_id)))
            .join(DispositionProposal, DispositionProposal.id == DispositionItem.proposal_id)
            .join(Document, Document.id == DispositionItem.document_id)
            .where(DispositionProposal.action == action, Document.secrecy.in_(allowed),
                   DispositionProposal.proposed_at >= start, DispositionProposal.proposed_at < end))

    in_period = (Document.disposed_at >= start, Document.disposed_at < end)
    visible_hold = or_(LegalHold.document_id.is_(None), Document.secrecy.in_(allowed))
    holds = list(db.session.execute(
        select(LegalHold, Document.title, Dossier.code)
        .outerjoin(Document, LegalHold.document_id == Document.id)
        .outerjoin(Dossier, LegalHold.dossier_id == Dossier.id)
        .where(visible_hold, LegalHold.placed_at < end,
               or_(LegalHold.released_at.is_(None), LegalHold.released_at >= start))
        .order_by(LegalHold.placed_at, LegalHold.id)))
    placed = sum(1 for h, *_rest in holds if h.placed_at >= start)
    active_now = db.session.scalar(
        select(func.count()).select_from(LegalHold)
        .outerjoin(Document, LegalHold.document_id == Document.id)
        .where(visible_hold, LegalHold.released_at.is_(None)))
    actions = [
        ("due_now", _("Due for review (now)"), records(Document.disposition == Disposition.DUE)),
        ("proposed_now", _("In a proposal waiting for a decision (now)"),
         records(Document.disposition == Disposition.PROPOSED)),
        ("proposed_destroy", _("Proposed for destruction in the period"),
         proposed_in_period("destroy")),
        ("proposed_transfer", _("Proposed for transfer in the period"),
         proposed_in_period("transfer")),
        ("destroyed", _("Destroyed in the period"),
         records(Document.disposition == Disposition.DESTROYED, *in_period)),
        ("transferred", _("Transferred in the period"),
         records(Document.disposition == Disposition.TRANSFERRED, *in_period)),
        ("holds_placed", _("Legal holds placed in the period"), placed),
        ("holds_active", _("Legal holds in force (now)"), active_now),
    ]
    return Section("retention", _("Retention actions"), figures=[
        Figure(key, label, value) for key, label, value in actions
    ], tables=[
        Table("retention_actions", _("Retention actions"), [
            ("action", _("Retention action")), ("records", _("Records or holds"))],
            [{"key": k, "action": label, "records": v} for k, label, v in actions],
            chart=Chart("action", ["records"])),
        _decisions(start, end, allowed),
        Table("holds", _("Legal holds in force during the period"), [
            ("placed_at", _("Placed")), ("target", _("On")), ("reason", _("Reason")),
            ("released_at", _("Released"))],
            [{"id": h.id, "placed_at": f"{h.placed_at:%d/%m/%Y}",
              "target": _hold_target(h, title, code), "reason": h.reason,
              "released_at": f"{h.released_at:%d/%m/%Y}" if h.released_at else ""}
             for h, title, code in holds], empty=_("No legal holds.")),
    ])


def _hold_target(hold: LegalHold, title: str | None, code: str | None) -> str:
    if hold.target_type == LegalHold.DOCUMENT:
        return _("Record #%(id)s %(title)s", id=hold.document_id, title=title or "")
    if hold.target_type == LegalHold.DOSSIER:
        return _("Dossier %(code)s", code=code or hold.dossier_id)
    return _("Saved search %(q)s", q=", ".join(f"{k}={v}" for k, v in (hold.query or {}).items()))


def _decisions(start, end, allowed) -> Table:
    """Executed proposals of the period whose every record the reader may see."""
    hidden = (select(DispositionItem.proposal_id)
              .join(Document, Document.id == DispositionItem.document_id)
              .where(Document.secrecy.not_in(allowed)))
    rows = db.session.execute(
        select(DispositionProposal.id, DispositionProposal.action,
               DispositionProposal.decision_ref, DispositionProposal.executed_at,
               func.count(DispositionItem.id))
        .join(DispositionItem, DispositionItem.proposal_id == DispositionProposal.id)
        .where(DispositionProposal.status == DispositionProposal.EXECUTED,
               DispositionProposal.executed_at >= start, DispositionProposal.executed_at < end,
               DispositionProposal.id.not_in(hidden))
        .group_by(DispositionProposal.id).order_by(DispositionProposal.executed_at)).all()
    labels = {"destroy": _("Destruction"), "transfer": _("Transfer")}
    return Table("disposition_decisions", _("Destructions and transfers carried out"), [
        ("executed_at", _("Carried out")), ("action", _("Kind of disposition")),
        ("decision_ref", _("Decision")), ("records", _("Records"))],
        [{"id": i, "executed_at": f"{at:%d/%m/%Y}", "action": labels.get(a, a),
          "decision_ref": ref or "", "records": n} for i, a, ref, at, n in rows],
        empty=_("Nothing destroyed or transferred."))
