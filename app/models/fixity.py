"""Fixity: the last time each stored object was re-hashed, and what was found."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models.user import utcnow


class FixityRecord(db.Model):
    """One stored object (by its SHA-256, which is also its name in the store).

    ``status``: ``pending`` (not checked yet), ``ok``, ``missing`` (the store has
    no object under this name), ``altered`` (its bytes hash to something else,
    kept in ``observed_sha256``). ``failed_at`` is when the current problem was
    first seen; ``repaired_at`` when the right bytes were last put back.
    """

    __tablename__ = "fixity_records"

    PENDING, OK, MISSING, ALTERED = "pending", "ok", "missing", "altered"
    PROBLEMS = (MISSING, ALTERED)

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    # The size the archive recorded (originals); learnt at the first good check otherwise.
    size: Mapped[int | None] = mapped_column(BigInteger)
    status: Mapped[str] = mapped_column(String(10), default=PENDING)
    last_checked_at: Mapped[datetime | None]
    observed_sha256: Mapped[str | None] = mapped_column(String(64))
    observed_size: Mapped[int | None] = mapped_column(BigInteger)
    failed_at: Mapped[datetime | None]
    repaired_at: Mapped[datetime | None]
    checks: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (
        # The slice job takes the least recently checked objects first.
        Index("ix_fixity_records_last_checked_at", "last_checked_at"),
        Index("ix_fixity_records_status", "status"),
    )

    @property
    def problem(self) -> bool:
        return self.status in self.PROBLEMS
