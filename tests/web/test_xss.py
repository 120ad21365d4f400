"""Hostile text in titles, summaries, filenames, document bodies and queries never runs.

The browser test opens every page that shows such text and checks that no
dialog opened, no injected element exists and no script other than ours ran;
the API output that pages use stays escaped.
"""
import pytest
from playwright.sync_api import expect

from tests.web.test_browser import log_in

PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1) data-xss>",
    '"><svg onload=alert(1) data-xss>',
    "<a href=\"javascript:alert(1)\" data-xss>bấm</a>",
    "<iframe src=javascript:alert(1) data-xss></iframe>",
    "' onmouseover='alert(1)' data-xss='",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "%3Cscript%3Ealert(1)%3C%2Fscript%3E",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<body onload=alert(1) data-xss>",
]


@pytest.fixture(scope="module")
def hostile_documents(live_server, app):
    """One document per payload, uploaded through the HTTP API (the live server's
    worker processes them: same database, queue, storage and index)."""
    import io
    import time

    from app.services.accounts import issue_token

    with app.app_context():
        token = issue_token(live_server.username, "xss")
    client = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    ids = []
    for n, payload in enumerate(PAYLOADS):
        body = (f"<html><body><p>xssprobe tài liệu {n} {payload}</p>"
                f"<p onclick=\"alert(1)\">{payload}</p></body></html>").encode()
        response = client.post("/api/v1/documents", headers=headers, data={
            # Browsers send a double quote in a file name as %22.
            "file": (io.BytesIO(body), f"{payload[:40]}.html".replace('"', "%22")),
            "title": f"xssprobe {payload}", "summary": f"Trích yếu {payload}",
            "issuing_agency": payload}, content_type="multipart/form-data")
        assert response.status_code == 202, response.get_json()
        ids.append(response.get_json()["id"])
    for _ in range(120):  # the live worker processes them
        states = [client.get(f"/api/v1/documents/{i}", headers=headers).get_json()["status"]
                  for i in ids]
        if all(s in ("indexed", "failed", "no_text") for s in states):
            break
        time.sleep(0.5)
    time.sleep(1.5)  # one index refresh
    api_search = client.get("/api/v1/search", headers=headers,
                            query_string={"q": "xssprobe", "per_page": 50}).get_json()
    return ids, api_search


def watch(page):
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    return dialogs


def assert_clean(page, dialogs):
    page.mouse.move(5, 5)
    page.mouse.move(400, 300)  # give onmouseover a chance
    assert dialogs == []
    assert page.locator("[data-xss]").count() == 0
    scripts = page.evaluate("Array.from(document.scripts).map(s => s.src)")
    # Only the project's own scripts (preview.js: the pdf.js viewer of the document page).
    assert all(src.endswith(("/static/app.js", "/static/preview.js")) for src in scripts), scripts
    assert page.locator("iframe").count() == 0


def test_hostile_text_never_runs_on_any_page(new_page, live_server, hostile_documents):
    ids, _ = hostile_documents
    page = new_page()
    dialogs = watch(page)
    log_in(page, live_server)
    urls = ["/documents/", "/search/?q=xssprobe", "/search/?q=xssprobe&lang=en"]
    urls += [f"/documents/{i}" for i in ids] + [f"/documents/{i}/edit" for i in ids[:3]]
    for url in urls:
        page.goto(url)
        expect(page.locator("main")).to_be_visible()
        assert_clean(page, dialogs)
    assert page.problems == [], page.problems  # CSP violations would show here


def test_hostile_queries_are_shown_as_text(new_page, live_server, hostile_documents):
    page = new_page()
    dialogs = watch(page)
    log_in(page, live_server)
    for payload in PAYLOADS:
        box = page.locator("form.searchbar input[name=q]")
        box.fill(payload)
        with page.expect_navigation():
            box.press("Enter")
        expect(box).to_have_value(payload)  # shown back as text, not markup
        assert_clean(page, dialogs)


def test_api_output_used_by_pages_is_escaped(hostile_documents):
    _, api_search = hostile_documents
    assert api_search["total"] == len(PAYLOADS)
    # title and snippet are HTML (pages insert them as markup): escaped except
    # for <mark>. Other fields (issuing_agency, facet values) are plain-text JSON
    # data, which pages render through Jinja's autoescaping, never as markup.
    for hit in api_search["hits"]:
        for field in ("title", "snippet"):
            html = hit[field].replace("<mark>", "").replace("</mark>", "")
            assert "<" not in html and ">" not in html, (field, hit[field])
