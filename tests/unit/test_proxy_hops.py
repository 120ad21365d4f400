"""Behind a reverse proxy (PROXY_HOPS=1) the client's own address is the one the app sees."""
from flask import request, request_started


def _seen_address(app, headers):
    seen = []

    def record(sender, **extra):
        seen.append((request.remote_addr, request.scheme, request.host))

    with request_started.connected_to(record, app):
        app.test_client().get("/healthz", headers=headers)
    return seen[0]


def test_forwarded_headers_count_only_behind_a_proxy():
    from app import create_app

    forwarded = {"X-Forwarded-For": "203.0.113.9", "X-Forwarded-Proto": "https",
                 "X-Forwarded-Host": "luutru.example.gov.vn"}
    behind = create_app("testing", PROXY_HOPS=1)
    assert _seen_address(behind, forwarded) == ("203.0.113.9", "https", "luutru.example.gov.vn")
    direct = create_app("testing", PROXY_HOPS=0)  # nobody may claim another address
    assert _seen_address(direct, forwarded)[0] == "127.0.0.1"
