"""flask share token create|revoke|list: partner harvesting tokens from the command line."""
from __future__ import annotations

import click
from flask.cli import AppGroup

from app.i18n import format_datetime

share_cli = AppGroup("share", help="Sharing with partner agencies and the public.")
token_cli = AppGroup("token", help="Partner harvesting tokens for /oai.")
share_cli.add_command(token_cli)


@token_cli.command("create")
@click.argument("agency")
def create_token(agency: str):
    """Issue a harvesting token for AGENCY; it is printed once (audited as system)."""
    from app.services.errors import ValidationFailed
    from app.sharing.partners import issue_token

    try:
        row, token = issue_token(agency, None)
    except ValidationFailed as exc:
        raise click.ClickException(exc.message) from None
    click.echo(f"Token #{row.id} for {row.agency} (shown once; only its hash is kept):")
    click.echo(token)


@token_cli.command("revoke")
@click.argument("reference")
def revoke_token(reference: str):
    """Revoke the token with this id or prefix (as listed); audited as system."""
    from app.services.errors import NotFound
    from app.sharing.partners import revoke_token as revoke

    try:
        row = revoke(reference, None)
    except NotFound as exc:
        raise click.ClickException(exc.message) from None
    click.echo(f"Token #{row.id} ({row.prefix}…) of {row.agency} revoked "
               f"{format_datetime(row.revoked_at)}.")


@token_cli.command("list")
def list_tokens():
    """Every partner token: id, prefix, agency, last use, state."""
    from app.sharing.partners import list_tokens as tokens

    for row in tokens(None):
        state = f"revoked {format_datetime(row.revoked_at)}" if row.revoked_at else "active"
        used = format_datetime(row.last_used_at) or "never used"
        click.echo(f"#{row.id}\t{row.prefix}…\t{row.agency}\t{used}\t{state}")
