"""``flask backup create DEST``: a consistent, self-describing, incremental backup.

1. The database is dumped inside one snapshot, and in that same snapshot the
   manifest's facts are read: counts per table, the alembic revision, the
   audit chain's head and every object the rows refer to.
2. Those objects are copied into ``DEST/objects`` unless a copy is already
   there (content-addressed: same name, same bytes), hashed on the way, so a
   second backup copies only what is new.
3. The tombstones of the live database are written (``tombstones.py``).
4. The manifest and ``SHA256SUMS`` are written and the folder is renamed from
   ``.<name>.partial`` to ``<name>``: only whole backups carry a plain name.

Objects are immutable, so copying them after the dump is consistent unless
one is deleted in between. That happens when a record is destroyed or
deleted, or a rendering replaced, while the backup runs: the object is then
absent from storage and no longer referenced by the live database. The
manifest lists it under ``removed_after_snapshot`` and the backup stays
complete, because the destruction is in this backup's own tombstones (taken
after the copy) and is replayed by every restore of it; a replaced rendering
is dropped from the restored record and made again by a retry. An object
missing while the live database still refers to it, or whose bytes do not
match their name, is a real loss: it is listed under ``problems``, the
backup is marked incomplete and the command fails.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import text

from app.backup import crypto, facts, manifest, objects, sealed, tombstones
from app.backup.engines import for_app
from app.extensions import db
from app.models.user import utcnow
from app.services import audit

Progress = Callable[[str, int], Callable[[int], None]]


@dataclass
class BackupReport:
    name: str
    folder: Path
    encrypted: bool = False
    objects: int = 0
    copied: int = 0
    copied_bytes: int = 0
    object_bytes: int = 0
    dump_bytes: int = 0
    removed_after_snapshot: list[str] = field(default_factory=list)
    problems: list[dict] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def complete(self) -> bool:
        return not self.problems


CONFIGURED = object()  # create_backup(key=...): BACKUP_KEY, as configured


def create_backup(dest: Path, progress: Progress | None = None,
                  key: crypto.Key | None | object = CONFIGURED) -> BackupReport:
    """Write a new backup under ``dest`` (created if needed); see the module docstring.

    ``key``: encrypt with it; ``None`` writes a plain backup (``--unencrypted``);
    by default ``BACKUP_KEY``, and with none configured a deployment that sets
    ``BACKUP_REQUIRE_KEY`` (production) refuses (:class:`crypto.KeyMissing`).

    One backup writes into a ``DEST`` at a time (a lock file); what an earlier,
    interrupted one left half-written is cleared first, and a failure removes
    its own half-written folder (objects already named stay: they are whole).
    """
    asked_in_clear = key is None  # --unencrypted: verify warns, never fails, on it
    if key is CONFIGURED:
        key = crypto.configured_key()
        if key is None and current_app.config.get("BACKUP_REQUIRE_KEY"):
            raise crypto.KeyMissing(_(
                "No BACKUP_KEY is configured and this deployment writes only encrypted "
                "backups: set BACKUP_KEY (flask backup keygen makes one) or give "
                "--unencrypted to write this one in clear."))
    location = manifest.Location(Path(dest))
    location.backups.mkdir(parents=True, exist_ok=True)
    location.objects.mkdir(parents=True, exist_ok=True)
    with manifest.exclusive(location):
        shutil.rmtree(location.objects / "tmp", ignore_errors=True)
        for leftover in location.backups.glob(".*.partial"):
            shutil.rmtree(leftover, ignore_errors=True)
        name = location.new_name()
        work = location.backups / f".{name}.partial"
        work.mkdir()
        try:
            report = _write(location, name, work, progress, key, asked_in_clear)
        except BaseException:
            shutil.rmtree(work, ignore_errors=True)
            raise
    _audit(report, location)
    return report


def _write(location: manifest.Location, name: str, work: Path, progress: Progress | None,
           key: crypto.Key | None, asked_in_clear: bool) -> BackupReport:
    report = BackupReport(name, location.backups / name, encrypted=key is not None)
    database = for_app(current_app)
    started, clock = utcnow(), time.perf_counter()

    # An encrypted backup's dump is written on this machine first: the plain
    # bytes never reach DEST (often a mounted NAS or a disk that travels).
    with tempfile.TemporaryDirectory(prefix="archive-backup-") as tmp:
        plain = (work if key is None else Path(tmp)) / manifest.DUMP
        with database.snapshot() as (cursor, snapshot_id):
            found = facts.read(cursor, database.tables(cursor))
            database.dump(plain, snapshot_id)
        dump_name = sealed.seal_dump(plain, work, name, key) if key else manifest.DUMP
    report.seconds["database"] = time.perf_counter() - clock
    report.dump_bytes = (work / dump_name).stat().st_size

    clock = time.perf_counter()
    sizes = _copy_objects(location, found["objects"], report, progress, key)
    report.seconds["objects"] = time.perf_counter() - clock

    files = {dump_name: manifest.sha256_file(work / dump_name)}
    stored, files_sha = sealed.write_json(work, name, manifest.TOMBSTONES,
                                          tombstones.collect(name), key)
    files[stored] = files_sha
    db.session.rollback()  # read-only: end the transaction the tombstones opened
    files[manifest.AUDIT_HEAD] = manifest.write_json(work / manifest.AUDIT_HEAD,
                                                     found["audit_head"])
    body = {
        "format": manifest.FORMAT, "name": name, "started_at": started.isoformat(),
        "finished_at": utcnow().isoformat(), "complete": report.complete,
        "app": {"version": app_version(), "alembic_revision": found["alembic_revision"]},
        "database": {"engine": database.engine, "server_version": database.server_version()[1],
                     "file": dump_name, "sha256": files[dump_name],
                     "bytes": report.dump_bytes, "consistency": database.consistency},
        "counts": found["counts"], "audit_head": found["audit_head"],
        "objects": sizes, "object_bytes": report.object_bytes,
        "copied": {"objects": report.copied, "bytes": report.copied_bytes},
        "removed_after_snapshot": report.removed_after_snapshot,
        "problems": report.problems, "files": files,
        "encryption": {"algorithm": crypto.ALGORITHM, "key_id": key.id} if key else None,
        # A plain backup: written so on request (--unencrypted) or for want of a key.
        "in_clear": None if key else ("asked" if asked_in_clear else "no key"),
    }
    files[manifest.MANIFEST] = manifest.write_json(work / manifest.MANIFEST, body)
    # sha256sum -c checks the objects of a plain backup; an encrypted copy is
    # checked by its own tags and the hash of its plaintext (flask backup verify).
    manifest.write_sums(work, files, [] if key else list(sizes))
    if key:
        sealed.write_mac(work, key)
    manifest.fsync_dir(work)
    work.rename(report.folder)
    manifest.fsync_dir(location.backups)
    return report


def _copy_objects(location: manifest.Location, hashes: list[str], report: BackupReport,
                  progress: Progress | None, key: crypto.Key | None) -> dict[str, int]:
    """Copy what ``DEST/objects`` lacks; returns ``{sha256: size}`` of what the backup holds."""
    tmp = location.objects / "tmp"
    tmp.mkdir(exist_ok=True)

    def copy(sha: str) -> tuple[str, int | str | None]:
        target = location.object_path(sha, key.id if key else None)
        if target.is_file():
            return "present", _plain_size(target, sha, key)
        return _copy_one(sha, tmp, key)

    sizes, written = {}, []
    update = progress("Objects", len(hashes)) if progress else None
    for sha, (state, value) in objects.for_each(copy, hashes, update):
        if state == "present":
            sizes[sha] = value
        elif state == "copied":
            sizes[sha] = value
            report.copied += 1
            report.copied_bytes += value
            written.append(sha)
        elif state == "missing":
            if _still_referenced(sha):
                report.problems.append({"sha256": sha, "problem": "missing from storage"})
            else:
                report.removed_after_snapshot.append(sha)
        elif state == "corrupt":
            report.problems.append({"sha256": sha, "problem": "stored bytes do not match "
                                    f"their SHA-256 (they hash to {value})"})
    report.objects, report.object_bytes = len(sizes), sum(sizes.values())
    _publish(location, tmp, written, key)
    return sizes


def _publish(location: manifest.Location, tmp: Path, shas: list[str],
             key: crypto.Key | None) -> None:
    """Give the copies their names once their bytes are on disk.

    A name in ``DEST/objects`` means "these bytes are there" (the next backup
    does not copy it again), so no name may point at bytes a crash could lose:
    the copies wait in ``tmp``, one ``syncfs`` (or an fsync per file where there
    is none) makes them durable, then they are renamed and the names synced.
    """
    partials = [_partial(tmp, sha) for sha in shas]
    manifest.sync_files(location.objects, partials)
    for sha, partial in zip(shas, partials):
        target = location.object_path(sha, key.id if key else None)
        target.parent.mkdir(parents=True, exist_ok=True)
        partial.replace(target)
    parents = {location.object_path(sha).parent for sha in shas}
    manifest.sync_files(location.objects, [], parents | {p.parent for p in parents})


def _partial(tmp: Path, sha: str) -> Path:
    return tmp / f"{sha}.{os.getpid()}"


def _plain_size(copy: Path, sha: str, key: crypto.Key | None) -> int:
    """The size of the object a copy holds (an encrypted copy is a little longer)."""
    if key is None:
        return copy.stat().st_size
    return sealed.plain_size(copy.stat().st_size)


def _copy_one(sha: str, tmp: Path, key: crypto.Key | None) -> tuple[str, int | str | None]:
    """Copy one object into ``tmp`` (encrypted with ``key``), hashing it on the way
    (runs on a worker thread)."""
    partial = _partial(tmp, sha)
    digest, size = hashlib.sha256(), 0
    try:
        with objects.open_object(sha) as source, partial.open("wb") as out:
            if key is not None:
                size = crypto.encrypt_stream(source, out, key, crypto.object_label(sha),
                                             on_plain=digest.update)
            else:
                while chunk := source.read(objects.CHUNK):
                    digest.update(chunk)
                    size += len(chunk)
                    out.write(chunk)
    except objects.ObjectMissing:
        partial.unlink(missing_ok=True)
        return "missing", None
    if digest.hexdigest() != sha:
        partial.unlink()
        return "corrupt", digest.hexdigest()
    return "copied", size


def _still_referenced(sha: str) -> bool:
    """Does the live database (not the snapshot) still refer to ``sha``?"""
    found = any(db.session.scalar(text(facts.referencing(column)), {"sha": sha})
                for column in facts.OBJECT_COLUMNS)
    db.session.rollback()
    return found


def _audit(report: BackupReport, location: manifest.Location) -> None:
    audit.record(None, "backup.create", "backup", report.name, location=str(location.root),
                 objects=report.objects, copied=report.copied, bytes=report.copied_bytes,
                 complete=report.complete)
    db.session.commit()


def app_version() -> str:
    """The code's commit when it runs from a git checkout, else ``unknown``."""
    # A fixed git command on the project's own folder, never user input.
    import subprocess  # nosec B404

    root = Path(current_app.root_path).parent
    try:
        out = subprocess.run(["git", "-C", str(root), "describe", "--always", "--dirty"],  # nosec B603 B607
                             capture_output=True, text=True, timeout=5)
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return out.stdout.strip() or "unknown"
