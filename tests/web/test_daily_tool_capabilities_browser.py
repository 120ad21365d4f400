"""Issue 13's capabilities in a real browser, each at a desk (1366 px) and on a phone (390 px).

The table of what was covered before, and where, is in test_daily_tool_browser.py.
Phone layout, accessibility of every main page and the `/` key are tried at both widths
by test_phone_a11y.py; the rows here are the capabilities that were not: real titles,
thumbnails and the page viewer, lists, bulk work, user administration, the authority
list of issuing agencies, same number with a different file, and readable snippets.
"""
from __future__ import annotations

import re
import subprocess
from datetime import date
from types import SimpleNamespace

import pytest
from playwright.sync_api import expect

from tests.conftest import CORPUS, PASSWORD, ROOT
from tests.integration.listing_factories import insert_documents
from tests.web.daily_tool import (archive_text, fits, looks_right, roles, wait_processed,  # noqa: F401
                                  width)

ADMIN, UPLOADER = "kha-nang-quan-tri", "kha-nang-tai-len"
PDF = CORPUS / "pdf-text" / "an_le_so_692023AL.pdf"  # 7 pages; "giả mạo" first on page 3
UNTITLED = "2011_12_28_0207000000930750!~!QD15UB.txt"
QD15 = """ỦY BAN NHÂN DÂN THÀNH PHỐ HÀ NỘI
Số: 15/2010/QĐ-UBND                         Hà Nội, ngày 20 tháng 4 năm 2010

QUYẾT ĐỊNH
Về việc ban hành Quy định quản lý đại lý Internet trên địa bàn thành phố

Điều 1. Ban hành kèm theo Quyết định này Quy định quản lý đại lý Internet (bản kiểm tra).
"""
DEBRIS = "ỦY BAN NHÂN DÂN TỈNH PHÚ THỌ , | LJ"
LIST_AGENCY = "Sở Thử nghiệm Danh sách"
CARRIED = "31/2023/NQ-HĐND"


@pytest.fixture(scope="module", autouse=True)
def data(app, live_server, tmp_path_factory):
    from app.extensions import db
    from app.services.accounts import create_user
    from app.services.documents import archive_document
    from app.services.metadata import DocumentMetadata

    subprocess.run(["bash", str(ROOT / "scripts" / "preview_assets.sh")], check=True)
    with app.app_context():
        admin = create_user(ADMIN, PASSWORD, role="admin")
        uploader = create_user(UPLOADER, PASSWORD, role="uploader")
        people = {w: create_user(f"kha-nang-nguoi-{w}", PASSWORD, role="viewer").id
                  for w in ("desktop", "phone")}
        untitled = archive_text(uploader, UNTITLED, QD15)
        pdf = PDF.read_bytes() + b"\n% kha-nang\n"   # bytes of its own
        import io

        viewer = archive_document(admin, io.BytesIO(pdf), "an-le-69-kha-nang.pdf",
                                  DocumentMetadata(title="Án lệ số 69/2023/AL (khả năng)")
                                  ).document.id
        agency = archive_text(admin, "phu-tho.txt", "Công văn của tỉnh Phú Thọ về báo chí.",
                              title="Công văn về công tác báo chí tỉnh Phú Thọ",
                              issuing_agency=DEBRIS)
        carrier = archive_text(admin, "nq-31.txt", "Nghị quyết về phát triển báo chí.",
                               title="Nghị quyết phát triển báo chí", number=CARRIED,
                               issue_date=date(2023, 7, 10))
        citer = archive_text(admin, "kh-trich-dan.txt",
                             f"Căn cứ Nghị quyết số {CARRIED} ngày 10/7/2023 của Hội đồng nhân "
                             "dân tỉnh, Ủy ban nhân dân tỉnh ban hành kế hoạch bàn giao thiết bị.",
                             title="Kế hoạch thực hiện Nghị quyết về báo chí")
        first = {w: archive_text(uploader, f"chi-thi-09-{w}.txt", f"Chỉ thị 09 ({w}).",
                                 number="09/CT-UBND", issue_date=date(2019, 3, 4),
                                 issuing_agency=f"Ủy ban nhân dân tỉnh {place}")
                 for w, place in (("desktop", "Kon Tum"), ("phone", "Gia Lai"))}
        db.session.remove()
    listed = insert_documents(app, [{"title": f"Danh sách {n:02d}", "issuing_agency": LIST_AGENCY,
                                     "doc_type": "CV"} for n in range(55)])
    wait_processed(app, [untitled, viewer, agency, carrier, citer, *first.values()])
    return SimpleNamespace(untitled=untitled, viewer=viewer, agency=agency, carrier=carrier,
                           citer=citer, first=first, people=people, listed=listed)


def search(page, query: str):
    page.goto(f"/search/?q={query}")
    expect(page.locator("ol.hitlist")).to_be_visible()
    return page.locator("li.hit")


def test_real_titles(roles, data, width):
    page = roles.page(UPLOADER, width)
    page.goto(f"/documents/{data.untitled}")
    title = page.locator("h1")
    expect(title).to_have_text(re.compile(
        r"^Quyết định 15/2010/QĐ-UBND về việc ban hành Quy định quản lý đại lý Internet"))
    expect(title).not_to_contain_text("QD15UB")
    page.goto("/documents/")
    row = page.locator(f"table.list a[href='/documents/{data.untitled}']")
    expect(row).to_contain_text("Quyết định 15/2010/QĐ-UBND")
    looks_right(page)


def test_thumbnails_and_the_viewer_at_the_matching_page(roles, data, width):
    page = roles.page(ADMIN, width)
    hit = search(page, "chung cu gia mao").filter(
        has=page.locator(f"a.hit-title[href='/documents/{data.viewer}']"))
    thumb = hit.locator("img.thumb")
    expect(thumb).to_be_visible()
    expect(thumb).to_have_js_property("complete", True)
    assert thumb.evaluate("img => img.naturalWidth") > 0
    fits(page)
    hit.locator("a.hit-title").click()
    viewer = page.locator("[data-pdf-viewer]")
    expect(viewer).to_have_attribute("data-ready", "1")
    expect(viewer).to_have_attribute("data-page", "3")
    expect(viewer.locator(".page[data-page-number='3'] .textLayer .highlight").first
           ).to_be_visible()
    expect(page.locator("[data-pdf-next]")).to_be_visible()
    looks_right(page)
    page.goto("/documents/")
    row = page.locator("table.list tbody tr").filter(
        has=page.locator(f"a[href='/documents/{data.viewer}']"))
    expect(row.locator("img.thumb")).to_be_visible()
    page.goto(f"/documents/{data.viewer}/edit")
    side = page.locator(".edit-with-preview [data-pdf-viewer]")
    expect(side).to_have_attribute("data-ready", "1")
    form, preview = page.locator(".edit-with-preview form").first.bounding_box(), \
        side.bounding_box()
    if width == "desktop":   # beside the form
        assert preview["x"] >= form["x"] + form["width"] - 1, (form, preview)
    else:                    # under it, as wide as the page allows
        assert preview["y"] >= form["y"] + form["height"] - 1, (form, preview)
    fits(page)
    assert page.problems == [], "\n".join(page.problems)


def test_lists_filter_sort_page_and_show_chips(roles, data, width):
    page = roles.page(ADMIN, width)
    page.goto("/documents/")
    filters = page.locator("form.list-filters")
    filters.locator("input[name=agency]").fill(LIST_AGENCY)
    filters.locator("select[name=type]").select_option("CV")
    filters.get_by_role("button", name="Lọc").click()
    chips = page.locator("ul.chips")
    expect(chips).to_contain_text(LIST_AGENCY)
    expect(chips).to_contain_text("Công văn")
    expect(page.locator("p.total")).to_have_text("55 tài liệu")
    rows = page.locator("table.list tbody tr")
    expect(rows).to_have_count(50)
    expect(rows.first.locator("[data-doc-status]")).to_have_text("đã lập chỉ mục")
    # At a desk the column header sorts; on a phone (cards, no header row) the sort links.
    by_title = page.get_by_role("link", name=re.compile("^Tiêu đề"))
    expect(by_title).to_be_visible()
    by_title.click()
    expect(rows.first).to_contain_text("Danh sách 00")
    expect(by_title).to_have_text("Tiêu đề ↑")
    by_title.click()
    expect(rows.first).to_contain_text("Danh sách 54")
    pager = page.locator("nav.pager")
    expect(pager).to_contain_text("Trang 1/2")
    fits(page)
    pager.get_by_role("link", name=re.compile("Trang sau")).click()
    expect(rows).to_have_count(5)
    expect(rows.first).to_contain_text("Danh sách 04")
    expect(chips).to_contain_text(LIST_AGENCY)   # the filters stay applied
    looks_right(page)
    chips.locator("li.chip").filter(has_text="Công văn").locator("a.chip-remove").click()
    expect(chips).not_to_contain_text("Công văn")
    expect(chips).to_contain_text(LIST_AGENCY)


def test_bulk_work_on_a_selection(roles, data, width, app):
    page = roles.page(ADMIN, width)
    page.goto(f"/documents/?agency={LIST_AGENCY}&sort=title&order=asc")
    mine = (0, 1) if width == "desktop" else (2, 3)
    for n in mine:
        page.locator("[data-select]").nth(n).check()
    expect(page.locator("[data-selected-count]")).to_have_text("2")
    page.locator("[data-bulk-action]").select_option("set_type")
    field = page.locator("[data-bulk-for='set_type']")
    expect(field).to_be_visible()
    field.locator("select").select_option("BC")
    fits(page)
    page.locator(".bulk-panel button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/documents/bulk/\d+"))
    expect(page.locator("[data-bulk-field=state]")).to_have_text("xong", timeout=30_000)
    expect(page.locator("progress")).to_have_attribute("value", "100")
    expect(page.locator("[data-bulk-field=changed]")).to_have_text("2")
    looks_right(page)
    page.goto(f"/documents/?agency={LIST_AGENCY}&type=BC")
    titles = page.locator("table.list tbody td a[href^='/documents/']").all_inner_texts()
    assert {f"Danh sách {n:02d}" for n in mine} <= set(titles), titles


def test_user_administration(roles, data, width):
    page = roles.page(ADMIN, width)
    person = data.people[width]
    page.goto("/admin/users")
    page.locator(f"a[href='/admin/users/{person}']").first.click()
    expect(page.locator("h1")).to_have_text(f"Tài khoản kha-nang-nguoi-{width}")
    page.locator("select[name=role]").select_option("uploader")
    page.locator("select[name=clearance]").select_option("mat")
    page.locator("[data-access-form] button[type=submit]").click()
    expect(page.locator("main")).to_contain_text("Thay đổi có hiệu lực ngay")
    expect(page.locator("select[name=role]")).to_have_value("uploader")
    expect(page.locator("select[name=clearance]")).to_have_value("mat")
    page.locator("[data-reset-password]").click()
    notice = page.locator("[data-temporary-password]")
    expect(notice).to_contain_text("chỉ hiện một lần")
    expect(notice.locator("code.token")).to_be_visible()
    looks_right(page)
    page.goto("/admin/users")
    row = page.locator("table.list tbody tr").filter(has_text=f"kha-nang-nguoi-{width}")
    expect(row).to_contain_text("phải đặt mật khẩu mới")


def test_issuing_agencies_by_their_canonical_names(roles, data, width):
    page = roles.page(ADMIN, width)
    hit = search(page, "công tác báo chí tỉnh Phú Thọ").filter(
        has=page.locator(f"a.hit-title[href='/documents/{data.agency}']"))
    expect(hit.locator(".hit-meta")).to_contain_text("Ủy ban nhân dân tỉnh Phú Thọ")
    expect(hit.locator(".hit-meta")).not_to_contain_text("| LJ")
    facets = page.locator("details.facets")
    if width == "phone":
        facets.locator("summary").click()
    agency = facets.locator("a").filter(has_text="Ủy ban nhân dân tỉnh Phú Thọ")
    expect(agency).to_be_visible()
    expect(facets).not_to_contain_text("| LJ")
    expect(facets).not_to_contain_text("ỦY BAN NHÂN DÂN TỈNH PHÚ THỌ")
    fits(page)
    agency.click()
    expect(page.locator(f"a.hit-title[href='/documents/{data.agency}']")).to_be_visible()
    looks_right(page)


def test_same_number_different_file_joins_the_record(roles, data, width):
    page = roles.page(UPLOADER, width)
    first = data.first[width]
    place = "Kon Tum" if width == "desktop" else "Gia Lai"
    page.goto("/documents/upload")
    page.locator("input[type=file]").set_input_files({
        "name": f"chi-thi-09-{width}.docx.txt", "mimeType": "text/plain",
        "buffer": f"Chỉ thị 09/CT-UBND, bản thứ hai ({width}).".encode()})
    page.locator("input[name=number]").fill("09/CT-UBND")
    page.locator("input[name=issuing_agency]").fill(f"Ủy ban nhân dân tỉnh {place}")
    page.locator("input[name=issue_date]").fill("04/03/2019")
    page.locator("form.upload > button[type=submit]").click()
    warning = page.locator("[data-same-number]")
    expect(warning.locator(f"a[href='/documents/{first}']")).to_be_visible()
    attach = warning.locator(f"[data-attach-to='{first}']")
    expect(attach).to_be_visible()
    expect(page.locator("[data-staged] input[name=staged]")).to_be_checked()
    looks_right(page)
    attach.click()
    expect(page).to_have_url(re.compile(rf"/documents/{first}$"))
    files = page.locator("[data-document-files] li")
    expect(files).to_have_count(2)
    expect(files.nth(1)).to_contain_text(f"chi-thi-09-{width}.docx.txt")
    fits(page)


def test_snippets_mark_only_what_was_typed_and_a_number_shows_its_carrier(roles, data, width):
    page = roles.page(ADMIN, width)
    hit = search(page, "ủy ban nhân dân bàn giao").filter(
        has=page.locator(f"a.hit-title[href='/documents/{data.citer}']"))
    marks = {w.lower() for m in hit.locator(".snippet mark").all_inner_texts() for w in m.split()}
    assert marks and marks <= {"ủy", "ban", "nhân", "dân", "bàn", "giao"}, marks
    hit = search(page, "ủy ban nhân dân").filter(
        has=page.locator(f"a.hit-title[href='/documents/{data.citer}']"))
    marks = {w.lower() for m in hit.locator(".snippet mark").all_inner_texts() for w in m.split()}
    assert "ban" in marks and "bàn" not in marks, marks
    fits(page)
    hits = search(page, CARRIED)
    expect(hits.first.locator("a.hit-title")).to_have_attribute(
        "href", f"/documents/{data.carrier}")
    expect(hits.first.locator(".relation-carries")).to_have_text(
        f"Văn bản số {CARRIED}")
    citing = hits.filter(has=page.locator(f"a.hit-title[href='/documents/{data.citer}']"))
    expect(citing.locator(".relation-cites")).to_have_text(f"Trích dẫn {CARRIED}")
    looks_right(page)
