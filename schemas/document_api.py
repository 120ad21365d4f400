"""The documents API's own shapes: multipart uploads, and the answers that are not a
whole document (upload receipt, suggestions, statuses, related documents)."""
from marshmallow import EXCLUDE, Schema, fields, post_load, validate

from schemas.common import Upload
from schemas.documents import CitationOut, DocumentOut, DocumentRef, MetadataIn
from schemas.sharing import LEVEL, LEVEL_HELP


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


class SameNumberOut(Schema):
    id = fields.Integer()
    title = fields.String()
    number_symbol = fields.String()
    issuing_agency = fields.String(allow_none=True)
    issue_date = fields.String(allow_none=True, metadata={"description": "yyyy-mm-dd"})
    url = fields.String()
    files_url = fields.String(metadata={"description": "POST the file here to add it to "
                                                       "that record instead."})


class FileReceiptOut(Schema):
    id = fields.Integer()
    original_filename = fields.String()
    media_type = fields.String()
    size = fields.Integer()
    sha256 = fields.String()


class AttachOut(Schema):
    document_id = fields.Integer()
    duplicate = fields.Boolean()
    file = fields.Nested(FileReceiptOut)
    files = fields.Integer(metadata={"description": "How many files the record has now."})
    url = fields.String()


class AttachIn(Schema):
    file = Upload(required=True, metadata={"description": "The further file."})


class UploadOut(Schema):
    same_number = fields.List(fields.Nested(SameNumberOut), metadata={
        "description": "Documents you may see already archived with this number, symbol and "
                       "issuer (a new upload only)."})
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


class SemanticOut(Schema):
    state = fields.String(validate=validate.OneOf(["done", "pending", "waiting", "none", "off"]),
                          metadata={"description": "Search by meaning: done (passages "
                                                   "embedded), pending (queued or running), "
                                                   "waiting (not queued yet: `flask search "
                                                   "embed`), none (nothing to embed), off."})
    passages = fields.Integer(metadata={"description": "Passages with a vector."})


class DocumentDetailOut(DocumentOut):
    cites = fields.List(fields.Nested(CitationOut))
    cited_by = fields.List(fields.Nested(DocumentRef))
    queue = fields.Nested(QueueOut)
    same_number = fields.List(fields.Nested(SameNumberOut))
    thumbnail_url = fields.String(allow_none=True, metadata={
        "description": "A PNG of the first page (checked like a download), or null."})
    preview_url = fields.String(allow_none=True, metadata={
        "description": "The pages as PDF for reading in the browser, or null."})
    semantic = fields.Nested(SemanticOut)


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
    retryable = fields.Boolean(metadata={"description": "Whether trying again can help "
                                                        "(not for an empty or damaged file)."})


class StatusListOut(Schema):
    documents = fields.List(fields.Nested(StatusOut))


class DocumentEditIn(MetadataIn):
    """JSON: every metadata field (PUT: what is left out takes its default, an empty
    title lets the archive title the record) and, optionally, the sharing level."""

    sharing = fields.String(validate=LEVEL, metadata={"description": LEVEL_HELP + " Needs an "
                                                      "archivist's role; left out: unchanged."})

    @post_load
    def make(self, data, **kwargs) -> dict:
        from app.services.metadata import DocumentMetadata

        sharing = data.pop("sharing", None)
        return {"metadata": DocumentMetadata(**data), "sharing": sharing}


class DocumentPatchIn(DocumentEditIn):
    """JSON: only the fields to change; the others keep their values."""

    @post_load
    def make(self, data, **kwargs) -> dict:
        sharing = data.pop("sharing", None)
        return {"values": data, "sharing": sharing}
