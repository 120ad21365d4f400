"""The public portal in a real browser, as an anonymous visitor, against the live server.

The visitor reads the home page, a public record (and downloads its file), a public
briefing, searches with and without diacritics, and the provincial portal's feed
reader (feedparser, an independent client) reads the Atom feed. Records that must
never leave — internal, "Mật", harvested, destroyed, the last three marked public
straight in the database — appear nowhere and their portal addresses answer 404.
Every portal page is usable at 390 px and axe-core finds nothing serious there.

And the other side of it: walking the app's whole URL map without a login, every
endpoint that is not public redirects to the login page (pages) or answers 401 (API).
"""
from __future__ import annotations

import re
from datetime import datetime
from types import SimpleNamespace

import feedparser
import pytest
from playwright.sync_api import expect

from tests.conftest import PASSWORD
from tests.integration.listing_factories import insert_documents
from tests.integration.sharing_factories import briefing_with, external_source
from tests.web.test_phone_a11y import AXE, PHONE, overflow, run_axe

DESKTOP = {"width": 1366, "height": 900}
PUBLISHED = datetime(2024, 11, 12, 2, 0)
RECORD = "Kế hoạch tổ chức Lễ hội đua ghe ngo đồng bào Khmer năm 2024"
BRIEFING = "Họp báo về Lễ hội đua ghe ngo và Ok Om Bok năm 2024"
FORBIDDEN = {
    "internal": "Lễ hội đua ghe ngo: dự toán nội bộ chưa duyệt",
    "secret": "Lễ hội đua ghe ngo: phương án bảo vệ mật",
    "external": "Lễ hội đua ghe ngo: thông cáo của tỉnh bạn",
    "destroyed": "Lễ hội đua ghe ngo: công văn đã tiêu hủy",
}
HIDDEN_COVERAGE = "Tin bài nháp về đua ghe ngo chưa được duyệt"
# Endpoints anyone may open; every other one needs a login. Besides the portal: the
# OAI-PMH provider (it checks partners' tokens itself) and share links (the token is the key).
PUBLIC_ENDPOINTS = {"auth.login", "health.healthz", "static", "public.home", "public.record",
                    "public.download", "public.briefing", "public.search", "public.feed",
                    "oai.endpoint", "oai.file", "oai.schema",
                    "public_share.open_link", "public_share.unlock", "public_share.download"}


@pytest.fixture(scope="module")
def portal(app, live_server):
    """Records and a briefing for the portal, beside the other browser tests' data."""
    import subprocess

    from tests.conftest import ROOT

    if not AXE.exists():  # pytest run directly, without `make test`
        subprocess.run(["bash", "scripts/assets.sh"], cwd=ROOT, check=True)
    from app.extensions import db
    from app.models import Briefing, Document
    from app.services.accounts import create_user
    from app.services.briefings import index_now
    from indexers import client

    with app.app_context():
        archivist = create_user("luu-tru-cong-thong-tin", PASSWORD, role="archivist",
                                clearance="tuyet_mat").id
    public = {"sharing": "public", "public_at": PUBLISHED, "index": True}
    [record] = insert_documents(app, [{
        "title": RECORD, "number": "215", "symbol": "KH-UBND", "doc_type": "KH",
        "category": "plan", "issuing_agency": "Ủy ban nhân dân tỉnh Sóc Trăng",
        "summary": "Tổ chức Lễ hội đua ghe ngo đồng bào Khmer", **public}], store_files=True)
    source = external_source(app)
    hidden = insert_documents(app, [
        {"title": FORBIDDEN["internal"], "index": True},
        {"title": FORBIDDEN["secret"], "secrecy": "mat", **public},
        {"title": FORBIDDEN["external"], "source_id": source,
         "source_identifier": "oai:tinh-ban:ghe-ngo", **public},
        {"title": FORBIDDEN["destroyed"], "disposition": "destroyed",
         "disposed_at": datetime(2025, 2, 1), **public}], store_files=True)
    coverage = insert_documents(app, [
        {"title": "Báo Sóc Trăng: sôi nổi Lễ hội đua ghe ngo", "category": "press_coverage",
         **public},
        {"title": HIDDEN_COVERAGE, "category": "press_coverage", "index": True}])
    briefing = briefing_with(app, archivist, coverage, [record], title=BRIEFING,
                             minutes="Ban tổ chức thông tin về Lễ hội đua ghe ngo.")
    with app.app_context():
        row = db.session.get(Briefing, briefing)
        row.sharing, row.public_at = "public", PUBLISHED
        row.bump_revision()
        db.session.commit()
        index_now(briefing)
        client.es().indices.refresh(index=client.alias())
        file_id = db.session.get(Document, record).files[0].id
    return SimpleNamespace(record=record, file_id=file_id, briefing=briefing,
                           hidden=dict(zip(FORBIDDEN, hidden)), coverage=coverage)


@pytest.fixture(params=["desktop", "phone"])
def visitor(request, browser, live_server):
    """An anonymous visitor (a fresh context: no cookies) at a desk or on a phone;
    bypass_csp only lets the test inject axe-core."""
    viewport = DESKTOP if request.param == "desktop" else PHONE
    context = browser.new_context(base_url=live_server.url, locale="vi-VN", viewport=viewport,
                                  bypass_csp=True, accept_downloads=True)
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.problems = []
    page.on("pageerror", lambda exc: page.problems.append(f"pageerror: {exc}"))
    page.on("console", lambda m: page.problems.append(f"console.error: {m.text}")
            if m.type == "error" and "favicon" not in (m.location.get("url") or "")
            and "404" not in m.text else None)
    yield page
    context.close()


def assert_nothing_forbidden(page) -> None:
    text = page.locator("main").inner_text()
    for name, title in FORBIDDEN.items():
        assert title not in text, name
    assert HIDDEN_COVERAGE not in text


def check_page(page) -> None:
    """One <h1>, a title of its own, no sideways scrolling, axe-core clean, no staff menu."""
    expect(page.locator("h1")).to_have_count(1)
    assert page.title().endswith("Cổng tài liệu công khai") and " — " in page.title()
    assert page.locator("nav.site-nav").count() == 0
    measured = overflow(page)
    assert measured["scroll"] <= measured["viewport"], measured
    serious = [v for v in run_axe(page, str(AXE)) if v["impact"] in ("serious", "critical")]
    assert serious == [], serious


def test_anonymous_visitor_reads_downloads_and_follows_a_briefing(portal, visitor):
    page = visitor
    page.goto("/cong-khai/")
    expect(page).to_have_url(re.compile(r"/cong-khai/$"))  # no detour through the login
    expect(page.locator("h1")).to_have_text("Tài liệu công khai")
    expect(page.locator(f"[data-public-document='{portal.record}']")).to_be_visible()
    expect(page.locator(f"[data-public-briefing='{portal.briefing}']")).to_be_visible()
    assert_nothing_forbidden(page)
    check_page(page)

    page.get_by_role("link", name=RECORD).first.click()
    expect(page).to_have_url(re.compile(rf"/cong-khai/tai-lieu/{portal.record}$"))
    meta = page.locator("dl.meta")
    expect(meta).to_contain_text("215/KH-UBND")
    expect(meta).to_contain_text("12/11/2024")
    check_page(page)
    with page.expect_download() as info:
        page.locator(f"[data-public-file='{portal.file_id}']").click()
    download = info.value
    assert download.suggested_filename.endswith(".txt")
    assert open(download.path(), encoding="utf-8").read().startswith(f"Nội dung của {RECORD}")

    page.goto(f"/cong-khai/hop-bao/{portal.briefing}")
    expect(page.locator("h1")).to_have_text(BRIEFING)
    expect(page.locator("main")).to_contain_text("Báo Sóc Trăng: sôi nổi Lễ hội đua ghe ngo")
    expect(page.locator("main")).to_contain_text("Ban tổ chức thông tin về Lễ hội đua ghe ngo.")
    assert_nothing_forbidden(page)
    check_page(page)
    assert page.problems == [], page.problems


@pytest.mark.parametrize("typed", ["đua ghe ngo", "dua ghe ngo"])
def test_search_with_and_without_diacritics_finds_only_public_records(portal, visitor, typed):
    page = visitor
    page.goto("/cong-khai/")
    box = page.get_by_role("searchbox", name="Từ khóa cần tìm")
    box.fill(typed)
    box.press("Enter")
    expect(page).to_have_url(re.compile(r"/cong-khai/tim-kiem\?q="))
    hits = page.locator("ol.hitlist")
    expect(hits.locator(f"[data-public-hit='document-{portal.record}']")).to_be_visible()
    expect(hits.locator(f"[data-public-hit='briefing-{portal.briefing}']")).to_be_visible()
    expect(hits.locator("mark").first).to_be_visible()
    assert_nothing_forbidden(page)
    check_page(page)
    assert page.problems == [], page.problems


def test_hidden_records_answer_404_on_the_portal(portal, visitor, live_server):
    page = visitor
    for name, document_id in portal.hidden.items():
        response = page.goto(f"/cong-khai/tai-lieu/{document_id}")
        assert response.status == 404, name
        expect(page.locator("h1")).to_have_text("Không tìm thấy")
        expect(page.locator("main")).to_contain_text(
            "Không có tài liệu công khai nào tại địa chỉ này.")
    check_page(page)
    # The same for a hidden record's file and for the hidden coverage.
    assert page.request.get(f"/cong-khai/tai-lieu/{portal.hidden['secret']}/tep/"
                            f"{portal.file_id}").status == 404
    assert page.goto(f"/cong-khai/tai-lieu/{portal.coverage[1]}").status == 404


def test_the_feed_is_read_by_a_feed_reader(portal, visitor):
    response = visitor.request.get("/cong-khai/feed.atom")
    assert response.status == 200
    assert response.headers["content-type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.body())
    assert not feed.bozo, feed.bozo_exception
    titles = [entry.title for entry in feed.entries]
    assert RECORD in titles and "Báo Sóc Trăng: sôi nổi Lễ hội đua ghe ngo" in titles
    for title in [*FORBIDDEN.values(), HIDDEN_COVERAGE]:
        assert title not in titles
    entry = next(e for e in feed.entries if e.title == RECORD)
    assert entry.link.endswith(f"/cong-khai/tai-lieu/{portal.record}")
    assert entry.published_parsed[:3] == (2024, 11, 12)
    # The feed's link for a reader leads to a page a visitor can open.
    assert visitor.goto(entry.link).status == 200


def _sample_url(rule) -> str:
    """The rule's address with 1 for every argument (ids and names alike)."""
    return rule.build({arg: 1 for arg in rule.arguments}, append_unknown=False)[1]


def test_no_internal_page_opens_without_login(app, browser, live_server):
    """Every rule of the URL map, every method: a login redirect or a 401, unless public."""
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    page.goto("/login")  # a session with a CSRF token, so form posts reach the login check
    token = page.locator("input[name=csrf_token]").first.input_value()
    request = context.request
    checked, public_seen = 0, set()
    for rule in app.url_map.iter_rules():
        if rule.endpoint in PUBLIC_ENDPOINTS:
            public_seen.add(rule.endpoint)
            continue
        url = _sample_url(rule)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = request.fetch(url, method=method, max_redirects=0,
                                     form={"csrf_token": token} if method != "GET" else None)
            where = f"{method} {url} ({rule.endpoint})"
            if url.startswith("/api/"):
                assert response.status == 401, where
                assert response.json()["error"]["code"] == "unauthorized", where
            else:
                assert response.status == 302, where
                assert "/login" in response.headers["location"], where
            checked += 1
    context.close()
    assert public_seen == PUBLIC_ENDPOINTS  # and each of them exists
    assert checked >= 100, checked
