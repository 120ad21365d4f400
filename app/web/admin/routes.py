from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.services import accounts, user_admin
from app.services.access import require
from app.services.errors import ValidationFailed
from app.web.admin.forms import ROLE_LABELS, AccessForm, UserForm

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
        user = user_admin.set_active(current_user, user_id, bool(active))
    except ValidationFailed as exc:
        flash(exc.message, "error")
    else:
        flash((_("Account %(name)s reactivated.", name=user.username) if active else
               _("Account %(name)s deactivated: its sessions and API tokens no longer work.",
                 name=user.username)), "success")
    if request.form.get("back") == "account":
        return redirect(url_for("admin.account", user_id=user_id))
    return redirect(url_for("admin.users"))


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
def account(user_id: int):
    """One account: role and clearance, activation, password reset."""
    user = user_admin.find_user(current_user, user_id)
    form = AccessForm(obj=user)
    if form.validate_on_submit():
        try:
            user_admin.update_access(current_user, user_id, form.role.data, form.clearance.data)
        except ValidationFailed as exc:
            flash(exc.message, "error")
            for name, message in exc.details.get("fields", {}).items():
                getattr(form, name).errors = [message]
        else:
            flash(_("Saved. The change applies at once."), "success")
            return redirect(url_for("admin.account", user_id=user_id))
    return render_template("admin/account.html", user=user, form=form, role_labels=ROLE_LABELS)


@bp.post("/users/<int:user_id>/password")
def reset_password(user_id: int):
    """A temporary password, shown on this response only (never flashed into the cookie)."""
    user, temporary = user_admin.reset_password(current_user, user_id)
    return render_template("admin/account.html", user=user, form=AccessForm(obj=user),
                           role_labels=ROLE_LABELS, temporary_password=temporary)
