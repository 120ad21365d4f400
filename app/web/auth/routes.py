from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_user, logout_user

from app.services.accounts import authenticate
from app.web.auth.forms import LoginForm

bp = Blueprint("auth", __name__, template_folder="templates")


@bp.route("/login", methods=["GET", "POST"])
def login():
    form = LoginForm()
    if form.validate_on_submit():
        user = authenticate(form.username.data, form.password.data)
        if user is not None:
            login_user(user)
            return redirect(_safe_next(request.args.get("next")))
        flash(_("Wrong username or password."), "error")
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
def logout():
    logout_user()
    flash(_("You have logged out."), "info")
    return redirect(url_for("auth.login"))


def _safe_next(target: str | None) -> str:
    # Only local paths: an open redirect would let a link send people elsewhere.
    if target and not urlsplit(target).netloc and target.startswith("/") \
            and not target.startswith("//"):
        return target
    return url_for("search.index")
