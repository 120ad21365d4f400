"""Records management in and out: schedules, dossiers, holds, disposition proposals."""
from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate, validates

from schemas.common import RowId, UtcDateTime
from schemas.documents import DocumentRef, VnDate


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
    document_ids = fields.List(RowId(), required=True, validate=validate.Length(min=1, max=1000))
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
    proposed_by = fields.Function(lambda p: p.proposed_by.username,
                                  metadata={"type": "string"})
    proposed_at = UtcDateTime()
    decided_by = fields.Function(lambda p: p.decided_by.username if p.decided_by else None,
                                 metadata={"type": ["string", "null"]})
    decided_at = UtcDateTime(allow_none=True)
    decision_ref = fields.String(allow_none=True)
    decision_note = fields.String(allow_none=True)
    executed_at = UtcDateTime(allow_none=True)
    execution_note = fields.String(allow_none=True)
    package_sha256 = fields.String(allow_none=True)
    items = fields.Function(lambda p: [i.snapshot for i in p.items], metadata={
        "type": "array", "items": {"type": "object"},
        "description": "Each record as it was when proposed."})


class HoldIn(Schema):
    class Meta:
        unknown = EXCLUDE

    reason = fields.String(required=True, validate=validate.Length(min=1, max=5000))
    document_id = RowId(load_default=None, allow_none=True)
    dossier_id = RowId(load_default=None, allow_none=True)
    query = fields.Dict(keys=fields.String(), values=fields.Raw(), load_default=None,
                        allow_none=True, metadata={
                            "description": "A saved search: the parameters of "
                                           "GET /api/v1/search (q, category, type, year, "
                                           "agency, secrecy, date_from, date_to, cites)."})

    @validates("query")
    def _a_search_the_index_can_run(self, value, **kwargs):
        """Checked now, not when a deletion later asks whether the hold covers a record."""
        if value is None:
            return
        from schemas.documents import SearchIn

        errors = SearchIn().validate({k: str(v) for k, v in value.items()
                                      if v not in (None, "")})
        if errors:
            raise ValidationError(errors)


class HoldOut(Schema):
    id = fields.Integer()
    target_type = fields.String()
    document_id = fields.Integer(allow_none=True)
    dossier_id = fields.Integer(allow_none=True)
    query = fields.Dict(allow_none=True)
    reason = fields.String()
    placed_by = fields.Function(lambda h: h.placed_by.username if h.placed_by else None,
                                metadata={"type": ["string", "null"]})
    placed_at = UtcDateTime()
    released_at = UtcDateTime(allow_none=True)
    release_reason = fields.String(allow_none=True)


class ReasonIn(Schema):
    class Meta:
        unknown = EXCLUDE

    reason = fields.String(required=True, validate=validate.Length(min=1, max=5000))


class OverrideIn(Schema):
    class Meta:
        unknown = EXCLUDE

    schedule_id = RowId(required=True, allow_none=True)
    reason = fields.String(load_default="", validate=validate.Length(max=5000))


class DossierIn(Schema):
    class Meta:
        unknown = EXCLUDE

    code = fields.String(required=True, validate=validate.Length(min=1, max=60))
    title = fields.String(required=True, validate=validate.Length(min=1, max=500))
    year = fields.Integer(load_default=None, validate=validate.Range(min=1900, max=2100))
    start_date = VnDate(load_default=None)
    end_date = VnDate(load_default=None)
    schedule_id = RowId(load_default=None, allow_none=True)
    notes = fields.String(load_default=None, validate=validate.Length(max=5000))


class DossierOut(Schema):
    id = fields.Integer()
    code = fields.String()
    title = fields.String()
    year = fields.Integer(allow_none=True)
    start_date = fields.Date(allow_none=True)
    end_date = fields.Date(allow_none=True)
    schedule = fields.Function(lambda d: d.schedule.code if d.schedule else None,
                               metadata={"type": ["string", "null"]})
    notes = fields.String(allow_none=True)


class DossierDocumentIn(Schema):
    class Meta:
        unknown = EXCLUDE

    document_id = RowId(required=True)


class ProposalFiltersIn(Schema):
    class Meta:
        unknown = EXCLUDE

    status = fields.String(load_default=None, validate=validate.OneOf(
        ["proposed", "approved", "rejected", "executed", "blocked"]))


class HoldFiltersIn(Schema):
    class Meta:
        unknown = EXCLUDE

    all = fields.String(load_default="0", validate=validate.OneOf(["0", "1"]),
                        metadata={"description": "1: released holds too."})


class ScheduleListOut(Schema):
    schedules = fields.List(fields.Nested(ScheduleOut))


class DueListOut(Schema):
    documents = fields.List(fields.Nested(DocumentRef))


class ProposalListOut(Schema):
    proposals = fields.List(fields.Nested(ProposalOut))


class HoldListOut(Schema):
    holds = fields.List(fields.Nested(HoldOut))


class OverrideOut(Schema):
    id = fields.Integer()
    schedule = fields.String(allow_none=True)


class DeletedOut(Schema):
    id = fields.Integer()
    disposition = fields.String()


class DossierSummaryOut(DossierOut):
    documents = fields.Integer(metadata={"description": "How many documents it holds."})


class DossierListOut(Schema):
    dossiers = fields.List(fields.Nested(DossierSummaryOut))


class DossierDetailOut(DossierOut):
    documents = fields.List(fields.Nested(DocumentRef))


class OkOut(Schema):
    ok = fields.Boolean()
