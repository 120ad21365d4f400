from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, SelectField, StringField

from app.domain.vocab import SECRECY_LEVELS
from app.models import Role
from app.web.validators import max_length, required

ROLE_LABELS = {
    "viewer": _l("Viewer"), "uploader": _l("Uploader"),
    "archivist": _l("Archivist"), "approver": _l("Approver"), "admin": _l("Administrator"),
}


class UserForm(FlaskForm):
    username = StringField(_l("Username"), validators=[required(), max_length(80)])
    full_name = StringField(_l("Full name"), validators=[max_length(200)])
    password = PasswordField(_l("Password"), validators=[required(), max_length(200)])
    role = SelectField(_l("Role"), choices=[(r.value, ROLE_LABELS[r.value]) for r in Role])
    clearance = SelectField(_l("Clearance"),
                            choices=[(k, label) for k, (_, label) in SECRECY_LEVELS.items()])


class AccessForm(FlaskForm):
    role = SelectField(_l("Role"), choices=[(r.value, ROLE_LABELS[r.value]) for r in Role])
    clearance = SelectField(_l("Clearance"),
                            choices=[(k, label) for k, (_, label) in SECRECY_LEVELS.items()])


class PartnerTokenForm(FlaskForm):
    agency = StringField(_l("Partner agency"), validators=[required(), max_length(300)])
