"""What leaves through /oai: public records for anyone, partner records with a partner
token; internal and secret records never, not even their identifiers; withdrawn and
destroyed records as deleted. Harvested with sickle over real HTTP; every response
is validated against the OAI-PMH 2.0 schemas."""
from __future__ import annotations

import hashlib
import re

import pytest
import requests
from sickle import oaiexceptions

from tests.integration.oai_support import NS, oai_id, oai_server, partner_token, seed  # noqa: F401

EVERY_SET = ("briefings", "category", "type", "year")


@pytest.fixture
def archive(clean, make_user):
    return seed(clean, make_user)


def _headers(harvester, **kw):
    return {h.identifier: h for h in harvester.ListIdentifiers(metadataPrefix="oai_dc", **kw)}


def _sets(harvester) -> dict[str, int]:
    counts = {}
    for oai_set in harvester.ListSets():
        text = oai_set.xml.find(".//dc:description", NS).text
        counts[oai_set.setSpec] = int(re.search(r"\d+", text).group())
    return counts


def test_internal_and_secret_records_never_appear(app, oai_server, archive):
    token = partner_token(app)
    hidden = {oai_id("doc", archive.internal), oai_id("doc", archive.secret)}
    for harvester in (oai_server.harvester(), oai_server.harvester(token.token)):
        listed = _headers(harvester)
        assert hidden.isdisjoint(listed)
        records = {r.header.identifier for r in harvester.ListRecords(metadataPrefix="nd30")}
        assert hidden.isdisjoint(records) and records == set(listed)
        for spec in EVERY_SET:
            assert hidden.isdisjoint(_headers(harvester, set=spec))
        raw = b"".join(r.http_response.content for r in [harvester.harvest(
            verb="ListRecords", metadataPrefix="nd30")])
        assert "Ghi chú nội bộ".encode() not in raw and "Báo cáo mật".encode() not in raw
        # The briefing used the internal document too: it is not even named.
        briefing = harvester.GetRecord(identifier=oai_id("briefing", archive.briefing),
                                       metadataPrefix="nd30")
        materials = briefing.xml.findall(".//nd30:material", NS)
        assert [m.get("identifier") for m in materials] == [oai_id("doc", archive.public)]
        # Sets and their counts come from what this harvester may see only.
        counts = _sets(harvester)
        assert "type:BC" not in counts and "year:2022" not in counts  # the secret record
        assert "category:other" not in counts and "year:2021" not in counts  # the internal
        assert "type:TC" not in counts  # withdrawn: no longer counted anywhere
        assert counts["briefings"] == 1 and counts["category:plan"] == 1
        assert counts["category"] == (1 if harvester.request_args["headers"] == {} else 2)
        # Asking for them by identifier: the same answer as for a record that never existed.
        messages = set()
        for identifier in (*hidden, oai_id("doc", 999_999)):
            with pytest.raises(oaiexceptions.IdDoesNotExist) as raised:
                harvester.GetRecord(identifier=identifier, metadataPrefix="oai_dc")
            messages.add(str(raised.value).replace(identifier, "ID"))
            with pytest.raises(oaiexceptions.IdDoesNotExist):
                harvester.ListMetadataFormats(identifier=identifier)
        assert len(messages) == 1


def test_partner_records_need_the_partner_token(app, oai_server, archive):
    from app.extensions import db
    from app.models import PartnerToken

    partner_doc = oai_id("doc", archive.partner)
    assert partner_doc not in _headers(oai_server.harvester())
    with pytest.raises(oaiexceptions.IdDoesNotExist):
        oai_server.harvester().GetRecord(identifier=partner_doc, metadataPrefix="nd30")
    token = partner_token(app)
    record = oai_server.harvester(token.token).GetRecord(identifier=partner_doc,
                                                        metadataPrefix="nd30")
    assert record.xml.find(".//nd30:symbol", NS).text == "UBND-KGVX"
    assert record.xml.find(".//nd30:sharing", NS).text == "partner"
    with app.app_context():
        assert db.session.get(PartnerToken, token.id).last_used_at is not None

    # A wrong or revoked token is refused, not quietly treated as the public.
    for bad in ("oai_not-a-token", ""):
        response = requests.get(oai_server.base, params={"verb": "Identify"},
                                headers={"Authorization": f"Bearer {bad}"}, timeout=10)
        assert response.status_code == 401
        assert response.headers["WWW-Authenticate"].startswith("Bearer ")
    from app.sharing.partners import revoke_token

    with app.app_context():
        revoke_token(token.id, None)
    response = requests.get(oai_server.base, params={"verb": "ListIdentifiers",
                                                     "metadataPrefix": "oai_dc"},
                            headers={"Authorization": f"Bearer {token.token}"}, timeout=10)
    assert response.status_code == 401 and "oai:" not in response.text


def test_withdrawn_and_destroyed_records_are_reported_deleted(app, oai_server, archive):
    from app.extensions import db
    from app.models import Document
    from app.sharing.levels import set_document_sharing
    from app.models import User

    harvester = oai_server.harvester()
    headers = _headers(harvester)
    for doc_id in (archive.withdrawn, archive.destroyed):
        assert headers[oai_id("doc", doc_id)].deleted
        record = harvester.GetRecord(identifier=oai_id("doc", doc_id), metadataPrefix="nd30")
        assert record.deleted and record.xml.find(".//oai:metadata", NS) is None
        assert record.header.setSpecs == []  # its current metadata is not shared any more
    # Deleted records are listed in every set of their kind, so set harvesters learn too.
    assert headers[oai_id("doc", archive.withdrawn)].identifier in _headers(
        harvester, set="category:plan")
    # Lowering sharing to internal withdraws it and moves its datestamp.
    before = headers[oai_id("doc", archive.public)].datestamp
    with app.app_context():
        stamp = db.session.get(Document, archive.public).updated_at
        set_document_sharing(db.session.get(User, archive.archivist.id), archive.public,
                             "internal")
        assert db.session.get(Document, archive.public).updated_at > stamp
    after = _headers(harvester, **{"from": before})[oai_id("doc", archive.public)]
    assert after.deleted and after.datestamp >= before
    # Destroyed record's file link is gone too.
    identify = harvester.Identify()
    assert identify.deletedRecord == "persistent"


def test_file_links_serve_the_originals_to_the_same_principal_only(app, oai_server, archive):
    from app.extensions import db
    from app.models import AuditEvent, Document

    harvester = oai_server.harvester()
    record = harvester.GetRecord(identifier=oai_id("doc", archive.public), metadataPrefix="nd30")
    (link,) = record.xml.findall(".//nd30:file", NS)
    body = requests.get(link.get("url"), timeout=10)
    assert body.status_code == 200 and hashlib.sha256(body.content).hexdigest() == link.get(
        "sha256") and len(body.content) == int(link.get("size"))
    dc = harvester.GetRecord(identifier=oai_id("doc", archive.public), metadataPrefix="oai_dc")
    assert link.get("url") in dc.metadata["identifier"]

    token = partner_token(app, "Báo Quảng Ngãi")
    partner = oai_server.harvester(token.token).GetRecord(
        identifier=oai_id("doc", archive.partner), metadataPrefix="nd30")
    url = partner.xml.find(".//nd30:file", NS).get("url")
    assert requests.get(url, timeout=10).status_code == 404  # not for the public
    assert requests.get(url, headers={"Authorization": f"Bearer {token.token}"},
                        timeout=10).status_code == 200
    with app.app_context():
        hidden = [db.session.get(Document, i) for i in (archive.internal, archive.secret)]
        for document in hidden:  # guessing the address of a file that may not leave
            guess = f"{oai_server.base}/files/{document.id}/{document.files[0].sha256}"
            for headers in ({}, {"Authorization": f"Bearer {token.token}"}):
                assert requests.get(guess, headers=headers, timeout=10).status_code == 404
        downloads = db.session.query(AuditEvent).filter_by(action="oai.download").all()
        assert [(e.object_id, e.details["agency"]) for e in downloads] == [
            (str(archive.public), None), (str(archive.partner), "Báo Quảng Ngãi")]
        assert downloads[1].actor_name.startswith("Báo Quảng Ngãi")
