"""An nd30 or oai_dc record as the harvester reads it (app/sharing/harvest/mapping.py)."""
from __future__ import annotations

from datetime import date, datetime

import pytest
from lxml import etree

from app.sharing.harvest.mapping import MappingError, read_record

RECORD = """<record xmlns="http://www.openarchives.org/OAI/2.0/">
  <header><identifier>oai:tinh.example:doc/42</identifier>
    <datestamp>2026-11-30T08:15:00Z</datestamp><setSpec>category:plan</setSpec></header>
  <metadata>
    <document xmlns="urn:vn-archive:nd30:1.0">
      <title>Kế hoạch thông tin đối ngoại năm 2024</title>
      <documentType code="KH" abbreviation="KH">Kế hoạch</documentType>
      <number>5547</number><symbol>KH-UBND</symbol>
      <issuingBody>Ủy ban nhân dân tỉnh Điện Biên</issuingBody>
      <place>Điện Biên</place><issueDate>2023-12-28</issueDate>
      <summary>Thực hiện công tác thông tin đối ngoại năm 2024</summary>
      <signer><position>KT. CHỦ TỊCH</position><name>Lò Văn Cương</name></signer>
      <recipients><recipient>Bộ Thông tin và Truyền thông;</recipient>
        <recipient>Các sở, ban, ngành tỉnh;</recipient></recipients>
      <secrecy code="thuong">Thường</secrecy><urgency code="thuong">Thường</urgency>
      <category code="plan">Kế hoạch</category><language>vi</language>
      <pageCount>7</pageCount><sharing>partner</sharing>
      <files>
        <file url="https://tinh.example/oai/files/42/bbb" mediaType="text/plain" size="12"
              sha256="%(b)s">phu-luc.txt</file>
        <file url="https://tinh.example/oai/files/42/aaa" mediaType="application/pdf"
              size="2048" sha256="%(a)s" main="true">ke-hoach-5547.pdf</file>
      </files>
    </document>
  </metadata>
</record>""" % {"a": "a" * 64, "b": "b" * 64}


def parse(text: str):
    return read_record(etree.fromstring(text.encode()))


def test_an_nd30_document_becomes_nd30_metadata_and_files_main_first():
    record = parse(RECORD)
    assert record.identifier == "oai:tinh.example:doc/42"
    assert record.datestamp == datetime(2026, 11, 30, 8, 15)
    assert not record.deleted and record.kind == "document"
    meta = record.metadata
    assert (meta.title, meta.doc_type, meta.number, meta.symbol) == (
        "Kế hoạch thông tin đối ngoại năm 2024", "KH", "5547", "KH-UBND")
    assert meta.issuing_agency == "Ủy ban nhân dân tỉnh Điện Biên"
    assert meta.issue_date == date(2023, 12, 28)
    assert (meta.signer_position, meta.signer_name) == ("KT. CHỦ TỊCH", "Lò Văn Cương")
    assert meta.recipients == "Bộ Thông tin và Truyền thông;\nCác sở, ban, ngành tỉnh;"
    assert (meta.category, meta.secrecy, meta.page_count) == ("plan", "thuong", 7)
    assert [f.name for f in record.files] == ["ke-hoach-5547.pdf", "phu-luc.txt"]
    assert record.files[0].sha256 == "a" * 64 and record.files[0].size == 2048
    assert record.files[0].url.endswith("/42/aaa")


def test_a_deleted_record_has_only_its_identifier_and_datestamp():
    record = parse("""<record xmlns="http://www.openarchives.org/OAI/2.0/">
      <header status="deleted"><identifier>oai:tinh.example:doc/7</identifier>
      <datestamp>2026-12-01T00:00:00Z</datestamp></header></record>""")
    assert record.deleted and record.identifier == "oai:tinh.example:doc/7"
    assert record.metadata is None


def test_unknown_codes_are_dropped_not_fatal_and_long_text_is_cut():
    text = RECORD.replace('code="KH" abbreviation="KH"', 'code="XYZ"').replace(
        '<category code="plan">', '<category code="new_kind">').replace(
        "<place>Điện Biên</place>", "<place>" + "Đ" * 500 + "</place>")
    meta = parse(text).metadata
    assert meta.doc_type is None and meta.category == "other"
    assert len(meta.place) == 120


def test_a_briefing_is_recognised_and_not_a_document():
    record = parse("""<record xmlns="http://www.openarchives.org/OAI/2.0/">
      <header><identifier>oai:tinh.example:briefing/3</identifier>
      <datestamp>2026-12-01T00:00:00Z</datestamp></header>
      <metadata><briefing xmlns="urn:vn-archive:nd30:1.0"><title>Họp báo</title></briefing>
      </metadata></record>""")
    assert record.kind == "briefing" and record.metadata is None


def test_oai_dc_gives_metadata_without_files():
    record = parse("""<record xmlns="http://www.openarchives.org/OAI/2.0/">
      <header><identifier>oai:x:1</identifier><datestamp>2026-01-02</datestamp></header>
      <metadata><oai_dc:dc xmlns:oai_dc="http://www.openarchives.org/OAI/2.0/oai_dc/"
          xmlns:dc="http://purl.org/dc/elements/1.1/">
        <dc:title>Công văn 1778/UBND-KGVX</dc:title><dc:date>2024-04-22</dc:date>
        <dc:publisher>UBND tỉnh</dc:publisher><dc:description>V/v góp ý</dc:description>
      </oai_dc:dc></metadata></record>""")
    assert record.metadata.title == "Công văn 1778/UBND-KGVX"
    assert record.metadata.issue_date == date(2024, 4, 22)
    assert record.datestamp == datetime(2026, 1, 2)
    assert record.files == []


@pytest.mark.parametrize("text", [
    """<record xmlns="http://www.openarchives.org/OAI/2.0/"><header><identifier></identifier>
       </header></record>""",
    RECORD.replace("<title>Kế hoạch thông tin đối ngoại năm 2024</title>", "<title> </title>"),
])
def test_a_record_without_identifier_or_title_is_refused(text):
    with pytest.raises(MappingError):
        parse(text)


def test_the_token_goes_only_to_the_providers_own_address():
    from app.sharing.harvest.client import _same_origin

    base = "https://kho.tinh.example.vn/oai"
    assert _same_origin("https://kho.tinh.example.vn/oai/files/1/" + "a" * 64, base)
    assert not _same_origin("https://other.example.vn/oai/files/1/x", base)
    assert not _same_origin("http://kho.tinh.example.vn/oai/files/1/x", base)  # not https
    assert not _same_origin("https://kho.tinh.example.vn:8443/oai/files/1/x", base)


def test_from_follows_the_providers_granularity():
    from app.sharing.harvest.client import format_from, parse_utc

    moment = parse_utc("2026-12-02T07:08:09Z")
    assert moment == datetime(2026, 12, 2, 7, 8, 9)
    assert format_from(moment, "YYYY-MM-DDThh:mm:ssZ") == "2026-12-02T07:08:09Z"
    assert format_from(moment, "YYYY-MM-DD") == "2026-12-02"
    assert parse_utc("2026-12-02T14:08:09+07:00") == moment
    assert parse_utc("không phải ngày") is None
