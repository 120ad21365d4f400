"""The share-link form of the document and briefing pages (CSRF included)."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField, TextAreaField
from wtforms.validators import Optional

from app.sharing.links import ShareLinkData
from app.web.documents.forms import VnDateField
from app.web.validators import max_length, required


class ShareLinkForm(FlaskForm):
    recipient = StringField(_l("Recipient"), validators=[required(), max_length(300)])
    note = TextAreaField(_l("Note (only staff see it)"),
                         validators=[Optional(), max_length(2000)])
    expires_on = VnDateField(_l("Works until (last day)"), validators=[required()])
    password = PasswordField(_l("Password (optional)"), validators=[Optional(),
                                                                     max_length(200)])

    def __init__(self, *args, **kwargs):
        # Prefixed: the document page has other forms whose fields must not share ids.
        super().__init__(*args, prefix="share", **kwargs)

    def to_data(self) -> ShareLinkData:
        return ShareLinkData(recipient=self.recipient.data or "", note=self.note.data,
                             expires_on=self.expires_on.data,
                             password=self.password.data or None)
