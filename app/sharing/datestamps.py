"""A briefing's OAI datestamp follows the records its OAI record names.

A briefing's record lists the materials and coverage the harvester may see
(``app.sharing.oai.crosswalk``), so it changes when one of them becomes visible
or invisible (sharing, secrecy, disposition), is renamed, or is attached or
taken off -- without the briefing row itself being touched. Harvesters ask for
what changed ``from`` a datestamp (``updated_at``), so that datestamp must move
in the same transaction, whichever service made the change (the edit page, bulk
work, the API, the publication rule, a disposition, a restore): this is done once,
here, when the session flushes, rather than in each of those services.
"""
from __future__ import annotations

from sqlalchemy import event, inspect, select, union
from sqlalchemy.orm import Session

from app.models import Briefing, BriefingCoverage, BriefingMaterial, Document, PressArticle
from app.models.user import utcnow

# What a briefing's OAI record shows of a material or a piece of coverage.
WATCHED = ("sharing", "secrecy", "disposition", "source_id", "title")


@event.listens_for(Session, "before_flush")
def _follow_listed_records(session: Session, flush_context, instances) -> None:
    changed_documents = [obj.id for obj in session.dirty if isinstance(obj, Document)
                         and obj.id is not None and _watched_change(obj)]
    briefings = {obj.briefing for obj in (*session.new, *session.deleted)
                 if isinstance(obj, (BriefingMaterial, BriefingCoverage))
                 and obj.briefing is not None}
    briefing_ids = {obj.briefing_id for obj in (*session.new, *session.deleted)
                    if isinstance(obj, (BriefingMaterial, BriefingCoverage))
                    and obj.briefing is None and obj.briefing_id is not None}
    briefings |= {obj for obj in session.dirty if isinstance(obj, Briefing)
                  and _collection_change(obj)}
    if changed_documents:
        briefing_ids |= set(session.scalars(_holding(changed_documents)))
    briefing_ids -= {b.id for b in briefings}
    if briefing_ids:
        briefings |= set(session.scalars(select(Briefing).where(Briefing.id.in_(briefing_ids))))
    now = utcnow()
    for briefing in briefings:
        if briefing not in session.deleted:
            briefing.updated_at = now


def _watched_change(document: Document) -> bool:
    state = inspect(document)
    return any(state.attrs[name].history.has_changes() for name in WATCHED)


def _collection_change(briefing: Briefing) -> bool:
    # Materials or coverage appended to or removed from the lists (delete-orphan:
    # a removed row only becomes a deletion during the flush itself).
    state = inspect(briefing)
    return any(state.attrs[name].history.has_changes() for name in ("materials", "coverage"))


def _holding(document_ids: list[int]):
    """SELECT the ids of briefings using these documents as materials or coverage."""
    return union(
        select(BriefingMaterial.briefing_id).where(BriefingMaterial.document_id.in_(document_ids)),
        select(BriefingCoverage.briefing_id).join(
            PressArticle, PressArticle.id == BriefingCoverage.article_id)
        .where(PressArticle.document_id.in_(document_ids)))
