"""The home page ("Trang chủ"): the signed-in person's dashboard at ``/``."""
from __future__ import annotations

from flask import Blueprint, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.services import dashboard as dashboard_service
from app.services.report_model import Chart, Table
from app.web.reports.charts import bar_chart

bp = Blueprint("dashboard", __name__, template_folder="templates", static_folder="static",
               static_url_path="/dashboard-static")

# Before the dashboard, "/" was the search page: its old addresses (bookmarks, links
# in e-mails and documents) still open the search they describe.
SEARCH_ARGS = {"q", "category", "type", "year", "agency", "secrecy", "date_from", "date_to",
               "cites", "record_type", "sort", "page", "per_page"}


@bp.get("/")
def index():
    if SEARCH_ARGS & set(request.args):
        return redirect(url_for("search.index", **request.args.to_dict()), 302)
    board = dashboard_service.build(current_user)
    g.unread_notifications = board.unread  # the bell shows the same number, not counted again
    return render_template("dashboard/index.html", board=board, charts=_charts(board))


def _charts(board) -> dict:
    """The small charts, drawn by the report's SVG code from the same counts."""
    months = Table("documents_per_month", _("Documents uploaded per month"),
                   [("label", _("Month")), ("value", _("Documents"))],
                   [{"label": c.label, "value": c.value} for c in board.per_month],
                   chart=Chart("label", ["value"]))
    categories = Table("documents_by_category", _("Documents by category"),
                       [("label", _("Category")), ("value", _("Documents"))],
                       [{"label": c.label, "value": c.value} for c in board.by_category],
                       chart=Chart("label", ["value"]))
    return {"per_month": bar_chart(months), "by_category": bar_chart(categories)}


@bp.app_template_global()
def link_to(link: tuple[str, dict]) -> str:
    """The address of a dashboard number's list: ``(endpoint, arguments)``."""
    endpoint, args = link
    return url_for(endpoint, **args)


@bp.app_template_global()
def duration(seconds: float | None) -> str:
    """A waiting time in words: "khoảng 40 giây", "khoảng 3 phút", "dưới 1 giây"."""
    if seconds is None:
        return ""
    if seconds < 1:
        return _("under a second")
    seconds = round(seconds)
    if seconds < 60:
        return _("about %(n)d s", n=seconds)
    minutes = round(seconds / 60)
    if minutes < 60:
        return _("about %(n)d min", n=minutes)
    return _("about %(h)d h %(m)d min", h=minutes // 60, m=minutes % 60)
