"""The home dashboard and the bell in a real browser, at a desk (1366 px) and on a phone
(390 px): a live upload status, the bell counting a notification without a reload, the
notifications page, a saved search, nothing scrolling sideways, axe-core clean.

The live server's archive is shared by the browser tests, so the people here are this
test's own and only their own numbers are asserted exactly (every number against data
of its own is in tests/integration/test_dashboard.py).
"""
from __future__ import annotations

import re
import signal

import pytest
from playwright.sync_api import expect

from tests.conftest import PASSWORD
from tests.web.test_phone_a11y import WIDTHS, axe_source, open_page, overflow, run_axe  # noqa: F401

LIVE = 60_000


def _log_in(page, username: str) -> None:
    page.goto("/login")
    form = page.locator("main form")
    form.locator("input[name=username]").fill(username)
    form.locator("input[name=password]").fill(PASSWORD)
    form.locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/$"))  # the dashboard is home after login


def _people(app, width: str):
    from app.services.accounts import create_user

    with app.app_context():
        uploader = create_user(f"bang-tin-{width}", PASSWORD, role="uploader",
                               full_name="Phạm Thị Bảng")
        return uploader.id, uploader.username


def _upload(app, user_id: int, width: str) -> int:
    import io

    from app.extensions import db
    from app.models import User
    from app.services.documents import archive_document
    from app.services.metadata import DocumentMetadata

    text = (f"Kế hoạch thông tin đối ngoại ({width}): bảng tin trang chủ, tuyên truyền "
            "về quyền con người cho báo chí địa phương.").encode()
    with app.app_context():
        user = db.session.get(User, user_id)
        outcome = archive_document(user, io.BytesIO(text), f"ke-hoach-{width}.txt",
                                   DocumentMetadata(title=f"Kế hoạch bảng tin {width}",
                                                    category="plan"))
        return outcome.document.id


def _assert_clean(page, axe_source_path: str, name: str) -> None:
    measured = overflow(page)
    assert measured["scroll"] <= measured["viewport"], (name, measured)
    bad = [v for v in run_axe(page, axe_source_path) if v["impact"] in ("serious", "critical")]
    assert bad == [], (name, bad)


@pytest.mark.parametrize("width", list(WIDTHS))
def test_dashboard_live_status_bell_and_saved_search(app, live_server, open_page, axe_source,
                                                     screenshots, width):
    user_id, username = _people(app, width)
    page = open_page(WIDTHS[width], bypass_csp=True)  # axe-core is injected by the test
    _log_in(page, username)
    expect(page.locator("h1")).to_have_text("Trang chủ")
    expect(page.locator("header nav a[href='/']")).to_have_attribute("aria-current", "page")
    bell = page.locator("header a.bell")
    expect(bell).to_be_visible()  # on a phone too, with the menu folded
    expect(bell).to_have_attribute("aria-label", "Thông báo")
    expect(bell.locator("[data-bell-count]")).to_be_hidden()
    _assert_clean(page, axe_source, "empty dashboard")

    # An upload waits for the (paused) worker: the dashboard shows it processing ...
    live_server.worker.signal_group(signal.SIGSTOP)
    try:
        doc_id = _upload(app, user_id, width)
        page.goto("/")
        badge = page.locator(f"[data-section=uploads] [data-doc-status='{doc_id}']")
        expect(badge).to_contain_text("đang xử lý")
        expect(page.locator("[data-count=my_uploads] .n")).to_have_text("1")
        assert int(page.locator("[data-count=processing] .n").inner_text()) >= 1
    finally:
        live_server.worker.signal_group(signal.SIGCONT)
    # ... and then done, without a reload; the bell counts the notification.
    page.evaluate("window.__stay = 1")
    expect(badge).to_have_text("đã lập chỉ mục", timeout=LIVE)
    expect(bell.locator("[data-bell-count]")).to_have_text("1", timeout=LIVE)
    expect(bell).to_have_attribute("aria-label", "Thông báo: 1 chưa đọc")
    assert page.evaluate("window.__stay") == 1, "the page was reloaded"
    _assert_clean(page, axe_source, "dashboard")
    page.screenshot(path=str(screenshots / f"dashboard-{WIDTHS[width]['width']}.png"),
                    full_page=True)

    bell.click()
    expect(page).to_have_url(re.compile(r"/notifications/$"))
    expect(page.locator("h1")).to_have_text("Thông báo")
    item = page.locator("li.notification.unread").first
    expect(item).to_contain_text(f"“Kế hoạch bảng tin {width}” đã xử lý xong")
    _assert_clean(page, axe_source, "notifications")
    page.screenshot(path=str(screenshots / f"notifications-{WIDTHS[width]['width']}.png"))
    item.locator("a").click()
    expect(page).to_have_url(re.compile(rf"/documents/{doc_id}$"))
    expect(bell.locator("[data-bell-count]")).to_be_hidden()  # read by opening it

    # A search saved from the search page appears on the dashboard.
    page.goto("/search/?q=b%E1%BA%A3ng+tin")
    details = page.locator("details.save-search")
    details.locator("summary").click()
    details.locator("input[name=name]").fill(f"Bảng tin {width}")
    details.locator("button[type=submit]").click()
    expect(page.locator(".flash-success")).to_contain_text("Đã lưu tìm kiếm")
    page.goto("/")
    saved = page.locator("[data-section=saved] li").filter(has_text=f"Bảng tin {width}")
    expect(saved.locator("[data-new]")).to_have_text("không có gì mới")
    saved.locator("a").first.click()
    expect(page).to_have_url(re.compile(r"/search/\?q=b"))
    expect(page.locator(f"a.hit-title[href='/documents/{doc_id}']")).to_be_visible()
    assert page.problems == [], "\n".join(page.problems)
