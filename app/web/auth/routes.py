from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from app.services import accounts
from app.services.accounts import LoginRefused, authenticate
from app.services import user_admin
from app.services.errors import ValidationFailed
from app.web.auth.forms import LoginForm, PasswordChangeForm, TokenForm

bp = Blueprint("auth", __name__, template_folder="templates")


@bp.route("/login", methods=["GET", "POST"])
def login():
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = authenticate(form.username.data, form.password.data,
                                address=request.remote_addr or "")
        except LoginRefused as refused:
            flash(refused.message, "error")
            return render_template("auth/login.html", form=form), 429 if refused.locked else 200
        session.clear()  # a fresh session for the new login (no fixation)
        session.permanent = True  # expires after PERMANENT_SESSION_LIFETIME
        login_user(user)
        return redirect(_safe_next(request.args.get("next")))
    if form.errors.get("csrf_token"):
        flash(_("The form expired. Please try again."), "error")
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
def logout():
    logout_user()
    session.clear()
    flash(_("You have logged out."), "info")
    return redirect(url_for("auth.login"))


@bp.post("/logout-everywhere")
def logout_everywhere():
    accounts.logout_everywhere(current_user)
    logout_user()
    session.clear()
    flash(_("You have been logged out on every device."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/account/password", methods=["GET", "POST"])
def change_password():
    """Set a new password; required before anything else after an administrator's reset."""
    form = PasswordChangeForm()
    if form.validate_on_submit():
        try:
            user_admin.change_password(current_user, form.current.data, form.new.data,
                                       form.confirm.data)
        except ValidationFailed as exc:
            for name, message in exc.details.get("fields", {}).items():
                getattr(form, name).errors = [message]
        else:
            flash(_("Your new password is set."), "success")
            return redirect(url_for("dashboard.index"))
    return render_template("auth/password.html", form=form,
                           required=current_user.must_change_password)


@bp.route("/account/tokens", methods=["GET", "POST"])
def tokens():
    """The user's API tokens: create (shown once), list with last use, revoke."""
    created = None
    form = TokenForm()
    if form.validate_on_submit():
        created = accounts.issue_token(current_user.username, form.name.data)
    return render_template("auth/tokens.html", form=form, created=created,
                           tokens=accounts.list_tokens(current_user))


@bp.post("/account/tokens/<int:token_id>/revoke")
def revoke_token(token_id: int):
    accounts.revoke_token(current_user, token_id)
    flash(_("The token has been revoked."), "info")
    return redirect(url_for("auth.tokens"))


def _safe_next(target: str | None) -> str:
    # Only local paths: an open redirect would let a link send people elsewhere.
    if target and not urlsplit(target).netloc and target.startswith("/") \
            and not target.startswith("//"):
        return target
    return url_for("dashboard.index")
