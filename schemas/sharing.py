"""Sharing levels in and out of the API (documents and briefings)."""
from __future__ import annotations

from marshmallow import EXCLUDE, Schema, fields, validate

from app.models.sharing import SharingLevel
from schemas.common import UtcDateTime

LEVEL = validate.OneOf(list(SharingLevel.ALL))
LEVEL_HELP = ("internal (staff only), partner (also partner agencies that harvest this "
              "archive) or public (anyone: the public portal and its feed). Only records "
              "with secrecy thuong can be shared.")


class SharingIn(Schema):
    class Meta:
        unknown = EXCLUDE

    level = fields.String(required=True, validate=LEVEL, metadata={"description": LEVEL_HELP})


class BriefingSharingIn(SharingIn):
    publish_coverage = fields.Boolean(load_default=True, metadata={
        "description": "The publication rule, kept on the briefing: while it is public, its "
                       "press coverage is public too -- now and whenever coverage is added "
                       "later (each record checked; the refused ones are listed)."})


class SharingOut(Schema):
    id = fields.Integer()
    sharing = fields.String()
    shared_at = UtcDateTime(allow_none=True)
    public_at = UtcDateTime(allow_none=True)
    public_url = fields.String(allow_none=True, metadata={
        "description": "Its page on the public portal, while anyone may see it."})


class RefusedOut(Schema):
    id = fields.Integer()
    title = fields.String()
    message = fields.String(metadata={"description": "Why it stays as it was."})


class BriefingSharingOut(SharingOut):
    publish_coverage = fields.Boolean(metadata={"description": "The publication rule is on."})
    published = fields.List(fields.Integer(), metadata={
        "description": "Coverage documents made public by this change."})
    refused = fields.List(fields.Nested(RefusedOut), metadata={
        "description": "Coverage documents that could not be made public."})
