"""SQLite (``make run``'s default database) through the sqlite3 backup API.

The backup API copies one consistent state of the database file page by page
while others keep writing; the manifest's facts are read from that copy, so
they describe exactly what was copied. The copy is the "dump"; a restore
copies it back over the configured file with the same API.
"""
from __future__ import annotations

import os
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, closing
from pathlib import Path

from sqlalchemy.engine import make_url

from app.backup.database import DatabaseError


class Sqlite:
    engine = "sqlite"
    consistency = "sqlite3 backup API: one consistent copy; facts read from the copy"

    def __init__(self, url: str):
        self.path = Path(make_url(url).database or "")
        if not str(self.path) or str(self.path) == ":memory:":
            raise DatabaseError("an in-memory SQLite database cannot be backed up")

    def server_version(self) -> tuple[int, str]:
        return int(sqlite3.sqlite_version.split(".")[0]), sqlite3.sqlite_version

    @contextmanager
    def snapshot(self) -> Iterator[tuple[sqlite3.Cursor, str]]:
        fd, name = tempfile.mkstemp(suffix=".sqlite3", dir=self.path.parent)
        os.close(fd)
        copy = Path(name)
        try:
            with closing(sqlite3.connect(self.path)) as source, \
                    closing(sqlite3.connect(copy)) as target:
                source.backup(target)
            with closing(sqlite3.connect(copy)) as conn:
                yield conn.cursor(), str(copy)
        finally:
            copy.unlink(missing_ok=True)

    def dump(self, target: Path, snapshot_id: str | None = None) -> None:
        if snapshot_id is None:
            with self.snapshot() as (_cursor, copy):
                shutil.copyfile(copy, target)
        else:
            shutil.copyfile(snapshot_id, target)

    def tables(self, cursor) -> list[str]:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                       "AND name NOT LIKE 'sqlite_%' ORDER BY name")
        return [row[0] for row in cursor.fetchall()]

    def table_count(self) -> int:
        if not self.path.exists():
            return 0
        with closing(sqlite3.connect(self.path)) as conn:
            return len(self.tables(conn.cursor()))

    def wipe(self) -> None:
        """Nothing to do: the backup API replaces the whole file's content."""

    def toc(self, dump: Path) -> list[str]:
        with closing(sqlite3.connect(f"file:{dump}?mode=ro", uri=True)) as conn:
            result = [row[0] for row in conn.execute("PRAGMA integrity_check")]
        if result != ["ok"]:
            raise DatabaseError(f"{dump}: {'; '.join(result[:5])}")
        return result

    def restore(self, dump: Path, work_dir: Path) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with closing(sqlite3.connect(f"file:{dump}?mode=ro", uri=True)) as source, \
                closing(sqlite3.connect(self.path)) as target:
            source.backup(target)
