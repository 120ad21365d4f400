"""Uploading a number already archived: the page asks, and the file joins the existing record."""
from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.web.test_browser import choose_file, document_id, log_in, open_upload_page


def _upload(page, path, number: str) -> None:
    open_upload_page(page)
    choose_file(page, path)
    page.locator("input[name=number]").fill(number)
    page.locator("input[name=issuing_agency]").fill("Ủy ban nhân dân tỉnh Quảng Ngãi")
    page.locator("input[name=issue_date]").fill("20/03/2018")
    page.locator("form.upload button[type=submit]").first.click()


def test_same_number_upload_offers_to_add_the_file_to_the_record(new_page, live_server,
                                                                  screenshots, tmp_path):
    # Bytes of their own: other browser tests upload the samples on the same server.
    first_file, second_file = tmp_path / "chi-thi-07.txt", tmp_path / "chi-thi-07-ban-sua.txt"
    first_file.write_text(f"Chỉ thị 07/CT-UBND {tmp_path.name}", encoding="utf-8")
    second_file.write_text(f"Chỉ thị 07/CT-UBND, bản sửa {tmp_path.name}", encoding="utf-8")
    page = new_page()
    log_in(page, live_server)
    _upload(page, first_file, "07/CT-UBND")
    first = document_id(page)

    _upload(page, second_file, "07/CT-UBND")
    warning = page.locator("[data-same-number]")
    expect(warning).to_be_visible()
    expect(warning.locator(f"a[href='/documents/{first}']")).to_be_visible()
    expect(page.locator("[data-staged] input[name=staged]")).to_have_count(1)  # the file waits
    page.screenshot(path=str(screenshots / "upload-same-number.png"), full_page=True)
    warning.locator(f"[data-attach-to='{first}']").click()

    expect(page).to_have_url(re.compile(rf"/documents/{first}$"))
    files = page.locator("[data-document-files] li")
    expect(files).to_have_count(2)
    expect(files.nth(1)).to_contain_text(second_file.name)
    assert page.problems == []
