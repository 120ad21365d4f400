"""Administering accounts: role, clearance, deactivation, password resets.

Every change is audited and applies at once: pages load the user from the
database on every request (and refuse an inactive one), and any commit that
changes a user replaces the auth epoch (app.auth_cache), so API tokens are
checked again on their next request. ``actor`` is None only for the command line.
"""
from __future__ import annotations

import secrets

from flask_babel import gettext as _
from sqlalchemy import func, select

from app.domain.vocab import SECRECY_LEVELS
from app.extensions import db
from app.models import Role, User
from app.services import audit
from app.services.accounts import MIN_PASSWORD_LENGTH
from app.services.errors import NotFound, PermissionDenied, ValidationFailed

TEMPORARY_PASSWORD_BYTES = 12  # 16 URL-safe characters


def find_user(actor: User | None, user_id: int | None = None,
              username: str | None = None) -> User:
    """The account to administer, by id (pages) or username (command line)."""
    _require_admin(actor)
    if user_id is not None:
        user = db.session.get(User, user_id)
    else:
        user = db.session.scalar(select(User).where(
            func.lower(User.username) == (username or "").lower()))
    if user is None:
        raise NotFound(_("User not found."))
    return user


def update_access(actor: User | None, user_id: int, role: str, clearance: str) -> User:
    """Role and clearance from the administration page, in one transaction."""
    user = find_user(actor, user_id)
    try:
        _set_role(actor, user, role)
        _set_clearance(actor, user, clearance)
    except ValidationFailed:
        db.session.rollback()  # neither change, nor its audit entry
        raise
    db.session.commit()
    return user


def set_role(actor: User | None, user_id: int, role: str) -> User:
    """Give an account another role (its permissions change at once)."""
    user = find_user(actor, user_id)
    _set_role(actor, user, role)
    db.session.commit()
    return user


def _set_role(actor: User | None, user: User, role: str) -> None:
    if role not in {r.value for r in Role}:
        raise ValidationFailed(_("Unknown role."), fields={"role": _("Unknown role.")})
    if user.role == role:
        return
    if actor is not None and user.id == actor.id:
        raise ValidationFailed(_("You cannot change your own role."))
    if user.role == Role.ADMIN.value:
        _keep_an_admin(user)
    audit.record(actor, "user.role", "user", user.id, username=user.username,
                 changes={"role": [user.role, role]})
    user.role = role


def set_clearance(actor: User | None, user_id: int, clearance: str) -> User:
    """Change what secrecy levels an account may see (at once, everywhere)."""
    user = find_user(actor, user_id)
    _set_clearance(actor, user, clearance)
    db.session.commit()
    return user


def _set_clearance(actor: User | None, user: User, clearance: str) -> None:
    if clearance not in SECRECY_LEVELS:
        raise ValidationFailed(_("Unknown clearance."),
                               fields={"clearance": _("Unknown clearance.")})
    if user.clearance == clearance:
        return
    audit.record(actor, "user.clearance", "user", user.id, username=user.username,
                 changes={"clearance": [user.clearance, clearance]})
    user.clearance = clearance


def set_active(actor: User | None, user_id: int, active: bool) -> User:
    """Deactivate (no login, no session, no token works) or reactivate an account."""
    user = find_user(actor, user_id)
    if user.active == active:
        return user
    if not active:
        if actor is not None and user.id == actor.id:
            raise ValidationFailed(_("You cannot deactivate your own account."))
        if user.role == Role.ADMIN.value:
            _keep_an_admin(user)
    user.active = active
    if active:
        user.failed_logins, user.locked_until = 0, None
    audit.record(actor, "user.activate" if active else "user.deactivate", "user", user.id,
                 username=user.username)
    db.session.commit()
    return user


def reset_password(actor: User | None, user_id: int) -> tuple[User, str]:
    """Give an account a generated temporary password, returned once.

    Its sessions end, and its next login leads to a page that asks for a new
    password before anything else. The password itself is never recorded.
    """
    user = find_user(actor, user_id)
    temporary = secrets.token_urlsafe(TEMPORARY_PASSWORD_BYTES)
    user.set_password(temporary)
    user.must_change_password = True
    user.session_version += 1
    user.failed_logins, user.locked_until = 0, None
    audit.record(actor, "user.password_reset", "user", user.id, username=user.username)
    db.session.commit()
    return user, temporary


def change_password(user: User, current: str, new: str, confirm: str) -> User:
    """A person sets their own password (required after a reset)."""
    errors = {}
    if not user.check_password(current or ""):
        errors["current"] = _("This is not your current password.")
    if len(new or "") < MIN_PASSWORD_LENGTH:
        errors["new"] = _("At least %(n)d characters.", n=MIN_PASSWORD_LENGTH)
    elif new == current:
        errors["new"] = _("Choose a password different from the current one.")
    if new != confirm:
        errors["confirm"] = _("The two passwords differ.")
    if errors:
        raise ValidationFailed(_("Some fields are invalid."), fields=errors)
    user.set_password(new)
    user.must_change_password = False
    audit.record(user, "user.password_change", "user", user.id, username=user.username)
    db.session.commit()
    return user


def _keep_an_admin(user: User) -> None:
    others = db.session.scalar(select(func.count()).select_from(User).where(
        User.role == Role.ADMIN.value, User.active.is_(True), User.id != user.id))
    if not others:
        raise ValidationFailed(_("The archive needs at least one active administrator."))


def _require_admin(actor: User | None) -> None:
    if actor is not None and not actor.can("users.manage"):
        raise PermissionDenied(_("You do not have permission to do this."))
