"""A briefing's OAI record names the materials and coverage the harvester may see, so its
datestamp moves when one of them becomes visible or invisible or is taken off: an
incremental harvest (``from`` = the last one) then brings the briefing again. Driven
by sickle over HTTP, each response validated against the OAI-PMH and nd30 schemas."""
from __future__ import annotations

from datetime import datetime

import pytest
from sickle import oaiexceptions

from tests.integration.listing_factories import insert_documents
from tests.integration.oai_support import NS, oai_id, oai_server  # noqa: F401
from tests.integration.sharing_factories import briefing_with

LONG_AGO = datetime(2024, 1, 1)


def _age_everything(app) -> str:
    """Every record back to an old datestamp; ``from`` for what changes next (UTC, seconds)."""
    from sqlalchemy import update

    from app.extensions import db
    from app.models import Briefing, Document
    from app.models.user import utcnow

    with app.app_context():
        db.session.execute(update(Document).values(updated_at=LONG_AGO))
        db.session.execute(update(Briefing).values(updated_at=LONG_AGO))
        db.session.commit()
    return utcnow().strftime("%Y-%m-%dT%H:%M:%SZ")


def _changed_since(harvester, since: str) -> set[str]:
    try:
        return {h.identifier for h in harvester.ListIdentifiers(
            metadataPrefix="nd30", **{"from": since})}
    except oaiexceptions.NoRecordsMatch:
        return set()


def _named(harvester, since: str, briefing: int) -> dict[str, set[str]]:
    """What the briefing's nd30 record (fetched incrementally) names as materials and coverage."""
    [record] = [r for r in harvester.ListRecords(metadataPrefix="nd30", **{"from": since})
                if r.header.identifier == oai_id("briefing", briefing)]
    root = record.xml.find(".//nd30:briefing", NS)
    return {"materials": {m.get("identifier") for m in root.findall("nd30:materials/nd30:material",
                                                                     NS)},
            "coverage": {a.get("identifier") for a in root.findall("nd30:coverage/nd30:article",
                                                                    NS)}}


def test_materials_and_coverage_changing_visibility_bring_the_briefing_again(
        app, oai_server, make_user, clean):
    from app.extensions import db
    from app.models import User
    from app.services.briefings import remove_material
    from app.services.documents import get_document, update_metadata
    from app.services.metadata import DocumentMetadata
    from app.sharing.levels import set_briefing_sharing, set_document_sharing

    material, other_material, unrelated = insert_documents(app, [
        {"title": "Đề cương tuyên truyền về quyền con người"},
        {"title": "Báo cáo kết quả thông tin đối ngoại", "sharing": "public",
         "public_at": LONG_AGO},
        {"title": "Thông báo không thuộc buổi họp báo nào"}])
    [coverage] = insert_documents(app, [{"title": "Báo Biên Cương đưa tin hội nghị",
                                         "category": "press_coverage"}])
    archivist = make_user("archivist", "tuyet_mat")
    briefing = briefing_with(app, archivist.id, [coverage], [material, other_material])
    with app.app_context():
        user = db.session.get(User, archivist.id)
        set_briefing_sharing(user, briefing, "public")
    harvester = oai_server.harvester()
    briefing_id, material_id = oai_id("briefing", briefing), oai_id("doc", material)

    # A material is published: the briefing comes again, now naming it.
    since = _age_everything(app)
    with app.app_context():
        set_document_sharing(db.session.get(User, archivist.id), material, "public")
    assert _changed_since(harvester, since) == {material_id, briefing_id}
    assert material_id in _named(harvester, since, briefing)["materials"]

    # The material's secrecy is raised: it is withdrawn, and the briefing no longer names it.
    since = _age_everything(app)
    with app.app_context():
        user = db.session.get(User, archivist.id)
        fields = {n: getattr(get_document(user, material), n)
                  for n in DocumentMetadata.field_names()}
        update_metadata(user, material, DocumentMetadata(**{**fields, "secrecy": "mat"}))
    assert _changed_since(harvester, since) == {material_id, briefing_id}
    assert material_id not in _named(harvester, since, briefing)["materials"]

    # Its coverage is published: the briefing comes again, naming the article.
    since = _age_everything(app)
    with app.app_context():
        set_document_sharing(db.session.get(User, archivist.id), coverage, "public")
    assert _changed_since(harvester, since) == {oai_id("doc", coverage), briefing_id}
    assert _named(harvester, since, briefing)["coverage"] == {oai_id("doc", coverage)}

    # A visible material is taken off the briefing.
    since = _age_everything(app)
    with app.app_context():
        remove_material(db.session.get(User, archivist.id), briefing, other_material)
    assert _changed_since(harvester, since) == {briefing_id}
    assert _named(harvester, since, briefing)["materials"] == set()

    # A record no briefing uses changes: the briefing stays where it was.
    since = _age_everything(app)
    with app.app_context():
        set_document_sharing(db.session.get(User, archivist.id), unrelated, "public")
    assert _changed_since(harvester, since) == {oai_id("doc", unrelated)}


@pytest.mark.parametrize("level", ["partner"])
def test_bulk_sharing_of_a_material_moves_the_briefing_for_partners(
        app, oai_server, make_user, clean, level):
    from app.extensions import db
    from app.models import User
    from app.services.bulk import BulkRequest, start
    from app.sharing.levels import set_briefing_sharing
    from tests.integration.oai_support import partner_token

    [material] = insert_documents(app, [{"title": "Tài liệu hỏi đáp về tự do tôn giáo"}])
    archivist = make_user("archivist", "tuyet_mat")
    briefing = briefing_with(app, archivist.id, [], [material])
    with app.app_context():
        set_briefing_sharing(db.session.get(User, archivist.id), briefing, level)
    token = partner_token(app)
    since = _age_everything(app)
    with app.app_context():
        start(db.session.get(User, archivist.id), BulkRequest(
            action="set_sharing", document_ids=[material], value=level))
    harvester = oai_server.harvester(token.token)
    assert _changed_since(harvester, since) == {oai_id("doc", material),
                                                oai_id("briefing", briefing)}
