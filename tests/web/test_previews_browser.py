"""The original page by page in the browser (pdf.js), opened where the search matched.

Runs against the live server and worker (conftest.py): the upload is processed by
the real extraction job, which renders the thumbnail; the viewer runs under the
production Content-Security-Policy (a violation would be a console error).
"""
from __future__ import annotations

import re
import subprocess

import pytest
from playwright.sync_api import expect

from tests.conftest import CORPUS, ROOT
from tests.web.test_browser import LIVE_TIMEOUT, choose_file, document_id, log_in, \
    open_upload_page, search

PDF = CORPUS / "pdf-text" / "an_le_so_692023AL.pdf"  # 7 pages; "giả mạo" first on page 3


@pytest.fixture(scope="module", autouse=True)
def pdfjs():
    """pdf.js as `make install` vendors it (idempotent: nothing to do when installed)."""
    subprocess.run(["bash", str(ROOT / "scripts" / "preview_assets.sh")], check=True)


def test_viewer_shows_the_pages_and_opens_at_the_matching_page(new_page, live_server,
                                                                 screenshots):
    page = new_page()
    log_in(page, live_server)
    open_upload_page(page)
    choose_file(page, PDF)
    page.locator("input[name=title]").fill("Án lệ số 69/2023/AL")
    page.locator("form.upload button[type=submit]").click()
    doc_id = document_id(page)
    expect(page.locator(f"[data-doc-status='{doc_id}']")).to_have_text(
        "đã lập chỉ mục", timeout=LIVE_TIMEOUT)

    # Opened directly: the viewer starts at page 1 and draws the pages.
    page.reload()
    viewer = page.locator("[data-pdf-viewer]")
    expect(viewer).to_have_attribute("data-ready", "1")
    expect(page.locator("[data-pdf-pages]")).to_have_text("7")
    expect(viewer.locator(".page").first.locator("canvas")).to_be_visible()
    expect(viewer).to_have_attribute("data-page", "1")
    expect(page.locator(".preview h2")).to_have_text("Bản gốc, từng trang")

    # From a search (without diacritics): the hit shows a thumbnail, and the
    # document opens at page 3 with the words marked in the text layer.
    page.locator("header nav a[href='/search/']").click()
    hit = search(page, "chung cu gia mao", doc_id)
    thumb = hit.locator("img.thumb")
    expect(thumb).to_be_visible()
    assert page.evaluate("img => img.naturalWidth", thumb.element_handle()) > 0
    page.screenshot(path=str(screenshots / "search-hit-thumbnails.png"), full_page=True)
    hit.locator("a.hit-title").click()
    expect(page).to_have_url(re.compile(rf"/documents/{doc_id}$"))
    viewer = page.locator("[data-pdf-viewer]")
    expect(viewer).to_have_attribute("data-ready", "1")
    expect(viewer).to_have_attribute("data-page", "3")
    expect(page.locator("[data-pdf-page]")).to_have_text("3")
    mark = viewer.locator(".page[data-page-number='3'] .textLayer .highlight").first
    expect(mark).to_be_visible()
    assert "giả" in " ".join(viewer.locator(".textLayer .highlight").all_inner_texts()).lower()
    page.locator(".preview").screenshot(path=str(screenshots / "document-preview.png"))

    # Typed with diacritics, only that spelling is marked ("tham gia" on page 3 is not).
    page.goto(f"/documents/{doc_id}?q=giả mạo")
    expect(viewer).to_have_attribute("data-page", "3")
    marks = viewer.locator(".page[data-page-number='3'] .textLayer .highlight")
    expect(marks.first).to_be_visible()
    assert set(t.strip().lower() for t in marks.all_inner_texts()) <= {"giả", "mạo", "mạo."}

    # Next page from the toolbar.
    page.locator("[data-pdf-next]").click()
    expect(viewer).to_have_attribute("data-page", "4")

    # The edit page shows the same viewer beside the form.
    page.goto(f"/documents/{doc_id}/edit")
    expect(page.locator(".edit-with-preview [data-pdf-viewer]")).to_have_attribute(
        "data-ready", "1")
    page.screenshot(path=str(screenshots / "edit-with-preview.png"))

    assert page.problems == [], "\n".join(page.problems)
