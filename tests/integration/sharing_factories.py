"""Records and briefings for the sharing tests, written straight into the database."""
from __future__ import annotations

from datetime import date, datetime


def external_source(app) -> int:
    """A harvest source: records carrying its id came from another archive."""
    from app.extensions import db
    from app.models import HarvestSource

    with app.app_context():
        source = HarvestSource(name="Kho lưu trữ tỉnh bạn", base_url="https://kho.example.vn/oai")
        db.session.add(source)
        db.session.commit()
        return source.id


def briefing_with(app, user_id: int, coverage: list[int], materials: list[int] = (),
                  title: str = "Hội nghị cung cấp thông tin cho báo chí tháng 5/2024",
                  minutes: str = "Thông tin về công tác bảo đảm quyền con người.") -> int:
    """A briefing (through the service) whose coverage and materials are these documents."""
    from app.extensions import db
    from app.models import BriefingCoverage, BriefingMaterial, PressArticle, User
    from app.services import briefings

    with app.app_context():
        user = db.session.get(User, user_id)
        briefing = briefings.create_briefing(user, briefings.BriefingData(
            kind="periodic", title=title, held_at=datetime(2024, 5, 14, 7, 0),
            place="Hội trường Tỉnh ủy", hosts=["propaganda"], topics=["human_rights"],
            outlets=["Báo Biên Cương"], minutes=minutes))
        for n, document_id in enumerate(coverage):
            article = PressArticle(document_id=document_id, outlet=f"Báo số {n + 1}",
                                   published_on=date(2024, 5, 15),
                                   url=f"https://bao{n}.example.vn/bai-{document_id}")
            db.session.add(article)
            db.session.flush()
            db.session.add(BriefingCoverage(briefing_id=briefing.id, article_id=article.id))
        for document_id in materials:
            db.session.add(BriefingMaterial(briefing_id=briefing.id, document_id=document_id,
                                            role="talking_points"))
        briefing.bump_revision()
        briefings.commit_and_index(briefing)
        return briefing.id


def audit_entries(app, object_type: str, object_id: int) -> list:
    from sqlalchemy import select

    from app.extensions import db
    from app.models import AuditEvent

    with app.app_context():
        events = db.session.scalars(select(AuditEvent).where(
            AuditEvent.object_type == object_type, AuditEvent.object_id == str(object_id))
            .order_by(AuditEvent.seq)).all()
        for event in events:
            db.session.expunge(event)
        return events


def document(app, document_id: int):
    from app.extensions import db
    from app.models import Document

    with app.app_context():
        found = db.session.get(Document, document_id)
        db.session.expunge(found)
        return found
