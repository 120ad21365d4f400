"""Records management in and out: schedules, dossiers, holds, disposition proposals."""
from marshmallow import EXCLUDE, Schema, fields, validate

from schemas.documents import VnDate


class ScheduleOut(Schema):
    id = fields.Integer()
    code = fields.String()
    title = fields.String()
    retention_years = fields.Integer(allow_none=True)
    permanent = fields.Boolean()
    trigger = fields.String()
    action = fields.String()
    legal_basis = fields.String()
    is_default = fields.Boolean()


class ProposalIn(Schema):
    class Meta:
        unknown = EXCLUDE

    action = fields.String(required=True, validate=validate.OneOf(["destroy", "transfer"]))
    document_ids = fields.List(fields.Integer(), required=True, validate=validate.Length(min=1))
    reason = fields.String(required=True, validate=validate.Length(min=1, max=5000))


class DecisionIn(Schema):
    class Meta:
        unknown = EXCLUDE

    approve = fields.Boolean(required=True)
    decision_ref = fields.String(load_default="", validate=validate.Length(max=200))
    note = fields.String(load_default="", validate=validate.Length(max=5000))


class ProposalOut(Schema):
    id = fields.Integer()
    action = fields.String()
    reason = fields.String()
    status = fields.String()
    proposed_by = fields.Function(lambda p: p.proposed_by.username)
    proposed_at = fields.DateTime()
    decided_by = fields.Function(lambda p: p.decided_by.username if p.decided_by else None)
    decided_at = fields.DateTime(allow_none=True)
    decision_ref = fields.String(allow_none=True)
    decision_note = fields.String(allow_none=True)
    executed_at = fields.DateTime(allow_none=True)
    execution_note = fields.String(allow_none=True)
    package_sha256 = fields.String(allow_none=True)
    items = fields.Function(lambda p: [i.snapshot for i in p.items])


class HoldIn(Schema):
    class Meta:
        unknown = EXCLUDE

    reason = fields.String(required=True, validate=validate.Length(min=1, max=5000))
    document_id = fields.Integer(load_default=None)
    dossier_id = fields.Integer(load_default=None)
    query = fields.Dict(keys=fields.String(), values=fields.Raw(), load_default=None)


class HoldOut(Schema):
    id = fields.Integer()
    target_type = fields.String()
    document_id = fields.Integer(allow_none=True)
    dossier_id = fields.Integer(allow_none=True)
    query = fields.Dict(allow_none=True)
    reason = fields.String()
    placed_by = fields.Function(lambda h: h.placed_by.username if h.placed_by else None)
    placed_at = fields.DateTime()
    released_at = fields.DateTime(allow_none=True)
    release_reason = fields.String(allow_none=True)


class ReasonIn(Schema):
    class Meta:
        unknown = EXCLUDE

    reason = fields.String(required=True, validate=validate.Length(min=1, max=5000))


class OverrideIn(Schema):
    class Meta:
        unknown = EXCLUDE

    schedule_id = fields.Integer(required=True, allow_none=True)
    reason = fields.String(load_default="", validate=validate.Length(max=5000))


class DossierIn(Schema):
    class Meta:
        unknown = EXCLUDE

    code = fields.String(required=True, validate=validate.Length(min=1, max=60))
    title = fields.String(required=True, validate=validate.Length(min=1, max=500))
    year = fields.Integer(load_default=None, validate=validate.Range(min=1900, max=2100))
    start_date = VnDate(load_default=None)
    end_date = VnDate(load_default=None)
    schedule_id = fields.Integer(load_default=None)
    notes = fields.String(load_default=None, validate=validate.Length(max=5000))


class DossierOut(Schema):
    id = fields.Integer()
    code = fields.String()
    title = fields.String()
    year = fields.Integer(allow_none=True)
    start_date = fields.Date(allow_none=True)
    end_date = fields.Date(allow_none=True)
    schedule = fields.Function(lambda d: d.schedule.code if d.schedule else None)
    notes = fields.String(allow_none=True)
