"""The harvest source pages in a browser: an administrator adds a source, harvests it with
"Thu thập ngay" (the live worker runs the job) and follows it on the status page; the pages
hold at a desk and on a phone (no sideways scrolling, nothing serious for axe-core)."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.conftest import PASSWORD
from tests.web.test_phone_a11y import AXE, DESKTOP, PHONE, overflow, run_axe

ADMIN = "quan-tri-thu-thap"


@pytest.fixture(scope="module")
def admin_user(app, live_server):
    from app.services.accounts import create_user

    with app.app_context():
        create_user(ADMIN, PASSWORD, role="admin", clearance="tuyet_mat")
    return ADMIN


def _log_in(page, username: str) -> None:
    page.goto("/login")
    form = page.locator("main form")
    form.locator("input[name=username]").fill(username)
    form.locator("input[name=password]").fill(PASSWORD)
    form.locator("button[type=submit]").click()
    expect(page.locator("header nav")).to_be_visible()


def test_an_admin_adds_a_source_harvests_it_and_sees_the_result(
        browser, live_server, admin_user, screenshots):
    import subprocess

    if not AXE.exists():
        subprocess.run(["bash", "scripts/assets.sh"], cwd=AXE.parents[3], check=True)
    context = browser.new_context(base_url=live_server.url, locale="vi-VN",
                                  viewport=DESKTOP, bypass_csp=True)
    context.set_default_timeout(20_000)
    page = context.new_page()
    problems = []
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    _log_in(page, admin_user)
    page.locator("header nav").get_by_role("link", name="Nguồn thu thập").click()
    expect(page.locator("h1")).to_have_text("Nguồn thu thập")
    page.get_by_role("link", name="Thêm nguồn").click()
    page.locator("input[name=name]").fill("Kho chính mình (thử)")
    # The archive's own provider: nothing is shared, so the harvest finds nothing.
    page.locator("input[name=base_url]").fill(f"{live_server.url}/oai")
    page.locator("input[name=token]").fill("oai_khong-dung-den")
    page.locator("input[name=schedule_hours]").fill("0")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("h1")).to_have_text("Kho chính mình (thử)")
    expect(page.locator("main")).to_contain_text("đã lưu (không hiển thị)")
    assert "oai_khong-dung-den" not in page.content()

    page.locator("[data-harvest-now]").click()
    expect(page.locator("main")).to_contain_text("Đã bắt đầu thu thập")
    # The worker runs it; the page follows (live) and then offers the result.
    status = page.locator("[data-harvest-status]")
    if status.count():
        expect(page.locator("[data-run-done]")).to_be_visible(timeout=60_000)
        page.locator("[data-run-done] a").click()
    runs = page.locator("[data-harvest-runs] tbody tr")
    expect(runs).to_have_count(1)
    # A token the provider does not know is refused: said in Vietnamese, never a trace.
    expect(runs.first).to_contain_text("từ chối mã truy cập")
    page.screenshot(path=str(screenshots / "harvest-status.png"), full_page=True)

    for viewport in (DESKTOP, PHONE):
        page.set_viewport_size(viewport)
        for path in ("/admin/harvest/", page.url, re.sub(r"/?$", "/edit", page.url),
                     "/admin/harvest/new"):
            page.goto(path)
            measured = overflow(page)
            assert measured["scroll"] <= measured["viewport"], (path, measured)
            serious = [v for v in run_axe(page, str(AXE))
                       if v["impact"] in ("serious", "critical")]
            assert serious == [], (path, viewport, serious)
    assert problems == []
    context.close()
