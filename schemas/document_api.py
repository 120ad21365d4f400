"""The documents API's own shapes: multipart uploads, and the answers that are not a
whole document (upload receipt, suggestions, statuses, related documents)."""
from marshmallow import EXCLUDE, Schema, fields, validate

from schemas.common import Upload
from schemas.documents import CitationOut, DocumentOut, DocumentRef, MetadataIn



class DocumentUploadIn(MetadataIn):
    """multipart/form-data: the file and its metadata (form fields, read by MetadataIn)."""

    file = Upload(required=True, metadata={"description": "The file (PDF, DOCX, DOC, RTF, "
                                                          "HTML, TXT or an image)."})


class SuggestIn(Schema):
    file = Upload(required=True)


class StatusQueryIn(Schema):
    class Meta:
        unknown = EXCLUDE

    ids = fields.String(load_default="", metadata={
        "description": "Comma-separated document ids; the first 200 count, and what cannot "
                       "be an id is ignored."})


class UploadOut(Schema):
    id = fields.Integer()
    status = fields.String()
    duplicate = fields.Boolean()
    url = fields.String(metadata={"description": "This document in the API."})
    message = fields.String(allow_none=True, metadata={"description": "For a duplicate: a "
                                                                      "sentence saying so."})


class SuggestOut(Schema):
    status = fields.String(validate=validate.OneOf(["ok", "no_text", "failed", "timeout"]))
    message = fields.String()
    offers = fields.Dict(keys=fields.String(), values=fields.String(),
                         metadata={"description": "Upload-form field -> recognised value."})
    extracted = fields.Dict(metadata={"description": "Everything the recogniser read."})
    method = fields.String(allow_none=True)


class QueueOut(Schema):
    lane = fields.String(allow_none=True, metadata={
        "description": "interactive (uploads, edits) or long (OCR, imports, recovery)"})
    position = fields.Integer(allow_none=True, metadata={
        "description": "1 = next in its lane, while the document waits"})
    percent = fields.Integer(allow_none=True, metadata={
        "description": "progress of a page-by-page step (OCR) under way"})


class DocumentDetailOut(DocumentOut):
    cites = fields.List(fields.Nested(CitationOut))
    cited_by = fields.List(fields.Nested(DocumentRef))
    queue = fields.Nested(QueueOut)


class RelatedOut(Schema):
    related = fields.List(fields.Nested(DocumentRef))


class RetryOut(Schema):
    id = fields.Integer()
    status = fields.String()


class StatusOut(Schema):
    id = fields.Integer()
    status = fields.String()
    label = fields.String(metadata={"description": "The status in words, with OCR "
                                                   "progress."})
    error = fields.String(allow_none=True)


class StatusListOut(Schema):
    documents = fields.List(fields.Nested(StatusOut))
