"""The notifications page (the bell leads here): read them, mark them read, e-mail settings."""
from __future__ import annotations

from flask import (Blueprint, current_app, flash, g, redirect, render_template, request,
                   url_for)
from flask_babel import gettext as _
from flask_login import current_user

from app.services import notifications
from app.services.errors import NotFound, ValidationFailed
from app.services.notification_text import describe

bp = Blueprint("notifications", __name__, template_folder="templates")


@bp.get("/")
def index():
    unread_only = request.args.get("show") == "unread"
    page = max(1, request.args.get("page", 1, type=int) or 1)
    items, total = notifications.list_notifications(current_user, unread_only, page)
    pages = max(1, -(-total // notifications.PAGE_SIZE))
    return render_template("notifications/index.html", views=describe(current_user, items),
                           total=total, page=page, pages=pages, unread_only=unread_only,
                           settings=notifications.email_settings(current_user),
                           email_possible=bool(current_app.config.get("SMTP_URL")))


@bp.get("/<int:note_id>")
def open(note_id: int):  # noqa: A001 - the route's name in url_for
    """Mark one notification read and go to what it is about (if the reader may see it)."""
    items, _total = notifications.list_notifications(current_user, per_page=1,
                                                     only_id=note_id)
    if not items:
        raise NotFound(_("Notification not found."))
    notifications.mark_read(current_user, [note_id])
    (view,) = describe(current_user, items)
    if view.link is None:
        return redirect(url_for("notifications.index"))
    endpoint, values = view.link
    return redirect(url_for(endpoint, **values))


@bp.post("/read")
def mark_read():
    ids = [int(i) for i in request.form.getlist("id") if i.isdigit()]
    marked = notifications.mark_read(current_user, ids if ids else None)
    flash(_("%(n)d notifications marked as read.", n=marked), "info")
    return redirect(url_for("notifications.index"), 303)


@bp.post("/settings")
def settings():
    try:
        notifications.save_email_settings(current_user, request.form.get("email"),
                                          request.form.get("email_enabled") == "1")
    except ValidationFailed as exc:
        flash(exc.message, "error")
    else:
        flash(_("E-mail settings saved."), "success")
    return redirect(url_for("notifications.index"), 303)


@bp.app_context_processor
def bell():
    """``unread_notifications()`` for the bell in the header: counted when a page asks."""
    def unread() -> int:
        if not current_user.is_authenticated:
            return 0
        if "unread_notifications" not in g:  # once per request (the dashboard counts it too)
            g.unread_notifications = notifications.unread_count(current_user)
        return g.unread_notifications
    return {"unread_notifications": unread}
