"""Sharing: levels, share links, partner harvesting tokens and harvest sources.

A record or briefing is ``internal`` (default), shared with partner agencies
(``partner``) or ``public``. Only records at secrecy "Thường" may leave the
archive; ``shared_at``/``public_at`` on the record remember that it once left,
so the OAI provider can report it as deleted after a withdrawal.
"""
from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from typing import TYPE_CHECKING

from app.extensions import db
from app.models.user import User, utcnow

if TYPE_CHECKING:  # mapped by name: documents and briefings import nothing from here
    from app.models.briefing import Briefing
    from app.models.document import Document


class SharingLevel:
    INTERNAL = "internal"  # staff of this archive only
    PARTNER = "partner"    # also partner agencies holding a harvesting token
    PUBLIC = "public"      # anyone: public portal, anonymous OAI, Atom feed

    ALL = (INTERNAL, PARTNER, PUBLIC)
    SHARED = (PARTNER, PUBLIC)


def _token_hash(token: str) -> str:
    # Tokens carry 256 random bits, so a fast hash is enough (as for ApiToken).
    return hashlib.sha256(token.encode()).hexdigest()


class ShareLink(db.Model):
    """A link that opens one document or one briefing dossier to an outside person."""

    __tablename__ = "share_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(16))  # shown in lists to tell links apart
    document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"), index=True)
    briefing_id: Mapped[int | None] = mapped_column(ForeignKey("briefings.id"), index=True)
    recipient: Mapped[str] = mapped_column(String(300), default="")  # who it was given to
    note: Mapped[str | None] = mapped_column(Text)
    password_hash: Mapped[str | None] = mapped_column(String(255))
    expires_at: Mapped[datetime]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None]
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    use_count: Mapped[int] = mapped_column(default=0)  # openings of the page
    last_used_at: Mapped[datetime | None]
    download_count: Mapped[int] = mapped_column(default=0, server_default="0")
    # Password guessing: after a few wrong passwords the link refuses any for a while.
    failed_passwords: Mapped[int] = mapped_column(default=0, server_default="0")
    locked_until: Mapped[datetime | None]

    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    revoked_by: Mapped[User | None] = relationship(foreign_keys=[revoked_by_id])
    document: Mapped[Document | None] = relationship("Document")
    briefing: Mapped[Briefing | None] = relationship("Briefing")

    hash = staticmethod(_token_hash)

    @classmethod
    def new_token(cls) -> str:
        return secrets.token_urlsafe(32)


class PartnerToken(db.Model):
    """A partner agency's bearer token for harvesting shared records from ``/oai``."""

    __tablename__ = "partner_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    agency: Mapped[str] = mapped_column(String(300))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(16))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None]
    last_used_at: Mapped[datetime | None]

    hash = staticmethod(_token_hash)

    @classmethod
    def issue(cls, agency: str, created_by: User | None) -> tuple[PartnerToken, str]:
        token = "oai_" + secrets.token_urlsafe(32)
        row = cls(agency=agency, token_hash=_token_hash(token), prefix=token[:12],
                  created_by_id=created_by.id if created_by else None)
        return row, token


class HarvestSource(db.Model):
    """Another archive's OAI-PMH endpoint this archive harvests from."""

    __tablename__ = "harvest_sources"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300), unique=True)
    base_url: Mapped[str] = mapped_column(String(2000))
    set_spec: Mapped[str | None] = mapped_column(String(200))
    metadata_prefix: Mapped[str] = mapped_column(String(40), default="nd30")
    # Sent as ``Authorization: Bearer``; kept because every run needs it, never shown again.
    token: Mapped[str | None] = mapped_column(String(300))
    schedule_hours: Mapped[int] = mapped_column(default=24)  # 0: by hand only
    enabled: Mapped[bool] = mapped_column(default=True)
    # The ``from`` of the next run: the responseDate of the last successful one.
    harvested_until: Mapped[datetime | None]
    last_run_at: Mapped[datetime | None]
    last_status: Mapped[str | None] = mapped_column(String(20))  # running | done | failed
    last_error: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    runs: Mapped[list[HarvestRun]] = relationship(
        back_populates="source", order_by="HarvestRun.id.desc()", cascade="all, delete-orphan")


class HarvestRun(db.Model):
    """One harvest of one source: what it brought, what failed."""

    __tablename__ = "harvest_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("harvest_sources.id"), index=True)
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]
    status: Mapped[str] = mapped_column(String(20), default="running")
    harvest_from: Mapped[datetime | None]
    counts: Mapped[dict] = mapped_column(JSON, default=dict)  # created/updated/deleted/unchanged/failed
    # {code, params, identifier}: shown as sentences in the reader's language
    # (app.sharing.harvest.messages); a few at most.
    errors: Mapped[list] = mapped_column(JSON, default=list)
    triggered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # Live progress (h0012): records seen so far, the provider's completeListSize
    # when it gives one, and the last sign of life (a run whose worker died is
    # taken over once this is old). ``until``: the provider's responseDate when
    # the run began, the ``from`` of the next run if this one succeeds.
    seen: Mapped[int] = mapped_column(default=0, server_default="0")
    total: Mapped[int | None]
    progress_at: Mapped[datetime | None]
    until: Mapped[datetime | None]
    rq_job_id: Mapped[str | None] = mapped_column(String(100))

    triggered_by: Mapped[User | None] = relationship()

    source: Mapped[HarvestSource] = relationship(back_populates="runs")
