"""The database engine of an app: PostgreSQL (pg_dump) or SQLite (backup API)."""
from __future__ import annotations

from sqlalchemy.engine import make_url

from app.backup.database import DatabaseError, Postgres
from app.backup.sqlite import Sqlite


def for_app(app) -> Postgres | Sqlite:
    """The database of ``app`` (its ``SQLALCHEMY_DATABASE_URI``)."""
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    backend = make_url(url).get_backend_name()
    if backend == "sqlite":
        return Sqlite(url)
    if backend == "postgresql":
        return Postgres(url, app.config.get("PG_BIN_DIR") or None)
    raise DatabaseError(f"backups support PostgreSQL and SQLite, not {backend}")
