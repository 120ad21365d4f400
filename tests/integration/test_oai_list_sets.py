"""ListSets comes in pages with resumption tokens, as ListRecords does: signed, bound to the
harvester and the verb, with cursor, completeListSize and expirationDate. Driven by sickle
over HTTP with a small page (OAI_SETS_PAGE_SIZE), every response schema-validated."""
from __future__ import annotations

from datetime import date

import pytest

from tests.integration.listing_factories import insert_documents
from tests.integration.oai_support import NS, error_code, partner_token, seed, serve, validate

SETS_PAGE_SIZE = 3


@pytest.fixture(scope="module")
def sets_server(app):
    yield from serve(app, OAI_SETS_PAGE_SIZE=str(SETS_PAGE_SIZE))


@pytest.fixture
def archive(app, clean, make_user):
    """The seeded archive plus public records of other categories, types and years."""
    from app.extensions import db
    from app.models import User
    from app.sharing.levels import set_document_sharing

    seeded = seed(clean, make_user)
    more = insert_documents(app, [
        {"title": "Báo cáo kết quả thông tin đối ngoại", "category": "report", "doc_type": "BC",
         "issue_date": date(2022, 6, 1)},
        {"title": "Hướng dẫn tuyên truyền nhân quyền", "category": "guidance", "doc_type": "HD",
         "issue_date": date(2021, 3, 1)},
        {"title": "Thông báo lịch họp báo", "category": "other", "doc_type": "TB",
         "issue_date": date(2020, 1, 2)}])
    with app.app_context():
        for doc_id in more:
            set_document_sharing(db.session.get(User, seeded.archivist.id), doc_id, "public")
    return seeded


def _expected(app, principal) -> list[str]:
    from app.sharing.oai import sets

    with app.app_context():
        return [info.spec for info in sets.list_sets(principal)]


def test_list_sets_is_paged_with_resumption_tokens(app, sets_server, archive):
    from app.sharing.visibility import Principal

    harvester = sets_server.harvester()
    listed = list(harvester.ListSets())
    expected = _expected(app, Principal.PUBLIC)
    assert [s.setSpec for s in listed] == expected  # in order, nothing repeated or skipped
    assert len(expected) > 3 * SETS_PAGE_SIZE
    assert {"category:report", "type:HD", "year:2020", "briefings"} <= set(expected)
    assert "type:CV" not in expected  # the partner-only record's type: not for the public
    pages = -(-len(expected) // SETS_PAGE_SIZE)
    assert len(harvester.responses) == pages
    tokens = [r.find(".//oai:resumptionToken", NS) for r in harvester.responses]
    assert [int(t.get("cursor")) for t in tokens] == list(range(0, len(expected),
                                                                SETS_PAGE_SIZE))
    assert {t.get("completeListSize") for t in tokens} == {str(len(expected))}
    assert all(t.text and t.get("expirationDate").endswith("Z") for t in tokens[:-1])
    assert tokens[-1].text is None and tokens[-1].get("expirationDate") is None
    # Each set still says how many records it holds.
    plan = next(s for s in listed if s.setSpec == "category:plan")
    assert "Records: 1" in plan.raw or "Số bản ghi: 1" in plan.raw

    partner = partner_token(app)
    seen = [s.setSpec for s in sets_server.harvester(partner.token).ListSets()]
    assert seen == _expected(app, Principal.PARTNER) and "type:CV" in seen


def test_list_sets_tokens_are_refused_when_altered_borrowed_or_of_another_list(
        app, sets_server, archive):
    harvester = sets_server.harvester()
    first = validate(harvester.harvest(verb="ListSets").http_response.content)
    token = first.find(".//oai:resumptionToken", NS).text
    records = validate(harvester.harvest(verb="ListRecords", metadataPrefix="oai_dc")
                       .http_response.content)
    records_token = records.find(".//oai:resumptionToken", NS).text
    partner = partner_token(app)

    def answer(client, value) -> str | None:
        response = client.harvest(verb="ListSets", resumptionToken=value)
        return error_code(validate(response.http_response.content))

    assert answer(harvester, token) is None  # the real one works
    assert answer(harvester, token[:-2] + ("AA" if not token.endswith("AA") else "BB")) == \
        "badResumptionToken"
    assert answer(harvester, records_token) == "badResumptionToken"  # another verb's
    assert answer(sets_server.harvester(partner.token), token) == "badResumptionToken"
    listed = harvester.harvest(verb="ListRecords", resumptionToken=token)
    assert error_code(validate(listed.http_response.content)) == "badResumptionToken"
