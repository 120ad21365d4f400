from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.services import accounts
from app.services.access import require
from app.services.errors import ValidationFailed
from app.web.admin.forms import ROLE_LABELS, UserForm

bp = Blueprint("admin", __name__, template_folder="templates")


@bp.route("/users", methods=["GET", "POST"])
def users():
    require(current_user, "users.manage")
    form = UserForm()
    if form.validate_on_submit():
        try:
            user = accounts.create_user(form.username.data, form.password.data,
                                        role=form.role.data, clearance=form.clearance.data,
                                        full_name=form.full_name.data, actor=current_user)
        except ValidationFailed as exc:
            for name, message in exc.details.get("fields", {}).items():
                getattr(form, name).errors = [message]
        else:
            flash(_("Account %(name)s created.", name=user.username), "success")
            return redirect(url_for("admin.users"))
    return render_template("admin/users.html", form=form,
                           users=accounts.list_users(current_user), role_labels=ROLE_LABELS)


@bp.post("/users/<int:user_id>/active/<int:active>")
def set_active(user_id: int, active: int):
    try:
        accounts.set_active(current_user, user_id, bool(active))
    except ValidationFailed as exc:
        flash(exc.message, "error")
    return redirect(url_for("admin.users"))
