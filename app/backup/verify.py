"""``flask backup verify DEST``: re-check every hash a backup records.

For each backup (or the one named): every file listed in ``SHA256SUMS``
(manifest, dump, audit head, tombstones) hashes to its recorded value; the
manifest names the same dump and audit head; the dump's table of contents is
readable by ``pg_restore --list`` (``PRAGMA integrity_check`` for SQLite);
then every object any of those backups refers to exists, has its recorded
size and hashes to its name (each object once, however many backups share
it). Nothing needs the archive's database or storage.

A backup written in clear where backups are meant to be encrypted (a
``BACKUP_KEY`` is set, other backups beside it are encrypted, or the
deployment requires a key) is reported in a sentence: a warning, and a
failure only where ``BACKUP_REQUIRE_KEY`` is on and nobody asked for it in
clear (``backup create --unencrypted``) — as ``create`` itself refuses then.
"""
from __future__ import annotations

import hashlib
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from flask import current_app
from flask_babel import gettext as _

from app.backup import crypto, database, manifest, sealed


@dataclass
class VerifyReport:
    backups: list[str] = field(default_factory=list)
    objects: int = 0
    bytes: int = 0
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return bool(self.backups) and not self.problems


def verify_backups(source: Path, name: str | None = None,
                   progress: Callable[[str, int], Callable[[int], None]] | None = None,
                   key: crypto.Key | None = None) -> VerifyReport:
    """Check the backups in ``source`` (encrypted ones with ``key``, else BACKUP_KEY)."""
    location, given = manifest.locate(Path(source))
    report = VerifyReport()
    names = [name or given] if (name or given) else location.names()
    if not names:
        report.problems.append(f"{location.root}: no backup found")
        return report
    expected: dict[tuple[str, str | None], int | None] = {}  # (sha, key id) -> size
    keys: dict[str, crypto.Key] = {}
    in_clear: dict[str, dict] = {}
    for backup in names:
        folder = location.backups / backup
        if not (folder / manifest.MANIFEST).is_file():
            report.problems.append(f"{backup}: no such backup")
            continue
        report.backups.append(backup)
        body = _check_files(folder, report)
        if body is None:
            continue
        if manifest.key_id(body) is None:
            in_clear[backup] = body
        try:
            opener = sealed.key_for(body, key)
        except crypto.BackupKeyError as exc:
            report.problems.append(f"{backup}: {exc}")
            continue
        if opener is not None:
            keys[opener.id] = opener
            _check_sealed(folder, body, opener, report)
        _check_dump(folder, body, opener, report)
        for sha, size in body["objects"].items():
            expected[(sha, manifest.key_id(body))] = size
    _check_objects(location, expected, keys, report, progress)
    _check_in_clear(location, in_clear, key, report)
    return report


def _check_in_clear(location: manifest.Location, in_clear: dict[str, dict],
                    key: crypto.Key | None, report: VerifyReport) -> None:
    """Plain backups where backups are meant to be encrypted: said, in a sentence."""
    if not in_clear:
        return
    required = bool(current_app.config.get("BACKUP_REQUIRE_KEY"))
    why = []
    if key is not None or current_app.config.get("BACKUP_KEY"):
        why.append(_("BACKUP_KEY is set"))
    if any(_encrypted(location, name) for name in location.names() if name not in in_clear):
        why.append(_("other backups in this folder are encrypted"))
    if required:
        why.append(_("this deployment requires encrypted backups (BACKUP_REQUIRE_KEY)"))
    for name, body in in_clear.items():
        if required and body.get("in_clear") != "asked":
            report.problems.append(_(
                "Backup %(name)s is not encrypted and was not written in clear on purpose "
                "(--unencrypted), but this deployment requires encrypted backups "
                "(BACKUP_REQUIRE_KEY): anyone who reads this folder reads the records it "
                "holds. Make an encrypted backup, then remove this one.", name=name))
        elif why:
            report.warnings.append(_(
                "Backup %(name)s is not encrypted, although %(why)s: anyone who reads this "
                "folder reads the records it holds. Make an encrypted backup; this one stays "
                "readable until prune removes it.", name=name, why="; ".join(why)))


def _encrypted(location: manifest.Location, name: str) -> bool:
    try:
        return manifest.key_id(manifest.read_manifest(location.backups / name)) is not None
    except (ValueError, OSError):
        return False


def _check_files(folder: Path, report: VerifyReport) -> dict | None:
    name = folder.name
    try:
        sums = manifest.read_sums(folder)
    except FileNotFoundError:
        report.problems.append(f"{name}: {manifest.SUMS} is missing")
        return None
    try:
        body = manifest.read_manifest(folder)
    except (ValueError, OSError) as exc:
        report.problems.append(f"{name}: unreadable manifest ({exc})")
        return None
    for required in (manifest.MANIFEST, manifest.stored_name(body, manifest.DUMP),
                     manifest.AUDIT_HEAD, manifest.stored_name(body, manifest.TOMBSTONES)):
        if required not in sums:
            report.problems.append(f"{name}: {manifest.SUMS} does not list {required}")
    for file_name, sha in sums.items():
        path = folder / file_name
        if not path.is_file():
            report.problems.append(f"{name}: {file_name} is missing")
        elif manifest.sha256_file(path) != sha:
            report.problems.append(f"{name}: {file_name} was changed (SHA-256 differs)")
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
    return body


def _check_sealed(folder: Path, body: dict, key: crypto.Key, report: VerifyReport) -> None:
    """An encrypted backup: its sums sealed by the key, its tombstones authentic."""
    if not sealed.check_mac(folder, key):
        report.problems.append(f"{folder.name}: {manifest.SUMS} or {manifest.MAC} was changed "
                               "(the manifest is not sealed by this key)")
    try:
        sealed.read_json(folder, body, manifest.TOMBSTONES, key)
    except (crypto.BackupKeyError, ValueError, OSError) as exc:
        report.problems.append(f"{folder.name}: {manifest.TOMBSTONES}: {exc}")


def _check_dump(folder: Path, body: dict, key: crypto.Key | None, report: VerifyReport) -> None:
    if not (folder / manifest.stored_name(body, manifest.DUMP)).is_file():
        return
    engine = body["database"]["engine"]
    try:
        with tempfile.TemporaryDirectory(prefix="archive-verify-") as work, \
                sealed.plain_dump(folder, body, Path(work), key) as dump:
            if engine == "postgresql":
                major = int(re.match(r"\d+", body["database"]["server_version"]).group())
                database.toc(dump, database.find_binary("pg_restore", major,
                                                        current_app.config.get("PG_BIN_DIR")))
            else:
                from app.backup.sqlite import Sqlite

                Sqlite("sqlite:///" + str(dump)).toc(dump)
    except crypto.BackupKeyError as exc:
        report.problems.append(f"{folder.name}: {exc}")
    except database.DatabaseError as exc:
        report.problems.append(f"{folder.name}: the database dump is unreadable ({exc})")


def _check_objects(location: manifest.Location,
                   expected: dict[tuple[str, str | None], int | None],
                   keys: dict[str, crypto.Key], report: VerifyReport, progress) -> None:
    update = progress("Objects", len(expected)) if progress else None
    for sha, key_id in sorted(expected, key=lambda k: (k[0], k[1] or "")):
        path = location.object_path(sha, key_id)
        size = expected[(sha, key_id)]
        stored = size if size is None or key_id is None else sealed.sealed_size(size)
        if not path.is_file():
            report.problems.append(f"object {sha} is missing")
        elif stored is not None and path.stat().st_size != stored:
            report.problems.append(f"object {sha} has {path.stat().st_size} bytes, "
                                   f"the manifest says {stored}")
        else:
            _check_bytes(path, sha, keys.get(key_id) if key_id else None, report)
            report.objects += 1
            report.bytes += size or path.stat().st_size
        if update:
            update(1)


def _check_bytes(path: Path, sha: str, key: crypto.Key | None, report: VerifyReport) -> None:
    """The copy's (decrypted) bytes hash to its name; an encrypted copy's tags hold."""
    digest = hashlib.sha256()
    try:
        with sealed.open_object(path, sha, key) as stream:
            while chunk := stream.read(manifest.CHUNK):
                digest.update(chunk)
    except crypto.BackupKeyError as exc:
        report.problems.append(f"object {sha} is damaged: {exc}")
        return
    if digest.hexdigest() != sha:
        report.problems.append(f"object {sha} is damaged (its bytes hash to "
                               f"{digest.hexdigest()})")
