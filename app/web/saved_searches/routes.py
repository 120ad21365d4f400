"""Saved searches from the pages: save the search shown, open one, be notified, delete."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.services import saved_searches
from app.services.errors import ValidationFailed

bp = Blueprint("saved_searches", __name__)


def _back(default: str) -> str:
    """Where the form came from, if it is a page of this site."""
    back = request.form.get("back") or ""
    if back.startswith("/") and not back.startswith("//") and "\\" not in back:
        return back
    return default


@bp.post("/")
def create():
    """The "Save this search" form of the search page: its name and the search's fields."""
    back = _back(url_for("search.index"))
    try:
        saved = saved_searches.create(current_user, request.form.get("name", ""),
                                      request.form, notify=request.form.get("notify") == "1")
    except ValidationFailed as exc:
        problems = "; ".join(str(v) for v in exc.details.get("fields", {}).values())
        flash(f"{exc.message} {problems}".strip(), "error")
        return redirect(back, 303)
    flash(_("Search saved as “%(name)s”. Its new matches are counted on the home page.",
            name=saved.name), "success")
    return redirect(back, 303)


@bp.get("/<int:saved_id>")
def open(saved_id: int):  # noqa: A001 - the route's name in url_for
    """Show the saved search; this is the owner's look (its new matches start again)."""
    return redirect(url_for("search.index", **saved_searches.open_saved(current_user, saved_id)))


@bp.post("/<int:saved_id>/notify")
def notify(saved_id: int):
    wanted = request.form.get("notify") == "1"
    saved = saved_searches.set_notify(current_user, saved_id, wanted)
    flash(_("You will be notified of new matches of “%(name)s”.", name=saved.name) if wanted
          else _("No more notifications for “%(name)s”.", name=saved.name), "success")
    return redirect(_back(url_for("dashboard.index")), 303)


@bp.post("/<int:saved_id>/delete")
def delete(saved_id: int):
    saved_searches.delete_saved(current_user, saved_id)
    flash(_("Saved search deleted."), "info")
    return redirect(_back(url_for("dashboard.index")), 303)
