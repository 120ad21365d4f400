"""``flask backup verify DEST``: re-check every hash a backup records.

For each backup (or the one named): every file listed in ``SHA256SUMS``
(manifest, dump, audit head, tombstones) hashes to its recorded value; the
manifest names the same dump and audit head; the dump's table of contents is
readable by ``pg_restore --list`` (``PRAGMA integrity_check`` for SQLite);
then every object any of those backups refers to exists, has its recorded
size and hashes to its name (each object once, however many backups share
it). Nothing needs the archive's database or storage.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from flask import current_app

from app.backup import database, manifest


@dataclass
class VerifyReport:
    backups: list[str] = field(default_factory=list)
    objects: int = 0
    bytes: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return bool(self.backups) and not self.problems


def verify_backups(source: Path, name: str | None = None,
                   progress: Callable[[str, int], Callable[[int], None]] | None = None
                   ) -> VerifyReport:
    location, given = manifest.locate(Path(source))
    report = VerifyReport()
    names = [name or given] if (name or given) else location.names()
    if not names:
        report.problems.append(f"{location.root}: no backup found")
        return report
    expected: dict[str, int | None] = {}
    for backup in names:
        folder = location.backups / backup
        if not (folder / manifest.MANIFEST).is_file():
            report.problems.append(f"{backup}: no such backup")
            continue
        report.backups.append(backup)
        body = _check_files(folder, report)
        if body is not None:
            for sha, size in body["objects"].items():
                expected[sha] = size
    _check_objects(location, expected, report, progress)
    return report


def _check_files(folder: Path, report: VerifyReport) -> dict | None:
    name = folder.name
    try:
        sums = manifest.read_sums(folder)
    except FileNotFoundError:
        report.problems.append(f"{name}: {manifest.SUMS} is missing")
        return None
    for required in (manifest.MANIFEST, manifest.DUMP, manifest.AUDIT_HEAD, manifest.TOMBSTONES):
        if required not in sums:
            report.problems.append(f"{name}: {manifest.SUMS} does not list {required}")
    for file_name, sha in sums.items():
        path = folder / file_name
        if not path.is_file():
            report.problems.append(f"{name}: {file_name} is missing")
        elif manifest.sha256_file(path) != sha:
            report.problems.append(f"{name}: {file_name} was changed (SHA-256 differs)")
    try:
        body = manifest.read_manifest(folder)
    except (ValueError, OSError) as exc:
        report.problems.append(f"{name}: unreadable manifest ({exc})")
        return None
    for file_name, sha in body.get("files", {}).items():
        if sums.get(file_name) != sha:
            report.problems.append(f"{name}: the manifest and {manifest.SUMS} disagree on "
                                   f"{file_name}")
    if (folder / manifest.AUDIT_HEAD).is_file():
        if manifest.read_json(folder / manifest.AUDIT_HEAD) != body.get("audit_head"):
            report.problems.append(f"{name}: {manifest.AUDIT_HEAD} differs from the manifest")
    if not body.get("complete"):
        report.problems.append(f"{name}: the backup is incomplete: "
                               + "; ".join(f"{p['sha256']} {p['problem']}"
                                           for p in body.get("problems", [])[:10]))
    _check_dump(folder / manifest.DUMP, body, report)
    return body


def _check_dump(dump: Path, body: dict, report: VerifyReport) -> None:
    if not dump.is_file():
        return
    engine = body["database"]["engine"]
    try:
        if engine == "postgresql":
            major = int(re.match(r"\d+", body["database"]["server_version"]).group())
            database.toc(dump, database.find_binary("pg_restore", major,
                                                    current_app.config.get("PG_BIN_DIR")))
        else:
            from app.backup.sqlite import Sqlite

            Sqlite("sqlite:///" + str(dump)).toc(dump)
    except database.DatabaseError as exc:
        report.problems.append(f"{dump.parent.name}: the database dump is unreadable ({exc})")


def _check_objects(location: manifest.Location, expected: dict[str, int | None],
                   report: VerifyReport, progress) -> None:
    update = progress("Objects", len(expected)) if progress else None
    for sha in sorted(expected):
        path = location.object_path(sha)
        size = expected[sha]
        if not path.is_file():
            report.problems.append(f"object {sha} is missing")
        elif size is not None and path.stat().st_size != size:
            report.problems.append(f"object {sha} has {path.stat().st_size} bytes, "
                                   f"the manifest says {size}")
        else:
            digest = hashlib.sha256()
            with path.open("rb") as stream:
                while chunk := stream.read(manifest.CHUNK):
                    digest.update(chunk)
            if digest.hexdigest() != sha:
                report.problems.append(f"object {sha} is damaged (its bytes hash to "
                                       f"{digest.hexdigest()})")
            report.objects += 1
            report.bytes += size or path.stat().st_size
        if update:
            update(1)
