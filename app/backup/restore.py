"""``flask backup restore SRC``: bring a backup back into the configured services.

Into the database, storage and Elasticsearch the app is configured with:

1. the backup's own files are checked against ``SHA256SUMS``; a backup from
   code this checkout does not know (its alembic revision) is refused;
2. the database must be empty (no tables); with ``--force`` a database that
   still exists is read for its tombstones first, then emptied;
3. ``pg_restore`` in one transaction (SQLite: the backup API), then the audit
   head is compared with the manifest's and migrations run if the backup is
   older than the code;
4. tombstones are replayed (``tombstones.py``): the backup's own, every newer
   backup's in the same place, ``--tombstones FILE`` and the live database's;
   with them the transfers and hold releases they carry
   (``retention_replay.py``), so nothing done after the backup is undone;
5. every object the restored rows refer to is copied back into storage, each
   hashed on the way (a damaged copy never lands); a replaced rendering the
   backup could not hold is dropped from its record (a retry makes it again);
6. a ``backup.restore`` audit entry, the search index rebuilt from the
   database (``app.services.indexing.reindex``), and ``audit verify``.

Elasticsearch is rebuilt, not restored from a snapshot: the shared cluster
has no snapshot repository (``path.repo``), and rebuilding needs nothing the
database does not already hold (bench/README.md has the time it takes).
"""
from __future__ import annotations

import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from alembic.script import ScriptDirectory
from flask import current_app
from flask_migrate import upgrade
from sqlalchemy import select, text, update

from app.backup import crypto, facts, manifest, objects, retention_replay, sealed, tombstones
from app.backup.engines import for_app
from app.extensions import db, migrate
from app.models import AuditEvent, DispositionProposal, DocumentFile
from app.services import audit

Progress = Callable[[str, int], Callable[[int], None]]


class RestoreRefused(Exception):
    pass


@dataclass
class RestoreReport:
    name: str
    objects: int = 0
    copied: int = 0
    copied_bytes: int = 0
    already_in_storage: int = 0
    dropped_renderings: int = 0
    replay: tombstones.ReplayReport | None = None
    later: retention_replay.LaterReport | None = None
    dropped_packages: list[str] = field(default_factory=list)
    migrated_from: str | None = None
    indexed: int = 0
    audit: audit.VerifyReport | None = None
    problems: list[str] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems and self.audit is not None and self.audit.ok


def restore_backup(source: Path, name: str | None = None, force: bool = False,
                   tombstone_file: Path | None = None, progress: Progress | None = None,
                   say: Callable[[str], None] = lambda _: None) -> RestoreReport:
    location, given = manifest.locate(Path(source))
    folder = location.backup(name or given)
    body = _checked_manifest(folder)
    key = sealed.key_for(body)  # a clear error before anything is touched
    if key is not None and not sealed.check_mac(folder, key):
        raise RestoreRefused(f"{folder.name}: {manifest.SUMS} is not sealed by this key "
                             "(it was changed); run flask backup verify")
    report = RestoreReport(folder.name)
    database = for_app(current_app)
    if database.engine != body["database"]["engine"]:
        raise RestoreRefused(f"the backup holds a {body['database']['engine']} database; "
                             f"this app uses {database.engine}")
    sources = [tombstones.of_backup(location.backups / n)
               for n in location.names() if n >= folder.name]
    if tombstone_file:
        sources.append(tombstones.read(Path(tombstone_file)))

    clock = time.perf_counter()
    if database.table_count():
        if not force:
            raise RestoreRefused("the database is not empty; restoring needs an empty "
                                 "database (--force empties this one, after reading its "
                                 "tombstones)")
        say("Reading the tombstones of the database about to be replaced")
        try:
            sources.append(tombstones.collect("database"))
        except Exception as exc:  # noqa: BLE001 - refuse rather than forget a destruction
            db.session.rollback()
            raise RestoreRefused(
                "the tombstones of the database to be replaced could not be read "
                f"({type(exc).__name__}); export them with the code that wrote it "
                "(flask backup tombstones OUT) and give them with --tombstones, or empty "
                "the database yourself") from exc
        db.session.remove()
        db.engine.dispose()
        database.wipe()
    say(f"Restoring the database of backup {folder.name}")
    db.session.remove()
    db.engine.dispose()
    with tempfile.TemporaryDirectory(prefix="archive-restore-") as work, \
            sealed.plain_dump(folder, body, Path(work), key) as dump:
        database.restore(dump, Path(work))
    db.engine.dispose()
    _check_audit_head(body, report)
    report.migrated_from = _migrate(body["app"]["alembic_revision"])
    report.later = retention_replay.replay(tuple(sources), folder.name)
    report.replay = tombstones.replay(tombstones.merge(*sources), folder.name)
    _remove_replayed(report.replay.objects)
    report.seconds["database"] = time.perf_counter() - clock

    clock = time.perf_counter()
    _restore_objects(location, key, report, progress)
    report.seconds["objects"] = time.perf_counter() - clock
    _audit(report, location)

    clock = time.perf_counter()
    _reindex(report, progress)
    report.seconds["index"] = time.perf_counter() - clock
    report.audit = audit.verify()
    db.session.rollback()
    return report


def _checked_manifest(folder: Path) -> dict:
    sums = manifest.read_sums(folder)
    if manifest.sha256_file(folder / manifest.MANIFEST) != sums.get(manifest.MANIFEST):
        raise RestoreRefused(f"{folder.name}: {manifest.MANIFEST} does not match its SHA-256 "
                             "(run flask backup verify)")
    body = manifest.read_manifest(folder)
    for file_name in (manifest.stored_name(body, manifest.DUMP),
                      manifest.stored_name(body, manifest.TOMBSTONES)):
        if manifest.sha256_file(folder / file_name) != sums.get(file_name):
            raise RestoreRefused(f"{folder.name}: {file_name} does not match its SHA-256 "
                                 "(run flask backup verify)")
    if not body.get("complete"):
        raise RestoreRefused(f"{folder.name} is incomplete; restore an earlier backup")
    revision = body["app"]["alembic_revision"]
    scripts = ScriptDirectory.from_config(migrate.get_config())
    if revision is not None and revision not in {s.revision for s in scripts.walk_revisions()}:
        raise RestoreRefused(f"{folder.name} was made by newer code (database revision "
                             f"{revision}); restore it with that code")
    return body


def _check_audit_head(body: dict, report: RestoreReport) -> None:
    last = db.session.scalar(select(AuditEvent).order_by(AuditEvent.seq.desc()).limit(1))
    head = body.get("audit_head")
    found = {"seq": last.seq, "hash": last.hash} if last else None
    if (head and {"seq": head["seq"], "hash": head["hash"]}) != found:
        report.problems.append(f"the restored audit trail ends at {found}, the manifest "
                               f"says {head}")


def _migrate(revision: str | None) -> str | None:
    scripts = ScriptDirectory.from_config(migrate.get_config())
    if revision is None or revision in scripts.get_heads():
        return None
    upgrade()
    return revision


def _restore_objects(location: manifest.Location, key: crypto.Key | None,
                     report: RestoreReport, progress: Progress | None) -> None:
    wanted: dict[str, tuple[str, str]] = {}  # sha -> a column naming it (originals win)
    for column in facts.RENDERINGS + tuple(c for c in facts.OBJECT_COLUMNS
                                           if c not in facts.RENDERINGS):
        for sha in db.session.scalars(text(facts.distinct(column))):
            wanted[sha] = column
    db.session.rollback()

    def restore(sha: str) -> str:
        if objects.exists(sha):
            return "present"
        copy = location.object_path(sha, key.id if key else None)
        if not copy.is_file():
            return "absent"
        try:
            with sealed.open_object(copy, sha, key) as stream:
                objects.save(stream, sha)
        except (objects.ObjectCorrupt, crypto.Tampered):
            return "corrupt"
        return "copied"

    update_bar = progress("Objects", len(wanted)) if progress else None
    for sha, state in objects.for_each(restore, sorted(wanted), update_bar):
        report.objects += 1
        if state == "present":
            report.already_in_storage += 1
        elif state == "copied":
            report.copied += 1
            report.copied_bytes += location.object_path(sha, key.id if key else None
                                                        ).stat().st_size
        elif state == "corrupt":
            report.problems.append(f"object {sha} in the backup is damaged; not restored")
        elif wanted[sha] in facts.RENDERINGS:
            _drop_rendering(sha)
            report.dropped_renderings += 1
        elif report.later and sha in report.later.packages:
            _drop_package(sha)  # made after this backup, copied by none beside it
            report.dropped_packages.append(sha)
        else:
            report.problems.append(f"object {sha} is not in the backup")
    db.session.commit()


def _remove_replayed(shas: set[str]) -> None:
    """Over storage that still holds them (``--force``): the bytes of records the
    replay destroyed, unless another record shares them."""
    used = {sha for sha in shas
            if any(db.session.scalar(text(facts.referencing(c)), {"sha": sha})
                   for c in facts.OBJECT_COLUMNS)}
    db.session.rollback()
    for sha in shas - used:
        objects.remove(sha)


def _drop_package(sha: str) -> None:
    """A replayed transfer's package that no backup here holds (the historical
    archive received it): the proposal keeps its name, not a dangling hash."""
    db.session.execute(update(DispositionProposal).where(
        DispositionProposal.package_sha256 == sha).values(package_sha256=None))


def _drop_rendering(sha: str) -> None:
    """A thumbnail, preview or searchable PDF replaced while the backup ran."""
    for _table, column in facts.RENDERINGS:
        attribute = getattr(DocumentFile, column)
        db.session.execute(update(DocumentFile).where(attribute == sha).values({column: None}))


def _audit(report: RestoreReport, location: manifest.Location) -> None:
    from app.auth_cache import new_epoch

    audit.record(None, "backup.restore", "backup", report.name, location=str(location.root),
                 objects=report.objects, copied=report.copied,
                 replayed=report.replay.replayed if report.replay else [],
                 dropped_renderings=report.dropped_renderings,
                 migrated_from=report.migrated_from, problems=len(report.problems))
    db.session.commit()
    new_epoch()  # processes forget API tokens they remembered from before the restore


def _reindex(report: RestoreReport, progress: Progress | None) -> None:
    from app.services.indexing import count_documents, reindex

    update_bar = progress("Reindexing", count_documents()) if progress else None
    try:
        result = reindex(progress=update_bar)
    except Exception as exc:  # noqa: BLE001 - the data is back; the index can follow later
        db.session.rollback()
        report.problems.append(f"the search index was not rebuilt ({type(exc).__name__}: "
                               f"{exc}); run flask search reindex")
        return
    report.indexed = result.loaded
    report.problems += [f"indexing: {e}" for e in result.errors[:20]]
