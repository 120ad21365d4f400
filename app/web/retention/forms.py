"""Forms of the records-management pages (CSRF on all of them)."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.validators import Optional

from app.domain.vocab import (CATEGORIES, DOCUMENT_TYPES, FUNDING_SOURCES, RETENTION_ACTIONS,
                              RETENTION_TRIGGERS)
from app.web.documents.forms import VnDateField
from app.web.validators import WholeNumberField, max_length, required


def _schedule_choices(schedules, blank: str | None = None):
    choices = [(str(s.id), f"{s.code} — {s.title}") for s in schedules]
    return ([("", blank)] if blank else []) + choices


class ScheduleForm(FlaskForm):
    code = StringField(_l("Series code"), validators=[required(), max_length(40)])
    title = StringField(_l("Title"), validators=[required(), max_length(300)])
    permanent = BooleanField(_l("Keep permanently"))
    retention_years = WholeNumberField(_l("Retention (years)"), validators=[Optional()])
    trigger = SelectField(_l("The period starts at"))
    action = SelectField(_l("When it ends"))
    legal_basis = TextAreaField(_l("Legal basis"), validators=[Optional(), max_length(5000)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.trigger.choices = list(RETENTION_TRIGGERS.items())
        self.action.choices = list(RETENTION_ACTIONS.items())


class RuleForm(FlaskForm):
    category = SelectField(_l("Category"), validators=[Optional()])
    doc_type = SelectField(_l("Document type"), validators=[Optional()])
    funding_source = SelectField(_l("Funding"), validators=[Optional()])
    schedule_id = SelectField(_l("Series"), validators=[required()])

    def __init__(self, *args, schedules=(), **kwargs):
        super().__init__(*args, **kwargs)
        anything = ("", _l("— any —"))
        self.category.choices = [anything] + list(CATEGORIES.items())
        self.doc_type.choices = [anything] + list(DOCUMENT_TYPES.items())
        self.funding_source.choices = [anything] + list(FUNDING_SOURCES.items())
        self.schedule_id.choices = _schedule_choices(schedules)


class ProposeForm(FlaskForm):
    action = SelectField(_l("Proposed action"), choices=[
        ("destroy", _l("Destroy")), ("transfer", _l("Transfer to the historical archive"))])
    reason = TextAreaField(_l("Reason"), validators=[required(), max_length(5000)])


class DecisionForm(FlaskForm):
    decision_ref = StringField(_l("Decision number"), validators=[Optional(), max_length(200)])
    note = TextAreaField(_l("Remarks"), validators=[Optional(), max_length(5000)])


class ReasonForm(FlaskForm):
    reason = TextAreaField(_l("Reason"), validators=[required(), max_length(5000)])


class OverrideForm(FlaskForm):
    schedule_id = SelectField(_l("Series"), validators=[Optional()])
    reason = TextAreaField(_l("Reason"), validators=[Optional(), max_length(5000)])

    def __init__(self, *args, schedules=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.schedule_id.choices = _schedule_choices(schedules, _l("— as the rules say —"))


class DossierForm(FlaskForm):
    code = StringField(_l("Dossier code"), validators=[required(), max_length(60)])
    title = StringField(_l("Title"), validators=[required(), max_length(500)])
    year = WholeNumberField(_l("Year"), validators=[Optional()])
    start_date = VnDateField(_l("Start date"))
    end_date = VnDateField(_l("Closing date"))
    schedule_id = SelectField(_l("Series"), validators=[Optional()])
    notes = TextAreaField(_l("Notes"), validators=[Optional(), max_length(5000)])

    def __init__(self, *args, schedules=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.schedule_id.choices = _schedule_choices(schedules, _l("— none —"))


class AddDocumentForm(FlaskForm):
    document_id = WholeNumberField(_l("Document number in the archive (ID)"),
                                   validators=[required()])
