"""Document metadata in (multipart form fields) and document state out."""
from __future__ import annotations

from marshmallow import EXCLUDE, Schema, ValidationError, fields, post_load, pre_load, validate

from app.domain.dates import DateProblem, parse_date

from app.domain.vocab import (
    CATEGORIES, DOCUMENT_TYPES, FUNDING_SOURCES, PRODUCT_KINDS, SECRECY_LEVELS, URGENCY_LEVELS,
)
from app.services.metadata import MAX_COST, MAX_PAGES, DocumentMetadata
from schemas.common import NestedFrom, UtcDateTime


class VnDate(fields.Date):
    """Accepts dd/mm/yyyy (how people write it here) and ISO yyyy-mm-dd, 1900–2100."""

    def _deserialize(self, value, attr, data, **kwargs):
        try:
            return parse_date(value)
        except DateProblem as exc:
            raise ValidationError(str(exc)) from None


class MetadataIn(Schema):
    class Meta:
        unknown = EXCLUDE

    title = fields.String(validate=validate.Length(max=500))
    category = fields.String(load_default="other", validate=validate.OneOf(list(CATEGORIES)))
    doc_type = fields.String(allow_none=True, validate=validate.OneOf(list(DOCUMENT_TYPES)))
    number = fields.String(allow_none=True, validate=validate.Length(max=120))
    symbol = fields.String(allow_none=True, validate=validate.Length(max=100))
    issuing_agency = fields.String(allow_none=True, validate=validate.Length(max=300))
    place = fields.String(allow_none=True, validate=validate.Length(max=120))
    issue_date = VnDate(allow_none=True)
    summary = fields.String(allow_none=True, validate=validate.Length(max=5000))
    signer_name = fields.String(allow_none=True, validate=validate.Length(max=200))
    signer_position = fields.String(allow_none=True, validate=validate.Length(max=200))
    recipients = fields.String(allow_none=True, validate=validate.Length(max=5000))
    secrecy = fields.String(load_default="thuong", validate=validate.OneOf(list(SECRECY_LEVELS)))
    urgency = fields.String(load_default="thuong", validate=validate.OneOf(list(URGENCY_LEVELS)))
    language = fields.String(load_default="vi", validate=validate.Length(max=10))
    page_count = fields.Integer(allow_none=True, validate=validate.Range(min=0, max=MAX_PAGES))
    notes = fields.String(allow_none=True, validate=validate.Length(max=5000))
    funding_source = fields.String(allow_none=True, validate=validate.OneOf(list(FUNDING_SOURCES)))
    product_kind = fields.String(allow_none=True, validate=validate.OneOf(list(PRODUCT_KINDS)))
    product_cost = fields.Integer(allow_none=True, validate=validate.Range(min=0, max=MAX_COST))
    approving_decision = fields.String(allow_none=True, validate=validate.Length(max=200))

    @pre_load
    def blank_to_none(self, data, **kwargs):
        return {k: (None if isinstance(v, str) and not v.strip() else v)
                for k, v in dict(data).items()
                if not (k in ("category", "secrecy", "urgency", "language") and not v)}

    @post_load
    def make(self, data, **kwargs) -> DocumentMetadata:
        return DocumentMetadata(**data)


class FileOut(Schema):
    original_filename = fields.String()
    media_type = fields.String()
    size = fields.Integer()
    sha256 = fields.String()
    page_count = fields.Integer(allow_none=True)
    extraction_method = fields.String(allow_none=True)


class TaskOut(Schema):
    kind = fields.String()
    status = fields.String()
    progress = fields.Integer()
    attempts = fields.Integer()
    error = fields.String(allow_none=True)
    created_at = UtcDateTime()
    finished_at = UtcDateTime(allow_none=True)


class DossierRef(Schema):
    id = fields.Integer()
    code = fields.String()
    title = fields.String()


class RetentionOut(Schema):
    schedule = fields.String(allow_none=True)
    schedule_title = fields.String(allow_none=True)
    retention_years = fields.Integer(allow_none=True)
    permanent = fields.Boolean()
    action = fields.String(allow_none=True)
    source = fields.String(allow_none=True)
    override_reason = fields.String(allow_none=True)
    due_on = fields.Date(allow_none=True)


def retention_of(document) -> dict:
    from app.services.retention import info

    retention = info(document)
    schedule = retention.schedule
    return {
        "schedule": schedule.code if schedule else None,
        "schedule_title": schedule.title if schedule else None,
        "retention_years": schedule.retention_years if schedule else None,
        "permanent": bool(schedule and schedule.permanent),
        "action": schedule.action if schedule else None,
        "source": retention.source,
        "override_reason": document.schedule_override_reason,
        "due_on": retention.due_on,
    }


class DocumentOut(Schema):
    id = fields.Integer()
    title = fields.String()
    title_source = fields.String()  # person | file_name | recognised
    category = fields.String()
    doc_type = fields.String(allow_none=True)
    number = fields.String(allow_none=True)
    symbol = fields.String(allow_none=True)
    number_symbol = fields.String()
    issuing_agency = fields.String(allow_none=True)
    place = fields.String(allow_none=True)
    issue_date = fields.Date(allow_none=True)
    summary = fields.String(allow_none=True)
    signer_name = fields.String(allow_none=True)
    signer_position = fields.String(allow_none=True)
    recipients = fields.String(allow_none=True)
    secrecy = fields.String()
    urgency = fields.String()
    language = fields.String()
    page_count = fields.Integer(allow_none=True)
    notes = fields.String(allow_none=True)
    funding_source = fields.String(allow_none=True)
    product_kind = fields.String(allow_none=True)
    product_cost = fields.Integer(allow_none=True)
    approving_decision = fields.String(allow_none=True)
    disposition = fields.String()
    disposed_at = UtcDateTime(allow_none=True)
    dossier = NestedFrom(DossierRef, lambda d: d.dossier, allow_none=True)
    retention = NestedFrom(RetentionOut, lambda d: retention_of(d))
    status = fields.String()
    error_code = fields.String(allow_none=True)
    error_message = fields.Method("get_error_message", metadata={"type": ["string", "null"]})
    revision = fields.Integer()
    indexed_revision = fields.Integer()
    uploaded_at = UtcDateTime()
    uploaded_by = fields.Function(lambda d: d.uploaded_by.username if d.uploaded_by else None,
                                  metadata={"type": ["string", "null"]})
    files = fields.List(fields.Nested(FileOut))
    tasks = fields.List(fields.Nested(TaskOut))
    extracted = fields.Dict(allow_none=True)
    sharing = fields.String(metadata={"description": "internal, partner (partner agencies) "
                                                     "or public."})
    shared_at = UtcDateTime(allow_none=True, metadata={
        "description": "When it was first shared outside the archive."})
    public_at = UtcDateTime(allow_none=True, metadata={
        "description": "When it was first made public (the feed's date)."})
    public_url = fields.Method("get_public_url", metadata={
        "type": ["string", "null"],
        "description": "Its page on the public portal, while anyone may see it."})

    def get_public_url(self, document) -> str | None:
        from flask import url_for

        from app.sharing.visibility import Principal, is_document_visible

        if not is_document_visible(Principal.PUBLIC, document):
            return None
        return url_for("public.record", document_id=document.id)

    def get_error_message(self, document) -> str | None:
        from app.domain.processing import error_message

        return str(error_message(document.error_code)) if document.error_code else None


class SearchIn(Schema):
    class Meta:
        unknown = EXCLUDE

    q = fields.String(load_default="")
    category = fields.String(load_default=None, validate=validate.OneOf(list(CATEGORIES)))
    type = fields.String(load_default=None, data_key="type",
                         validate=validate.OneOf(list(DOCUMENT_TYPES)))
    year = fields.Integer(load_default=None, validate=validate.Range(min=1900, max=2100))
    agency = fields.String(load_default=None, validate=validate.Length(max=300))
    secrecy = fields.String(load_default=None, validate=validate.OneOf(list(SECRECY_LEVELS)))
    date_from = VnDate(load_default=None)
    date_to = VnDate(load_default=None)
    cites = fields.String(load_default=None, validate=validate.Length(max=140))
    record_type = fields.String(load_default=None,
                                validate=validate.OneOf(["document", "briefing"]))
    sharing = fields.String(load_default=None,
                            validate=validate.OneOf(["internal", "partner", "public"]),
                            metadata={"description": "The sharing level set by the archive."})
    source = fields.String(load_default=None, validate=validate.Regexp(r"^(local|[0-9]{1,9})$"),
                           metadata={"description": "`local`: records of this archive; a "
                                                    "number: records harvested from that "
                                                    "source (facet `source`)."})
    sort = fields.String(load_default="relevance",
                         validate=validate.OneOf(["relevance", "newest", "oldest"]))
    mode = fields.String(load_default=None, validate=validate.OneOf(["lexical", "hybrid"]),
                         metadata={"description": "`lexical`: the words typed (with or "
                                                  "without diacritics); `hybrid`: those and "
                                                  "the passages closest in meaning, in any "
                                                  "language (ranks fused). Default: the "
                                                  "archive's SEARCH_MODE. Number queries and "
                                                  "date sorts are always lexical."})
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=1000), metadata={
        "description": "1-based; a page past the first 10,000 hits answers the last one "
                       "there is (see `pages` in the answer)."})
    per_page = fields.Integer(load_default=None, validate=validate.Range(min=1, max=100),
                              metadata={"description": "Hits per page (default "
                                                       "SEARCH_PAGE_SIZE, 10)."})

    @pre_load
    def blank_to_none(self, data, **kwargs):
        return {k: v for k, v in dict(data).items() if v not in ("", None)}

    @post_load
    def make(self, data, **kwargs):
        from app.services.search import SearchParams

        data["doc_type"] = data.pop("type")
        return SearchParams(**data)


class DocumentRef(Schema):
    id = fields.Integer()
    title = fields.String()
    number_symbol = fields.String()
    issue_date = fields.Date(allow_none=True)


class CitationOut(Schema):
    number_symbol = fields.String()
    doc_type = fields.String(allow_none=True)
    date = fields.Date(attribute="cited_date", allow_none=True)
    issuer = fields.String(allow_none=True)
    text = fields.String(allow_none=True)
    document = fields.Nested(DocumentRef, attribute="target", allow_none=True)
