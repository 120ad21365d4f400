"""Issuing bodies: the spellings in the archive and the authority name each stands for."""
from flask import render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField

from app.services import agencies
from app.web.retention.routes import _post, bp
from app.web.validators import max_length, required


class ConfirmAgencyForm(FlaskForm):
    spelling = HiddenField(validators=[required(), max_length(300)])
    name = StringField(validators=[required(), max_length(300)])


@bp.get("/agencies")
def agency_list():
    return render_template("retention/agencies.html", form=ConfirmAgencyForm(),
                           names=agencies.names_in_use(current_user))


@bp.post("/agencies")
def confirm_agency():
    form = ConfirmAgencyForm()
    return _post(form, url_for("retention.agency_list"),
                 _("Saved. Records with this spelling are being re-indexed."),
                 lambda: agencies.confirm(current_user, request.form.get("spelling", ""),
                                          form.name.data))
