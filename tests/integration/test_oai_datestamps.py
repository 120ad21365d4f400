"""A record's OAI datestamp (updated_at) moves with every change a harvester must learn
of: sharing, secrecy, deletion or destruction, a briefing's sharing."""
from __future__ import annotations

from datetime import datetime

from tests.integration.listing_factories import insert_documents


def test_sharing_secrecy_and_disposition_changes_move_the_datestamp(app, clean, make_user):
    from app.extensions import db
    from app.models import Briefing, Document, User
    from app.services.briefings import BriefingData, create_briefing
    from app.services.disposition import delete_document
    from app.services.documents import get_document, update_metadata
    from app.services.metadata import DocumentMetadata
    from app.sharing.levels import set_briefing_sharing, set_document_sharing
    from app.sharing.oai import records
    from app.sharing.visibility import Principal

    first, second = insert_documents(app, [{"title": "Thông cáo một"},
                                           {"title": "Thông cáo hai"}])
    archivist, admin = make_user("archivist", "tuyet_mat"), make_user("admin", "tuyet_mat")
    with app.app_context():
        user = db.session.get(User, archivist.id)
        stamps = []

        def stamp(model, row_id):
            db.session.expire_all()
            stamps.append(db.session.get(model, row_id).updated_at)
            return stamps[-1]

        stamp(Document, first)
        set_document_sharing(user, first, "public")
        stamp(Document, first)
        document = get_document(user, first)
        fields = {name: getattr(document, name) for name in DocumentMetadata.field_names()}
        update_metadata(user, first, DocumentMetadata(**{**fields, "secrecy": "mat"}))
        stamp(Document, first)
        assert records.find(Principal.PUBLIC, records.identifier("doc", first)).deleted

        set_document_sharing(user, second, "partner")
        before = stamp(Document, second)
        delete_document(db.session.get(User, admin.id), second, "Nhập nhầm")
        after = stamp(Document, second)
        assert after > before
        assert records.find(Principal.PARTNER, records.identifier("doc", second)).deleted
        assert records.find(Principal.PUBLIC, records.identifier("doc", second)) is None

        briefing = create_briefing(user, BriefingData(title="Họp báo tháng 6",
                                                      held_at=datetime(2024, 6, 28, 2)))
        stamp(Briefing, briefing.id)
        set_briefing_sharing(user, briefing.id, "public")
        stamp(Briefing, briefing.id)
        set_briefing_sharing(user, briefing.id, "internal")
        stamp(Briefing, briefing.id)
        assert records.find(Principal.PUBLIC, records.identifier("briefing", briefing.id)).deleted
    assert all(a < b for a, b in zip(stamps[:3], stamps[1:3])), stamps
    assert stamps[5] < stamps[6] < stamps[7], stamps
