"""Press briefings (press information conferences), their materials and press coverage."""
from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy import false as sa_false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.document import Document
from app.models.retention import Dossier
from app.models.user import User, utcnow

# Ad-hoc briefings must be held within 24 hours of the incident (see DOMAIN.md).
ADHOC_DEADLINE = timedelta(hours=24)


class Briefing(db.Model):
    """One press information conference on human rights and foreign information.

    Times are stored as naive UTC like every other timestamp in the archive;
    pages show them in the archive's time zone.
    """

    __tablename__ = "briefings"
    # OAI-PMH lists records in (updated_at, id) order, from/until on updated_at.
    __table_args__ = (Index("ix_briefings_updated_at_id", "updated_at", "id"),)

    PERIODIC, ADHOC = "periodic", "adhoc"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), index=True)
    title: Mapped[str] = mapped_column(String(500))
    held_at: Mapped[datetime] = mapped_column(index=True)
    place: Mapped[str | None] = mapped_column(String(300))
    # Codes from app.domain.briefings.HOSTS / TOPICS; attending outlets are free text.
    hosts: Mapped[list] = mapped_column(JSON, default=list)
    topics: Mapped[list] = mapped_column(JSON, default=list)
    outlets: Mapped[list] = mapped_column(JSON, default=list)
    chair: Mapped[str | None] = mapped_column(String(300))
    spokespeople: Mapped[str | None] = mapped_column(Text)  # one per line
    minutes: Mapped[str | None] = mapped_column(Text)
    # Ad-hoc only: what happened and when.
    incident_at: Mapped[datetime | None]
    incident_summary: Mapped[str | None] = mapped_column(Text)

    # Retention: the dossier (hồ sơ họp báo) this briefing is kept as, and the
    # series whose schedule that dossier gets (app.services.briefings).
    dossier_id: Mapped[int | None] = mapped_column(ForeignKey("dossiers.id"), index=True)
    retention_series: Mapped[str] = mapped_column(String(40), default="briefing",
                                                  server_default="briefing")

    # Sharing, as for documents (app.models.sharing.SharingLevel).
    sharing: Mapped[str] = mapped_column(String(20), default="internal",
                                         server_default="internal", index=True)
    shared_at: Mapped[datetime | None]
    public_at: Mapped[datetime | None]
    # The publication rule, as chosen on the sharing form: while the briefing is
    # public, its press coverage (secrecy "Thường" only) is public too, including
    # coverage added later (app.sharing.levels.apply_coverage_rule).
    publish_coverage: Mapped[bool] = mapped_column(default=False, server_default=sa_false())

    # As for documents: the search entries follow ``revision``.
    revision: Mapped[int] = mapped_column(default=1)
    indexed_revision: Mapped[int] = mapped_column(default=0)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    created_by: Mapped[User | None] = relationship()
    dossier: Mapped[Dossier | None] = relationship()
    materials: Mapped[list[BriefingMaterial]] = relationship(
        back_populates="briefing", order_by="BriefingMaterial.id", cascade="all, delete-orphan")
    coverage: Mapped[list[BriefingCoverage]] = relationship(
        back_populates="briefing", order_by="BriefingCoverage.id", cascade="all, delete-orphan")

    @property
    def response_time(self) -> timedelta | None:
        """Incident to briefing, for ad-hoc briefings with a known incident time."""
        if self.kind != self.ADHOC or self.incident_at is None:
            return None
        return self.held_at - self.incident_at

    @property
    def late(self) -> bool:
        response = self.response_time
        return response is not None and response > ADHOC_DEADLINE

    def bump_revision(self) -> None:
        self.revision += 1


class BriefingMaterial(db.Model):
    """An archived document used at a briefing (guidance, talking points, report...)."""

    __tablename__ = "briefing_materials"
    __table_args__ = (UniqueConstraint("briefing_id", "document_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    briefing_id: Mapped[int] = mapped_column(ForeignKey("briefings.id", ondelete="CASCADE"),
                                             index=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), index=True)
    role: Mapped[str] = mapped_column(String(30), default="other")
    added_at: Mapped[datetime] = mapped_column(default=utcnow)

    briefing: Mapped[Briefing] = relationship(back_populates="materials")
    document: Mapped[Document] = relationship()


class PressArticle(db.Model):
    """A published article, archived as a Document of category ``press_coverage``.

    ``story_id`` groups near-duplicate copies of one story (syndication): it is
    the id of the first article of the group. ``fingerprint`` is the MinHash
    signature of the article's main text (app.text.similarity).
    """

    __tablename__ = "press_articles"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), unique=True)
    url: Mapped[str | None] = mapped_column(String(2000))
    outlet: Mapped[str | None] = mapped_column(String(300), index=True)
    author: Mapped[str | None] = mapped_column(String(300))
    published_on: Mapped[date | None]
    story_id: Mapped[int | None] = mapped_column(index=True)
    fingerprint: Mapped[list | None] = mapped_column(JSON)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    document: Mapped[Document] = relationship()
    related_documents: Mapped[list[Document]] = relationship(
        secondary="press_article_documents", order_by="Document.id")


class BriefingCoverage(db.Model):
    """Coverage that followed a briefing."""

    __tablename__ = "briefing_coverage"
    __table_args__ = (UniqueConstraint("briefing_id", "article_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    briefing_id: Mapped[int] = mapped_column(ForeignKey("briefings.id", ondelete="CASCADE"),
                                             index=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("press_articles.id"), index=True)

    briefing: Mapped[Briefing] = relationship(back_populates="coverage")
    article: Mapped[PressArticle] = relationship()


class PressArticleDocument(db.Model):
    """An archived document an article reports on."""

    __tablename__ = "press_article_documents"

    article_id: Mapped[int] = mapped_column(ForeignKey("press_articles.id", ondelete="CASCADE"),
                                            primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), primary_key=True)
