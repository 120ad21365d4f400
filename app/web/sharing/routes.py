"""Share links for archivists: make one from a document or briefing page, revoke one,
and the list of every link still open across the archive (/sharing/links)."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.sharing import links as link_service
from app.sharing.link_files import status as link_status
from app.services.errors import ValidationFailed
from app.web.documents.uploads import show_errors
from app.web.sharing.forms import ShareLinkForm

bp = Blueprint("sharing", __name__, template_folder="templates")


@bp.app_template_global()
def share_panel(document=None, briefing=None):
    """The "share through a link" section (None: the reader may not share)."""
    found = link_service.panel(current_user, document=document, briefing=briefing)
    if found is None:
        return None
    form = ShareLinkForm(formdata=None)
    form.expires_on.data = link_service.default_expiry()
    return {"panel": found, "form": form, **_limits()}


def _limits() -> dict:
    return {"max_days": link_service.MAX_DAYS, "min_password": link_service.MIN_PASSWORD}


@bp.app_template_global()
def share_link_status(link) -> str:
    return link_status(link)


@bp.get("/links")
def open_links():
    return render_template("sharing/links.html", links=link_service.open_links(current_user))


@bp.route("/documents/<int:document_id>/links", methods=["GET", "POST"])
def share_document(document_id: int):
    return _create(document_id=document_id)


@bp.route("/briefings/<int:briefing_id>/links", methods=["GET", "POST"])
def share_briefing(briefing_id: int):
    return _create(briefing_id=briefing_id)


def _create(document_id: int | None = None, briefing_id: int | None = None):
    target = link_service.share_target(current_user, document_id, briefing_id)
    form = ShareLinkForm()
    if request.method == "GET":
        form.expires_on.data = link_service.default_expiry()
    elif form.validate_on_submit():
        try:
            created = (link_service.share_document(current_user, document_id, form.to_data())
                       if document_id is not None else
                       link_service.share_briefing(current_user, briefing_id, form.to_data()))
        except ValidationFailed as exc:
            show_errors(form, exc)
        else:
            # Shown on this answer only: the token is never stored, nor put in a cookie.
            url = url_for("public_share.open_link", token=created.token, _external=True)
            return render_template("sharing/created.html", created_link=created.link, url=url,
                                   target=target, back=_target_url(document_id, briefing_id))
    return render_template("sharing/new.html", form=form, target=target,
                           back=_target_url(document_id, briefing_id), **_limits()), \
        422 if form.errors else 200


@bp.post("/links/<int:link_id>/revoke")
def revoke(link_id: int):
    link = link_service.revoke(current_user, link_id)
    flash(_("The link for %(who)s was revoked; it no longer opens anything.",
            who=link.recipient), "success")
    back = request.form.get("back", "")
    if back.startswith("/") and not back.startswith("//") and "\\" not in back:
        return redirect(back)
    return redirect(_target_url(link.document_id, link.briefing_id))


def _target_url(document_id: int | None, briefing_id: int | None) -> str:
    if document_id is not None:
        return url_for("documents.detail", document_id=document_id) + "#share-links"
    return url_for("briefings.detail", briefing_id=briefing_id) + "#share-links"
