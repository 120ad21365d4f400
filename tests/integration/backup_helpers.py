"""Shared steps of the backup tests: run the CLI, wipe every service, read storage."""
from __future__ import annotations

import hashlib
import shutil
from datetime import date
from pathlib import Path

from sqlalchemy import text


def cli(app, *args: str):
    """``flask backup …`` (or any command) through Flask's CLI runner."""
    return app.test_cli_runner().invoke(args=list(args))


def backup(app, dest: Path) -> str:
    """Create a backup; returns its name."""
    result = cli(app, "backup", "create", str(dest))
    assert result.exit_code == 0, (result.output, result.exception)
    return sorted(p.name for p in (dest / "backups").iterdir() if not p.name.startswith("."))[-1]


def wipe_every_service(app) -> None:
    """What a lost server looks like: no tables, no queue, no index, no stored bytes."""
    from app.extensions import db, services
    from indexers import client

    with app.app_context():
        db.session.remove()
        with db.engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        db.engine.dispose()
        services.redis.flushdb()
        client.drop_all()
        assert not client.es().indices.exists_alias(name=client.alias())
        shutil.rmtree(app.config["STORAGE_DIR"], ignore_errors=True)


def stored_bytes(app) -> dict[str, str]:
    """Every object in storage: relative path -> SHA-256 of its bytes (as read now)."""
    root = Path(app.config["STORAGE_DIR"])
    found = {}
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if path.is_file() and relative.parts[0] not in ("tmp", "staging", "exports"):
            found[str(relative)] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def sweep(app, day: date = date(2026, 1, 1)) -> None:
    from app.services.retention import sweep as run

    with app.app_context():
        run(day)


def destroy(people, document_ids: list[int], decision_ref: str = "25/QĐ-STTTT") -> int:
    """Propose and approve destruction through the API; returns the proposal id.

    ``people``: an (archivist, approver) pair of API clients (two different people).
    """
    archivist, approver = people
    proposal = archivist.post("/api/v1/retention/proposals", json={
        "action": "destroy", "document_ids": document_ids,
        "reason": "Hết thời hạn bảo quản"}).get_json()
    decided = approver.post(f"/api/v1/retention/proposals/{proposal['id']}/decision",
                            json={"approve": True, "decision_ref": decision_ref})
    assert decided.get_json()["status"] == "executed", decided.get_json()
    return proposal["id"]


def audit_chain(app) -> list[tuple[int, str, str]]:
    from app.extensions import db
    from app.models import AuditEvent

    with app.app_context():
        return [(e.seq, e.action, e.hash) for e in
                db.session.scalars(db.select(AuditEvent).order_by(AuditEvent.seq))]
