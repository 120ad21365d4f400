from datetime import datetime

from flask import Blueprint, Response, render_template, request
from flask_login import current_user

from app.services import audit
from app.web.audit import present

bp = Blueprint("audit", __name__, template_folder="templates")


def _day(name: str):
    raw = (request.args.get(name) or "").strip()
    for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(raw, fmt).date()
        except ValueError:
            continue
    return None


def _events(limit: int):
    return audit.search_events(
        current_user, action=request.args.get("action") or None,
        username=request.args.get("user") or None,
        object_id=request.args.get("object") or None,
        day_from=_day("from"), day_to=_day("to"), limit=limit)


@bp.get("/")
def index():
    return render_template("audit/index.html", events=_events(500), args=request.args,
                           present=present, actions=["create", "edit", "view", "download", "retry", "delete",
                                    "user.create", "user.deactivate", "user.activate",
                                    "schedule.save", "schedule.override", "rule.add",
                                    "rule.delete", "dossier.save", "dossier.add",
                                    "dossier.remove", "hold.place", "hold.release",
                                    "retention.due", "disposition.propose",
                                    "disposition.approve", "disposition.reject",
                                    "disposition.blocked", "disposition.destroy",
                                    "disposition.transfer", "disposition.execute",
                                    "sharing.set", "sharing.rule"])


@bp.get("/export.csv")
def export():
    body = audit.to_csv(_events(100_000))
    return Response("\ufeff" + body, mimetype="text/csv",  # BOM: Excel reads UTF-8
                    headers={"Content-Disposition": "attachment; filename=nhat-ky.csv"})
