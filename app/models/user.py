"""Users, roles and API tokens."""
from __future__ import annotations

import enum
import hashlib
import secrets
from datetime import datetime, timezone

from flask_login import UserMixin
from sqlalchemy import ForeignKey, String
from sqlalchemy import false as sa_false
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from app.extensions import db


def utcnow() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


class Role(str, enum.Enum):
    VIEWER = "viewer"
    UPLOADER = "uploader"
    ARCHIVIST = "archivist"
    APPROVER = "approver"
    ADMIN = "admin"


# Permissions are what services check; roles are only bundles of them.
ROLE_PERMISSIONS: dict[Role, frozenset[str]] = {
    Role.VIEWER: frozenset({"document.view", "search"}),
    Role.UPLOADER: frozenset({"document.view", "search", "document.upload"}),
    # Keeps the file plan, dossiers and holds; proposes disposition.
    Role.ARCHIVIST: frozenset(
        {"document.view", "search", "document.upload", "document.edit", "document.retry",
         "audit.view", "retention.manage", "sharing.manage"}
    ),
    # Approves the disposition (destruction, transfer) another archivist proposed.
    Role.APPROVER: frozenset(
        {"document.view", "search", "document.upload", "document.edit", "document.retry",
         "audit.view", "retention.manage", "disposition.approve", "sharing.manage"}
    ),
    Role.ADMIN: frozenset(
        {"document.view", "search", "document.upload", "document.edit", "document.retry",
         "audit.view", "retention.manage", "disposition.approve", "users.manage",
         "search.admin", "document.delete", "sharing.manage", "sharing.admin",
         "storage.admin"}
    ),
}


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    full_name: Mapped[str] = mapped_column(String(200), default="")
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20), default=Role.VIEWER.value)
    clearance: Mapped[str] = mapped_column(String(20), default="thuong")
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None]
    failed_logins: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None]
    # Part of the session identity: raising it logs the user out everywhere.
    session_version: Mapped[int] = mapped_column(default=1)
    # Set by an administrator's password reset: pages ask for a new password first.
    must_change_password: Mapped[bool] = mapped_column(server_default=sa_false(), default=False)

    tokens: Mapped[list[ApiToken]] = relationship(back_populates="user")

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return self.active

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    def can(self, permission: str) -> bool:
        return permission in ROLE_PERMISSIONS[Role(self.role)]


class ApiToken(db.Model):
    """A bearer token; only its SHA-256 is stored, the token is shown once."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    name: Mapped[str] = mapped_column(String(100), default="")
    prefix: Mapped[str] = mapped_column(String(12))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]

    user: Mapped[User] = relationship(back_populates="tokens")

    @staticmethod
    def hash(token: str) -> str:
        # The token carries 256 random bits, so a fast hash is enough: there
        # is nothing to brute-force, unlike a password.
        return hashlib.sha256(token.encode()).hexdigest()

    @classmethod
    def issue(cls, user: User, name: str = "") -> tuple[ApiToken, str]:
        token = "arc_" + secrets.token_urlsafe(32)
        return cls(user=user, name=name, prefix=token[:12], token_hash=cls.hash(token)), token
