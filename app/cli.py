"""Command line: flask users|tokens|archive|search|audit|retention|notifications|worker ..."""
from __future__ import annotations

import secrets
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from tqdm import tqdm

from app.cli_loop import repeat as _repeat

users_cli = AppGroup("users", help="Manage accounts.")
tokens_cli = AppGroup("tokens", help="Manage API tokens.")
archive_cli = AppGroup("archive", help="Import documents.")
search_cli = AppGroup("search", help="Search index administration.")
audit_cli = AppGroup("audit", help="The tamper-evident audit trail.")
retention_cli = AppGroup("retention", help="Retention schedule and disposition.")
notifications_cli = AppGroup("notifications", help="Saved-search checks and e-mail.")


@notifications_cli.command("check")
@click.option("--every", type=int, default=0, help="Repeat every N seconds (0: once).")
def notifications_check(every: int):
    """Tell owners of saved searches about new matches; send e-mail an outage held back."""
    from app.jobs.notifications import check

    def once():
        report = check()
        if report.notified or report.emails or report.search_unavailable or not every:
            click.echo(f"Saved searches: {report.searches} checked, {report.notified} with new "
                       f"matches; e-mail enqueued for {report.emails} people"
                       + ("; search unavailable, trying later." if report.search_unavailable
                          else "."))

    _repeat(every, "Notifications check", once)


@retention_cli.command("sweep")
@click.option("--today", type=click.DateTime(formats=["%Y-%m-%d", "%d/%m/%Y"]), default=None,
              help="Count as if today were this date (default: today).")
@click.option("--every", type=int, default=0, help="Repeat every N seconds (0: once).")
def retention_sweep(today, every: int):
    """Mark records whose retention period has ended as due for review."""
    from datetime import date

    from app.services.retention import sweep

    def once():
        day = today.date() if today else date.today()
        report = sweep(day)
        click.echo(f"Retention sweep {day:%d/%m/%Y}: {report.checked} checked, "
                   f"{report.newly_due} newly due, {report.no_longer_due} no longer due.")
        if report.failed:
            click.echo(f"{len(report.failed)} record(s) skipped with an error (see the log): "
                       + ", ".join(map(str, report.failed[:20])), err=True)

    _repeat(every, "Retention sweep", once)


@retention_cli.command("defaults")
def retention_defaults():
    """Install the shipped file plan if no schedule exists yet."""
    from app.services.retention import install_defaults

    added = install_defaults()
    click.echo(f"{added} default series installed." if added else "A file plan already exists.")


@audit_cli.command("verify")
def audit_verify():
    """Recompute the hash chain; exit 1 if an entry was edited, deleted or reordered."""
    from app.services.audit import verify

    report = verify()
    for problem in report.problems:
        click.echo(f"BROKEN  {problem}")
    click.echo(f"{report.checked} entries checked: " + ("chain intact." if report.ok else
                                                      f"{len(report.problems)} problems."))
    if not report.ok:
        raise SystemExit(1)


@users_cli.command("create")
@click.argument("username")
@click.option("--role", type=click.Choice(["viewer", "uploader", "archivist", "approver", "admin"]),
              default="viewer", show_default=True)
@click.option("--clearance", type=click.Choice(["thuong", "mat", "toi_mat", "tuyet_mat"]),
              default="thuong", show_default=True)
@click.option("--password", envvar="ARCHIVE_NEW_PASSWORD",
              help="Default: a random password, printed once.")
@click.option("--full-name", default="")
@click.option("--if-missing", is_flag=True, help="Do nothing when the user exists.")
def create_user(username, role, clearance, password, full_name, if_missing):
    """Create an account."""
    from sqlalchemy import select

    from app.extensions import db
    from app.models import User
    from app.services.accounts import create_user as create
    from app.services.errors import ValidationFailed

    if if_missing and db.session.scalar(select(User).where(User.username == username)):
        click.echo(f"User {username} exists; unchanged.")
        return
    generated = password is None
    password = password or secrets.token_urlsafe(12)
    try:
        create(username, password, role=role, clearance=clearance, full_name=full_name)
    except ValidationFailed as exc:
        problems = "; ".join(f"{k}: {v}" for k, v in exc.details.get("fields", {}).items())
        raise click.ClickException(f"{exc.message} {problems}")
    click.echo(f"Created {role} {username}" + (f" with password: {password}" if generated else "."))


@tokens_cli.command("create")
@click.argument("username")
@click.option("--name", default="cli")
def create_token(username, name):
    """Create an API token; it is printed once and stored hashed."""
    from app.services.accounts import issue_token
    from app.services.errors import ValidationFailed

    try:
        click.echo(issue_token(username, name))
    except ValidationFailed as exc:
        raise click.ClickException(exc.message)


@tokens_cli.command("list")
@click.argument("username")
def list_tokens_command(username):
    """List a user's tokens with their last use."""
    from sqlalchemy import select

    from app.extensions import db
    from app.models import User
    from app.services.accounts import list_tokens

    user = db.session.scalar(select(User).where(User.username == username))
    if user is None:
        raise click.ClickException(f"No user {username}")
    for t in list_tokens(user):
        state = f"revoked {t.revoked_at:%Y-%m-%d}" if t.revoked_at else "active"
        used = f"{t.last_used_at:%Y-%m-%d %H:%M}" if t.last_used_at else "never"
        click.echo(f"{t.id}\t{t.prefix}…\t{t.name}\tlast used {used}\t{state}")


@tokens_cli.command("revoke")
@click.argument("token_id", type=int)
def revoke_token_command(token_id):
    """Revoke a token by id (see `tokens list`)."""
    from app.extensions import db
    from app.models import ApiToken
    from app.models.user import utcnow

    token = db.session.get(ApiToken, token_id)
    if token is None:
        raise click.ClickException(f"No token {token_id}")
    token.revoked_at = token.revoked_at or utcnow()
    db.session.commit()
    click.echo(f"Token {token_id} revoked.")


@archive_cli.command("import")
@click.argument("path", type=click.Path(exists=True, file_okay=True, path_type=Path))
@click.option("--user", "username", default="admin", show_default=True,
              help="Account recorded as uploader.")
@click.option("--category", default="other", show_default=True)
def import_path(path: Path, username: str, category: str):
    """Upload every file under PATH through the same service as the web form."""
    from app.services.importer import import_files

    files = sorted(p for p in ([path] if path.is_file() else path.rglob("*"))
                   if p.is_file() and not p.name.startswith("."))
    with tqdm(total=len(files), unit="file", desc="Importing") as bar:
        report = import_files(files, username, category, progress=lambda _: bar.update(1))
    click.echo(f"Imported: {len(report.imported)}  duplicates: {len(report.duplicates)}  "
               f"failed: {len(report.failed)}")
    for name, existing_id in report.duplicates:
        click.echo(f"  duplicate  {name} -> document {existing_id}")
    for name, reason in report.failed:
        click.echo(f"  failed     {name}: {reason}")
    if report.failed:
        raise SystemExit(1)


@archive_cli.command("retitle")
def retitle_command():
    """Title every record nobody titled from its type, number and summary; reindex them."""
    from app.services.titles import count_untitled, retitle_archive

    with tqdm(total=count_untitled(), unit="doc", desc="Retitling") as bar:
        report = retitle_archive(progress=bar.update)
    click.echo(f"Retitled: {len(report.changed)} of {report.checked} records without a "
               "person's title (the index follows).")


@search_cli.command("init")
def init_index():
    """Create the index behind its alias if it does not exist."""
    from indexers.client import ensure_index

    click.echo(f"Index alias ready: {ensure_index()}")


@search_cli.command("reindex")
def reindex_command():
    """Build a new index from the database, then swap the alias."""
    from app.services.indexing import count_documents, reindex

    with tqdm(total=count_documents(), unit="doc", desc="Reindexing") as bar:
        report = reindex(progress=bar.update)
    click.echo(f"Index {report.index}: {report.loaded} documents, {len(report.errors)} errors.")
    if report.errors:
        raise SystemExit(1)


@search_cli.command("reconcile")
@click.option("--every", type=int, default=0, help="Repeat every N seconds (0: once).")
def reconcile_command(every: int):
    """Re-enqueue documents whose extraction or indexing is behind."""
    from app.jobs.reconcile import reconcile

    def once():
        report = reconcile()
        if report.extract or report.index or not every:
            click.echo(f"Reconcile: {report.extract} to extract, {report.index} to index, "
                       f"{report.embed} to embed.")

    _repeat(every, "Reconcile", once)


@click.command("worker")
@click.option("--burst", is_flag=True, help="Stop when the queue is empty.")
@click.option("--lane", "lanes", multiple=True, type=click.Choice(["interactive", "long"]),
              help="Only these lanes (default: both, interactive first).")
def worker_command(burst: bool, lanes: tuple[str, ...]):
    """Run an RQ worker (with its scheduler, for retries) on the archive queues."""
    from app.jobs.worker import run

    # Runs in the app context of this command; forked work horses inherit it.
    run(burst=burst, lanes=lanes or None)


@archive_cli.command("demo")
def load_demo():
    """Load a small demo set (idempotent: duplicates are skipped)."""
    from app.services.importer import demo_files, import_files

    files = demo_files()
    with tqdm(total=len(files), unit="file", desc="Demo") as bar:
        report = import_files(files, current_app.config.get("DEMO_USER", "admin"),
                              "briefing_material", progress=lambda _: bar.update(1))
    click.echo(f"Demo: {len(report.imported)} new, {len(report.duplicates)} already there.")
    from app.services.demo import demo_briefing

    briefing = demo_briefing(current_app.config.get("DEMO_USER", "admin"))
    if briefing is not None:
        click.echo(f"Demo briefing: {briefing.title} (/briefings/{briefing.id})")


def init_app(app: Flask) -> None:
    from app.cli_accounts import register
    from app.cli_storage import storage_cli

    register(users_cli)
    from app.cli_semantic import register as register_embed

    register_embed(search_cli)  # flask search embed
    app.cli.add_command(storage_cli)
    for group in (users_cli, tokens_cli, archive_cli, search_cli, audit_cli, retention_cli,
                  notifications_cli):
        app.cli.add_command(group)
    app.cli.add_command(worker_command)
    from app.cli_share import register as register_harvest
    from app.sharing.cli import share_cli

    register_harvest(share_cli)  # flask share harvest | harvest-due | sources
    app.cli.add_command(share_cli)

    from app.backup.cli import backup_cli

    app.cli.add_command(backup_cli)
