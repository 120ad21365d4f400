"""PostgreSQL: one snapshot for the dump and the facts, pg_dump and pg_restore.

The dump and everything the manifest says about the database (counts per
table, the objects referenced, the audit head) come from one exported
snapshot (``pg_export_snapshot`` + ``pg_dump --snapshot``), so they describe
exactly the same state. The client binaries must be at least the server's
major version; the Debian packages keep each version under
``/usr/lib/postgresql/<major>/bin``, which is looked at first.
"""
from __future__ import annotations

import os
import re
import shutil
# Fixed binaries (pg_dump, pg_restore) with arguments built here, never a shell.
import subprocess  # nosec B404
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
from sqlalchemy.engine import make_url


class DatabaseError(Exception):
    pass


class Postgres:
    """The database named by a SQLAlchemy URL (``postgresql+psycopg://…``)."""

    engine = "postgresql"
    consistency = "pg_dump --snapshot: the snapshot the manifest's facts were read in"

    def __init__(self, url: str, bin_dir: str | None = None):
        self.url = make_url(url)
        self.bin_dir = bin_dir

    # -- connection ------------------------------------------------------
    def _conninfo(self) -> str:
        parts = {"host": self.url.host, "port": self.url.port, "user": self.url.username,
                 "dbname": self.url.database, **dict(self.url.query)}
        return " ".join(f"{k}={_quote(v)}" for k, v in parts.items() if v not in (None, ""))

    def connect(self, **kwargs) -> psycopg.Connection:
        return psycopg.connect(self._conninfo(), password=self.url.password, **kwargs)

    def _env(self) -> dict[str, str]:
        env = dict(os.environ)
        if self.url.password:
            env["PGPASSWORD"] = self.url.password  # never on a command line
        return env

    def server_version(self) -> tuple[int, str]:
        with self.connect() as conn:
            number = conn.execute("SHOW server_version_num").fetchone()[0]
            text = conn.execute("SHOW server_version").fetchone()[0]
        return int(number) // 10000, text

    def binary(self, name: str) -> str:
        """``pg_dump``/``pg_restore`` of the server's major version or newer."""
        major, text = self.server_version()
        return find_binary(name, major, self.bin_dir, f"server {text}")

    # -- backup ----------------------------------------------------------
    @contextmanager
    def snapshot(self) -> Iterator[tuple[psycopg.Cursor, str]]:
        """A read-only repeatable-read transaction and its exported snapshot id.

        The transaction stays open for the whole block: pg_dump imports the
        snapshot while it lives, and the caller reads its facts in it.
        """
        with self.connect() as conn:
            conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
            conn.read_only = True
            with conn.cursor() as cursor:
                cursor.execute("SELECT pg_export_snapshot()")
                snapshot_id = cursor.fetchone()[0]
                yield cursor, snapshot_id
            conn.rollback()

    def dump(self, target: Path, snapshot_id: str | None = None) -> None:
        """``pg_dump`` in custom format into ``target``, inside the given snapshot."""
        args = [self.binary("pg_dump"), "--format=custom", "--no-owner", "--no-privileges",
                f"--file={target}", f"--dbname={self._conninfo()}"]
        if snapshot_id:
            args.append(f"--snapshot={snapshot_id}")
        _run(args, self._env())

    def tables(self, cursor) -> list[str]:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
                       "ORDER BY tablename")
        return [row[0] for row in cursor.fetchall()]

    # -- restore ---------------------------------------------------------
    def table_count(self) -> int:
        """Tables in the schemas the archive uses (0: an empty database)."""
        with self.connect() as conn:
            return conn.execute(
                "SELECT count(*) FROM pg_tables WHERE schemaname NOT IN "
                "('pg_catalog', 'information_schema')").fetchone()[0]

    def wipe(self) -> None:
        """Drop every table of the archive (``--force`` only)."""
        with self.connect(autocommit=True) as conn:
            conn.execute("DROP SCHEMA IF EXISTS public CASCADE")
            conn.execute("CREATE SCHEMA public")

    def toc(self, dump: Path) -> list[str]:
        return toc(dump, self.binary("pg_restore"))

    def restore(self, dump: Path, work_dir: Path) -> None:
        """``pg_restore`` into this (empty) database in one transaction.

        The dump may create the schema ``public`` (a schema that was dropped and
        created again is dumped), which every database already has: that entry
        and its comment are left out of the list restored.
        """
        entries = [line for line in self.toc(dump)
                   if not re.search(r"\b(SCHEMA|COMMENT) - (SCHEMA )?public\b", line)]
        listing = work_dir / "restore.list"
        listing.write_text("\n".join(entries) + "\n", encoding="utf-8")
        _run([self.binary("pg_restore"), "--no-owner", "--no-privileges", "--exit-on-error",
              "--single-transaction", f"--use-list={listing}",
              f"--dbname={self._conninfo()}", str(dump)], self._env())


def find_binary(name: str, major: int, bin_dir: str | None = None, what: str = "") -> str:
    """A client binary of PostgreSQL ``major`` or newer: ``bin_dir``, Debian's
    ``/usr/lib/postgresql/<major>/bin``, then the PATH."""
    candidates = ([Path(bin_dir) / name] if bin_dir else []) + [
        Path(f"/usr/lib/postgresql/{major}/bin/{name}")]
    on_path = shutil.which(name)
    if on_path:
        candidates.append(Path(on_path))
    for candidate in candidates:
        if candidate.is_file() and _client_major(candidate) >= major:
            return str(candidate)
    raise DatabaseError(f"no {name} of version {major} or newer ({what or 'PostgreSQL'}); "
                        "install the matching postgresql-client package or set PG_BIN_DIR")


def toc(dump: Path, pg_restore: str) -> list[str]:
    """The dump's table of contents (``pg_restore --list``): proves it is readable."""
    out = _run([pg_restore, "--list", str(dump)], dict(os.environ))
    return [line for line in out.splitlines() if line and not line.startswith(";")]


def _client_major(binary: Path) -> int:
    out = _run([str(binary), "--version"], dict(os.environ))
    match = re.search(r"\)\s+(\d+)", out) or re.search(r"(\d+)\.\d+", out)
    return int(match.group(1)) if match else 0


def _run(args: list[str], env: dict[str, str]) -> str:
    done = subprocess.run(args, env=env, capture_output=True, text=True)  # nosec B603
    if done.returncode != 0:
        raise DatabaseError(f"{Path(args[0]).name} failed ({done.returncode}): "
                            f"{done.stderr.strip()[:2000]}")
    return done.stdout


def _quote(value) -> str:
    text = str(value)
    if re.fullmatch(r"[\w.\-/]+", text):
        return text
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"
