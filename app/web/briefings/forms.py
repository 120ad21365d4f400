"""Forms for briefings, their materials and press coverage."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from app.domain.briefings import HOSTS, KINDS, MATERIAL_ROLES, TOPICS
from app.services.briefings import BriefingData, from_local, local_time
from app.services.coverage import ArticleData
from app.domain.dates import DateProblem, parse_datetime
from app.web.documents.forms import VnDateField
from app.web.validators import max_length, required


class VnDateTimeField(StringField):
    """A local time typed as ``dd/mm/yyyy HH:MM`` (ISO and datetime-local accepted too)."""

    def process_formdata(self, valuelist):
        self.data = None
        raw = " ".join((valuelist[0] if valuelist else "").split())
        if not raw:
            return
        try:
            self.data = parse_datetime(raw)
        except DateProblem as exc:
            self.raw_data = valuelist
            raise ValueError(str(exc)) from None

    def _value(self):
        return self.data.strftime("%d/%m/%Y %H:%M") if self.data else (self.raw_data or [""])[0]


class CheckboxesField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class BriefingForm(FlaskForm):
    kind = SelectField(_l("Kind"), choices=list(KINDS.items()), default="periodic")
    title = StringField(_l("Title"), validators=[required(), max_length(500)])
    held_at = VnDateTimeField(_l("Date and time"), validators=[required()])
    place = StringField(_l("Place"), validators=[Optional(), max_length(300)])
    hosts = CheckboxesField(_l("Host bodies"), choices=list(HOSTS.items()))
    topics = CheckboxesField(_l("Topics"), choices=list(TOPICS.items()))
    chair = StringField(_l("Chair"), validators=[Optional(), max_length(300)])
    spokespeople = TextAreaField(_l("Spokespeople (one per line)"),
                                 validators=[Optional(), max_length(5000)])
    outlets = TextAreaField(_l("Attending press outlets (one per line)"),
                            validators=[Optional(), max_length(10000)])
    minutes = TextAreaField(_l("Summary or minutes"), validators=[Optional(), max_length(200000)])
    incident_at = VnDateTimeField(_l("Incident date and time (ad-hoc)"))
    incident_summary = TextAreaField(_l("Incident (ad-hoc)"),
                                     validators=[Optional(), max_length(5000)])

    def fill_from(self, briefing) -> None:
        """Show a stored briefing (UTC) in local time."""
        for name in ("kind", "title", "place", "hosts", "topics", "chair", "spokespeople",
                     "minutes", "incident_summary"):
            getattr(self, name).data = getattr(briefing, name)
        self.held_at.data = local_time(briefing.held_at)
        self.incident_at.data = local_time(briefing.incident_at) if briefing.incident_at else None
        self.outlets.data = "\n".join(briefing.outlets or [])

    def to_data(self) -> BriefingData:
        return BriefingData(
            kind=self.kind.data, title=self.title.data, held_at=from_local(self.held_at.data),
            place=self.place.data, hosts=self.hosts.data or [], topics=self.topics.data or [],
            outlets=(self.outlets.data or "").splitlines(), chair=self.chair.data,
            spokespeople=self.spokespeople.data, minutes=self.minutes.data,
            incident_at=from_local(self.incident_at.data),
            incident_summary=self.incident_summary.data)


class MaterialForm(FlaskForm):
    reference = StringField(_l("Document number or id"), validators=[required(), max_length(140)])
    role = SelectField(_l("Role"), choices=list(MATERIAL_ROLES.items()), default="other")


class CoverageForm(FlaskForm):
    file = FileField(_l("Saved page (HTML or PDF)"))
    url = StringField(_l("Article address (URL)"), validators=[Optional(), max_length(2000)])
    title = StringField(_l("Headline"), validators=[Optional(), max_length(500)])
    outlet = StringField(_l("Press outlet"), validators=[required(), max_length(300)])
    author = StringField(_l("Author"), validators=[Optional(), max_length(300)])
    published_on = VnDateField(_l("Publication date"))

    def validate_file(self, field):
        if not getattr(field.data, "filename", ""):
            raise ValidationError(_l("Choose the saved page."))

    def to_data(self) -> ArticleData:
        return ArticleData(url=self.url.data, outlet=self.outlet.data, author=self.author.data,
                           published_on=self.published_on.data, title=self.title.data)
