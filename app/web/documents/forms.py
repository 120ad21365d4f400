"""Metadata form shared by upload and edit; it produces the service's DocumentMetadata."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import MultipleFileField
from wtforms import Field, SelectField, StringField, TextAreaField
from wtforms.validators import Optional, ValidationError

from app.domain.dates import DateProblem, parse_date
from app.domain.sharing import LEVEL_LABELS
from app.domain.vocab import (CATEGORIES, DOCUMENT_TYPES, FUNDING_SOURCES, PRODUCT_KINDS,
                              SECRECY_LEVELS, URGENCY_LEVELS, levels_up_to)
from app.services.metadata import MAX_COST, MAX_PAGES, DocumentMetadata
from app.web.validators import WholeNumberField, max_length, non_negative, required


class VnDateField(StringField):
    """A date typed as dd/mm/yyyy (ISO accepted too)."""

    def process_formdata(self, valuelist):
        self.data = None
        raw = (valuelist[0] if valuelist else "").strip()
        if not raw:
            return
        try:
            self.data = parse_date(raw)
        except DateProblem as exc:
            self.raw_data = valuelist
            raise ValueError(str(exc)) from None

    def _value(self):
        return self.data.strftime("%d/%m/%Y") if self.data else (self.raw_data or [""])[0]


class MetadataForm(FlaskForm):
    title = StringField(_l("Title"), validators=[Optional(), max_length(500)])
    category = SelectField(_l("Category"), default="other")
    doc_type = SelectField(_l("Document type"), validators=[Optional()])
    number = StringField(_l("Number"), validators=[Optional(), max_length(120)])
    symbol = StringField(_l("Symbol"), validators=[Optional(), max_length(100)])
    issuing_agency = StringField(_l("Issuing agency"), validators=[Optional(), max_length(300)])
    place = StringField(_l("Place"), validators=[Optional(), max_length(120)])
    issue_date = VnDateField(_l("Issue date"))
    summary = TextAreaField(_l("Summary (trích yếu)"), validators=[Optional(), max_length(5000)])
    signer_name = StringField(_l("Signer"), validators=[Optional(), max_length(200)])
    signer_position = StringField(_l("Signer's position"),
                                  validators=[Optional(), max_length(200)])
    recipients = TextAreaField(_l("Recipients"), validators=[Optional(), max_length(5000)])
    secrecy = SelectField(_l("Secrecy"), default="thuong")
    urgency = SelectField(_l("Urgency"), default="thuong")
    language = StringField(_l("Language"), default="vi", validators=[Optional(), max_length(10)])
    page_count = WholeNumberField(_l("Pages"), validators=[Optional(), non_negative(MAX_PAGES)])
    notes = TextAreaField(_l("Notes"), validators=[Optional(), max_length(5000)])
    funding_source = SelectField(_l("Funding"), validators=[Optional()])
    product_kind = SelectField(_l("Product kind"), validators=[Optional()])
    product_cost = WholeNumberField(_l("Cost (VND)"),
                                    validators=[Optional(), non_negative(MAX_COST)])
    approving_decision = StringField(_l("Approving decision"),
                                     validators=[Optional(), max_length(200)])

    def __init__(self, *args, clearance: str = "thuong", **kwargs):
        super().__init__(*args, **kwargs)
        self.category.choices = [(k, v) for k, v in CATEGORIES.items()]
        self.doc_type.choices = [("", _l("— choose —"))] + [
            (k, v) for k, v in DOCUMENT_TYPES.items()]
        allowed = levels_up_to(clearance)
        self.secrecy.choices = [(k, label) for k, (_, label) in SECRECY_LEVELS.items()
                                if k in allowed]
        self.urgency.choices = list(URGENCY_LEVELS.items())
        self.funding_source.choices = [("", _l("— not a communication product —"))] + list(
            FUNDING_SOURCES.items())
        self.product_kind.choices = [("", _l("— choose —"))] + list(PRODUCT_KINDS.items())

    def to_metadata(self) -> DocumentMetadata:
        return DocumentMetadata(**{name: getattr(self, name).data or None
                                   for name in DocumentMetadata.field_names()
                                   if name not in ("page_count", "product_cost")},
                                page_count=self.page_count.data,
                                product_cost=self.product_cost.data)


class TokenListField(Field):
    """Tokens of files kept on the server from an earlier attempt (app.services.staging),
    sent back as checked boxes: unchecking one lets that file go."""

    def process_formdata(self, valuelist):
        self.data = [value for value in valuelist if value][:50]


class UploadForm(MetadataForm):
    files = MultipleFileField(_l("Files"))
    staged = TokenListField()

    def chosen_files(self) -> list:
        """The files chosen in this request (a form sent without one has none)."""
        return [f for f in (self.files.data or []) if getattr(f, "filename", "")]

    def validate_files(self, field):
        if not self.chosen_files() and not self.staged.data:
            raise ValidationError(_l("Choose at least one file."))


class EditForm(MetadataForm):
    # Empty: the archive titles the record from its type, number and summary.
    title = StringField(_l("Title"), validators=[Optional(), max_length(500)])
    # Shown to archivists only (sharing.manage); disabled, and so not sent, when the
    # record may not leave the archive: then its level stays as it is.
    sharing = SelectField(_l("Sharing"), choices=list(LEVEL_LABELS.items()),
                          validators=[Optional()])
