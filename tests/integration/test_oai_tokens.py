"""Resumption tokens: they survive a restart of the server, expire after OAI_TOKEN_TTL,
and are refused (badResumptionToken) when altered or used by another harvester or verb."""
from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone

import pytest
from itsdangerous import TimestampSigner, URLSafeTimedSerializer
from sickle import oaiexceptions

from tests.integration.oai_support import (NS, error_code, oai_id, oai_server,  # noqa: F401
                                           partner_token)
from tests.integration.test_oai_protocol import _in_harvest_order, _shared


def _first_page(harvester, verb="ListRecords", **params):
    response = harvester.harvest(verb=verb, metadataPrefix="nd30", **params)
    tree = harvester.responses[-1]
    ids = [e.text for e in tree.iterfind(".//oai:header/oai:identifier", NS)]
    return ids, tree.find(f"oai:{verb}/oai:resumptionToken", NS), response


def _refused(harvester, token: str, verb: str = "ListRecords") -> bool:
    harvester.harvest(verb=verb, resumptionToken=token)
    return error_code(harvester.responses[-1]) == "badResumptionToken"


def test_a_harvest_resumes_after_the_server_restarts(app, oai_server, make_user, clean):
    ids = _shared(app, make_user, 7)
    harvester = oai_server.harvester()
    first, token, _ = _first_page(harvester)
    expires = datetime.strptime(token.get("expirationDate"), "%Y-%m-%dT%H:%M:%SZ")
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    assert abs(expires - (now + timedelta(hours=24))) < timedelta(minutes=1)
    oai_server.restart()  # a new process: nothing of the old one is remembered
    rest = [r.header.identifier for r in harvester.ListRecords(resumptionToken=token.text)]
    assert first + rest == _in_harvest_order(app, ids)


def test_altered_expired_and_borrowed_tokens_are_refused(app, oai_server, make_user, clean):
    from app.sharing.oai.tokens import SALT

    _shared(app, make_user, 7)
    harvester = oai_server.harvester()
    _, token, _ = _first_page(harvester)
    text = token.text
    flipped = text[:10] + ("A" if text[10] != "A" else "B") + text[11:]
    assert _refused(harvester, flipped)  # payload changed: the signature no longer fits
    # The signature altered: not its last character, whose lowest bits are base64 padding
    # bits ('A' and 'B' differ only in the lowest bit, which decodes to the same bytes).
    assert _refused(harvester, text[:-2] + ("A" if text[-2] != "A" else "B") + text[-1])
    assert _refused(harvester, text, verb="ListIdentifiers")  # issued for ListRecords

    secret = app.config["SECRET_KEY"]
    _ok, content = URLSafeTimedSerializer(secret, salt=SALT).loads_unsafe(text)
    ttl = app.config["OAI_TOKEN_TTL"]

    class IssuedLongAgo(TimestampSigner):
        def get_timestamp(self):
            return int(time.time()) - ttl - 60

    expired = URLSafeTimedSerializer(secret, salt=SALT, signer=IssuedLongAgo).dumps(content)
    assert _refused(harvester, expired)
    fresh = URLSafeTimedSerializer(secret, salt=SALT).dumps(content)
    assert not _refused(harvester, fresh)  # the same content, signed now, is accepted

    # A public harvest's token is not a partner's, and a partner's is not the public's.
    partner = partner_token(app)
    assert _refused(oai_server.harvester(partner.token), text)
    _, partner_page, _ = _first_page(oai_server.harvester(partner.token))
    assert _refused(oai_server.harvester(), partner_page.text)
    other = partner_token(app, "Đài Phát thanh và Truyền hình tỉnh")
    assert _refused(oai_server.harvester(other.token), partner_page.text)
    with pytest.raises(oaiexceptions.BadResumptionToken):
        list(oai_server.harvester().ListIdentifiers(resumptionToken=partner_page.text))


def test_a_token_keeps_its_set_and_dates(app, oai_server, make_user, clean):
    plans = _shared(app, make_user, 5, category="plan")
    _shared(app, make_user, 4, category="report")
    harvester = oai_server.harvester()
    got = [h.identifier for h in harvester.ListIdentifiers(metadataPrefix="oai_dc",
                                                           set="category:plan")]
    assert got == _in_harvest_order(app, plans)
    assert len(harvester.responses) == 2  # 4 + 1 with OAI_IDENTIFIERS_PAGE_SIZE 4
    assert oai_id("doc", plans[0]) in got
