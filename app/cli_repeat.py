"""The loop behind ``--every N`` of the periodic commands (sweep, reconcile, harvest)."""
from __future__ import annotations

import time

import click


def repeat(every: int, name: str, once) -> None:
    """Run ``once``; with ``every`` > 0, again every N seconds, surviving outages."""
    from app.extensions import db

    while True:
        try:
            once()
            db.session.commit()
        except Exception as exc:  # noqa: BLE001 - a loop that must survive outages
            db.session.rollback()
            if not every:
                raise
            first_line = (str(exc).strip().splitlines() or [""])[0][:300]
            click.echo(f"{name} failed ({type(exc).__name__}: {first_line}); retrying later.",
                       err=True)
        finally:
            # Never sit "idle in transaction" between rounds (it holds locks).
            db.session.remove()
        if not every:
            return
        time.sleep(every)
