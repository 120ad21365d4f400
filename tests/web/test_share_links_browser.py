"""Share links in a real browser: an archivist makes one on the document page, someone
without an account opens it in a fresh browser (password wrong, then right), downloads the
file; revoked and expired links refuse; every page involved is axe-clean at 390 px."""
from __future__ import annotations

import re
import subprocess
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from tests.conftest import PASSWORD, ROOT
from tests.integration.listing_factories import insert_documents
from tests.web.test_phone_a11y import AXE, PHONE, overflow, run_axe

GONE = "Liên kết không còn hiệu lực"


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not AXE.exists():  # pytest run directly, without `make test`
        subprocess.run(["bash", "scripts/assets.sh"], cwd=ROOT, check=True)
    return str(AXE)


@pytest.fixture
def shared(app, live_server, request):
    """An archivist and two open records with stored files, named after the test."""
    from app.services.accounts import create_user

    name = request.node.name[-24:].replace("_", "-")
    with app.app_context():
        username = create_user(f"luu-tru-{name}", PASSWORD, role="archivist").username
    ids = insert_documents(app, [{"title": f"Thông cáo báo chí {name}", "number": "21",
                                  "symbol": "TB-STTTT", "summary": "Kết quả hội nghị"},
                                 {"title": f"Kế hoạch truyền thông {name}"}], store_files=True)
    return username, ids


def _log_in(page, username):
    page.goto("/login")
    form = page.locator("main form")
    form.locator("input[name=username]").fill(username)
    form.locator("input[name=password]").fill(PASSWORD)
    form.locator("button[type=submit]").click()
    expect(page.locator("header nav")).to_have_count(1)


def _make_link(page, document_id, recipient, password=""):
    page.goto(f"/documents/{document_id}")
    section = page.locator("[data-share-links]")
    expect(section.locator("h2")).to_have_text("Chia sẻ qua liên kết")
    if not section.locator("input[name=share-recipient]").is_visible():
        section.locator("details.share-new > summary").click()
    section.locator("input[name=share-recipient]").fill(recipient)
    section.locator("input[name=share-password]").fill(password)
    section.get_by_role("button", name="Tạo liên kết").click()
    expect(page.locator("h1")).to_have_text("Đã tạo liên kết")
    return page.locator("[data-share-url]").input_value()


def _real_problems(page):
    # The refusal page answers 404 on purpose; Chromium logs that as a console error.
    return [p for p in page.problems if "404" not in p]


def test_share_open_with_password_download_and_revoke(app, new_page, shared):
    username, (document_id, _) = shared
    staff = new_page()
    staff.context.grant_permissions(["clipboard-read", "clipboard-write"])
    _log_in(staff, username)
    url = _make_link(staff, document_id, "Phóng viên Báo Quảng Ngãi", "mật-khẩu-cho-báo")
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+/chia-se/[A-Za-z0-9_-]{40,}", url)
    staff.get_by_role("button", name="Sao chép").click()
    expect(staff.locator("[data-copy-status]")).to_have_text("Đã sao chép")
    assert staff.evaluate("navigator.clipboard.readText()") == url

    outsider = new_page()  # a fresh context: no cookies, nobody logged in
    answer = outsider.goto(url)
    assert answer.status == 200 and answer.headers["referrer-policy"] == "no-referrer"
    expect(outsider.locator("h1")).to_have_text("Cần nhập mật khẩu")
    expect(outsider.locator("header nav")).to_have_count(0)
    expect(outsider.locator("main")).not_to_contain_text("Thông cáo báo chí")
    outsider.locator("input[name=password]").fill("đoán-thử-xem")
    outsider.get_by_role("button", name="Mở").click()
    expect(outsider.locator("[data-share-error]")).to_have_text("Mật khẩu không đúng.")
    outsider.locator("input[name=password]").fill("mật-khẩu-cho-báo")
    outsider.get_by_role("button", name="Mở").click()
    expect(outsider.locator("h1")).to_contain_text("Thông cáo báo chí")
    expect(outsider.locator("main")).to_contain_text("21/TB-STTTT")
    expect(outsider.locator("main")).to_contain_text("Kho lưu trữ chia sẻ với bạn")
    assert outsider.locator("meta[name=robots]").get_attribute("content") == "noindex, nofollow"
    files = outsider.locator("[data-shared-file] a")
    expect(files).to_have_count(1)
    with outsider.expect_download() as info:
        files.first.click()
    download = info.value
    assert download.suggested_filename == "tai lieu 0.txt"
    with open(download.path(), encoding="utf-8") as fh:
        assert fh.read().startswith("Nội dung của Thông cáo báo chí")

    staff.goto(f"/documents/{document_id}")
    row = staff.locator("[data-share-links] tr[data-share-link]")
    expect(row.locator("[data-share-state]")).to_have_text("còn hiệu lực")
    expect(row.locator("[data-share-uses]")).to_have_text("1")
    expect(row.locator("[data-share-downloads]")).to_have_text("1")
    row.locator("details.revoke > summary").click()
    row.get_by_role("button", name="Đồng ý thu hồi liên kết").click()
    expect(staff.locator(".flash-success")).to_contain_text("Đã thu hồi liên kết")
    expect(row.locator("[data-share-state]")).to_contain_text("đã thu hồi")

    answer = outsider.reload()
    assert answer.status == 404
    expect(outsider.locator("h1")).to_have_text(GONE)
    expect(outsider.locator("main")).not_to_contain_text("Thông cáo báo chí")
    assert staff.problems == [] and _real_problems(outsider) == []


def test_an_expired_link_refuses(app, new_page, shared):
    from app.extensions import db
    from app.models import ShareLink
    from app.models.user import utcnow

    username, (document_id, _) = shared
    staff = new_page()
    _log_in(staff, username)
    url = _make_link(staff, document_id, "Đài Phát thanh - Truyền hình tỉnh")
    outsider = new_page()
    assert outsider.goto(url).status == 200
    with app.app_context():  # its last day has passed
        link = db.session.scalar(db.select(ShareLink).where(
            ShareLink.document_id == document_id))
        link.expires_at = utcnow() - timedelta(minutes=1)
        db.session.commit()
    assert outsider.reload().status == 404
    expect(outsider.locator("h1")).to_have_text(GONE)
    staff.goto(f"/documents/{document_id}")
    expect(staff.locator("[data-share-links] [data-share-state]")).to_have_text("hết hạn")
    expect(staff.locator("[data-share-links] details.revoke")).to_have_count(0)
    assert _real_problems(outsider) == []


def test_share_pages_fit_a_phone_and_axe_finds_nothing_serious(app, browser, live_server,
                                                               shared, axe_source,
                                                               screenshots):
    username, (document_id, other_id) = shared

    def context():
        made = browser.new_context(base_url=live_server.url, locale="vi-VN", viewport=PHONE,
                                   bypass_csp=True)  # only to inject axe-core
        made.set_default_timeout(15_000)
        return made

    staff_context, outsider_context = context(), context()
    found, wide = {}, {}

    def check(name, page, path=None):
        if path:
            page.goto(path)
        measured = overflow(page)
        if measured["scroll"] > measured["viewport"]:
            wide[name] = measured
        page.screenshot(path=str(screenshots / f"share-{name}-390.png"), full_page=True)
        violations = run_axe(page, axe_source)
        print(f"axe 390 {name}: {[(v['id'], v['impact']) for v in violations] or 'none'}")
        bad = [v for v in violations if v["impact"] in ("serious", "critical")]
        if bad:
            found[name] = bad

    try:
        staff = staff_context.new_page()
        _log_in(staff, username)
        plain = _make_link(staff, document_id, "Báo Thanh Niên")
        check("created", staff)
        guarded = _make_link(staff, other_id, "Báo Tuổi Trẻ", "mật-khẩu-tuổi-trẻ")
        check("document", staff, f"/documents/{document_id}")
        check("links", staff, "/sharing/links")
        outsider = outsider_context.new_page()
        check("shared", outsider, plain)
        check("password", outsider, guarded)
        outsider.locator("input[name=password]").fill("sai-mật-khẩu-rồi")
        outsider.get_by_role("button", name="Mở").click()
        expect(outsider.locator("[data-share-error]")).to_be_visible()
        check("password-wrong", outsider)
        check("gone", outsider, "/chia-se/khong-con-hieu-luc")
        assert not wide, wide
        assert not found, found
    finally:
        staff_context.close()
        outsider_context.close()
