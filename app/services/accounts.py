"""Accounts: authentication, user creation, API tokens."""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import func, select

from app.domain.vocab import SECRECY_LEVELS
from app.extensions import db
from app.models import ApiToken, Role, User
from app.models.user import utcnow
from app.services.errors import ValidationFailed

MIN_PASSWORD_LENGTH = 10


def authenticate(username: str, password: str) -> User | None:
    user = db.session.scalar(select(User).where(func.lower(User.username) == username.lower()))
    if user is None or not user.active or not user.check_password(password):
        return None
    user.last_login_at = utcnow()
    db.session.commit()
    return user


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
    db.session.commit()
    return user


def list_users(actor: User) -> list[User]:
    from app.services.documents import require

    require(actor, "users.manage")
    return list(db.session.scalars(select(User).order_by(User.username)))


def set_active(actor: User, user_id: int, active: bool) -> User:
    from app.services.documents import require

    require(actor, "users.manage")
    user = db.session.get(User, user_id)
    if user is None:
        from app.services.errors import NotFound
        raise NotFound(_("User not found."))
    if user.id == actor.id and not active:
        raise ValidationFailed(_("You cannot deactivate your own account."))
    user.active = active
    db.session.commit()
    return user


def issue_token(username: str, name: str = "") -> str:
    """Create an API token for ``username``; the token is returned once, stored hashed."""
    user = db.session.scalar(select(User).where(User.username == username))
    if user is None:
        raise ValidationFailed(_("User not found."))
    token, secret = ApiToken.issue(user, name)
    db.session.add(token)
    db.session.commit()
    return secret
