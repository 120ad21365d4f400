"""Every main page at a desk (1366 px) and on a phone (390 px): nothing scrolls
sideways, axe-core finds nothing serious, every page has a skip link, one
<h1> and a title of its own, and `/` goes to the search box.

The pages are shown to an administrator (who can open all of them) with a
little data present: a document uploaded and processed by the live worker,
one record due for review with a destruction proposal and a legal hold, a
periodic and an ad-hoc briefing with a material and press coverage, an API
token. axe-core is the npm package pinned in scripts/assets.sh (installed in
the ignored var/vendor/), injected with Playwright; it is never served by
the app.

Screenshots go to var/screenshots/phone-a11y/; with UPDATE_SCREENSHOTS=1 they
are written to docs/screenshots/ instead (the committed ones, see README).
"""
from __future__ import annotations

import os
import re
import subprocess
import time
from datetime import date, datetime, timezone
from types import SimpleNamespace

import pytest
from playwright.sync_api import Page, expect

from tests.conftest import PASSWORD, ROOT, SAMPLES

AXE = ROOT / "var" / "vendor" / "axe-core" / "axe.js"
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
WIDTHS = {"desktop": DESKTOP, "phone": PHONE}
ADMIN = "quan-tri-a11y"
DOC_TITLE = ("Nghị quyết 01/2020/NQ-HĐTP hướng dẫn áp dụng Điều 418 của Bộ luật Dân sự về "
             "tài sản chung của dòng họ và quyền của các thành viên")
LONG_AGENCY = "HỘI ĐỒNG THẨM PHÁN TÒA ÁN NHÂN DÂN TỐI CAO NƯỚC CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
QUERY = "tài sản chung của dòng họ"
MAIN_TEXT = """HỘI ĐỒNG THẨM PHÁN TÒA ÁN NHÂN DÂN TỐI CAO
Số: 01/2020/NQ-HĐTP                         Hà Nội, ngày 05 tháng 3 năm 2020

NGHỊ QUYẾT
Hướng dẫn áp dụng Điều 418 của Bộ luật Dân sự về tài sản chung của dòng họ
(bản dùng để kiểm tra giao diện trên điện thoại)

Điều 1. Tài sản chung của dòng họ là tài sản thuộc sở hữu chung hợp nhất của các thành viên
dòng họ, được hình thành từ sự đóng góp, tặng cho hoặc từ nguồn khác theo quy định của pháp luật.
Điều 2. Người khởi kiện yêu cầu Tòa án giải quyết tranh chấp về tài sản chung của dòng họ phải
có quyền lợi, nghĩa vụ liên quan; đương sự trong vụ án tranh chấp về tài sản chung của dòng họ
gồm nguyên đơn, bị đơn và người có quyền lợi, nghĩa vụ liên quan.
Tham khảo: https://vbpl.example.vn/TW/Pages/vbpq-toanvan.aspx?ItemID=141183&Keyword=tai-san-chung-dong-ho
"""
SITE = "Kho lưu trữ tài liệu truyền thông"
SCREENSHOT_DIR = (ROOT / "docs" / "screenshots" if os.environ.get("UPDATE_SCREENSHOTS")
                  else ROOT / "var" / "screenshots" / "phone-a11y")


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not AXE.exists():  # pytest run directly, without `make test`
        subprocess.run(["bash", "scripts/assets.sh"], cwd=ROOT, check=True)
    return str(AXE)


def _wait_processed(app, document_ids: list[int]) -> None:
    from app.extensions import db
    from app.models import Document

    for _ in range(240):
        with app.app_context():
            states = [db.session.get(Document, i).status for i in document_ids]
            db.session.remove()
        if all(s not in ("queued", "processing") for s in states):
            return
        time.sleep(0.5)
    raise AssertionError(f"documents {document_ids} still processing: {states}")


@pytest.fixture(scope="module")
def site(app, live_server, tmp_path_factory):
    """An administrator and a little of everything, created through the services."""
    from app.extensions import db
    from app.models import Document
    from app.services import briefings, coverage, disposition, holds
    from app.services.accounts import create_user, issue_token
    from app.services.documents import archive_document
    from app.services.metadata import DocumentMetadata
    from app.services.retention import sweep
    from indexers import client

    # Files of their own: the same bytes as another browser test's upload would
    # be linked to that test's document (and its hold or proposal would get in
    # the other test's way, as they share the live server's database).
    tmp = tmp_path_factory.mktemp("a11y")
    text = tmp / "nghi-quyet-01-2020-tai-san-chung-dong-ho.txt"
    text.write_text(MAIN_TEXT, encoding="utf-8")
    old = tmp / "bao-cao-thang-6-2012-bao-chi.txt"
    old.write_text("Báo cáo tháng 6 năm 2012 về công tác quản lý báo chí, xuất bản của tỉnh "
                   "(mẫu kiểm tra giao diện điện thoại).", encoding="utf-8")
    with app.app_context():
        admin = create_user(ADMIN, PASSWORD, role="admin", clearance="tuyet_mat",
                            full_name="Nguyễn Thị Quản Trị")
        issue_token(ADMIN, name="Máy quét phòng văn thư")
        from app.sharing.partners import issue_token as issue_partner_token

        issue_partner_token("Sở Văn hóa, Thể thao và Du lịch tỉnh Quảng Ngãi", admin)
        with text.open("rb") as stream:
            main = archive_document(admin, stream, text.name, DocumentMetadata(
                title=DOC_TITLE, number="01/2020/NQ-HĐTP", issuing_agency=LONG_AGENCY,
                issue_date=date(2020, 3, 5), category="directive_decision",
                doc_type="NQ")).document.id
        with old.open("rb") as stream:
            due = archive_document(admin, stream, old.name, DocumentMetadata(
                title="Báo cáo tháng 6/2012 về quản lý báo chí, xuất bản", category="report",
                issue_date=date(2012, 6, 30))).document.id
        db.session.remove()
    _wait_processed(app, [main, due])
    with app.app_context():
        admin = db.session.merge(admin)
        sweep(date(2025, 1, 1))
        proposal = disposition.propose(admin, "destroy", [due],
                                       "Hết thời hạn bảo quản; hội đồng xác định hết giá trị.").id
        holds.place_hold(admin, "Thanh tra năm 2025", document_id=main)
        periodic = briefings.create_briefing(admin, briefings.BriefingData(
            kind="periodic", title="Hội nghị cung cấp thông tin cho báo chí tháng 3/2024",
            held_at=datetime(2024, 3, 14, 7, 0, tzinfo=timezone.utc),
            place="Hội trường Tỉnh ủy", hosts=["propaganda", "police"],
            topics=["human_rights"], outlets=["Báo Biên Cương", "Đài PT-TH tỉnh"],
            chair="Phó Trưởng Ban Tuyên giáo",
            minutes="Đại diện Công an tỉnh thông tin về công tác bảo đảm quyền tự do tín "
                    "ngưỡng của đồng bào vùng cao."))
        periodic_id, dossier = periodic.id, periodic.dossier_id
        briefings.add_material(admin, periodic_id, str(main), "talking_points")
        copy = SAMPLES / "coverage" / "bao-a-hoi-nghi-nhan-quyen.html"
        with copy.open("rb") as stream:
            coverage.add_coverage(admin, stream, copy.name, coverage.ArticleData(
                url="https://baobiencuong.example.vn/chinh-tri/hoi-nghi-cung-cap-thong-tin-"
                    "bao-chi-thang-3-2024-ve-quyen-con-nguoi-a123456789.html",
                outlet="Báo Biên Cương", published_on=date(2024, 3, 15)),
                briefing_id=periodic_id)
        briefings.create_briefing(admin, briefings.BriefingData(
            kind="adhoc", title="Họp báo đột xuất về thông tin sai sự thật trên mạng xã hội",
            held_at=datetime(2024, 4, 11, 7, 0, tzinfo=timezone.utc),
            incident_at=datetime(2024, 4, 10, 1, 0, tzinfo=timezone.utc),
            hosts=["police"], topics=["human_rights"],
            minutes="Công an tỉnh bác bỏ thông tin sai sự thật."))
        covered = db.session.scalars(db.select(Document.id).where(
            Document.category == "press_coverage")).all()
        client.es().indices.refresh(index=client.alias())
        db.session.remove()
    _wait_processed(app, list(covered))
    with app.app_context():
        client.es().indices.refresh(index=client.alias())
    pages = {
        "search": "/",
        "hits": f"/?q={QUERY}",
        "document": f"/documents/{main}",
        "edit": f"/documents/{main}/edit",
        "upload": "/documents/upload",
        "documents": "/documents/",
        "briefings": "/briefings/",
        "briefing": f"/briefings/{periodic_id}",
        "briefing-form": "/briefings/new",
        "briefing-edit": f"/briefings/{periodic_id}/edit",
        "briefing-calendar": "/briefings/calendar?year=2024",
        "briefing-adhoc": "/briefings/report/adhoc",
        "briefing-coverage-form": f"/briefings/{periodic_id}/coverage/new",
        "briefing-find-material": f"/briefings/{periodic_id}/materials/find?q=tài+sản",
        "retention": "/retention/",
        "retention-schedules": "/retention/schedules",
        "retention-proposal": f"/retention/proposals/{proposal}",
        "retention-dossiers": "/retention/dossiers",
        "retention-dossier": f"/retention/dossiers/{dossier}",
        "retention-holds": "/retention/holds",
        "retention-schedule-form": "/retention/schedules/new",
        "retention-dossier-form": f"/retention/dossiers/{dossier}/edit",
        "audit": "/audit/",
        "admin-users": "/admin/users",
        "admin-partners": "/admin/partners",
        "account-tokens": "/account/tokens",
        "not-found": "/documents/999999",
    }
    return SimpleNamespace(document=main, briefing=periodic_id, pages=pages)


def log_in(page: Page, username: str = ADMIN) -> None:
    page.goto("/login")
    form = page.locator("main form")
    form.locator("input[name=username]").fill(username)
    form.locator("input[name=password]").fill(PASSWORD)
    form.locator("button[type=submit]").click()
    expect(page).not_to_have_url(re.compile(r"/login\b"))
    expect(page.locator("header nav")).to_have_count(1)


@pytest.fixture
def open_page(browser, live_server):
    """A page in a fresh context at a viewport; console errors collected as in conftest.

    ``bypass_csp`` is only for injecting axe-core: the app's Content-Security-
    Policy (script-src 'self') rightly refuses a script added by the test.
    """
    from tests.web.conftest import KNOWN_MISSING

    contexts = []

    def make(viewport: dict, bypass_csp: bool = False) -> Page:
        context = browser.new_context(base_url=live_server.url, locale="vi-VN",
                                      viewport=viewport, bypass_csp=bypass_csp)
        context.set_default_timeout(15_000)
        contexts.append(context)
        page = context.new_page()
        page.problems = []
        page.on("console", lambda m: page.problems.append(f"console.error: {m.text}")
                if m.type == "error" and not (m.location.get("url") or "").endswith(
                    KNOWN_MISSING) else None)
        page.on("pageerror", lambda exc: page.problems.append(f"pageerror: {exc}"))
        return page

    yield make
    for context in contexts:
        context.close()


@pytest.fixture(params=list(WIDTHS))
def width(request) -> str:
    return request.param


@pytest.fixture
def admin_page(open_page, site, width):
    page = open_page(WIDTHS[width])
    log_in(page)
    return page


@pytest.fixture
def anonymous_page(open_page, width):
    return open_page(WIDTHS[width])


def overflow(page: Page) -> dict:
    """The page's width against the viewport's, and the widest elements sticking out."""
    return page.evaluate("""() => {
        const vw = window.innerWidth, out = [];
        for (const el of document.querySelectorAll('body *')) {
            const r = el.getBoundingClientRect();
            if (r.right > vw + 0.5 && r.width > 0) {
                out.push(`${el.tagName.toLowerCase()}${el.className ? '.' + String(el.className).trim().replace(/\\s+/g, '.') : ''} right=${Math.round(r.right)}`);
            }
        }
        return {scroll: document.documentElement.scrollWidth, viewport: vw, culprits: out.slice(0, 6)};
    }""")


def run_axe(page: Page, axe_source: str) -> list[dict]:
    page.add_script_tag(path=axe_source)
    result = page.evaluate("""async () => {
        const r = await axe.run(document, {resultTypes: ['violations']});
        return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                        nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
    }""")
    return result


def test_no_page_scrolls_sideways(admin_page, site, anonymous_page, width):
    """document.documentElement.scrollWidth <= window.innerWidth on every main page."""
    wide = {}
    for name, path in site.pages.items():
        admin_page.goto(path)
        measured = overflow(admin_page)
        print(f"width {WIDTHS[width]['width']}: {name} scrollWidth {measured['scroll']}")
        if measured["scroll"] > measured["viewport"]:
            wide[name] = measured
    anonymous_page.goto("/login")
    measured = overflow(anonymous_page)
    if measured["scroll"] > measured["viewport"]:
        wide["login"] = measured
    assert not wide, "\n".join(f"{n}: {m}" for n, m in wide.items())
    problems = [p for p in admin_page.problems if "404" not in p]  # the not-found page
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize("size", [320, 768, 1024])
def test_no_page_scrolls_sideways_at_other_widths(open_page, site, size):
    """A small phone, a tablet, a narrow window: the layouts in between hold too."""
    page = open_page({"width": size, "height": 800})
    log_in(page)
    wide = {}
    for name, path in site.pages.items():
        page.goto(path)
        measured = overflow(page)
        if measured["scroll"] > measured["viewport"]:
            wide[name] = measured
    assert not wide, "\n".join(f"{n}: {m}" for n, m in wide.items())
    # the header's search box keeps a usable width
    page.goto(site.pages["documents"])
    assert page.locator("header form[role=search] input").bounding_box()["width"] > 150


def test_axe_finds_nothing_serious(open_page, site, width, axe_source):
    admin_page = open_page(WIDTHS[width], bypass_csp=True)
    log_in(admin_page)
    anonymous_page = open_page(WIDTHS[width], bypass_csp=True)
    found = {}
    checks = [(admin_page, n, p) for n, p in site.pages.items()] + [
        (anonymous_page, "login", "/login")]
    for page, name, path in checks:
        page.goto(path)
        violations = run_axe(page, axe_source)
        # shown with -s: the moderate and minor ones are worth a look too
        print(f"axe {WIDTHS[width]['width']} {name}: "
              f"{[(v['id'], v['impact']) for v in violations] or 'none'}")
        bad = [v for v in violations if v["impact"] in ("serious", "critical")]
        if bad:
            found[name] = bad
    assert not found, "\n".join(f"{n}: {v}" for n, vs in found.items() for v in vs)


def test_skip_link_one_h1_and_own_title(admin_page, site, anonymous_page):
    page = admin_page
    titles = {}
    checks = [(page, n, p) for n, p in site.pages.items()] + [(anonymous_page, "login", "/login")]
    for p, name, path in checks:
        p.goto(path)
        expect(p.locator("h1"), f"{name}: one <h1>").to_have_count(1)
        title = p.title()
        assert title.endswith(SITE) and title != SITE, f"{name}: title {title!r}"
        titles.setdefault(title, []).append(name)
        skip = p.locator("body > a.skip-link").first
        expect(skip).to_have_attribute("href", "#main")
        expect(skip).to_have_text("Bỏ qua đến nội dung chính")
        assert p.locator("main#main").count() == 1, name
    same = {t: names for t, names in titles.items() if len(names) > 1}
    assert not same, f"pages sharing a title: {same}"


def test_skip_link_is_first_tab_stop_and_moves_focus_to_main(admin_page, site):
    page = admin_page
    page.goto(site.pages["documents"])
    skip = page.locator("a.skip-link")
    expect(skip).not_to_be_in_viewport()     # hidden until it has the focus
    page.keyboard.press("Tab")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()
    page.keyboard.press("Tab")   # the next stop is inside main, not the header
    assert page.evaluate("document.activeElement.closest('main') !== null")


@pytest.mark.parametrize("name", ["document", "documents", "briefing", "audit", "admin-users"])
def test_slash_focuses_the_search_box(admin_page, site, name):
    page = admin_page
    page.goto(site.pages[name])
    page.locator("h1").click()  # the focus somewhere on the page, not in a field
    page.keyboard.press("/")
    box = page.locator("header form[role=search] input[name=q]")
    expect(box).to_be_focused()
    expect(box).to_have_value("")   # the slash itself is not typed
    box.fill("tai san")
    with page.expect_navigation():
        box.press("Enter")
    expect(page).to_have_url(re.compile(r"/\?q=tai\+san"))
    expect(page.locator("form.searchbar input[name=q]")).to_have_value("tai san")


def test_slash_is_typed_inside_fields(admin_page, site):
    page = admin_page
    page.goto(site.pages["upload"])
    number = page.locator("input[name=number]")
    number.click()
    page.keyboard.type("15/QĐ")
    expect(number).to_have_value("15/QĐ")
    page.goto(site.pages["edit"])
    notes = page.locator("textarea[name=notes]")
    notes.click()
    page.keyboard.press("/")
    expect(notes).to_have_value(re.compile(r"/$"))
    expect(notes).to_be_focused()


def test_slash_on_the_search_page_focuses_its_own_box(admin_page, site):
    page = admin_page
    page.goto(site.pages["hits"])
    expect(page.locator("header form[role=search]")).to_have_count(0)  # one box is enough here
    # With results shown the box does not take the focus (a phone would open its
    # keyboard over the hits); on the empty search page it does.
    expect(page.locator("form.searchbar input[name=q]")).not_to_be_focused()
    page.keyboard.press("/")
    expect(page.locator("form.searchbar input[name=q]")).to_be_focused()
    page.goto(site.pages["search"])
    expect(page.locator("form.searchbar input[name=q]")).to_be_focused()


def test_search_on_a_phone_button_whole_and_facets_folded(open_page, site):
    page = open_page(PHONE)
    log_in(page)
    page.goto(site.pages["hits"])
    button = page.locator("form.searchbar button[type=submit]")
    box = button.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], box
    facets = page.locator("details.facets")
    expect(facets).not_to_have_attribute("open", "")
    expect(facets.locator("summary")).to_contain_text("Bộ lọc")
    expect(facets.locator("section").first).to_be_hidden()
    # The first hit is near the top, not after every facet line.
    first_hit = page.locator("li.hit").first
    expect(first_hit).to_be_visible()
    assert first_hit.bounding_box()["y"] < PHONE["height"], "the first hit is below the fold"
    facets.locator("summary").click()
    expect(facets.locator("section").first).to_be_visible()
    facets.locator("a[href*='year=2020']").click()
    # Folded again on the next page; the summary says a filter is applied.
    expect(page.locator("details.facets summary")).to_have_text(re.compile(r"Bộ lọc\s*\(1\)"))
    expect(page.locator("details.facets")).not_to_have_attribute("open", "")
    # The briefing list's filters fold the same way.
    page.goto(site.pages["briefings"])
    fold = page.locator("details.filter-fold")
    expect(fold.locator("select[name=kind]")).to_be_hidden()
    fold.locator("summary").click()
    expect(fold.locator("select[name=kind]")).to_be_visible()
    assert page.problems == [], "\n".join(page.problems)


def test_search_at_a_desk_facets_open_beside_the_hits(open_page, site):
    page = open_page(DESKTOP)
    log_in(page)
    page.goto(site.pages["hits"])
    facets = page.locator("details.facets")
    expect(facets).to_have_attribute("open", "")
    expect(facets.locator("summary")).to_be_hidden()   # nothing to unfold at a desk
    hit = page.locator("li.hit").first.bounding_box()
    aside = facets.bounding_box()
    assert aside["x"] + aside["width"] <= hit["x"], (aside, hit)
    page.goto(site.pages["briefings"])
    expect(page.locator("details.filter-fold select[name=kind]")).to_be_visible()
    expect(page.locator("details.filter-fold summary")).to_be_hidden()


def test_tables_become_cards_on_a_phone(open_page, site):
    page = open_page(PHONE)
    log_in(page)
    page.goto(site.pages["documents"])
    row = page.locator("table.list tbody tr").filter(
        has=page.locator(f"a[href='/documents/{site.document}']"))
    cell = row.locator("td").nth(3)   # number and symbol (after selection, preview, title)
    expect(cell).to_have_text(re.compile("01/2020/NQ-HĐTP"))
    expect(cell).to_have_attribute("data-label", re.compile(r"\S"))
    assert cell.evaluate("td => getComputedStyle(td).display") == "block"
    # The column name is shown with the value (the header row is hidden).
    expect(page.locator("table.list thead")).to_be_hidden()
    header = page.locator("table.list thead th").nth(3).text_content().strip()
    expect(cell).to_have_attribute("data-label", header)
    label = cell.evaluate("td => getComputedStyle(td, '::before').content")
    assert label == f'"{header}"', label
    # one card per row: the rows are stacked, each as wide as the page
    box = row.bounding_box()
    assert box["width"] <= PHONE["width"] and box["x"] >= 0, box
    page.set_viewport_size(DESKTOP)
    expect(page.locator("table.list thead")).to_be_visible()
    assert cell.evaluate("td => getComputedStyle(td).display") == "table-cell"


def test_phone_header_menu_folds_behind_a_button(open_page, site):
    page = open_page(PHONE)
    log_in(page)
    page.goto(site.pages["documents"])
    toggle = page.locator("header .menu-toggle")
    nav = page.locator("header nav")
    expect(toggle).to_be_visible()
    expect(toggle).to_have_text("Menu")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(nav).to_be_hidden()
    expect(page.locator("header .lang")).to_be_hidden()
    expect(page.locator("header form[role=search] input[name=q]")).to_be_visible()
    # The page starts near the top: the header is two short rows.
    assert page.locator("header.top").bounding_box()["height"] < 130
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(nav).to_be_visible()
    expect(page.locator("header .who")).to_be_visible()
    nav.locator("a[href='/briefings/']").click()
    expect(page).to_have_url(re.compile(r"/briefings/$"))
    expect(page.locator("header nav")).to_be_hidden()   # folded again on the next page
    # At a desk there is no button; everything is shown.
    page.set_viewport_size(DESKTOP)
    expect(page.locator("header .menu-toggle")).to_be_hidden()
    expect(page.locator("header nav")).to_be_visible()
    assert page.problems == [], "\n".join(page.problems)


def test_menu_marks_the_current_section(admin_page, site):
    page = admin_page
    nav = page.locator("header nav")
    page.goto(site.pages["briefings"])
    expect(nav.locator("a[aria-current]")).to_have_count(1)
    expect(nav.locator("a[href='/briefings/']")).to_have_attribute("aria-current", "page")
    page.goto(site.pages["briefing-calendar"])
    expect(nav.locator("a[href='/briefings/']")).to_have_attribute("aria-current", "true")
    page.goto(site.pages["upload"])
    expect(nav.locator("a[aria-current]")).to_have_attribute("href", "/documents/upload")
    page.goto(site.pages["document"])
    expect(nav.locator("a[aria-current]")).to_have_attribute("href", "/documents/")


def test_language_switch_on_one_line_at_a_desk(open_page, site):
    page = open_page(DESKTOP)
    log_in(page)
    for path in (site.pages["documents"], site.pages["documents"] + "?lang=en"):
        page.goto(path)
        vi, en = page.locator(".lang a").nth(0), page.locator(".lang a").nth(1)
        assert abs(vi.bounding_box()["y"] - en.bounding_box()["y"]) < 2
        brand, lang = page.locator(".brand").bounding_box(), page.locator(".lang").bounding_box()
        nav = page.locator("header nav").bounding_box()
        # One header row: the switch is on the same line as the site name and the menu.
        assert lang["y"] < brand["y"] + brand["height"], (brand, lang)
        assert lang["y"] < nav["y"] + nav["height"], (nav, lang)
        assert page.locator("header.top").bounding_box()["height"] < 120
    page.goto("/?lang=vi")


def test_screenshots(open_page, site, width):
    """The main screens, for the README and for a person to look at."""
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    page = open_page(WIDTHS[width])
    log_in(page)
    size = WIDTHS[width]["width"]
    for name in ("search", "hits", "document", "documents", "upload", "briefing",
                 "briefings", "retention", "audit"):
        page.goto(site.pages[name])
        page.evaluate("document.activeElement && document.activeElement.blur()")
        page.screenshot(path=str(SCREENSHOT_DIR / f"{name}-{size}.png"),
                        full_page=width == "phone" and name in ("hits", "documents"))
    assert page.problems == [], "\n".join(page.problems)
    anonymous = open_page(WIDTHS[width])
    anonymous.goto("/login")
    anonymous.screenshot(path=str(SCREENSHOT_DIR / f"login-{size}.png"))
