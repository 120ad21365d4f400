"""Search answers: hits with highlighted snippets, and facet counts."""
from marshmallow import Schema, fields, validate


class SearchHitOut(Schema):
    id = fields.Integer(metadata={"description": "The document's id, or the briefing's "
                                                "when record_type is briefing."})
    title = fields.String(metadata={"description": "HTML: escaped text, <mark> around "
                                                   "matches."})
    number_symbol = fields.String(allow_none=True)
    issuing_agency = fields.String(allow_none=True)
    issue_date = fields.Date(allow_none=True)
    category = fields.String(allow_none=True)
    doc_type = fields.String(allow_none=True)
    status = fields.String(allow_none=True)
    snippet = fields.String(metadata={"description": "HTML: escaped text, <mark> around "
                                                     "matches."})
    score = fields.Float(allow_none=True)
    record_type = fields.String(validate=validate.OneOf(["document", "briefing"]))
    briefing_kind = fields.String(allow_none=True)
    source = fields.String(metadata={"description": "`local` for this archive's records, "
                                                    "else the id of the harvest source the "
                                                    "record came from (read-only here)."})
    number_relation = fields.String(
        allow_none=True, validate=validate.OneOf(["carries", "cites"]),
        metadata={"description": "For a query that is a document number: 'carries' for the "
                                 "document with that number, 'cites' for one citing it."})
    matched_by = fields.List(fields.String(validate=validate.OneOf(["lexical", "semantic"])),
                             metadata={"description": "How the hit was found: by its words, "
                                                      "by the meaning of a passage, or both."})
    passage = fields.String(allow_none=True, metadata={
        "description": "Hybrid mode: the passage closest in meaning to the question "
                       "(plain text, shortened)."})
    passage_heading = fields.String(allow_none=True, metadata={
        "description": "The article or section that passage belongs to (Điều 5. …)."})


class FacetBucketOut(Schema):
    value = fields.Raw(metadata={"type": ["string", "integer"]})
    count = fields.Integer()


class SearchOut(Schema):
    total = fields.Integer()
    page = fields.Integer()
    per_page = fields.Integer()
    pages = fields.Integer()
    hits = fields.List(fields.Nested(SearchHitOut))
    facets = fields.Dict(keys=fields.String(), values=fields.List(fields.Nested(FacetBucketOut)),
                         metadata={"description": "category, doc_type, year, "
                                                  "issuing_agency, secrecy, record_type, "
                                                  "source (`local` or a harvest source id) -> "
                                                  "buckets"})
