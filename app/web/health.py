"""GET /healthz: is each backing service reachable, and is work getting done?

Public and cheap, no secrets: it names the database engine and database (never
the address or credentials), counts the workers that are really alive (RQ's
registry, minus workers of this host whose process is gone) and gives the age
of the oldest task waiting in our own table. No live worker while work waits
is an outage like a service down: 503. The object store (local folder or S3)
is checked too, and fixity's findings are given as counts (``storage.fixity``).
"""
from flask import Blueprint, jsonify
from sqlalchemy import func, select, text

from app import storage
from app.extensions import db, services
from app.models import ProcessingTask
from app.models.user import utcnow

bp = Blueprint("health", __name__)


def _check(fn) -> dict:
    try:
        detail = fn()
        return {"status": "up", **(detail if isinstance(detail, dict) else {})}
    except Exception as exc:  # noqa: BLE001 - reporting, not handling
        return {"status": "down", "error": type(exc).__name__}


def _database() -> dict:
    db.session.execute(text("select 1"))
    url = db.engine.url
    name = url.database.rsplit("/", 1)[-1] if url.database else None
    return {"engine": url.get_backend_name(), "name": name}


def _elasticsearch() -> None:
    services.es.cluster.health(timeout="2s")


def _storage() -> dict:
    """The store answers; fixity's findings (missing or altered objects) as counts."""
    store = storage.backend()
    store.check()
    return {"backend": store.kind}


def _fixity() -> dict:
    from app.services.fixity import summary

    found = summary()
    oldest = found["oldest_check"]
    return {"missing": found["missing"], "altered": found["altered"],
            "pending": found["pending"], "ok": found["ok"],
            "oldest_check_days": (utcnow() - oldest).days if oldest else None}


def _queue() -> dict:
    count, oldest = db.session.execute(
        select(func.count(), func.min(ProcessingTask.created_at))
        .where(ProcessingTask.status == ProcessingTask.QUEUED)).one()
    age = int((utcnow() - oldest).total_seconds()) if oldest else None
    return {"queued": count, "oldest_queued_seconds": age}


def _workers(queue: dict) -> dict:
    from app.jobs.liveness import live_workers

    try:
        alive = len(live_workers())
    except Exception as exc:  # noqa: BLE001 - Redis down: unknown, and reported as such
        return {"status": "unknown", "error": type(exc).__name__, **queue}
    # No worker while nothing waits is "idle", not yet an outage; while work waits it is.
    status = "up" if alive else ("down" if queue.get("queued") else "idle")
    return {"status": status, "alive": alive, **queue}


@bp.get("/healthz")
def healthz():
    checks = {
        "database": _check(_database),
        "redis": _check(services.redis.ping),
        "elasticsearch": _check(_elasticsearch),
        "storage": _check(_storage),
    }
    if checks["database"]["status"] == "down":
        db.session.rollback()
        queue = {}
    else:
        queue = _queue()
        # Problems found by fixity need a person, not a restart: reported, not a 503.
        checks["storage"]["fixity"] = _fixity()
    checks["workers"] = _workers(queue)
    healthy = all(c["status"] in ("up", "unknown", "idle") for c in checks.values())
    return jsonify(status="ok" if healthy else "degraded", checks=checks), 200 if healthy else 503
