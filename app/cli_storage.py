"""flask storage info|init|migrate|verify|fixity|repair: the object store from the command line."""
from __future__ import annotations

import os
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from tqdm import tqdm

from app.cli_loop import repeat

storage_cli = AppGroup("storage", help="Where files are kept: backends, migration, fixity.")


def _mb(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB"


@storage_cli.command("info")
def info_command():
    """Which backend is in use, and what fixity found."""
    from app import storage
    from app.services.fixity import count_tracked, summary

    described = storage.backend().describe()
    click.echo("Backend: " + ", ".join(f"{k}={v}" for k, v in described.items()))
    count_tracked()
    found = summary()
    click.echo(f"Objects tracked: ok {found['ok']}, not checked yet {found['pending']}, "
               f"missing {found['missing']}, altered {found['altered']} "
               f"({_mb(found['bytes'])}).")


@storage_cli.command("init")
def init_command():
    """Create the bucket (S3) or the folder (local) if it is missing."""
    from app import storage

    storage.backend().prepare()
    click.echo("Ready: " + storage.backend().describe()["location"])


@storage_cli.command("migrate")
@click.option("--to", "url", required=True, help="The target STORAGE_URL (file:///… or s3://…).")
def migrate_command(url: str):
    """Copy every stored object to another backend, verified by SHA-256; run it again
    after an interruption to continue."""
    from app import storage
    from app.services.storage_migration import migrate, plan

    target = storage.from_url(url, current_app.config)
    source = storage.backend()
    if target.describe() == source.describe():
        raise click.ClickException("The target is the store in use.")
    names = plan(target)
    click.echo(f"{len(names)} objects from {source.describe()['location']} "
               f"to {target.describe()['location']}")
    with tqdm(total=len(names), unit="obj", desc="Migrating") as bar:
        report = migrate(target, names, progress=lambda _sha, _size: bar.update(1))
    click.echo(f"Copied {report.copied} ({_mb(report.bytes_copied)}), already there "
               f"{report.already_there}, damaged at the source {len(report.damaged_at_source)}, "
               f"gone meanwhile {len(report.vanished)}.")
    for sha in report.damaged_at_source:
        click.echo(f"  damaged (not copied): {sha}")
    if not report.complete:
        raise SystemExit(1)
    click.echo(f"Done. Start the archive with STORAGE_URL={url} to use it.")


@storage_cli.command("verify")
@click.option("--rate", type=float, default=0, show_default=True,
              help="Read at most this many MB/s (0: as fast as possible).")
def verify_command(rate: float):
    """Re-hash every stored object now (a full fixity pass); exit 1 on any problem."""
    from app.services.fixity import count_tracked, verify_all

    with tqdm(total=count_tracked(), unit="obj", desc="Verifying") as bar:
        report = verify_all(mb_per_s=rate, on_object=lambda _size: bar.update(1))
    _print_report(report)
    if report.missing or report.altered or report.unavailable:
        raise SystemExit(1)


@storage_cli.command("fixity")
@click.option("--every", type=int, default=0, help="Repeat every N seconds (0: once).")
def fixity_command(every: int):
    """Re-hash the next slice of objects (the scheduled job)."""
    from app.jobs.fixity import run_fixity_slice

    if every:
        os.nice(10)  # a background chore: uploads and searches go first

    def once():
        report = run_fixity_slice()
        if report.checked or not every:
            _print_report(report)

    repeat(every, "Fixity", once)


@storage_cli.command("repair")
@click.option("--from", "folder", required=True,
              type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="A folder of hash-named objects (a restored backup).")
def repair_command(folder: Path):
    """Put back missing or altered objects from a backup folder (only bytes that hash right)."""
    from app.services.fixity_repair import DirectorySource, repair

    report = repair(None, DirectorySource(folder))
    click.echo(f"Repaired {len(report.repaired)}; not in the backup {len(report.not_in_source)}; "
               f"wrong in the backup too {len(report.wrong_in_source)}.")
    if report.not_in_source or report.wrong_in_source:
        raise SystemExit(1)


def _print_report(report) -> None:
    click.echo(f"Fixity: {report.checked} objects, {_mb(report.bytes)} in {report.seconds:.1f} s "
               f"({report.mb_per_s:.1f} MB/s): {report.ok} ok, {len(report.missing)} missing, "
               f"{len(report.altered)} altered" +
               ("; the store stopped answering, the rest waits." if report.unavailable else "."))
    for sha in report.missing:
        click.echo(f"  missing  {sha}")
    for sha in report.altered:
        click.echo(f"  altered  {sha}")
