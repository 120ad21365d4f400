"""flask share harvest SOURCE | harvest-due [--every N] | sources

Added to the ``share`` group of app/sharing/cli.py (partner tokens) by ``register``.
"""
from __future__ import annotations

import click
from tqdm import tqdm


def _summary(run) -> str:
    c = run.counts or {}
    text = (f"{run.status}: "
            f"{c.get('created', 0)} new, {c.get('updated', 0)} updated, "
            f"{c.get('deleted', 0)} withdrawn, {c.get('unchanged', 0)} unchanged, "
            f"{c.get('skipped', 0)} skipped, {c.get('failed', 0)} failed; "
            f"files fetched {c.get('files_fetched', 0)}, already here {c.get('files_reused', 0)}.")
    return text


def _harvest_one(source, bar_position: int = 0) -> int:
    from app.sharing.harvest.messages import sentence
    from app.sharing.harvest.sources import run_now

    with tqdm(total=None, unit="record", desc=f"Harvesting {source.name}",
              position=bar_position) as bar:
        def progress(run, n):
            if run.total and bar.total != run.total:
                bar.total = run.total
                bar.refresh()
            bar.update(n)
        run = run_now(None, source, progress=progress)
    click.echo(f"{source.name}: {_summary(run)}")
    for error in run.errors or []:
        click.echo(f"  {sentence(error)}", err=True)
    return 0 if run.status == "done" and not (run.counts or {}).get("failed") else 1


@click.command("harvest")
@click.argument("source")
def harvest_command(source: str):
    """Harvest SOURCE (its name or id) now, from its last successful harvest."""
    from app.services.errors import Conflict, NotFound
    from app.sharing.harvest.sources import find_source

    try:
        found = find_source(source)
        code = _harvest_one(found)
    except (NotFound, Conflict) as exc:
        raise click.ClickException(exc.message)
    if code:
        raise SystemExit(code)


@click.command("harvest-due")
@click.option("--every", type=int, default=0, help="Look again every N seconds (0: once).")
def harvest_due_command(every: int):
    """Harvest every enabled source whose schedule says it is due."""
    from app.cli_loop import repeat
    from app.services.errors import Conflict
    from app.sharing.harvest.sources import due_sources

    def once():
        due = due_sources()
        if not due and not every:
            click.echo("No source is due.")
        for source in due:
            try:
                _harvest_one(source)
            except Conflict as exc:  # started elsewhere meanwhile
                click.echo(f"{source.name}: {exc.message}")

    repeat(every, "Harvest", once)


@click.command("sources")
def sources_command():
    """List the harvest sources with their last run."""
    from sqlalchemy import select

    from app.extensions import db
    from app.models import HarvestSource
    from app.sharing.harvest.messages import sentence, state_label
    from app.sharing.harvest.sources import source_records

    for s in db.session.scalars(select(HarvestSource).order_by(HarvestSource.name)):
        last = f"{s.last_run_at:%d/%m/%Y %H:%M}" if s.last_run_at else "never"
        click.echo(f"{s.id}\t{s.name}\t{s.base_url}\tset={s.set_spec or '-'}\t"
                   f"every {s.schedule_hours} h\t{'on' if s.enabled else 'off'}\t"
                   f"{source_records(s.id)} records\tlast {last} "
                   f"{state_label(s.last_status)}\t{sentence(s.last_error)}")


def register(group: click.Group) -> None:
    for command in (harvest_command, harvest_due_command, sources_command):
        group.add_command(command)
