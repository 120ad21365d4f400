"""Bearer tokens remembered between API requests, so a search costs no SQL query.

Looking a token up in PostgreSQL is most of what the API adds to an Elasticsearch
query (about 2 ms of 7: one round trip, plus a pool pre-ping). Each process keeps
the users behind the tokens it has seen, for at most ``TOKEN_CACHE_SECONDS``, and
only while the *auth epoch* in Redis is the one it saw when it remembered them.

The epoch is a random value replaced after every commit that changes, adds or
deletes a user or an API token (revocation, deactivation, role or clearance, log
out everywhere, even a failed login): every process then forgets all its entries
on its next request. Without Redis, or when the epoch cannot be read, nothing is
taken from memory (the token is checked in PostgreSQL as before). A cached user is
attached to the request's session with ``merge(load=False)``: an ORM object like a
loaded one, without a query.
"""
from __future__ import annotations

import secrets
import time
from dataclasses import dataclass
from datetime import datetime

from flask import Flask
from sqlalchemy import event
from sqlalchemy.orm import Session, make_transient_to_detached

from app.extensions import services
from app.models import ApiToken, User

EPOCH_KEY = "archive:auth-epoch"


@dataclass
class Entry:
    token_id: int
    user: User                    # detached copy, merged into each request's session
    epoch: bytes
    expires: float
    last_used_at: datetime | None


class TokenCache:
    def __init__(self) -> None:
        self.entries: dict[str, Entry] = {}
        self.seconds = 0.0
        self.max_entries = 1000

    def init_app(self, app: Flask) -> None:
        self.seconds = float(app.config.get("TOKEN_CACHE_SECONDS", 30))
        self.entries.clear()

    def get(self, token_hash: str) -> Entry | None:
        entry = self.entries.get(token_hash)
        if entry is None:
            return None
        epoch = _epoch()
        if epoch is None or epoch != entry.epoch:
            self.entries.clear()            # everything was seen under another epoch
            return None
        if time.monotonic() > entry.expires:
            self.entries.pop(token_hash, None)
            return None
        return entry

    def remember(self, token_hash: str, token_id: int, user: User,
                 last_used_at: datetime | None) -> None:
        if self.seconds <= 0:
            return
        epoch = _epoch()
        if epoch is None:
            return
        if len(self.entries) >= self.max_entries:
            self.entries.clear()
        self.entries[token_hash] = Entry(token_id, _detached_copy(user), epoch,
                                         time.monotonic() + self.seconds, last_used_at)

    def note_use(self, token_hash: str, when: datetime) -> None:
        if (entry := self.entries.get(token_hash)) is not None:
            entry.last_used_at = when


def _detached_copy(user: User) -> User:
    copy = User(**{c.key: getattr(user, c.key) for c in User.__mapper__.column_attrs})
    make_transient_to_detached(copy)
    return copy


def _epoch() -> bytes | None:
    try:
        value = services.redis.get(EPOCH_KEY)
        if value is None:                     # first use, or Redis was emptied
            services.redis.set(EPOCH_KEY, secrets.token_hex(8), nx=True)
            value = services.redis.get(EPOCH_KEY)
        return value
    except Exception:  # Redis down: no cache (the token is checked in the database)
        return None


def new_epoch() -> None:
    """Make every process forget its remembered tokens."""
    token_cache.entries.clear()
    try:
        services.redis.set(EPOCH_KEY, secrets.token_hex(8))
    except Exception:  # nosec B110 - entries also expire after TOKEN_CACHE_SECONDS
        pass


token_cache = TokenCache()


@event.listens_for(Session, "before_flush")
def _watch(session: Session, flush_context, instances) -> None:
    if any(isinstance(obj, (User, ApiToken))
           for obj in (*session.new, *session.dirty, *session.deleted)):
        session.info["auth_changed"] = True


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    if session.info.pop("auth_changed", False):
        new_epoch()


@event.listens_for(Session, "after_rollback")
def _after_rollback(session: Session) -> None:
    session.info.pop("auth_changed", None)
