"""Bulk operations: the request (action over ids or a search) and the operation's state."""
from __future__ import annotations

from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate, validates_schema

from app.services.bulk import ACTIONS, MAX_SELECTION, BulkRequest


class BulkIn(Schema):
    class Meta:
        unknown = EXCLUDE

    action = fields.String(required=True, validate=validate.OneOf(list(ACTIONS)))
    document_ids = fields.List(fields.Integer(strict=True, validate=validate.Range(min=1)),
                               validate=validate.Length(max=MAX_SELECTION))
    # set_sharing: value internal | partner | public (archivists).
    # Search parameters as on GET /api/v1/search (q, category, type, year, agency, ...).
    query = fields.Dict(keys=fields.String(), values=fields.Raw(allow_none=True), metadata={
        "description": "Search parameters as on GET /api/v1/search (q, category, type, year, "
                       "agency, secrecy, sharing, cites, date_from, date_to, mode): every "
                       "document that search finds within the caller's clearance, those "
                       "found only by meaning included when mode is hybrid. Briefings are "
                       "left out."})
    value = fields.String(allow_none=True, validate=validate.Length(max=300))
    reason = fields.String(allow_none=True, validate=validate.Length(max=2000))

    @validates_schema
    def one_selection(self, data, **kwargs):
        if bool(data.get("document_ids")) == bool(data.get("query")):
            raise ValidationError("Send either document_ids or query.", "document_ids")

    def to_request(self, data: dict) -> BulkRequest:
        return BulkRequest(action=data["action"], document_ids=data.get("document_ids"),
                           query=data.get("query"), value=data.get("value"),
                           reason=data.get("reason"))


class RefusalOut(Schema):
    document_id = fields.Integer()
    title = fields.String(allow_none=True, metadata={
        "description": "The document's title, when the caller may see it."})
    message = fields.String(metadata={"description": "Why it was left as it was."})


class BulkOut(Schema):
    id = fields.Integer()
    action = fields.String()
    status = fields.String()
    progress = fields.Integer()
    total = fields.Integer()
    processed = fields.Integer()
    changed = fields.Integer()
    unchanged = fields.Integer()
    skipped = fields.Integer()
    failed = fields.Integer()
    not_found = fields.Integer()
    error = fields.String(allow_none=True)
    refusals = fields.List(fields.Nested(RefusalOut), attribute="refusal_list", metadata={
        "description": "Why documents were skipped or failed, one sentence each (the "
                       "first 200)."})
    created_at = fields.DateTime()
    started_at = fields.DateTime(allow_none=True)
    finished_at = fields.DateTime(allow_none=True)


class BulkAnswerOut(BulkOut):
    """BulkOut with where to follow it (the API's answer)."""

    url = fields.String(metadata={"description": "This operation in the API."})
    page_url = fields.String(metadata={"description": "Its page with a live progress bar."})
    download_url = fields.String(allow_none=True, metadata={
        "description": "The ZIP of a download operation, once done."})
