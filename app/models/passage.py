"""Passages of a document's text and their meaning vectors (issue 18, semantic search)."""
from __future__ import annotations

from sqlalchemy import ForeignKey, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db


class DocumentPassage(db.Model):
    """One passage (an article, a heading's section, a few paragraphs) and its vector.

    Kept in the database, not only in the index, so that a reindex, a backup and a
    restore keep the vectors without embedding everything again. ``source_hash`` says
    which text and model they were made from: when either changes, the document is
    embedded again. Erased with the document's text when a record is destroyed.
    """

    __tablename__ = "document_passages"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    ordinal: Mapped[int]  # 0-based; also the passage's offset in the index entry
    heading: Mapped[str | None] = mapped_column(String(300))  # "Điều 5. Xử phạt …"
    text: Mapped[str] = mapped_column(Text)
    vector: Mapped[bytes] = mapped_column(LargeBinary)  # float32, little-endian
    source_hash: Mapped[str] = mapped_column(String(64))

    document = relationship("Document", back_populates="passages")

    __table_args__ = (UniqueConstraint("document_id", "ordinal",
                                       name="uq_document_passages_ordinal"),)
