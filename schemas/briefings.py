"""Briefings in (JSON) and out; coverage metadata in (multipart form fields)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from marshmallow import EXCLUDE, Schema, ValidationError, fields, post_load, pre_load, validate

from app.domain.dates import EARLIEST, LATEST, DateProblem, in_range, parse_datetime

from app.domain.briefings import HOSTS, KINDS, MATERIAL_ROLES, TOPICS
from schemas.common import Upload, UtcDateTime
from schemas.documents import VnDate


class LocalDateTime(fields.DateTime):
    """A wall-clock time in the archive's time zone (``2024-03-14T14:00`` or
    ``14/03/2024 14:00``); an explicit offset is honoured. Loaded as naive UTC."""

    def _deserialize(self, value, attr, data, **kwargs):
        from datetime import datetime, timezone

        from app.services.briefings import from_local

        text = " ".join(str(value).split())
        try:
            return from_local(parse_datetime(text))
        except DateProblem as problem:
            try:
                parsed = datetime.fromisoformat(text)  # seconds, an offset
            except ValueError:
                raise ValidationError(str(problem)) from None
        if not in_range(parsed):
            raise ValidationError(str(_l("The year must be between %(first)d and %(last)d.",
                                         first=EARLIEST.year, last=LATEST.year)))
        if parsed.tzinfo is None:
            return from_local(parsed)
        return parsed.astimezone(timezone.utc).replace(tzinfo=None)


class BriefingIn(Schema):
    class Meta:
        unknown = EXCLUDE

    kind = fields.String(required=True, validate=validate.OneOf(list(KINDS)))
    title = fields.String(required=True, validate=validate.Length(min=1, max=500))
    held_at = LocalDateTime(required=True)
    place = fields.String(allow_none=True, validate=validate.Length(max=300))
    hosts = fields.List(fields.String(validate=validate.OneOf(list(HOSTS))), load_default=list)
    topics = fields.List(fields.String(validate=validate.OneOf(list(TOPICS))),
                         load_default=list)
    outlets = fields.List(fields.String(validate=validate.Length(max=300)), load_default=list)
    chair = fields.String(allow_none=True, validate=validate.Length(max=300))
    spokespeople = fields.String(allow_none=True, validate=validate.Length(max=5000))
    minutes = fields.String(allow_none=True, validate=validate.Length(max=200000))
    incident_at = LocalDateTime(allow_none=True)
    incident_summary = fields.String(allow_none=True, validate=validate.Length(max=5000))

    @post_load
    def make(self, data, **kwargs):
        from app.services.briefings import BriefingData

        return BriefingData(**data)


class MaterialIn(Schema):
    class Meta:
        unknown = EXCLUDE

    reference = fields.String(required=True, validate=validate.Length(min=1, max=140))
    role = fields.String(load_default="other", validate=validate.OneOf(list(MATERIAL_ROLES)))


class CoverageIn(Schema):
    class Meta:
        unknown = EXCLUDE

    url = fields.String(allow_none=True, validate=validate.Length(max=2000))
    outlet = fields.String(required=True, validate=validate.Length(min=1, max=300))
    author = fields.String(allow_none=True, validate=validate.Length(max=300))
    published_on = VnDate(allow_none=True)
    title = fields.String(allow_none=True, validate=validate.Length(max=500))

    @pre_load
    def blank_to_none(self, data, **kwargs):
        return {k: (None if isinstance(v, str) and not v.strip() else v)
                for k, v in dict(data).items()}

    @post_load
    def make(self, data, **kwargs):
        from app.services.coverage import ArticleData

        return ArticleData(**data)


class BriefingFiltersIn(Schema):
    class Meta:
        unknown = EXCLUDE

    q = fields.String(load_default="", validate=validate.Length(max=500))
    year = fields.Integer(load_default=None, validate=validate.Range(min=1900, max=2100))
    month = fields.Integer(load_default=None, validate=validate.Range(min=1, max=12))
    kind = fields.String(load_default=None, validate=validate.OneOf(list(KINDS)))
    topic = fields.String(load_default=None, validate=validate.OneOf(list(TOPICS)))
    host = fields.String(load_default=None, validate=validate.OneOf(list(HOSTS)))
    outlet = fields.String(load_default=None, validate=validate.Length(max=300))

    @pre_load
    def blank_to_none(self, data, **kwargs):
        return {k: v for k, v in dict(data).items() if v not in ("", None)}


class DocumentBrief(Schema):
    id = fields.Integer()
    title = fields.String()
    number_symbol = fields.String()
    issue_date = fields.Date(allow_none=True)
    category = fields.String()


class ArticleOut(Schema):
    id = fields.Integer()
    url = fields.String(allow_none=True)
    outlet = fields.String(allow_none=True)
    author = fields.String(allow_none=True)
    published_on = fields.Date(allow_none=True)
    story_id = fields.Integer(allow_none=True)
    document = fields.Nested(DocumentBrief)


class MaterialOut(Schema):
    role = fields.String()
    document = fields.Nested(DocumentBrief)


class BriefingOut(Schema):
    id = fields.Integer()
    kind = fields.String()
    title = fields.String()
    held_at = UtcDateTime(format="iso")
    place = fields.String(allow_none=True)
    hosts = fields.List(fields.String())
    topics = fields.List(fields.String())
    outlets = fields.List(fields.String())
    chair = fields.String(allow_none=True)
    spokespeople = fields.String(allow_none=True)
    minutes = fields.String(allow_none=True)
    incident_at = UtcDateTime(format="iso", allow_none=True)
    incident_summary = fields.String(allow_none=True)
    response_hours = fields.Function(
        lambda b: round(b.response_time.total_seconds() / 3600, 2)
        if b.response_time is not None else None,
        metadata={"type": ["number", "null"],
                  "description": "Hours from the incident to the briefing (ad-hoc)."})
    late = fields.Boolean()
    dossier_id = fields.Integer(allow_none=True)
    retention_series = fields.String()
    sharing = fields.String(metadata={"description": "internal, partner or public."})
    publish_coverage = fields.Boolean(metadata={
        "description": "The publication rule: while public, its press coverage (secrecy "
                       "thuong) is public too, also coverage added later."})
    shared_at = UtcDateTime(format="iso", allow_none=True)
    public_at = UtcDateTime(format="iso", allow_none=True)


class CoverageUploadIn(CoverageIn):
    """multipart/form-data: the saved page (HTML or PDF) and the article's fields."""

    file = Upload(required=True, metadata={"description": "The saved page (HTML or PDF)."})


class ArticleLinkIn(Schema):
    class Meta:
        unknown = EXCLUDE

    reference = fields.String(required=True, validate=validate.Length(min=1, max=140),
                              metadata={"description": "A document id or its number/symbol "
                                                       "(e.g. 1079/QĐ-TTg)."})


class BriefingListOut(Schema):
    total = fields.Integer()
    briefings = fields.List(fields.Nested(BriefingOut))


class BriefingCreatedOut(BriefingOut):
    url = fields.String()


class ReportedDocumentOut(Schema):
    id = fields.Integer()
    title = fields.String()
    number_symbol = fields.String()


class CoverageOut(ArticleOut):
    reports_on = fields.List(fields.Nested(ReportedDocumentOut))


class BriefingDetailOut(BriefingOut):
    materials = fields.List(fields.Nested(MaterialOut))
    coverage = fields.List(fields.Nested(CoverageOut))
    stories = fields.List(fields.List(fields.Integer()), metadata={
        "description": "Coverage article ids grouped by story."})


class CoverageAddedOut(Schema):
    article = fields.Nested(ArticleOut)
    same_story = fields.List(fields.Integer())
    duplicate_file = fields.Boolean()
    published = fields.Boolean(metadata={
        "description": "Made public now by the briefing's publication rule."})
    sharing_refused = fields.String(allow_none=True, metadata={
        "description": "Why the publication rule could not make it public (it stays "
                       "as it was), else null."})


class LinkedDocumentOut(Schema):
    id = fields.Integer()
    title = fields.String()


class ArticleLinkOut(Schema):
    article = fields.Integer()
    document = fields.Nested(LinkedDocumentOut)
