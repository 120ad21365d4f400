"""/oai speaks OAI-PMH 2.0: every verb, resumption, from/until to the second, every
error code -- driven by sickle over real HTTP, each response checked against the
OAI-PMH 2.0 schema (and oai_dc, nd30, oai-identifier for what it carries)."""
from __future__ import annotations

from datetime import datetime

import pytest
import requests
from sickle import oaiexceptions

from tests.conftest import ROOT
from tests.integration.listing_factories import insert_documents
from tests.integration.oai_support import (IDENTIFIERS_PAGE_SIZE, NS, PAGE_SIZE, error_code,
                                           oai_id, oai_server, seed)  # noqa: F401


@pytest.fixture
def archive(clean, make_user):
    return seed(clean, make_user)


def _shared(app, make_user, count: int, **fields) -> list[int]:
    from app.extensions import db
    from app.models import User
    from app.sharing.levels import set_document_sharing

    ids = insert_documents(app, [{"title": f"Thông báo số {n}", "category": "report",
                                  "doc_type": "TB", **fields} for n in range(count)])
    archivist = make_user("archivist")
    with app.app_context():
        for doc_id in ids:
            set_document_sharing(db.session.get(User, archivist.id), doc_id, "public")
    return ids


def _in_harvest_order(app, ids) -> list[str]:
    from app.extensions import db
    from app.models import Document

    with app.app_context():
        rows = db.session.query(Document.id).filter(Document.id.in_(ids)).order_by(
            Document.updated_at, Document.id)
        return [oai_id("doc", row.id) for row in rows]


def test_identify_formats_sets_and_records(app, oai_server, archive):
    harvester = oai_server.harvester(http_method="POST")  # POST works as GET does
    identify = harvester.Identify()
    assert identify.baseURL == oai_server.base and identify.protocolVersion == "2.0"
    assert identify.granularity == "YYYY-MM-DDThh:mm:ssZ"
    assert identify.deletedRecord == "persistent"
    assert identify.repositoryName == app.config["OAI_REPOSITORY_NAME"]
    formats = {f.metadataPrefix: f for f in harvester.ListMetadataFormats()}
    assert set(formats) == {"oai_dc", "nd30"}
    schema = requests.get(formats["nd30"].schema, timeout=10)
    assert schema.content == (ROOT / "schemas" / "oai" / "nd30.xsd").read_bytes()
    assert {f.metadataPrefix for f in harvester.ListMetadataFormats(
        identifier=oai_id("doc", archive.public))} == {"oai_dc", "nd30"}
    assert {"briefings", "category", "type", "year", "category:plan", "type:KH",
            "year:2024"} <= {s.setSpec for s in harvester.ListSets()}

    # nd30 carries every NĐ 30 field, enough to rebuild the record elsewhere.
    record = harvester.GetRecord(identifier=oai_id("doc", archive.public), metadataPrefix="nd30")
    doc = record.xml.find(".//nd30:document", NS)

    def text(name):
        return doc.find(f"nd30:{name}", NS).text

    assert (text("number"), text("symbol"), text("issueDate"), text("place")) == (
        "5547", "KH-UBND", "2024-05-23", "Điện Biên")
    assert text("issuingBody") == "Ủy ban nhân dân tỉnh Điện Biên"
    assert text("summary") == "Tuyên truyền về quyền con người"  # the form feed is dropped
    kind = doc.find("nd30:documentType", NS)
    assert (kind.get("code"), kind.text, kind.get("abbreviation")) == ("KH", "Kế hoạch", "KH")
    assert doc.find("nd30:signer/nd30:name", NS).text == "Lê Thành Đô"
    assert [r.text for r in doc.findall("nd30:recipients/nd30:recipient", NS)] == [
        "Bộ Thông tin và Truyền thông;", "Lưu: VT, KGVX."]
    assert doc.find("nd30:secrecy", NS).get("code") == "thuong"
    assert doc.find("nd30:category", NS).get("code") == "plan"
    assert record.header.setSpecs == ["category:plan", "type:KH", "year:2024"]
    briefing = harvester.GetRecord(identifier=oai_id("briefing", archive.briefing),
                                   metadataPrefix="nd30").xml.find(".//nd30:briefing", NS)
    assert briefing.find("nd30:heldAt", NS).text == "2024-05-30T02:00:00Z"
    assert [i.get("code") for i in briefing.findall("nd30:hosts/nd30:item", NS)] == [
        "propaganda", "communications"]
    dc = harvester.GetRecord(identifier=oai_id("briefing", archive.briefing),
                             metadataPrefix="oai_dc").metadata
    assert dc["relation"] == [oai_id("doc", archive.public)]
    assert len(harvester.responses) == 7  # every one of them valid


def test_lists_resume_in_pages_and_keep_their_order_while_records_change(app, oai_server,
                                                                          make_user, clean):
    ids = _shared(app, make_user, 10)
    expected = _in_harvest_order(app, ids)
    harvester = oai_server.harvester()
    records = harvester.ListRecords(metadataPrefix="oai_dc")
    got = [next(records).header.identifier for _ in range(PAGE_SIZE + 1)]  # into page 2
    # Meanwhile a new record is shared, then one not yet harvested is edited: nothing is
    # skipped or repeated; both come at the end, in the order of their new datestamps.
    (added,) = _shared(app, make_user, 1)
    from app.extensions import db
    from app.models import Document

    with app.app_context():
        db.session.get(Document, ids[-3]).title = "Thông báo đã sửa"
        db.session.commit()
    got += [r.header.identifier for r in records]
    moved = oai_id("doc", ids[-3])
    assert got == [i for i in expected if i != moved] + [oai_id("doc", added), moved]
    tokens = [r.find(".//oai:resumptionToken", NS) for r in harvester.responses]
    assert [int(t.get("cursor")) for t in tokens] == [0, 3, 6, 9]
    assert [t.get("completeListSize") for t in tokens] == ["10", "10", "10", "11"]
    assert all(t.text and t.get("expirationDate").endswith("Z") for t in tokens[:-1])
    assert tokens[-1].text is None and tokens[-1].get("expirationDate") is None

    headers = oai_server.harvester()
    assert len(list(headers.ListIdentifiers(metadataPrefix="nd30"))) == 11
    assert [int(r.find(".//oai:resumptionToken", NS).get("cursor"))
            for r in headers.responses] == list(range(0, 11, IDENTIFIERS_PAGE_SIZE))


def test_from_and_until_count_to_the_second_in_utc(app, oai_server, make_user, clean):
    from sqlalchemy import update

    from app.extensions import db
    from app.models import Document

    a, b, c, d = _shared(app, make_user, 4)
    stamps = {a: datetime(2025, 3, 1, 10, 0, 4, 900_000), b: datetime(2025, 3, 1, 10, 0, 5),
              c: datetime(2025, 3, 1, 10, 0, 5, 700_000), d: datetime(2025, 3, 1, 10, 0, 6)}
    with app.app_context():
        for doc_id, stamp in stamps.items():
            db.session.execute(update(Document).where(Document.id == doc_id)
                               .values(updated_at=stamp))
        db.session.commit()
    harvester = oai_server.harvester()

    def listed(**kw):
        return {h.identifier: h.datestamp for h in harvester.ListIdentifiers(
            metadataPrefix="oai_dc", **kw)}

    second = listed(**{"from": "2025-03-01T10:00:05Z", "until": "2025-03-01T10:00:05Z"})
    assert second == {oai_id("doc", b): "2025-03-01T10:00:05Z",
                      oai_id("doc", c): "2025-03-01T10:00:05Z"}
    assert set(listed(until="2025-03-01T10:00:04Z")) == {oai_id("doc", a)}
    assert set(listed(**{"from": "2025-03-01T10:00:06Z"})) == {oai_id("doc", d)}
    assert len(listed(**{"from": "2025-03-01", "until": "2025-03-01"})) == 4
    with pytest.raises(oaiexceptions.NoRecordsMatch):
        harvester.ListIdentifiers(metadataPrefix="oai_dc", until="2025-02-28T23:59:59Z")
    request = harvester.responses[0].find("oai:request", NS)
    assert request.get("from") == request.get("until") == "2025-03-01T10:00:05Z"


ERRORS = [
    ("badVerb", {}),
    ("badVerb", {"verb": "Harvest"}),
    ("badVerb", {"verb": "GetMetadata", "identifier": "x", "metadataPrefix": "oai_dc"}),
    ("badVerb", {"verb": ["Identify", "Identify"]}),
    ("badArgument", {"verb": "ListRecords"}),
    ("badArgument", {"verb": "GetRecord", "metadataPrefix": "oai_dc"}),
    ("badArgument", {"verb": "Identify", "set": "year"}),
    ("badArgument", {"verb": "ListRecords", "metadataPrefix": ["oai_dc", "nd30"]}),
    ("badArgument", {"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2024-13-01"}),
    ("badArgument", {"verb": "ListRecords", "metadataPrefix": "oai_dc",
                     "from": "2024-01-01T00:00:00"}),
    ("badArgument", {"verb": "ListRecords", "metadataPrefix": "oai_dc",
                     "from": "2024-02-01", "until": "2024-01-01"}),
    ("badArgument", {"verb": "ListRecords", "metadataPrefix": "oai_dc",
                     "from": "2024-01-01", "until": "2024-02-01T00:00:00Z"}),
    ("badArgument", {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc", "set": "no such"}),
    ("badArgument", {"verb": "ListRecords", "metadataPrefix": "oai_dc",
                     "resumptionToken": "abc"}),
    ("cannotDisseminateFormat", {"verb": "ListRecords", "metadataPrefix": "marc21"}),
    ("cannotDisseminateFormat", {"verb": "GetRecord", "metadataPrefix": "marc21",
                                 "identifier": "PUBLIC"}),
    ("idDoesNotExist", {"verb": "GetRecord", "metadataPrefix": "oai_dc",
                        "identifier": "oai:archive.local:doc/99999999"}),
    ("idDoesNotExist", {"verb": "GetRecord", "metadataPrefix": "oai_dc", "identifier": "doc/1"}),
    ("idDoesNotExist", {"verb": "ListMetadataFormats", "identifier": "INTERNAL"}),
    ("noRecordsMatch", {"verb": "ListRecords", "metadataPrefix": "oai_dc", "set": "type:ZZ"}),
    ("noRecordsMatch", {"verb": "ListRecords", "metadataPrefix": "oai_dc", "set": "briefings",
                        "until": "2001-01-01"}),
    ("noRecordsMatch", {"verb": "ListIdentifiers", "metadataPrefix": "nd30",
                        "from": "2099-01-01"}),
    ("badResumptionToken", {"verb": "ListRecords", "resumptionToken": "not-a-token"}),
    ("badResumptionToken", {"verb": "ListSets", "resumptionToken": "not-a-token"}),
]


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_every_error_is_answered_as_the_protocol_says(oai_server, archive, method):
    harvester = oai_server.harvester(http_method=method)
    stand_ins = {"PUBLIC": oai_id("doc", archive.public),
                 "INTERNAL": oai_id("doc", archive.internal)}
    for expected, params in ERRORS:
        params = {k: stand_ins.get(v, v) if isinstance(v, str) else v for k, v in params.items()}
        response = harvester.harvest(**params)
        assert response.http_response.status_code == 200
        tree = harvester.responses[-1]
        assert error_code(tree) == expected, (params, response.raw[:800])
        if expected in ("badVerb", "badArgument"):  # the request is not echoed then
            assert tree.find("oai:request", NS).attrib == {}
    # sickle turns them into its exceptions, as for any OAI-PMH repository.
    with pytest.raises(oaiexceptions.CannotDisseminateFormat):
        harvester.ListRecords(metadataPrefix="marc21")
    with pytest.raises(oaiexceptions.NoRecordsMatch):
        harvester.ListRecords(metadataPrefix="oai_dc", set="category:no_such_category")
