"""Harvest sources and runs (administrators): what the API shows of them.

The access token is write-only: answers say only whether one is stored.
"""
from __future__ import annotations

from marshmallow import Schema, fields

from app.sharing.harvest.messages import sentence, state_label


class RunCountsOut(Schema):
    created = fields.Integer()
    updated = fields.Integer()
    deleted = fields.Integer(metadata={"description": "Withdrawn by the source (destroyed "
                                                      "there, or no longer shared)."})
    unchanged = fields.Integer()
    skipped = fields.Integer(metadata={"description": "Not a document (e.g. a briefing)."})
    failed = fields.Integer()
    files_fetched = fields.Integer()
    files_reused = fields.Integer(metadata={"description": "Files whose bytes (SHA-256) were "
                                                           "already here: not downloaded."})


class HarvestRunOut(Schema):
    id = fields.Integer()
    source_id = fields.Integer()
    status = fields.String(metadata={"description": "queued, running, done or failed."})
    status_label = fields.Function(lambda r: state_label(
        r.status, (r.counts or {}).get("failed", 0)))
    started_at = fields.DateTime()
    finished_at = fields.DateTime(allow_none=True)
    harvest_from = fields.DateTime(allow_none=True, metadata={
        "description": "The `from` sent to the source (null: everything)."})
    seen = fields.Integer(metadata={"description": "Records read so far."})
    total = fields.Integer(allow_none=True, metadata={
        "description": "The source's completeListSize, when it gives one."})
    counts = fields.Function(lambda r: {k: int((r.counts or {}).get(k, 0)) for k in (
        "created", "updated", "deleted", "unchanged", "skipped", "failed", "files_fetched",
        "files_reused")}, metadata={"type": "object"})
    errors = fields.Function(lambda r: [sentence(e) for e in (r.errors or [])],
                             metadata={"type": "array", "items": {"type": "string"},
                                       "description": "What went wrong, as sentences."})


class HarvestSourceOut(Schema):
    id = fields.Integer()
    name = fields.String()
    base_url = fields.String()
    set_spec = fields.String(allow_none=True)
    metadata_prefix = fields.String()
    has_token = fields.Function(lambda s: bool(s.token), metadata={"type": "boolean"})
    schedule_hours = fields.Integer()
    enabled = fields.Boolean()
    harvested_until = fields.DateTime(allow_none=True)
    last_run_at = fields.DateTime(allow_none=True)
    last_status = fields.String(allow_none=True)
    last_error = fields.Function(lambda s: sentence(s.last_error) or None,
                                 metadata={"type": ["string", "null"]})


class HarvestSourceDetailOut(HarvestSourceOut):
    records = fields.Integer(metadata={"description": "Records from this source kept here."})
    runs = fields.List(fields.Nested(HarvestRunOut))


class HarvestSourceListOut(Schema):
    sources = fields.List(fields.Nested(HarvestSourceOut))
