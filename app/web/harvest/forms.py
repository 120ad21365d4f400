from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, SelectField, StringField

from app.web.validators import WholeNumberField, max_length, non_negative, required

PREFIX_LABELS = {
    "nd30": _l("nd30 — every NĐ 30 field and the original files"),
    "oai_dc": _l("oai_dc — Dublin Core, metadata only"),
}


class SourceForm(FlaskForm):
    name = StringField(_l("Name"), validators=[required(), max_length(300)])
    base_url = StringField(_l("OAI-PMH address"), validators=[required(), max_length(2000)])
    set_spec = StringField(_l("Set (optional)"), validators=[max_length(200)])
    metadata_prefix = SelectField(_l("Format"), choices=list(PREFIX_LABELS.items()))
    # Write-only: never filled from the record, never shown again.
    token = PasswordField(_l("Access token"), validators=[max_length(300)],
                          render_kw={"autocomplete": "new-password"})
    clear_token = BooleanField(_l("Remove the stored access token"))
    schedule_hours = WholeNumberField(_l("Harvest every (hours)"), default=24,
                                      validators=[non_negative(24 * 30)])
    enabled = BooleanField(_l("Harvest on schedule"), default=True)
