"""Through gunicorn as deployed (config/gunicorn_conf.py): long request lines and
headers reach the app, which answers in its own JSON envelope, never with the
server's HTML 400 "Request Line is too large" or 431."""
from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request


def call(url: str, headers: dict | None = None) -> tuple[int, str, dict]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers["Content-Type"], json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers["Content-Type"], json.loads(exc.read())


def test_long_queries_and_headers_get_json_answers(live_server, app):
    from app.services.accounts import issue_token

    with app.app_context():
        token = issue_token(live_server.username)
    auth = {"Authorization": f"Bearer {token}"}
    long_q = ("thông tin đối ngoại " * 600)[:10_000]  # ~60 KB once percent-encoded
    status, kind, body = call(f"{live_server.url}/api/v1/search?"
                              + urllib.parse.urlencode({"q": long_q}), auth)
    assert (status, kind) == (200, "application/json") and "hits" in body
    or_terms = " OR ".join(f"từ{n}" for n in range(2000))
    status, kind, body = call(f"{live_server.url}/api/v1/search?"
                              + urllib.parse.urlencode({"q": or_terms}), auth)
    assert status == 200 and kind == "application/json"
    status, kind, body = call(f"{live_server.url}/api/v1/search?"
                              + urllib.parse.urlencode({"q": "đ" * 20_000}), auth)
    assert status == 414 and kind == "application/json" and "POST" in body["error"]["message"]
    status, kind, body = call(f"{live_server.url}/api/v1/search?"
                              + urllib.parse.urlencode({"q": "x", "cites": "1/QĐ-" * 2000}),
                              auth)
    assert status == 422 and kind == "application/json" and body["error"]["code"]
    status, kind, body = call(f"{live_server.url}/api/v1/search?q=x",
                              {"Authorization": "Bearer " + "a" * 20_000})
    assert status == 401 and kind == "application/json" and body["error"]["message"]
