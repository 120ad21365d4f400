"""A person in a real browser: log in, upload, watch processing, search, open.

The app runs as production does (gunicorn + a separate RQ worker, see
conftest.py). Selectors do not depend on the language; Vietnamese texts
(the default locale) are asserted separately.
"""
from __future__ import annotations

import re
import signal
import time

import pytest
from playwright.sync_api import Page, expect

from tests.conftest import CORPUS, SAMPLES

DOCX = CORPUS / "docx" / "nghi_quyet_01_2020_NQ_HDTP.docx"
BROKEN_PDF = SAMPLES / "truncated_200b.pdf"
GOOD_TXT = SAMPLES / "vi_utf8.txt"
TITLE = "Nghị quyết 01/2020/NQ-HĐTP của Hội đồng Thẩm phán Tòa án nhân dân tối cao"
DETAIL_URL = re.compile(r"/documents/(\d+)$")
LIVE_TIMEOUT = 60_000



def log_in(page: Page, live) -> None:
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/login\b"))  # every page needs a login
    form = page.locator("main form")
    form.locator("input[name=username]").fill(live.username)
    form.locator("input[name=password]").fill(live.password)
    form.locator("button[type=submit]").click()
    expect(page.locator("header nav")).to_be_visible()
    expect(page).not_to_have_url(re.compile(r"/login\b"))


def open_upload_page(page: Page) -> None:
    link = page.locator("header nav a[href='/documents/upload']")
    expect(link).to_have_text("Tải lên")
    link.click()
    expect(page).to_have_url(re.compile(r"/documents/upload$"))
    expect(page.locator("form.upload button[type=submit]")).to_have_text("Tải lên")


def choose_file(page: Page, path) -> None:
    page.locator("input[type=file]").set_input_files(path)
    # app.js lists the chosen files in the drop zone.
    expect(page.locator("[data-chosen] li")).to_contain_text(path.name)


def document_id(page: Page) -> int:
    expect(page).to_have_url(DETAIL_URL)
    return int(DETAIL_URL.search(page.url).group(1))


def search(page: Page, query: str, doc_id: int, attempts: int = 10):
    """Type ``query`` in the search box and submit until ``doc_id`` is listed.

    Elasticsearch makes new documents searchable at its next refresh (~1 s);
    a person would simply search again, so this does the same, a few times.
    Returns the hit's list item.
    """
    for _ in range(attempts):
        box = page.locator("form.searchbar input[name=q]")
        box.fill(query)
        with page.expect_navigation():  # a new results page, not the previous one
            box.press("Enter")
        expect(page).to_have_url(re.compile(r"[?&]q="))
        expect(box).to_have_value(query)
        expect(page.locator("ol.hitlist")).to_be_visible()
        hit = page.locator("li.hit").filter(
            has=page.locator(f"a.hit-title[href='/documents/{doc_id}']"))
        if hit.count():
            return hit
        time.sleep(0.5)
    raise AssertionError(f"document {doc_id} not found for {query!r} after {attempts} searches: "
                         f"{page.locator('section.hits').inner_text()}")


def test_upload_processing_search_and_open(new_page, live_server, screenshots):
    page = new_page()
    log_in(page, live_server)
    open_upload_page(page)

    choose_file(page, DOCX)
    page.locator("input[name=title]").fill(TITLE)
    page.locator("input[name=issue_date]").fill("05/03/2020")
    page.screenshot(path=str(screenshots / "upload-form.png"), full_page=True)

    # Hold the worker until the document page has been shown, so the page is
    # certainly rendered while processing (a fast worker could otherwise
    # finish first) and the change has to arrive live.
    live_server.worker.signal_group(signal.SIGSTOP)
    try:
        page.locator("form.upload button[type=submit]").click()
        doc_id = document_id(page)
        expect(page.locator("h1")).to_have_text(TITLE)
        expect(page.locator(".flash-success")).to_be_visible()
        badge = page.locator(f"[data-doc-status='{doc_id}']")
        # "đang xử lý", with its place in the queue once the page has polled.
        expect(badge).to_contain_text("đang xử lý")
        expect(badge).to_have_attribute("data-live", "1")
        expect(page.locator(f"[data-doc-error='{doc_id}']")).to_be_hidden()

        page.evaluate("window.__marker = 1")
        navigations = []
        page.on("framenavigated",
                lambda frame: navigations.append(frame.url) if frame == page.main_frame else None)
        # The page is polling: at least one status request while still processing.
        with page.expect_response(lambda r: "/api/v1/documents/status" in r.url) as polled:
            pass
        assert polled.value.ok
        assert polled.value.json()["documents"][0]["status"] in ("queued", "processing")
    finally:
        live_server.worker.signal_group(signal.SIGCONT)

    expect(badge).to_have_text("đã lập chỉ mục", timeout=LIVE_TIMEOUT)
    expect(badge).to_have_class(re.compile(r"\bstatus-indexed\b"))
    expect(badge).not_to_have_attribute("data-live", "1")
    assert page.evaluate("window.__marker") == 1, "the page was reloaded"
    assert navigations == [], f"the page navigated: {navigations}"
    expect(page.locator(f"[data-doc-error='{doc_id}']")).to_be_hidden()
    expect(page.locator("h1")).to_have_text(TITLE)
    page.screenshot(path=str(screenshots / "document-indexed-live.png"), full_page=True)

    # Search as typed, with diacritics.
    page.locator("header nav a[href='/search/']").click()
    hit = search(page, "tài sản chung của dòng họ", doc_id)
    marks = hit.locator(".snippet mark")
    expect(marks.first).to_be_visible()
    marked = " ".join(marks.all_inner_texts()).lower()
    for word in ("tài", "sản", "dòng", "họ"):
        assert word in marked, f"{word!r} not highlighted in {marked!r}"
    expect(hit.locator("a.hit-title")).to_have_text(TITLE)
    expect(hit.locator(".hit-meta")).to_contain_text("05/03/2020")
    page.screenshot(path=str(screenshots / "search-results.png"), full_page=True)

    # Without diacritics: still found, and the snippet shows the document's own words.
    hit = search(page, "tai san chung cua dong ho", doc_id, attempts=3)
    marked = " ".join(hit.locator(".snippet mark").all_inner_texts()).lower()
    assert "tài" in marked and "dòng" in marked, marked
    page.screenshot(path=str(screenshots / "search-results-no-diacritics.png"), full_page=True)

    hit.locator("a.hit-title").click()
    expect(page).to_have_url(re.compile(rf"/documents/{doc_id}$"))
    expect(page.locator("h1")).to_have_text(TITLE)
    expect(page.locator(f"[data-doc-status='{doc_id}']")).to_have_text("đã lập chỉ mục")
    expect(page.locator(".fulltext")).to_contain_text("tài sản chung của dòng họ")
    expect(page.locator("dl.meta")).to_contain_text("05/03/2020")
    page.screenshot(path=str(screenshots / "document-page.png"), full_page=True)

    assert page.problems == [], "\n".join(page.problems)


def test_failed_upload_shows_reason_and_no_useless_retry(new_page, live_server, screenshots):
    page = new_page()
    log_in(page, live_server)
    open_upload_page(page)
    choose_file(page, BROKEN_PDF)
    page.locator("input[name=title]").fill("Tệp PDF bị cắt cụt")
    page.locator("form.upload button[type=submit]").click()
    doc_id = document_id(page)

    badge = page.locator(f"[data-doc-status='{doc_id}']")
    problem = page.locator(f"[data-doc-error='{doc_id}']")
    retry = page.locator(f"form[data-retry='{doc_id}'] button[type=submit]")
    expect(badge).to_have_text("lỗi xử lý", timeout=LIVE_TIMEOUT)
    expect(problem).to_be_visible()
    expect(page.locator(f"[data-doc-error-text='{doc_id}']")).to_have_text(
        "Tệp bị hỏng hoặc không đầy đủ nên không đọc được.")
    # The bytes are broken: processing them again cannot help, so no retry is offered,
    # neither while the page updates live nor once it is shown again.
    expect(retry).to_have_count(0)
    expect(page.locator("[data-permanent-failure]")).to_contain_text("tải lên một bản đã sửa")
    expect(page.locator("article.document")).not_to_contain_text("corrupt")
    page.screenshot(path=str(screenshots / "document-failed.png"), full_page=True)
    page.reload()
    expect(problem).to_be_visible()
    expect(retry).to_have_count(0)
    assert page.problems == [], "\n".join(page.problems)


def test_a_form_error_keeps_the_file_and_its_suggestions(new_page, live_server, screenshots,
                                                         tmp_path):
    # Bytes of its own (a comment after %%EOF), so it is not a duplicate of another test's.
    pdf = tmp_path / "thong-bao-kept.pdf"
    pdf.write_bytes((SAMPLES / "text_vi.pdf").read_bytes() + b"\n% kept after an error\n")
    page = new_page()
    log_in(page, live_server)
    open_upload_page(page)
    choose_file(page, pdf)
    box = page.locator("[data-upload-suggestions]")
    expect(box).to_contain_text("TB-UBND")
    # The type is offered by name, not by its code.
    doc_type = box.locator("dd").filter(has=page.locator("[data-offer-for=doc_type]"))
    expect(doc_type.locator(".offer")).to_have_text("Thông báo")
    page.locator("input[name=issue_date]").fill("không phải ngày")
    page.locator("form.upload button[type=submit]").click()

    expect(page).to_have_url(re.compile(r"/documents/upload$"))
    expect(page.locator(".field.has-error")).to_have_count(1)
    kept = page.locator("[data-staged] input[name=staged]")
    expect(kept).to_be_checked()
    expect(page.locator("[data-staged]")).to_contain_text(pdf.name)
    # The suggestions come back, read from the kept file.
    expect(box).to_contain_text("TB-UBND")
    expect(doc_type.locator(".offer")).to_have_text("Thông báo")
    page.screenshot(path=str(screenshots / "upload-kept-after-error.png"), full_page=True)

    page.locator("input[name=issue_date]").fill("")
    page.locator("form.upload button[type=submit]").click()
    doc_id = document_id(page)
    expect(page.locator("dl.meta")).to_contain_text(pdf.name)
    assert doc_id > 0
    assert page.problems == [], "\n".join(page.problems)


def test_retry_button_only_for_failed_documents(new_page, live_server):
    page = new_page()
    log_in(page, live_server)
    open_upload_page(page)
    choose_file(page, GOOD_TXT)
    page.locator("input[name=title]").fill("Văn bản thử UTF-8")
    page.locator("form.upload button[type=submit]").click()
    doc_id = document_id(page)
    expect(page.locator(f"[data-doc-status='{doc_id}']")).to_have_text(
        "đã lập chỉ mục", timeout=LIVE_TIMEOUT)
    retry_form = page.locator(f"form[data-retry='{doc_id}']")
    expect(retry_form.locator("button")).to_be_hidden(timeout=1000)
    assert page.problems == [], "\n".join(page.problems)


def test_upload_form_offers_what_it_reads_and_fills_only_empty_fields(new_page, live_server,
                                                                       screenshots):
    page = new_page()
    log_in(page, live_server)
    open_upload_page(page)
    page.locator("input[name=place]").fill("Nghĩa Hành")      # typed by the person first
    choose_file(page, SAMPLES / "text_vi.pdf")   # page 1 of 05.signed_20250517_044750.pdf
    box = page.locator("[data-upload-suggestions]")
    expect(box).to_be_visible()
    expect(box.locator("[data-message]")).to_contain_text("Nhận dạng từ tệp")
    # read from the page image: "Số: /TB-UBND", "ỦY BAN NHÂN DÂN / TỈNH QUẢNG NGÃI"
    expect(box.locator("dd .offer").first).to_be_visible()
    expect(box).to_contain_text("TB-UBND")
    expect(box).to_contain_text("ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI")
    page.screenshot(path=str(screenshots / "upload-suggestions.png"), full_page=True)
    box.locator("[data-fill-empty]").click()
    expect(page.locator("input[name=symbol]")).to_have_value("TB-UBND")
    expect(page.locator("select[name=doc_type]")).to_have_value("TB")
    expect(page.locator("input[name=issuing_agency]")).to_have_value(
        "ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI")
    expect(page.locator("input[name=place]")).to_have_value("Nghĩa Hành")   # not overwritten
    # one value can still be taken on purpose
    box.locator("button[data-offer-for=place]").click()
    expect(page.locator("input[name=place]")).to_have_value("Quảng Ngãi")

    page.locator("form.upload button[type=submit]").click()
    doc_id = document_id(page)
    main = page.locator("main")
    expect(main).to_contain_text("TB-UBND")
    expect(main).to_contain_text("ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI")
    assert doc_id > 0
