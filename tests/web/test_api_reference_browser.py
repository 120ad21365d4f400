"""In a real browser: the API reference page renders the generated description with
Redoc, under the page's Content-Security-Policy, without a console error."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.conftest import PASSWORD
from tests.web.conftest import ROOT

# Redoc always shows its maker's logo from a CDN; the page's policy blocks it (no
# third-party requests from the archive's pages), which is what we want.
BLOCKED_ON_PURPOSE = "https://cdn.redoc.ly/"


@pytest.fixture(scope="module")
def redoc_installed():
    if not (ROOT / "app" / "static" / "vendor" / "redoc" / "redoc.standalone.js").is_file():
        pytest.fail("Redoc is missing: run scripts/api_docs_assets.sh (make install does)")


def test_reference_page_renders_the_description(new_page, live_server, redoc_installed,
                                                screenshots):
    page = new_page()
    page.goto("/login")
    form = page.locator("main form")
    form.locator("input[name=username]").fill(live_server.username)
    form.locator("input[name=password]").fill(PASSWORD)
    form.locator("button[type=submit]").click()
    expect(page.locator("header nav")).to_be_visible()

    page.goto("/api/v1/docs#tag/Documents/operation/upload_document")
    expect(page.locator("h1").first).to_contain_text("JSON API", timeout=30_000)
    upload = page.locator("h2", has_text="Archive a file with its metadata")
    expect(upload).to_be_visible()
    expect(page.get_by_text("multipart/form-data").first).to_be_attached()
    expect(page.locator("h2", has_text="Search documents and briefings").first).to_be_attached()
    page.wait_for_timeout(500)  # let the scroll to the operation settle for the picture
    page.screenshot(path=str(screenshots / "api-reference.png"))
    problems = [p for p in page.problems if BLOCKED_ON_PURPOSE not in p]
    assert not problems, problems
