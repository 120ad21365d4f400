"""GET /healthz: is each backing service reachable? Public, cheap, no secrets."""
from flask import Blueprint, jsonify
from sqlalchemy import text

from app.extensions import db, services

bp = Blueprint("health", __name__)


def _check(fn) -> dict:
    try:
        fn()
        return {"status": "up"}
    except Exception as exc:  # noqa: BLE001 - reporting, not handling
        return {"status": "down", "error": type(exc).__name__}


@bp.get("/healthz")
def healthz():
    checks = {
        "database": _check(lambda: db.session.execute(text("select 1"))),
        "redis": _check(services.redis.ping),
        "elasticsearch": _check(lambda: services.es.cluster.health(timeout="2s")),
    }
    if checks["database"]["status"] == "down":
        db.session.rollback()
    healthy = all(c["status"] == "up" for c in checks.values())
    return jsonify(status="ok" if healthy else "degraded", checks=checks), 200 if healthy else 503
