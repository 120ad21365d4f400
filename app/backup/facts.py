"""What a backup says about its database, read inside the dump's own snapshot.

Plain SQL on a DB-API cursor, so it works on the psycopg cursor of the
exported PostgreSQL snapshot and on a sqlite3 cursor of a SQLite copy alike.
"""
from __future__ import annotations

# Every column that names a stored object a record needs by its SHA-256: a
# record's files and renderings, and transfer packages (BagIt ZIPs). Bulk-export
# ZIPs (bulk_operations.result_sha256) are left out: a download kept for a while
# for its author, not part of the archive.
OBJECT_COLUMNS = (("document_files", "sha256"), ("document_files", "searchable_sha256"),
                  ("document_files", "thumbnail_sha256"), ("document_files", "preview_sha256"),
                  ("disposition_proposals", "package_sha256"))
RENDERINGS = (("document_files", "searchable_sha256"), ("document_files", "thumbnail_sha256"),
              ("document_files", "preview_sha256"))


def read(cursor, tables: list[str]) -> dict:
    """Counts per table, alembic revision, audit head and the objects referenced."""
    counts = {}
    for table in tables:  # names from the catalog, not from input
        cursor.execute(f'SELECT count(*) FROM "{table}"')  # nosec B608
        counts[table] = cursor.fetchone()[0]
    revision = None
    if "alembic_version" in tables:
        cursor.execute("SELECT version_num FROM alembic_version")
        row = cursor.fetchone()
        revision = row[0] if row else None
    return {"counts": counts, "alembic_revision": revision,
            "audit_head": audit_head(cursor) if "audit_events" in tables else None,
            "objects": sorted(object_hashes(cursor, tables))}


def object_hashes(cursor, tables: list[str]) -> set[str]:
    found: set[str] = set()
    for table, column in OBJECT_COLUMNS:  # constants above
        if table in tables:
            cursor.execute(distinct((table, column)))
            found.update(row[0] for row in cursor.fetchall())
    return found


def audit_head(cursor) -> dict | None:
    cursor.execute("SELECT seq, hash, at FROM audit_events ORDER BY seq DESC LIMIT 1")
    row = cursor.fetchone()
    if row is None:
        return None
    at = row[2]
    return {"seq": row[0], "hash": row[1],
            "at": at.isoformat() if hasattr(at, "isoformat") else str(at)}


# The two queries below are built from the constants above, never from input.
def referencing(column: tuple[str, str]) -> str:
    """SQL finding a row whose ``column`` names the object ``:sha``."""
    table, name = column
    return f"SELECT 1 FROM {table} WHERE {name} = :sha LIMIT 1"  # nosec B608


def distinct(column: tuple[str, str]) -> str:
    """SQL listing the objects ``column`` names."""
    table, name = column
    return f"SELECT DISTINCT {name} FROM {table} WHERE {name} IS NOT NULL"  # nosec B608
