from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField

from app.web.validators import max_length, required


class LoginForm(FlaskForm):
    username = StringField(_l("Username"), validators=[required(), max_length(80)])
    password = PasswordField(_l("Password"), validators=[required(), max_length(200)])


class TokenForm(FlaskForm):
    name = StringField(_l("Token name"), validators=[required(), max_length(100)])


class PasswordChangeForm(FlaskForm):
    current = PasswordField(_l("Current password"), validators=[required(), max_length(200)])
    new = PasswordField(_l("New password"), validators=[required(), max_length(200)])
    confirm = PasswordField(_l("New password again"), validators=[required(), max_length(200)])
