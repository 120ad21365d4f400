"""The dashboard, saved searches and notifications: ``/api/v1/dashboard``,
``/api/v1/saved-searches``, ``/api/v1/notifications``."""
from flask import jsonify, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from marshmallow import ValidationError

from app.api import bp
from app.api.spec import operation
from app.services import dashboard, notifications, saved_searches
from app.services.notification_text import describe
from schemas.dashboard import (
    DashboardOut, DeletedSavedSearchOut, MarkedOut, MarkReadIn, NotificationListOut,
    NotificationQueryIn, NotifyIn, SavedSearchIn, SavedSearchListOut, SavedSearchOut, UnreadOut,
)


def _url(endpoint: str, args: dict) -> str:
    return url_for(endpoint, **args)


@bp.get("/dashboard")
@operation("The home dashboard: the same numbers as the page", tag="Dashboard",
           ok=DashboardOut)
def get_dashboard():
    """Every count is within the caller's clearance and names the list behind it (`url`)."""
    return jsonify(DashboardOut().dump(dashboard.build(current_user).to_dict(_url)))


def _saved(view) -> dict:
    saved = view.saved
    return {"id": saved.id, "name": saved.name, "query": saved.query, "notify": saved.notify,
            "new": view.new, "created_at": saved.created_at, "last_seen_at": saved.last_seen_at,
            "url": url_for("search.index", **saved.query)}


@bp.get("/saved-searches")
@operation("My saved searches with their new matches since my last look",
           tag="Saved searches", ok=SavedSearchListOut)
def list_saved_searches():
    views = saved_searches.list_with_counts(current_user)
    return jsonify(SavedSearchListOut().dump({"saved_searches": [_saved(v) for v in views]}))


@bp.post("/saved-searches")
@operation("Save a search under a name", tag="Saved searches", ok=SavedSearchOut,
           status=201, body=SavedSearchIn)
def create_saved_search():
    data = SavedSearchIn().load(_json())
    saved = saved_searches.create(current_user, data["name"], data["query"], data["notify"])
    return jsonify(SavedSearchOut().dump(_saved(saved_searches.SavedSearchView(saved, 0)))), 201


@bp.post("/saved-searches/<int:saved_id>/seen")
@operation("Mark a saved search looked at (its new matches start again from now)",
           tag="Saved searches", ok=SavedSearchOut)
def saw_saved_search(saved_id: int):
    saved_searches.open_saved(current_user, saved_id)
    saved = saved_searches.get(current_user, saved_id)
    return jsonify(SavedSearchOut().dump(_saved(saved_searches.SavedSearchView(saved, 0))))


@bp.post("/saved-searches/<int:saved_id>/notify")
@operation("Be notified of a saved search's new matches, or not", tag="Saved searches",
           ok=SavedSearchOut, body=NotifyIn)
def notify_saved_search(saved_id: int):
    data = NotifyIn().load(_json())
    saved = saved_searches.set_notify(current_user, saved_id, data["notify"])
    return jsonify(SavedSearchOut().dump(_saved(saved_searches.SavedSearchView(
        saved, saved.last_count))))


@bp.delete("/saved-searches/<int:saved_id>")
@operation("Delete a saved search", tag="Saved searches", ok=DeletedSavedSearchOut)
def delete_saved_search(saved_id: int):
    saved_searches.delete_saved(current_user, saved_id)
    return jsonify(DeletedSavedSearchOut().dump({"id": saved_id, "deleted": True}))


@bp.get("/notifications")
@operation("My notifications, newest first", tag="Notifications", ok=NotificationListOut,
           query=NotificationQueryIn)
def list_notifications():
    """Each is read now with the caller's clearance: a record above it shows no title
    and no link."""
    args = NotificationQueryIn().load(request.args.to_dict())
    items, total = notifications.list_notifications(current_user, args["unread"] == "1",
                                                    args["page"])
    views = [{"id": v.id, "kind": v.kind, "message": v.message, "hidden": v.hidden,
              "url": url_for("notifications.open", note_id=v.id) if v.link else None,
              "document_id": v.document_id, "read": v.read, "created_at": v.created_at}
             for v in describe(current_user, items)]
    return jsonify(NotificationListOut().dump({
        "total": total, "unread": notifications.unread_count(current_user),
        "page": args["page"], "notifications": views}))


@bp.get("/notifications/unread-count")
@operation("How many of my notifications are unread (the bell)", tag="Notifications",
           ok=UnreadOut)
def unread_notifications():
    return jsonify(UnreadOut().dump({"unread": notifications.unread_count(current_user)}))


@bp.post("/notifications/read")
@operation("Mark notifications read: `ids`, or every unread one", tag="Notifications",
           ok=MarkedOut, body=MarkReadIn)
def mark_notifications_read():
    data = MarkReadIn().load(_json())
    marked = notifications.mark_read(current_user, None if data["all"] else data["ids"])
    return jsonify(MarkedOut().dump({"marked": marked,
                                     "unread": notifications.unread_count(current_user)}))


def _json() -> dict:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise ValidationError({"_schema": [_("Send a JSON object.")]})
    return body
