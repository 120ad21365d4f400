"""The report in a real browser: charts beside their tables, no script or style refused
by the CSP, the period form, and the DOCX download."""
from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.integration.test_reports import build_archive
from tests.web.test_browser import log_in


def test_report_page_charts_tables_and_docx(new_page, live_server, app, screenshots, tmp_path):
    build_archive(app)
    page = new_page()
    log_in(page, live_server)
    link = page.locator("header nav a[href='/reports/']")
    expect(link).to_have_text("Báo cáo")
    link.click()
    form = page.locator("form.report-period")
    form.locator("select[name=period]").select_option("year")
    form.locator("input[name=year]").fill("2024")
    form.locator("button[type=submit]").click()
    expect(page.locator("h1")).to_have_text("Báo cáo: năm 2024")
    # Other browser tests share this archive and place holds of their own: the exact
    # counts are checked in tests/integration/test_reports.py on an archive of its own.
    expect(page.locator("[data-figure=held] dd")).to_have_text(re.compile(r"^\s*\d+\s*$"))
    assert int(page.locator("[data-figure=held] dd").text_content()) >= 5
    assert int(page.locator("[data-figure=adhoc_late] dd").text_content()) >= 1
    expect(page.locator(".report-notes")).to_contain_text("Họp báo đột xuất vụ cháy rừng")
    # Every chart is an accessible image with its table in the same block.
    blocks = page.locator(".report-block:has(svg)")
    assert blocks.count() >= 8
    for n in range(blocks.count()):
        block = blocks.nth(n)
        expect(block.locator("svg[role=img] > title")).to_have_count(1)
        expect(block.locator("table caption")).to_have_count(1)
    month_chart = page.locator("[data-table=briefings_per_month] svg")
    assert month_chart.locator("rect").count() >= 2 + 5  # legend + at least our five bars
    box = month_chart.bounding_box()
    assert box and box["width"] > 300
    expect(page.locator("[data-table=products_by_kind] tbody tr").first).to_contain_text(
        "150.000.000")
    page.screenshot(path=str(screenshots / "report-page.png"), full_page=False)
    with page.expect_download() as download:
        page.locator("a[data-download=docx]").click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    assert re.fullmatch(r"bao-cao-full-20240101-20241231\.docx", saved.name)
    assert saved.read_bytes()[:2] == b"PK"
    assert page.problems == []
