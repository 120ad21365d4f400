"""Share links in and out (API). The token appears once, in the answer that creates it."""
from marshmallow import EXCLUDE, Schema, fields, post_load, validate

from schemas.common import UtcDateTime
from schemas.documents import VnDate


class ShareLinkIn(Schema):
    class Meta:
        unknown = EXCLUDE

    recipient = fields.String(required=True, validate=validate.Length(min=1, max=300),
                              metadata={"description": "Who the link is for (a reporter, "
                                                       "another agency)."})
    note = fields.String(load_default=None, allow_none=True,
                         validate=validate.Length(max=2000),
                         metadata={"description": "For staff only; never shown on the link."})
    expires_on = VnDate(load_default=None, allow_none=True, metadata={
        "description": "The last day the link works (dd/mm/yyyy or ISO), in the archive's "
                       "time zone; default 7 days from today, at most 90."})
    password = fields.String(load_default=None, allow_none=True,
                             validate=validate.Length(max=200),
                             metadata={"description": "Optional, 8 characters or more; "
                                                      "stored hashed."})

    @post_load
    def make(self, data, **kwargs):
        from app.sharing.links import ShareLinkData

        return ShareLinkData(**data)


def _state(link) -> str:
    from app.sharing.link_files import status

    return status(link)


class ShareLinkOut(Schema):
    id = fields.Integer()
    prefix = fields.String(metadata={"description": "The token's first characters, to tell "
                                                    "links apart."})
    document_id = fields.Integer(allow_none=True)
    briefing_id = fields.Integer(allow_none=True)
    recipient = fields.String()
    note = fields.String(allow_none=True)
    has_password = fields.Function(lambda link: link.password_hash is not None,
                                   metadata={"type": "boolean"})
    expires_at = UtcDateTime()
    status = fields.Function(_state, metadata={
        "type": "string", "enum": ["active", "expired", "revoked", "unavailable"],
        "description": "`unavailable`: the record may no longer leave the archive (secrecy "
                       "raised, destroyed, transferred); checked at every use."})
    use_count = fields.Integer(metadata={"description": "Times the page was opened."})
    download_count = fields.Integer()
    last_used_at = UtcDateTime(allow_none=True)
    created_at = UtcDateTime()
    created_by = fields.Function(lambda link: link.created_by.username if link.created_by
                                 else None, metadata={"type": ["string", "null"]})
    revoked_at = UtcDateTime(allow_none=True)
    revoked_by = fields.Function(lambda link: link.revoked_by.username if link.revoked_by
                                 else None, metadata={"type": ["string", "null"]})


class ShareLinkCreatedOut(ShareLinkOut):
    token = fields.String(metadata={"description": "Shown only in this answer; only its "
                                                   "SHA-256 is kept."})
    url = fields.String(metadata={"description": "The address to give the recipient."})


class ShareLinkListOut(Schema):
    links = fields.List(fields.Nested(ShareLinkOut))
