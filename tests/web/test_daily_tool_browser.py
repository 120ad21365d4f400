"""Issue 13's defects 1-13 in a real browser, each at a desk (1366 px) and on a phone (390 px).

Where each defect and capability of the issue is tried in tests/web (widths: D 1366,
P 390, 1280 the conftest's default). Rows marked "here" are in this module (defects 1-5,
the upload form, in test_daily_tool_upload_browser.py), rows marked "caps" in
test_daily_tool_capabilities_browser.py; all of them run at D and P.

| Issue item                                          | Browser test before this module               | Widths   |
|-----------------------------------------------------|-----------------------------------------------|----------|
| 1 upload without a file: Vietnamese, not 500        | none                                          | here     |
| 2 empty file refused; failures as sentences         | test_browser::failed_upload (corrupt PDF)     | 1280     |
| 3 text named .pdf: told what it is                  | none                                          | here     |
| 4 31/02/2024 "does not exist", file kept            | test_browser::form_error_keeps_the_file*      | 1280     |
| 5 suggestions "Quyết định", not "QD"                | test_browser::form_error / offers (TB)        | 1280     |
| 6 /audit in sentences                               | test_phone_a11y (layout and axe only)         | D, P     |
| 7 no codes on the briefing page                     | none                                          | here     |
| 8 unambiguous words (rules, Hủy, Khóa)              | none                                          | here     |
| 9 approve/reject differ, confirmation names records | test_retention_browser::propose_approve       | 1280     |
| 10 a number two documents carry: ask which          | none (test_briefings attaches a unique number)| here     |
| 11 a viewer gets no edit page                       | none                                          | here     |
| 12 calendar future months; export index             | test_briefings (past months, ZIP paths)       | 1280     |
| 13 VI/EN switch one line at 1366                    | test_phone_a11y::language_switch_on_one_line  | D (+P h.)|
| 13 no sideways scroll; search button; facets first  | test_phone_a11y::no_page_scrolls_sideways,    | D, P     |
|                                                     |   search_on_a_phone / search_at_a_desk        | D, P     |
| 13 ?lang=en: types, categories, facet values        | none                                          | here     |
| Real titles                                         | none                                          | caps     |
| Previews, thumbnails, viewer at the matching page   | test_previews_browser                         | 1280     |
| Lists: sort, filter, pages, chips, thumbnails       | test_bulk_browser (chip), phone_a11y (cards)  | 1280, P  |
| Bulk work with progress                             | test_bulk_browser                             | 1280     |
| User administration                                 | test_user_admin_browser                       | 1280     |
| Issuing agencies as an authority list               | none                                          | caps     |
| Same number, different file                         | test_same_number_browser                      | 1280     |
| Snippets people can read                            | test_browser (marks, with/without diacritics) | 1280     |
| Phone width: no sideways scroll, folds, cards       | test_phone_a11y                               | D, P     |
| Accessibility: axe, skip link, one h1, titles       | test_phone_a11y                               | D, P     |
| Keyboard: `/` focuses the search box                | test_phone_a11y::slash_*                      | D, P     |
(* with "không phải ngày", not an impossible date.) Every test here and in caps asserts
what the person sees at its width, that nothing scrolls sideways, and (where the screen
is new to the browser tests) axe-core and the console.
"""
from __future__ import annotations

import re
from datetime import date, datetime, timezone
from types import SimpleNamespace

import pytest
from playwright.sync_api import expect

from tests.conftest import PASSWORD
from tests.web.daily_tool import (DECISION, archive_text, fits, looks_right, roles, wait_processed,  # noqa: F401
                                  width)

UPLOADER, VIEWER, ARCHIVIST, ADMIN = "ngay-tai-len", "ngay-chi-xem", "ngay-luu-tru", "ngay-quan-tri"
NUMBER = "27/KH-UBND"


@pytest.fixture(scope="module", autouse=True)
def data(app, live_server):
    """People of each role and their records, made through the services."""
    from app.extensions import db
    from app.models import User
    from app.services import briefings, disposition
    from app.services.accounts import create_user
    from app.services.documents import update_metadata
    from app.services.metadata import DocumentMetadata
    from app.services.retention import sweep

    with app.app_context():
        people = {name: create_user(name, PASSWORD, role=role) for name, role in (
            (UPLOADER, "uploader"), (VIEWER, "viewer"), (ARCHIVIST, "archivist"),
            (ADMIN, "admin"))}
        uploader, archivist = people[UPLOADER], people[ARCHIVIST]
        decision = archive_text(uploader, "quyet-dinh-ngay.txt", DECISION.format(tag="ngày"),
                                title="Quyết định ban hành Quy chế cung cấp thông tin",
                                doc_type="QD", category="directive_decision")
        plans = [archive_text(uploader, f"ke-hoach-{year}-ngay.txt", f"Kế hoạch năm {year}.",
                              title=f"Kế hoạch tuyên truyền {year}", number=NUMBER,
                              issue_date=date(year, 2, 1)) for year in (2023, 2024)]
        due = archive_text(archivist, "bao-cao-2011-ngay.txt", "Báo cáo năm 2011 (kiểm tra).",
                           title="Báo cáo tổng kết năm 2011 về thông tin đối ngoại",
                           category="report", issue_date=date(2011, 12, 20))
        waiting = archive_text(archivist, "bao-cao-2012-ngay.txt", "Báo cáo năm 2012 (kiểm tra).",
                     title="Báo cáo năm 2012, còn chờ xem xét", category="report",
                     issue_date=date(2012, 12, 20))   # stays due: the propose form is shown
        held = dict(kind="periodic", held_at=datetime(2024, 5, 16, 7, 0, tzinfo=timezone.utc),
                    hosts=["propaganda", "police"], topics=["human_rights"],
                    outlets=["Báo Quảng Ngãi"], minutes="Thông tin về nhân quyền.",
                    spokespeople="Đại diện Công an tỉnh\nĐại diện Sở Văn hóa, Thể thao và Du lịch")
        meetings = {w: briefings.create_briefing(uploader, briefings.BriefingData(
            title=f"Hội nghị cung cấp thông tin tháng 5/2024 ({w})", **held)).id
            for w in ("desktop", "phone")}
        db.session.remove()
    wait_processed(app, [decision, *plans, due, waiting])
    with app.app_context():
        archivist = db.session.scalar(db.select(User).where(User.username == ARCHIVIST))
        sweep(date(2025, 1, 1))
        proposal = disposition.propose(archivist, "destroy", [due], "Hết thời hạn bảo quản.").id
        update_metadata(archivist, decision, DocumentMetadata(
            title="Quyết định 15/2024/QĐ-UBND ban hành Quy chế", doc_type="QD",
            category="directive_decision", issue_date=date(2024, 3, 12)))
        db.session.remove()
    return SimpleNamespace(decision=decision, plans=plans, due=due,
                           proposal=proposal, meetings=meetings)


# 6
def test_audit_trail_reads_as_sentences(roles, data, width):
    page = roles.page(ADMIN, width)
    page.goto(f"/audit/?object={data.decision}")
    rows = page.locator("table.list tbody tr")
    expect(rows.first).to_be_visible()
    actions = [a.strip() for a in page.locator("td[data-action]").all_inner_texts()]
    assert "Sửa" in actions and "Tạo mới" in actions, actions
    assert not {"create", "edit", "update", "dossier.save"} & set(actions), actions
    details = page.locator("td.details").filter(has_text="Tiêu đề: Quyết định ban hành")
    expect(details).to_contain_text("Tiêu đề: Quyết định ban hành Quy chế cung cấp thông tin → "
                                     "Quyết định 15/2024/QĐ-UBND ban hành Quy chế")
    expect(details).to_contain_text("Ký hiệu: 2024/QĐ-UBND → —")
    text = page.locator("main").inner_text()
    assert "\\u" not in text and '{"' not in text and '":' not in text, text[:500]
    looks_right(page)


# 7
def test_briefing_page_shows_no_codes(roles, data, width):
    page = roles.page(UPLOADER, width)
    page.goto(f"/briefings/{data.meetings[width]}")
    footer = page.locator("[data-retention-series]")
    expect(footer).to_be_visible()
    expect(footer).to_contain_text("Hồ sơ họp báo cung cấp thông tin cho báo chí")   # its name
    expect(footer).to_contain_text("10 năm")
    text = page.locator("main").inner_text()
    for code in ("briefing", "periodic", "propaganda", "police", "human_rights", "talking_points"):
        assert not re.search(rf"\b{code}\b", text), f"{code!r} shown: {text[:800]}"
    expect(page.locator("main")).to_contain_text("Công an tỉnh")   # the hosts, by name
    looks_right(page)


# 8
def test_words_mean_one_thing(roles, data, width):
    page = roles.page(ARCHIVIST, width)
    page.goto("/retention/schedules")
    for table in page.locator("table.list").all():
        headers = [h.strip() for h in table.locator("thead th").all_text_contents() if h.strip()]
        assert len(headers) == len(set(headers)), headers
    rules = page.locator("table.list").nth(1)
    headers = rules.locator("thead th").all_text_contents()
    assert "Nhóm tài liệu" in headers and "Nhóm thời hạn bảo quản" in headers, headers
    if width == "phone":   # a card: every value with its column's name
        labels = rules.locator("tbody tr").first.locator("td").evaluate_all(
            "tds => tds.map(td => getComputedStyle(td, '::before').content)")
        named = [label for label in labels if label not in ("none", '""')]
        assert len(named) == len(set(named)) and '"Nhóm thời hạn bảo quản"' in named, labels
    fits(page)
    page.goto("/retention/")
    actions = page.locator("form.propose select[name=action] option").all_inner_texts()
    assert "Tiêu hủy" in actions and "Hủy" not in actions, actions
    page.goto(f"/documents/{data.decision}/edit")
    expect(page.get_by_role("link", name="Quay lại, không lưu")).to_be_visible()
    expect(page.get_by_role("button", name="Hủy", exact=True)).to_have_count(0)
    expect(page.get_by_role("link", name="Hủy", exact=True)).to_have_count(0)

    admin = roles.page(ADMIN, width)
    admin.goto("/admin/users")
    expect(admin.locator("table.list thead")).to_contain_text("Trạng thái tài khoản")
    row = admin.locator("table.list tbody tr").filter(has_text=VIEWER)
    expect(row.locator("[data-account-status]")).to_have_text("Đang hoạt động")
    expect(row.get_by_role("button", name="Khóa tài khoản này")).to_be_visible()
    expect(admin.get_by_role("button", name="Khóa", exact=True)).to_have_count(0)
    looks_right(admin)


# 9
def test_approve_and_reject_differ_and_destruction_asks_first(roles, data, width):
    page = roles.page(ADMIN, width)
    page.goto(f"/retention/proposals/{data.proposal}")
    decision = page.locator("form.decision")
    approve, reject = decision.locator("button[value=approve]"), decision.locator(
        "button[value=reject]")
    expect(approve).to_be_visible()
    expect(reject).to_be_visible()
    expect(approve).to_contain_text("tiêu hủy")
    expect(reject).to_have_text("Từ chối đề xuất")
    look = "b => [getComputedStyle(b).backgroundColor, getComputedStyle(b).color]"
    assert approve.evaluate(look) != reject.evaluate(look)
    looks_right(page)
    decision.locator("input[name=decision_ref]").fill("09/QĐ-STTTT")
    approve.click()
    expect(page.locator("h1")).to_have_text("Xác nhận tiêu hủy")
    expect(page.locator("[role=alert]")).to_contain_text("Không thể hoàn tác")
    records = page.locator("[data-confirm-records]")
    expect(records).to_contain_text("Báo cáo tổng kết năm 2011 về thông tin đối ngoại")
    expect(records).to_contain_text("bao-cao-2011-ngay.txt")
    expect(page.locator("form.decision-confirm button[value=approve]")).to_have_text(
        "Tiêu hủy 1 tài liệu này")
    looks_right(page)
    page.get_by_role("link", name="Quay lại, chưa quyết định").click()   # nothing happened
    expect(page.locator("[data-proposal-status]")).to_have_text("Chờ phê duyệt")
    page.goto(f"/documents/{data.due}")
    expect(page.get_by_role("link", name="Tải xuống bản gốc")).to_have_count(1)


# 10
def test_a_number_two_documents_carry_asks_which(roles, data, width):
    page = roles.page(UPLOADER, width)
    briefing = data.meetings[width]
    page.goto(f"/briefings/{briefing}")
    attach = page.locator("form.attach-material")
    attach.locator("input[name=reference]").fill(NUMBER)
    attach.locator("select[name=role]").select_option("guidance")
    attach.locator("button[type=submit]").click()
    expect(page.locator("[data-ambiguous]")).to_contain_text(
        f"Có 2 tài liệu cùng mang số {NUMBER}")
    hits = page.locator("li.hit")
    expect(hits).to_have_count(2)
    expect(hits.nth(0)).to_contain_text("Kế hoạch tuyên truyền")
    for n in range(2):
        expect(hits.nth(n).locator("select[name=role]")).to_have_value("guidance")
    looks_right(page)
    chosen = hits.filter(has_text="Kế hoạch tuyên truyền 2024")
    chosen.get_by_role("button", name="Gắn").click()
    expect(page).to_have_url(re.compile(rf"/briefings/{briefing}$"))
    expect(page.locator(f"tr.material[data-document='{data.plans[1]}']")).to_be_visible()
    expect(page.locator(f"tr.material[data-document='{data.plans[0]}']")).to_have_count(0)


# 11
def test_a_viewer_gets_no_edit_page(roles, data, width):
    page = roles.page(VIEWER, width)
    page.goto(f"/documents/{data.decision}")
    expect(page.locator("h1")).to_be_visible()
    expect(page.locator(f"a[href='/documents/{data.decision}/edit']")).to_have_count(0)
    expect(page.locator("a[href='/documents/upload']")).to_have_count(0)
    answer = page.goto(f"/documents/{data.decision}/edit")
    assert answer.status == 403
    expect(page.locator("main")).to_contain_text("Bạn không có quyền")
    expect(page.locator("main input[name=title]")).to_have_count(0)
    expect(page.locator("main button[type=submit]")).to_have_count(0)
    fits(page)


# 12
def test_calendar_future_months_and_export_index(roles, data, width, tmp_path):
    page = roles.page(UPLOADER, width)
    page.goto(f"/briefings/calendar?year={date.today().year + 1}")
    months = page.locator("li.month")
    expect(months).to_have_count(12)
    expect(page.locator("li.month.upcoming")).to_have_count(12)
    expect(months.first).to_contain_text("Chưa đến")
    expect(page.locator("main")).not_to_contain_text("Không tổ chức")
    looks_right(page)
    page.goto(f"/briefings/{data.meetings[width]}")
    with page.expect_download() as download:
        page.locator("a.export").click()
    target = tmp_path / "dossier.zip"
    download.value.save_as(target)
    import zipfile

    with zipfile.ZipFile(target) as archive:
        archive.extract("index.html", tmp_path)
    # Opened from the unpacked ZIP as a person would (set_content would keep the app
    # page's Content-Security-Policy, which blocks the index's own style).
    page.goto((tmp_path / "index.html").as_uri())
    shown = page.locator("body").inner_text()
    assert "Đại diện Công an tỉnh\nĐại diện Sở Văn hóa, Thể thao và Du lịch" in shown, shown
    fits(page)  # opened on a phone, the index (long SHA-256 lines) does not scroll sideways


# 13
def test_english_names_and_a_switch_on_one_line(roles, data, width):
    page = roles.fresh(UPLOADER, width)
    page.goto("/search/?q=Quy chế cung cấp thông tin")
    if width == "phone":   # the switch is in the folded menu
        page.locator("header .menu-toggle").click()
    vi, en = page.locator(".lang a").nth(0), page.locator(".lang a").nth(1)
    expect(en).to_be_visible()
    assert abs(vi.bounding_box()["y"] - en.bounding_box()["y"]) < 2
    en.click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    facets = page.locator("details.facets")
    if width == "phone":
        facets.locator("summary").click()
    expect(facets).to_contain_text("Decision")
    expect(facets).to_contain_text("Directive / decision")
    expect(facets).not_to_contain_text("Quyết định")
    expect(page.locator(f"li.hit a.hit-title[href='/documents/{data.decision}']")).to_be_visible()
    fits(page)
    page.goto(f"/documents/{data.decision}")
    meta = page.locator("dl.meta")
    expect(meta).to_contain_text("Decision")
    expect(meta).to_contain_text("Directive / decision")
    looks_right(page)
    page.goto("/?lang=vi")
