"""A demo press briefing for ``make run``: the seeds about the briefing mechanism as materials."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from app.extensions import db
from app.models import Briefing, Document, User
from app.services.briefings import BriefingData, add_material, create_briefing, from_local


def demo_briefing(username: str) -> Briefing | None:
    """Create the demo briefing once; None when one exists or the user is missing."""
    user = db.session.scalar(select(User).where(User.username == username))
    if user is None or db.session.scalar(select(Briefing.id).limit(1)) is not None:
        return None
    briefing = create_briefing(user, BriefingData(
        kind=Briefing.PERIODIC,
        title="Hội nghị cung cấp thông tin cho báo chí về nhân quyền và thông tin đối ngoại "
              "tháng 3/2024",
        held_at=from_local(datetime(2024, 3, 14, 14, 0)),
        place="Hội trường Ban Tuyên giáo Tỉnh ủy",
        hosts=["propaganda", "police", "communications"],
        topics=["human_rights", "foreign_information"],
        outlets=["Báo tỉnh", "Đài Phát thanh và Truyền hình tỉnh"],
        chair="Phó Trưởng Ban Tuyên giáo Tỉnh ủy",
        spokespeople="Đại diện Công an tỉnh\nĐại diện Sở Thông tin và Truyền thông",
        minutes="Hội nghị thông tin về công tác bảo đảm quyền con người tại địa phương, "
                "định hướng tuyên truyền đối ngoại và đề nghị các cơ quan báo chí phản ánh "
                "kịp thời, chính xác.",
    ))
    seeds = db.session.scalars(select(Document).where(
        Document.category == "briefing_material").order_by(Document.id).limit(3))
    for document in list(seeds):
        add_material(user, briefing.id, str(document.id), "guidance")
    return briefing
