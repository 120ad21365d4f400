"""``flask backup create | verify | restore | prune | list | keygen | tombstones | repair``."""
from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

import click
from flask.cli import AppGroup
from flask_babel import gettext as _
from tqdm import tqdm

backup_cli = AppGroup("backup", help="Back up, verify and restore the whole archive.")


@contextmanager
def _bars():
    """Progress bars made on demand by the backup code: ``progress(desc, total)``."""
    made = []

    def progress(desc: str, total: int):
        for earlier in made:
            earlier.close()  # one phase at a time
        bar = tqdm(total=total, desc=desc, unit="obj" if desc == "Objects" else "doc")
        made.append(bar)
        return bar.update

    try:
        yield progress
    finally:
        for bar in made:
            bar.close()


def _mb(n: int) -> str:
    return f"{n / 1e6:.1f} MB"


@backup_cli.command("create")
@click.argument("dest", type=click.Path(file_okay=False, path_type=Path))
@click.option("--unencrypted", is_flag=True,
              help="Write this backup in clear, even where BACKUP_KEY is set or required.")
def create_command(dest: Path, unencrypted: bool):
    """Back up the database, every stored object (incrementally) and the audit head."""
    from app.backup.create import CONFIGURED, create_backup
    from app.backup.crypto import BackupKeyError
    from app.backup.manifest import BackupBusy

    click.echo(f"Backing up into {dest}")
    try:
        with _bars() as progress:
            report = create_backup(dest, progress=progress,
                                   key=None if unencrypted else CONFIGURED)
    except (BackupBusy, BackupKeyError) as exc:
        raise click.ClickException(str(exc))
    click.echo(_("Encrypted with BACKUP_KEY (AES-256-GCM).") if report.encrypted else
               _("Not encrypted: anyone who reads this folder reads the archive."))
    click.echo(f"Backup {report.name}: database {_mb(report.dump_bytes)} "
               f"({report.seconds['database']:.1f} s); {report.objects} objects "
               f"({_mb(report.object_bytes)}), {report.copied} copied ({_mb(report.copied_bytes)}), "
               f"{report.objects - report.copied} already there "
               f"({report.seconds['objects']:.1f} s).")
    if report.removed_after_snapshot:
        click.echo(f"{len(report.removed_after_snapshot)} object(s) were removed (destruction "
                   "or a replaced rendering) after the database snapshot; the backup's "
                   "tombstones cover them.")
    for problem in report.problems:
        click.echo(f"PROBLEM  {problem['sha256']}: {problem['problem']}", err=True)
    click.echo(f"Written to {report.folder}" + ("" if report.complete else
                                               " — INCOMPLETE (see the problems above)"))
    if not report.complete:
        raise SystemExit(1)


@backup_cli.command("verify")
@click.argument("dest", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--backup", "name", default=None, help="Only this backup (default: all).")
def verify_command(dest: Path, name: str | None):
    """Re-check every file and object hash of the backups in DEST."""
    from app.backup.crypto import BackupKeyError
    from app.backup.verify import verify_backups

    try:
        with _bars() as progress:
            report = verify_backups(dest, name, progress=progress)
    except BackupKeyError as exc:
        raise click.ClickException(str(exc))
    for problem in report.problems:
        click.echo(f"BROKEN  {problem}")
    for warning in report.warnings:
        click.echo(warning)
    click.echo(f"{len(report.backups)} backup(s), {report.objects} objects "
               f"({_mb(report.bytes)}) checked: "
               + ("every hash matches." if report.ok else f"{len(report.problems)} problems."))
    if not report.ok:
        raise SystemExit(1)


@backup_cli.command("restore")
@click.argument("src", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--backup", "name", default=None,
              help="Which backup in SRC (default: the newest complete one).")
@click.option("--force", is_flag=True,
              help="Replace a database that is not empty (its tombstones are kept).")
@click.option("--tombstones", "tombstone_file",
              type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="Also replay the tombstones in this file (flask backup tombstones).")
def restore_command(src: Path, name: str | None, force: bool, tombstone_file: Path | None):
    """Restore a backup into the configured (empty) database, storage and index."""
    from app.backup.crypto import BackupKeyError
    from app.backup.manifest import BackupNotFound
    from app.backup.restore import RestoreRefused, restore_backup

    try:
        with _bars() as progress:
            report = restore_backup(src, name, force=force, tombstone_file=tombstone_file,
                                    progress=progress, say=click.echo)
    except (RestoreRefused, BackupNotFound, BackupKeyError) as exc:
        raise click.ClickException(str(exc))
    replay = report.replay
    click.echo(f"Backup {report.name} restored ({report.seconds['database']:.1f} s database, "
               f"{report.seconds['objects']:.1f} s objects, {report.seconds['index']:.1f} s "
               f"index): {report.objects} objects ({report.copied} copied, "
               f"{_mb(report.copied_bytes)}; {report.already_in_storage} already in storage), "
               f"{report.indexed} records indexed.")
    if report.migrated_from:
        click.echo(f"Database migrated from revision {report.migrated_from}.")
    click.echo(f"Tombstones replayed: {len(replay.replayed)} record(s) destroyed or deleted "
               f"after this backup stay so" + (f" ({', '.join(map(str, replay.replayed[:20]))})"
                                               if replay.replayed else "") + ".")
    later = report.later
    click.echo(_("Transfers replayed: %(n)s record(s) transferred after this backup stay "
                 "transferred%(ids)s. Hold releases replayed: %(h)s legal hold(s) released "
                 "after this backup stay released%(holds)s.",
                 n=len(later.transferred), h=len(later.released),
                 ids=f" ({', '.join(map(str, later.transferred[:20]))})"
                 if later.transferred else "",
                 holds=f" ({', '.join(map(str, later.released[:20]))})"
                 if later.released else ""))
    if later.placed:
        click.echo(_("Holds replayed: %(n)s legal hold(s) placed after this backup are placed "
                     "again (%(ids)s).", n=len(later.placed),
                     ids=", ".join(map(str, later.placed[:20]))))
    if later.not_placed:
        click.echo(_("%(n)s legal hold(s) placed after this backup cover a record or dossier "
                     "this backup does not hold; they were not placed again (%(ids)s).",
                     n=len(later.not_placed), ids=", ".join(map(str, later.not_placed[:20]))))
    if report.dropped_packages:
        click.echo(_("%(n)s transfer package(s) made after this backup are in no backup "
                     "here; the historical archive holds the copy it received.",
                     n=len(report.dropped_packages)))
    if report.dropped_renderings:
        click.echo(f"{report.dropped_renderings} rendering(s) replaced during the backup "
                   "were dropped; retry the records to make them again.")
    for problem in report.problems:
        click.echo(f"PROBLEM  {problem}", err=True)
    for problem in report.audit.problems:
        click.echo(f"BROKEN  {problem}")
    click.echo(f"Audit verify: {report.audit.checked} entries checked: "
               + ("chain intact." if report.audit.ok else
                  f"{len(report.audit.problems)} problems."))
    if not report.ok:
        raise SystemExit(1)


@backup_cli.command("prune")
@click.argument("dest", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--keep-daily", type=click.IntRange(0), default=0,
              help="Keep the newest backup of each of the last N days.")
@click.option("--keep-weekly", type=click.IntRange(0), default=0,
              help="Keep the newest backup of each of the last N weeks.")
@click.option("--keep-monthly", type=click.IntRange(0), default=0,
              help="Keep the newest backup of each of the last N months.")
@click.option("--dry-run", is_flag=True, help="Only list what would be removed.")
def prune_command(dest: Path, keep_daily: int, keep_weekly: int, keep_monthly: int,
                  dry_run: bool):
    """Remove old backups from DEST, then the objects no remaining backup lists."""
    from app.backup.manifest import BackupBusy
    from app.backup.prune import prune

    keep = {"daily": keep_daily, "weekly": keep_weekly, "monthly": keep_monthly}
    if not any(keep.values()):
        raise click.ClickException(_("Say how many backups to keep: --keep-daily, "
                                     "--keep-weekly or --keep-monthly (at least one)."))
    try:
        with _bars() as progress:
            report = prune(dest, keep, dry_run=dry_run, progress=progress)
    except BackupBusy as exc:
        raise click.ClickException(str(exc))
    rules = {"newest": _("the newest"), "daily": _("daily"), "weekly": _("weekly"),
             "monthly": _("monthly")}
    for name, why in sorted(report.kept.items()):
        click.echo(_("Keep %(name)s (%(why)s)", name=name,
                     why=", ".join(str(rules[w]) for w in why)))
    for name in report.removed:
        click.echo(_("Would remove %(name)s", name=name) if dry_run
                   else _("Removed %(name)s", name=name))
    counts = {"backups": len(report.removed), "objects": report.objects_removed,
              "mb": _mb(report.bytes_removed), "kept": report.objects_kept}
    click.echo(_("Would remove %(backups)s backup(s) and %(objects)s object(s) (%(mb)s); "
                 "%(kept)s object(s) stay.", **counts) if dry_run else
               _("Removed %(backups)s backup(s) and %(objects)s object(s) (%(mb)s); "
                 "%(kept)s object(s) stay.", **counts))


@backup_cli.command("keygen")
def keygen_command():
    """Print a new random BACKUP_KEY (32 bytes, base64)."""
    from app.backup.crypto import new_key

    click.echo(new_key())


@backup_cli.command("list")
@click.argument("dest", type=click.Path(exists=True, file_okay=False, path_type=Path))
def list_command(dest: Path):
    """The backups in DEST, oldest first."""
    from app.backup import manifest

    location = manifest.Location(dest)
    for name in location.names():
        body = manifest.read_manifest(location.backups / name)
        click.echo(f"{name}\t{body['counts'].get('documents', 0)} documents\t"
                   f"{len(body['objects'])} objects\t{_mb(body['object_bytes'])}\t"
                   f"copied {body['copied']['objects']}\t"
                   + ("complete" if body["complete"] else "INCOMPLETE") + "\t"
                   + (f"encrypted, key id {manifest.key_id(body)}" if manifest.key_id(body)
                      else "plain"))


@backup_cli.command("repair")
@click.option("--location", "locations", multiple=True,
              type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="A backup folder (default: BACKUP_LOCATIONS).")
def repair_command(locations: tuple[Path, ...]):
    """Put back objects fixity found missing or altered, from the latest backup holding them."""
    from app.backup.locations import BackupSource
    from app.services.fixity_repair import repair

    source = BackupSource(list(locations) or None)
    if not source.locations:
        raise click.ClickException("No backup folder: give --location or set BACKUP_LOCATIONS.")
    report = repair(None, source)
    click.echo(f"Repaired {len(report.repaired)}; not in the backups "
               f"{len(report.not_in_source)}; wrong in the backups too "
               f"{len(report.wrong_in_source)}.")
    if report.not_in_source or report.wrong_in_source:
        raise SystemExit(1)


@backup_cli.command("tombstones")
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
def tombstones_command(out: Path):
    """Write what a restore must not undo to OUT (for restore --tombstones): the records
    destroyed, deleted or transferred, and every legal hold, placed or released."""
    from app.backup import manifest, tombstones

    data = tombstones.collect("file")
    manifest.write_json(out, data)
    click.echo(f"{len(data['documents'])} tombstone(s), {len(data['transfers'])} transfer(s) "
               f"and {len(data['placed_holds'])} legal hold(s) written to {out}.")
