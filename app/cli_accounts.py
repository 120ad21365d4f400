"""flask users set-role|set-clearance|deactivate|reactivate|reset-password.

The same services as /admin/users (app.services.user_admin), audited as done by
"system"; the changes apply at once to sessions and API tokens.
"""
from __future__ import annotations

import click
from flask.cli import AppGroup

ROLES = ["viewer", "uploader", "archivist", "approver", "admin"]
CLEARANCES = ["thuong", "mat", "toi_mat", "tuyet_mat"]


def _user_id(username: str) -> int:
    from app.services.errors import NotFound
    from app.services.user_admin import find_user

    try:
        return find_user(None, username=username).id
    except NotFound:
        raise click.ClickException(f"No user {username}") from None


def _run(fn, *args):
    from app.services.errors import ServiceError

    try:
        return fn(*args)
    except ServiceError as exc:
        problems = "; ".join(f"{k}: {v}" for k, v in exc.details.get("fields", {}).items())
        raise click.ClickException(f"{exc.message} {problems}".strip()) from None


def register(users_cli: AppGroup) -> None:
    @users_cli.command("set-role")
    @click.argument("username")
    @click.argument("role", type=click.Choice(ROLES))
    def set_role(username, role):
        """Give USERNAME another role (applies at once)."""
        from app.services import user_admin

        _run(user_admin.set_role, None, _user_id(username), role)
        click.echo(f"{username} is now {role}.")

    @users_cli.command("set-clearance")
    @click.argument("username")
    @click.argument("clearance", type=click.Choice(CLEARANCES))
    def set_clearance(username, clearance):
        """Change the secrecy level USERNAME may see (applies at once)."""
        from app.services import user_admin

        _run(user_admin.set_clearance, None, _user_id(username), clearance)
        click.echo(f"{username} now has clearance {clearance}.")

    @users_cli.command("deactivate")
    @click.argument("username")
    def deactivate(username):
        """No login; sessions and API tokens stop working at once."""
        from app.services import user_admin

        _run(user_admin.set_active, None, _user_id(username), False)
        click.echo(f"{username} deactivated.")

    @users_cli.command("reactivate")
    @click.argument("username")
    def reactivate(username):
        """Let a deactivated account log in again."""
        from app.services import user_admin

        _run(user_admin.set_active, None, _user_id(username), True)
        click.echo(f"{username} reactivated.")

    @users_cli.command("reset-password")
    @click.argument("username")
    def reset_password(username):
        """Print a temporary password once; the user must change it at the next login."""
        from app.services import user_admin

        _, temporary = _run(user_admin.reset_password, None, _user_id(username))
        click.echo(f"Temporary password for {username} (shown once): {temporary}")
