"""The dashboard, saved searches and notifications, in and out of the API."""
from flask_babel import lazy_gettext as _l
from marshmallow import (EXCLUDE, Schema, ValidationError, fields, validate, validates,
                         validates_schema)

from schemas.common import RowId, UtcDateTime


class CountOut(Schema):
    key = fields.String()
    label = fields.String()
    value = fields.Integer(metadata={"description": "Within the caller's clearance."})
    url = fields.String(metadata={"description": "The list behind the number (a page)."})


class UploadOut(Schema):
    id = fields.Integer()
    title = fields.String()
    status = fields.String()
    uploaded_at = fields.String(metadata={"format": "date-time"})
    url = fields.String()


class MyUploadsOut(CountOut):
    recent = fields.List(fields.Nested(UploadOut))


class LaneOut(Schema):
    lane = fields.String(metadata={"enum": ["interactive", "long"]})
    waiting = fields.Integer()
    running = fields.Integer()
    mean_seconds = fields.Float(allow_none=True, metadata={
        "description": "Mean duration of the lane's latest finished tasks."})
    wait_seconds = fields.Float(allow_none=True, metadata={
        "description": "waiting × mean ÷ tasks running now (at least 1)."})


class QueueOut(CountOut):
    lanes = fields.List(fields.Nested(LaneOut))


class ProposalWaitingOut(Schema):
    id = fields.Integer()
    action = fields.String()
    records = fields.Integer()
    proposed_by = fields.String()
    url = fields.String()


class BriefingBriefOut(Schema):
    id = fields.Integer()
    kind = fields.String()
    title = fields.String()
    held_at = fields.String(metadata={"format": "date-time"})
    url = fields.String()


class BriefingsOut(Schema):
    next = fields.Nested(BriefingBriefOut, allow_none=True)
    latest = fields.Nested(BriefingBriefOut, allow_none=True)
    year = fields.Integer()
    months_without_periodic = fields.List(fields.Integer(), metadata={
        "description": "Months of this year gone by without a periodic briefing."})
    this_month_held = fields.Boolean()
    calendar_url = fields.String()


class DocumentCountsOut(CountOut):
    per_month = fields.List(fields.Nested(CountOut))
    by_category = fields.List(fields.Nested(CountOut))


class SavedSearchBriefOut(Schema):
    id = fields.Integer()
    name = fields.String()
    new = fields.Integer(allow_none=True, metadata={
        "description": "New matches since the last look; null when search is unavailable."})
    notify = fields.Boolean()
    url = fields.String()


class DashboardOut(Schema):
    today = fields.String(metadata={"format": "date"})
    clearance = fields.String()
    unread_notifications = fields.Integer()
    my_uploads = fields.Nested(MyUploadsOut)
    queue = fields.Nested(QueueOut)
    waiting_for_me = fields.List(fields.Nested(CountOut))
    proposals_waiting = fields.List(fields.Nested(ProposalWaitingOut))
    briefings = fields.Nested(BriefingsOut)
    documents = fields.Nested(DocumentCountsOut)
    saved_searches = fields.List(fields.Nested(SavedSearchBriefOut))


class SavedSearchIn(Schema):
    class Meta:
        unknown = EXCLUDE

    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    query = fields.Dict(keys=fields.String(), values=fields.Raw(), required=True, metadata={
        "description": "The parameters of GET /api/v1/search (q, category, type, year, "
                       "agency, secrecy, date_from, date_to, cites, record_type, sort)."})
    notify = fields.Boolean(load_default=False)

    @validates("query")
    def _a_search_the_index_can_run(self, value, **kwargs):
        from schemas.documents import SearchIn

        errors = SearchIn().validate({k: str(v) for k, v in value.items()
                                      if v not in (None, "")})
        if errors:
            raise ValidationError(errors)


class NotifyIn(Schema):
    class Meta:
        unknown = EXCLUDE

    notify = fields.Boolean(required=True)


class SavedSearchOut(Schema):
    id = fields.Integer()
    name = fields.String()
    query = fields.Dict(keys=fields.String(), values=fields.String())
    notify = fields.Boolean()
    new = fields.Integer(allow_none=True, metadata={
        "description": "New matches since the last look; null when search is unavailable."})
    created_at = UtcDateTime()
    last_seen_at = UtcDateTime()
    url = fields.String(metadata={"description": "The search page showing it."})


class SavedSearchListOut(Schema):
    saved_searches = fields.List(fields.Nested(SavedSearchOut))


class DeletedSavedSearchOut(Schema):
    id = fields.Integer()
    deleted = fields.Boolean()


class NotificationQueryIn(Schema):
    class Meta:
        unknown = EXCLUDE

    unread = fields.String(load_default="0", validate=validate.OneOf(["0", "1"]))
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100_000))


class NotificationOut(Schema):
    id = fields.Integer()
    kind = fields.String(metadata={"enum": ["processing_done", "processing_failed",
                                            "proposal_waiting", "proposal_decided",
                                            "saved_search", "hold_placed"]})
    message = fields.String(metadata={"description": "A sentence, read now with the "
                                                     "caller's clearance of now."})
    url = fields.String(allow_none=True, metadata={
        "description": "What it is about; null for a record the caller may no longer see."})
    hidden = fields.Boolean(metadata={"description": "About a record above the caller's "
                                                     "clearance now: no title, no link."})
    document_id = fields.Integer(allow_none=True)
    read = fields.Boolean()
    created_at = UtcDateTime()


class NotificationListOut(Schema):
    total = fields.Integer()
    unread = fields.Integer()
    page = fields.Integer()
    notifications = fields.List(fields.Nested(NotificationOut))


class UnreadOut(Schema):
    unread = fields.Integer()


class MarkReadIn(Schema):
    class Meta:
        unknown = EXCLUDE

    ids = fields.List(RowId(), load_default=list, validate=validate.Length(max=1000),
                      metadata={"description": "These notifications (the caller's own)."})
    all = fields.Boolean(load_default=False, metadata={"description": "Every unread one."})

    @validates_schema
    def _something_to_mark(self, data, **kwargs):
        if not data["all"] and not data["ids"]:
            raise ValidationError({"ids": [str(_l("Give the ids, or all: true."))]})


class MarkedOut(Schema):
    marked = fields.Integer()
    unread = fields.Integer()
