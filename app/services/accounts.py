"""Accounts: authentication, user creation, API tokens."""
from __future__ import annotations

from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import func, select

from app.domain.vocab import SECRECY_LEVELS
from app.extensions import db
from app.models import ApiToken, Role, User
from app.models.user import utcnow
from app.services import address_failures
from app.services.errors import ValidationFailed

MIN_PASSWORD_LENGTH = 10
MAX_FAILED_LOGINS = 5          # then the account is locked for LOCKOUT
LOCKOUT = timedelta(minutes=15)
MAX_FAILURES_PER_ADDRESS = 30  # per LOCKOUT window, whatever the usernames tried


class LoginRefused(Exception):
    """Wrong credentials, or too many attempts; ``message`` is safe to show."""

    def __init__(self, message: str, locked: bool = False) -> None:
        super().__init__(message)
        self.message, self.locked = message, locked


def authenticate(username: str, password: str, address: str = "") -> User:
    """Check a login. Raises LoginRefused without telling which part was wrong.

    After MAX_FAILED_LOGINS failures the account is locked for LOCKOUT, and an
    address that keeps failing across usernames is throttled (counted in
    Redis; when Redis is down only the per-account lock applies).
    """
    if _address_failures(address) >= MAX_FAILURES_PER_ADDRESS:
        raise LoginRefused(_("Too many failed attempts from your address. Try again later."),
                           locked=True)
    user = db.session.scalar(select(User).where(func.lower(User.username) == username.lower()))
    now = utcnow()
    if user is not None and user.locked_until and user.locked_until > now:
        raise LoginRefused(_("This account is temporarily locked after repeated failed "
                             "logins. Try again in %(m)d minutes.",
                             m=max(1, int((user.locked_until - now).total_seconds() // 60) + 1)),
                           locked=True)
    if user is None or not user.active or not user.check_password(password):
        _record_failure(user, address, now)
        raise LoginRefused(_("Wrong username or password."))
    user.failed_logins, user.locked_until, user.last_login_at = 0, None, now
    db.session.commit()
    return user


def _record_failure(user: User | None, address: str, now) -> None:
    if user is not None:
        user.failed_logins += 1
        if user.failed_logins >= MAX_FAILED_LOGINS:
            user.locked_until, user.failed_logins = now + LOCKOUT, 0
        db.session.commit()
    address_failures.add("login-failures", address, int(LOCKOUT.total_seconds()))


def _address_failures(address: str) -> int:
    return address_failures.count("login-failures", address)


def logout_everywhere(user: User) -> None:
    """End every session of ``user`` (other browsers included)."""
    user.session_version += 1
    db.session.commit()


def list_tokens(user: User) -> list[ApiToken]:
    return list(db.session.scalars(select(ApiToken).where(ApiToken.user_id == user.id)
                                   .order_by(ApiToken.created_at.desc())))


def revoke_token(user: User, token_id: int) -> ApiToken:
    """Revoke one of ``user``'s tokens (admins: anyone's)."""
    token = db.session.get(ApiToken, token_id)
    if token is None or (token.user_id != user.id and not user.can("users.manage")):
        from app.services.errors import NotFound
        raise NotFound(_("Token not found."))
    token.revoked_at = token.revoked_at or utcnow()
    db.session.commit()
    return token


def create_user(username: str, password: str, role: str = "viewer",
                clearance: str = "thuong", full_name: str = "",
                actor: User | None = None) -> User:
    """Create an account; ``actor`` is None only for the command line."""
    if actor is not None and not actor.can("users.manage"):
        from app.services.errors import PermissionDenied
        raise PermissionDenied(_("You do not have permission to do this."))
    errors = {}
    username = (username or "").strip()
    if not username or len(username) > 80 or not username.replace(".", "").replace(
            "_", "").replace("-", "").isalnum():
        errors["username"] = _("Use letters, digits, dots, dashes or underscores.")
    elif db.session.scalar(select(User).where(func.lower(User.username) == username.lower())):
        errors["username"] = _("This username is taken.")
    if len(password or "") < MIN_PASSWORD_LENGTH:
        errors["password"] = _("At least %(n)d characters.", n=MIN_PASSWORD_LENGTH)
    if role not in {r.value for r in Role}:
        errors["role"] = _("Unknown role.")
    if clearance not in SECRECY_LEVELS:
        errors["clearance"] = _("Unknown clearance.")
    if errors:
        raise ValidationFailed(_("Some fields are invalid."), fields=errors)
    user = User(username=username, role=role, clearance=clearance, full_name=full_name)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    from app.services import audit
    audit.record(actor, "user.create", "user", user.id, username=username, role=role,
                 clearance=clearance)
    db.session.commit()
    return user


def list_users(actor: User) -> list[User]:
    from app.services.access import require

    require(actor, "users.manage")
    return list(db.session.scalars(select(User).order_by(User.username)))


def issue_token(username: str, name: str = "") -> str:
    """Create an API token for ``username``; the token is returned once, stored hashed."""
    user = db.session.scalar(select(User).where(User.username == username))
    if user is None:
        raise ValidationFailed(_("User not found."))
    token, secret = ApiToken.issue(user, name)
    db.session.add(token)
    db.session.commit()
    return secret
