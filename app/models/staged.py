"""Files chosen with an upload form that came back with errors (app.services.staging)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models.user import utcnow


class StagedUpload(db.Model):
    """A kept upload: its bytes are an object of the store (by SHA-256), its facts a row.

    Both live where every web host sees them (the object store and the database), so
    the corrected form may reach another host than the one that kept the file. While
    the store is down the bytes wait on the disk of the host that received them
    (``host``); another host then asks the person to choose the file again.
    """

    __tablename__ = "staged_uploads"

    token: Mapped[str] = mapped_column(String(32), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    #: Set only while the object store was down: the bytes wait on this web host's disk.
    host: Mapped[str | None] = mapped_column(String(255))
