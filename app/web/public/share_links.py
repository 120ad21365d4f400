"""/chia-se/<token>: the minimal page a share link opens, for someone without an account.

No staff navigation, not indexed by search engines, and no Referer sent when
the visitor follows a link from here (the token is in this page's address).
A link with a password asks for it first; the unlock holds for this browser
session and this link only. Every refusal — unknown, expired, revoked, or a
record that may no longer leave — is the same page with the same status.
"""
from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, session, url_for
from flask_wtf import FlaskForm
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import PasswordField

from app.web.downloads import send_stored
from app.sharing import link_access
from app.sharing.link_access import PasswordRefused
from app.web.validators import required

bp = Blueprint("public_share", __name__, template_folder="templates")

UNLOCKED = "share_links_unlocked"  # session key: ids of the links unlocked here
MAX_UNLOCKED = 20


class PasswordForm(FlaskForm):
    password = PasswordField(_l("Password"), validators=[required()])


@bp.after_request
def _private(response):
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/chia-se/<token>")
def open_link(token: str):
    link = link_access.resolve(token)
    if link is None:
        return _gone()
    if link.password_hash and not _unlocked(link.id):
        return render_template("public/share_password.html", form=PasswordForm(), link=link)
    view = link_access.open_link(link, _address())
    return render_template("public/share.html", view=view, link=link, token=token)


@bp.post("/chia-se/<token>")
def unlock(token: str):
    link = link_access.resolve(token)
    if link is None:
        return _gone()
    form = PasswordForm()
    error, status = None, 200
    if form.validate_on_submit():
        try:
            link_access.unlock(link, form.password.data, _address())
        except PasswordRefused as refused:
            # As the login page: a wrong password is a page like any other, a lock is 429.
            error, status = refused.message, 429 if refused.locked else 200
        else:
            ids = [i for i in session.get(UNLOCKED, []) if i != link.id][-(MAX_UNLOCKED - 1):]
            session[UNLOCKED] = [*ids, link.id]
            return redirect(url_for("public_share.open_link", token=token), 303)
    if form.errors.get("csrf_token"):
        error = _("The form expired. Please try again.")
    return render_template("public/share_password.html", form=form, link=link,
                           error=error), status


@bp.get("/chia-se/<token>/tep/<int:file_id>")
def download(token: str, file_id: int):
    link = link_access.resolve(token)
    if link is None:
        return _gone()
    if link.password_hash and not _unlocked(link.id):
        return redirect(url_for("public_share.open_link", token=token), 303)
    shared = link_access.download(link, file_id, _address())
    if shared is None:
        return _gone()
    # Always an attachment: saved web pages and other active content never render here.
    return send_stored(shared.file.sha256, media_type="application/octet-stream",
                       as_attachment=True, download_name=shared.file.original_filename,
                       private=True)


def _unlocked(link_id: int) -> bool:
    return link_id in session.get(UNLOCKED, [])


def _address() -> str:
    return request.remote_addr or ""


def _gone():
    return render_template("public/share_gone.html"), 404
