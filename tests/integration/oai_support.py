"""The OAI-PMH provider served for real, harvested by an independent client.

``oai_server`` runs gunicorn on the test database, Redis DB, storage and index
prefix (as tests/web/conftest.py does, minus the worker and the browser), with
small pages so resumption is exercised with a handful of records; it can be
restarted in the middle of a harvest. ``harvester`` is sickle 0.7, the
independent client; every response it receives -- errors included -- is
validated against the OAI-PMH 2.0 schema with the shipped oai_dc, nd30 and
oai-identifier schemas (schemas/oai/).
"""
from __future__ import annotations

import os
from functools import lru_cache
from types import SimpleNamespace

import pytest
from lxml import etree
from sickle import Sickle

from tests.conftest import ROOT
from tests.web.conftest import LOGS, _compile_catalog, _free_port, _Process, wait_ok
from tests.web.conftest import serve as gunicorn

SCHEMAS = ROOT / "schemas" / "oai"
NS = {"oai": "http://www.openarchives.org/OAI/2.0/", "nd30": "urn:vn-archive:nd30:1.0",
      "dc": "http://purl.org/dc/elements/1.1/", "oai_dc": "http://www.openarchives.org/OAI/2.0/oai_dc/"}
PAGE_SIZE, IDENTIFIERS_PAGE_SIZE = 3, 4
START_TIMEOUT = 60


@lru_cache(maxsize=1)
def oai_schema() -> etree.XMLSchema:
    """OAI-PMH.xsd with every metadata and description schema the provider uses."""
    imports = "".join(
        f'<xs:import namespace="{ns}" schemaLocation="{name}"/>' for ns, name in (
            ("http://www.openarchives.org/OAI/2.0/", "OAI-PMH.xsd"),
            ("http://www.openarchives.org/OAI/2.0/oai_dc/", "oai_dc.xsd"),
            ("http://www.openarchives.org/OAI/2.0/oai-identifier", "oai-identifier.xsd"),
            ("urn:vn-archive:nd30:1.0", "nd30.xsd")))
    wrapper = (f'<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" '
               f'targetNamespace="urn:test:oai-all">{imports}</xs:schema>')
    return etree.XMLSchema(etree.fromstring(wrapper, base_url=f"{SCHEMAS}/"))


def validate(content: bytes) -> etree._Element:
    """The parsed response; AssertionError naming the problems if it breaks the schemas."""
    document = etree.fromstring(content)
    schema = oai_schema()
    if not schema.validate(document):
        raise AssertionError(f"response is not valid OAI-PMH: {schema.error_log}\n"
                             f"{content[:3000].decode(errors='replace')}")
    return document


class ValidatingSickle(Sickle):
    """sickle, checking every response against the schemas before using it."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.responses: list[etree._Element] = []

    def harvest(self, **kwargs):
        response = super().harvest(**kwargs)
        self.responses.append(validate(response.http_response.content))
        return response


def error_code(tree: etree._Element) -> str | None:
    found = tree.find("oai:error", NS)
    return found.get("code") if found is not None else None


class LiveOai:
    def __init__(self, app, **settings: str):
        self.app = app
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.base = f"{self.url}/oai"
        self.env = {**os.environ, "ARCHIVE_ENV": "testing",
                    "TEST_STORAGE_DIR": str(app.config["STORAGE_DIR"]),
                    "TEST_ES_INDEX_PREFIX": app.config["ES_INDEX_PREFIX"],
                    "OAI_PAGE_SIZE": str(PAGE_SIZE),
                    "OAI_IDENTIFIERS_PAGE_SIZE": str(IDENTIFIERS_PAGE_SIZE),
                    "PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1", **settings}
        self.server: _Process | None = None
        self.starts = 0

    def start(self) -> None:
        LOGS.mkdir(parents=True, exist_ok=True)
        self.starts += 1
        self.server = gunicorn("oai-server", self.port, self.env,
                               LOGS / f"oai-server-{self.starts}.log", workers=1)
        wait_ok(f"{self.base}?verb=Identify", self.server, START_TIMEOUT)

    def stop(self) -> None:
        if self.server is not None:
            self.server.stop()
            self.server = None

    def restart(self) -> None:
        """A new server process: nothing of the old one's memory survives."""
        old_pid = self.server.proc.pid
        self.stop()
        self.start()
        assert self.server.proc.pid != old_pid

    def harvester(self, token: str | None = None, **kwargs) -> ValidatingSickle:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return ValidatingSickle(self.base, headers=headers, timeout=30, **kwargs)


def serve(app, **settings: str):
    """A live /oai for a module (settings: environment variables such as page sizes)."""
    _compile_catalog()
    live = LiveOai(app, **settings)
    live.start()
    try:
        yield live
    finally:
        live.stop()


@pytest.fixture(scope="module")
def oai_server(app):
    yield from serve(app)


def partner_token(app, agency: str = "Sở Văn hóa, Thể thao và Du lịch") -> SimpleNamespace:
    from app.sharing.partners import issue_token

    with app.app_context():
        row, token = issue_token(agency, None)
        return SimpleNamespace(id=row.id, prefix=row.prefix, token=token, agency=agency)


def seed(app, make_user) -> SimpleNamespace:
    """A small archive: what may leave, what may not, what left and was withdrawn.

    public, partner: shared at those levels; internal: never shared; secret: "Mật";
    withdrawn: public, then its secrecy raised; destroyed: public, then deleted;
    a public briefing using the public and the internal document as materials.
    """
    from datetime import date, datetime

    from app.extensions import db
    from app.models import User
    from app.services.briefings import BriefingData, add_material, create_briefing
    from app.services.disposition import delete_document
    from app.services.documents import get_document, update_metadata
    from app.services.metadata import DocumentMetadata
    from app.sharing.levels import set_briefing_sharing, set_document_sharing
    from tests.integration.listing_factories import insert_documents

    archivist, admin = make_user("archivist", "tuyet_mat"), make_user("admin", "tuyet_mat")
    public, partner, internal, secret, withdrawn, destroyed = insert_documents(app, [
        {"title": "Kế hoạch tuyên truyền về quyền con người năm 2024", "category": "plan",
         "doc_type": "KH", "number": "5547", "symbol": "KH-UBND",
         "issuing_agency": "Ủy ban nhân dân tỉnh Điện Biên", "place": "Điện Biên",
         "issue_date": date(2024, 5, 23), "summary": "Tuyên truyền về quyền con người\x0c",
         "signer_name": "Lê Thành Đô", "signer_position": "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH",
         "recipients": "- Bộ Thông tin và Truyền thông;\n\n- Lưu: VT, KGVX.", "page_count": 4},
        {"title": "Công văn góp ý dự thảo quy chế phát ngôn", "category": "official_letter",
         "doc_type": "CV", "number": "1778", "symbol": "UBND-KGVX",
         "issue_date": date(2023, 7, 1)},
        {"title": "Ghi chú nội bộ về lịch họp", "category": "other", "doc_type": "TB",
         "issue_date": date(2021, 3, 3)},
        {"title": "Báo cáo mật về tình hình an ninh", "category": "report", "doc_type": "BC",
         "secrecy": "mat", "issue_date": date(2022, 1, 1)},
        {"title": "Thông cáo báo chí đã rút lại", "category": "guidance", "doc_type": "TC",
         "issue_date": date(2020, 2, 2)},
        {"title": "Tài liệu nhập nhầm rồi bị xóa", "category": "report", "doc_type": "HD",
         "issue_date": date(2019, 9, 9)},
    ], store_files=True)
    with app.app_context():
        user = db.session.get(User, archivist.id)
        for doc_id, level in ((public, "public"), (partner, "partner"), (withdrawn, "public"),
                              (destroyed, "public")):
            set_document_sharing(user, doc_id, level)
        document = get_document(user, withdrawn)
        fields = {name: getattr(document, name) for name in DocumentMetadata.field_names()}
        update_metadata(user, withdrawn, DocumentMetadata(**{**fields, "secrecy": "mat"}))
        delete_document(db.session.get(User, admin.id), destroyed, "Nhập nhầm")
        briefing = create_briefing(user, BriefingData(
            kind="periodic", title="Họp báo định kỳ tháng 5 về nhân quyền",
            held_at=datetime(2024, 5, 30, 2, 0), place="Hội trường UBND tỉnh",
            hosts=["propaganda", "communications"], topics=["human_rights"]))
        add_material(user, briefing.id, str(public), role="guidance")
        add_material(user, briefing.id, str(internal), role="talking_points")
        set_briefing_sharing(user, briefing.id, "public")
        briefing_id = briefing.id
    return SimpleNamespace(public=public, partner=partner, internal=internal, secret=secret,
                           withdrawn=withdrawn, destroyed=destroyed, briefing=briefing_id,
                           archivist=archivist, admin=admin)


def oai_id(kind: str, record_id: int) -> str:
    return f"oai:archive.local:{kind}/{record_id}"
