"""OAI-PMH errors keep the protocol's codes and speak Vietnamese, or English when the
request's Accept-Language prefers it -- pyoai's own errors included. Every response is
validated against the OAI-PMH 2.0 schema, as in test_oai_protocol."""
from __future__ import annotations

import pytest

from tests.integration.oai_support import (NS, ValidatingSickle, error_code, oai_id,  # noqa: F401
                                           oai_server, seed)
from tests.integration.test_oai_protocol import ERRORS

VIETNAMESE = set("ăâđêôơưàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ")


@pytest.fixture
def archive(clean, make_user):
    return seed(clean, make_user)


def _errors(oai_server, archive, accept_language: str | None) -> list[tuple[str, str]]:
    headers = {"Accept-Language": accept_language} if accept_language else {}
    harvester = ValidatingSickle(oai_server.base, headers=headers, timeout=30)
    stand_ins = {"PUBLIC": oai_id("doc", archive.public),
                 "INTERNAL": oai_id("doc", archive.internal)}
    found = []
    for expected, params in ERRORS:
        params = {k: stand_ins.get(v, v) if isinstance(v, str) else v for k, v in params.items()}
        harvester.harvest(**params)
        tree = harvester.responses[-1]  # validated against the schemas
        assert error_code(tree) == expected, params
        found.append((expected, tree.find("oai:error", NS).text or ""))
    return found


def test_error_texts_are_vietnamese_by_default(oai_server, archive):
    texts = _errors(oai_server, archive, None)
    for code, text in texts:
        assert VIETNAMESE & set(text.lower()), (code, text)  # a Vietnamese sentence
        assert text.rstrip().endswith("."), (code, text)
    said = dict(zip([str(p) for _c, p in ERRORS], (t for _c, t in texts)))
    assert said[str({"verb": "Harvest"})] == "“Harvest” không phải là một động từ OAI-PMH."
    assert said[str({"verb": "ListRecords"})] == \
        "Đối số metadataPrefix là bắt buộc với động từ này."
    assert said[str({"verb": "ListRecords", "metadataPrefix": "marc21"})] == (
        "Định dạng siêu dữ liệu “marc21” không được cung cấp; xem ListMetadataFormats.")
    assert said[str({"verb": "ListRecords", "resumptionToken": "not-a-token"})] == (
        "Mã tiếp tục (resumption token) không hợp lệ hoặc đã hết hạn; hãy bắt đầu lại "
        "danh sách.")
    assert said[str({"verb": "ListRecords", "metadataPrefix": "oai_dc",
                     "from": "2024-13-01"})] == (
        "“2024-13-01” không phải là ngày hợp lệ cho đối số from (YYYY-MM-DD hoặc "
        "YYYY-MM-DDThh:mm:ssZ).")
    # A language nobody offers, or Vietnamese preferred: still Vietnamese.
    assert _errors(oai_server, archive, "fr-FR,fr;q=0.9")[0][1] == texts[0][1]
    assert _errors(oai_server, archive, "vi,en;q=0.8")[0][1] == texts[0][1]


def test_error_texts_are_english_when_the_harvester_prefers_english(oai_server, archive):
    texts = _errors(oai_server, archive, "en-GB,en;q=0.9,vi;q=0.5")
    for code, text in texts:
        assert not VIETNAMESE & set(text.lower()), (code, text)
        assert text.isascii() or "“" in text, (code, text)
    said = dict(zip([str(p) for _c, p in ERRORS], (t for _c, t in texts)))
    assert said[str({"verb": "Harvest"})] == "“Harvest” is not an OAI-PMH verb."
    assert said[str({"verb": "ListRecords"})] == \
        "The argument metadataPrefix is required with this verb."
    assert said[str({"verb": "GetRecord", "metadataPrefix": "oai_dc",
                     "identifier": "oai:archive.local:doc/99999999"})] == \
        "No record with the identifier oai:archive.local:doc/99999999."
    # The same words for an internal record as for one that never existed.
    internal = said[str({"verb": "ListMetadataFormats", "identifier": "INTERNAL"})]
    assert internal == f"No record with the identifier {oai_id('doc', archive.internal)}."
