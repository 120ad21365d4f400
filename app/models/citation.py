"""References from one document to another, resolved when the cited one is archived."""
from __future__ import annotations

from datetime import date

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db


class DocumentCitation(db.Model):
    """``Quyết định số 1079/QĐ-TTg ngày 14/9/2022`` found in a document's text.

    ``target_id`` stays empty until a document with the same number key (and
    year, since numbers restart every year) is archived; it then resolves by
    itself.
    """

    __tablename__ = "document_citations"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(140), index=True)
    number_symbol: Mapped[str] = mapped_column(String(140))
    doc_type: Mapped[str | None] = mapped_column(String(10))
    year: Mapped[int | None]
    cited_date: Mapped[date | None]
    issuer: Mapped[str | None] = mapped_column(String(300))
    text: Mapped[str | None] = mapped_column(Text)
    target_id: Mapped[int | None] = mapped_column(
        ForeignKey("documents.id", ondelete="SET NULL"), index=True)

    document = relationship("Document", foreign_keys=[document_id], back_populates="citations")
    target = relationship("Document", foreign_keys=[target_id])
