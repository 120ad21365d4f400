"""Issue 13's defects 1-5 (the upload form) in a real browser, at 1366 px and at 390 px.

The table of what was covered before, and where, is in test_daily_tool_browser.py.
"""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.conftest import PASSWORD
from tests.web.daily_tool import (DECISION, archive_text, fits, looks_right, roles, wait_processed,  # noqa: F401
                                  width)

UPLOADER = "tai-len-hang-ngay"


@pytest.fixture(scope="module", autouse=True)
def data(app, live_server):
    """An uploader, and a record whose processing failed on an empty file."""
    from types import SimpleNamespace

    from app.extensions import db
    from app.models import Document
    from app.services.accounts import create_user

    with app.app_context():
        uploader = create_user(UPLOADER, PASSWORD, role="uploader")
        failed = archive_text(uploader, "rong-hang-ngay.txt", "Tạm thời.", title="Tệp sẽ hỏng")
        db.session.remove()
    wait_processed(app, [failed])
    with app.app_context():   # the state the extraction job leaves after an empty file
        broken = db.session.get(Document, failed)
        broken.status, broken.error_code = "failed", "empty"
        broken.error_detail = "e3b0c44298fc1c149afbf4c8996fb924: zero-byte file"
        db.session.commit()
        db.session.remove()
    return SimpleNamespace(failed=failed)


def upload_form(page):
    page.goto("/documents/upload")
    return page.locator("form.upload > button[type=submit]")


def text_file(name: str, text: str) -> dict:
    return {"name": name, "mimeType": "text/plain", "buffer": text.encode("utf-8")}


# 1
def test_upload_without_a_file_says_so_in_vietnamese(roles, width):
    page = roles.page(UPLOADER, width)
    submit = upload_form(page)
    page.locator("input[name=title]").fill("Kế hoạch tuyên truyền")
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        submit.click()
    assert answer.value.status == 200
    expect(page.locator(".dropzone .error")).to_have_text("Vui lòng chọn ít nhất một tệp.")
    expect(page.locator("body")).not_to_contain_text("Internal Server Error")
    expect(page.locator("input[name=title]")).to_have_value("Kế hoạch tuyên truyền")
    expect(submit).to_be_visible()
    looks_right(page)


# 2
def test_an_empty_file_is_refused_and_a_failure_reads_as_a_sentence(roles, data, width):
    page = roles.page(UPLOADER, width)
    submit = upload_form(page)
    name = f"rong-{width}.pdf"
    page.locator("input[type=file]").set_input_files(
        {"name": name, "mimeType": "application/pdf", "buffer": b""})
    page.locator("input[name=title]").fill("Tệp rỗng")
    submit.click()
    expect(page.locator(".dropzone .error")).to_have_text(
        f"{name}: Tệp rỗng (0 byte).")
    expect(page.locator(".results-upload a")).to_have_count(0)   # nothing archived
    expect(page.locator("[data-staged]")).to_have_count(0)       # nor kept for another try
    looks_right(page)

    page.goto(f"/documents/{data.failed}")
    expect(page.locator(f"[data-doc-error-text='{data.failed}']")).to_have_text(
        "Tệp rỗng (0 byte).")
    main = page.locator("main")
    for code in ("e3b0c4", "zero-byte", "empty:"):
        expect(main).not_to_contain_text(code)
    expect(page.locator(f"form[data-retry='{data.failed}'] button")).to_have_count(0)
    fits(page)


# 3
def test_a_text_file_named_pdf_is_called_what_it_is(roles, width):
    page = roles.page(UPLOADER, width)
    submit = upload_form(page)
    page.locator("input[type=file]").set_input_files([
        text_file(f"ke-hoach-{width}.pdf", f"Kế hoạch tuyên truyền ({width}, thật ra là văn bản)."),
        text_file(f"tin-{width}.txt", f"Tin hội nghị báo chí ({width}).")])
    submit.click()
    said = "Tệp có đuôi .pdf nhưng thực chất là văn bản thuần (text/plain)."
    results = page.locator(".results-upload li")
    expect(results).to_have_count(2)
    pdf = results.filter(has_text=f"ke-hoach-{width}.pdf")
    expect(pdf.locator("[data-type-mismatch]")).to_have_text(said)
    expect(results.filter(has_text=f"tin-{width}.txt").locator("[data-type-mismatch]")
           ).to_have_count(0)
    looks_right(page)
    pdf.locator("a").first.click()
    expect(page).to_have_url(re.compile(r"/documents/\d+$"))
    expect(page.locator("[data-type-mismatch]")).to_have_text(said)
    expect(page.locator("[data-type-mismatch]")).to_be_visible()
    fits(page)


def offered_type(page):
    box = page.locator("[data-upload-suggestions]")
    return box.locator("dd").filter(has=page.locator("[data-offer-for=doc_type]"))


# 4
def test_an_impossible_date_is_named_and_the_file_kept(roles, width):
    page = roles.page(UPLOADER, width)
    submit = upload_form(page)
    name = f"quyet-dinh-{width}.txt"
    page.locator("input[type=file]").set_input_files(text_file(name, DECISION.format(tag=width)))
    expect(offered_type(page).locator(".offer")).to_have_text("Quyết định")
    page.locator("input[name=issue_date]").fill("31/02/2024")
    submit.click()
    error = page.locator(".field.has-error")
    expect(error).to_have_count(1)
    expect(error).to_contain_text("Ngày 31/02/2024 không tồn tại: tháng 2 năm 2024 có 29 ngày.")
    expect(error).not_to_contain_text("dd/mm/yyyy")
    kept = page.locator("[data-staged]")
    expect(kept.locator("input[name=staged]")).to_be_checked()
    expect(kept).to_contain_text(name)
    expect(offered_type(page).locator(".offer")).to_have_text("Quyết định")  # read again
    looks_right(page)
    page.locator("input[name=issue_date]").fill("29/02/2024")
    submit.click()
    expect(page).to_have_url(re.compile(r"/documents/\d+$"))
    meta = page.locator("dl.meta")
    expect(meta).to_contain_text("29/02/2024")
    expect(meta).to_contain_text(name)


# 5
def test_suggestions_name_the_type(roles, width):
    page = roles.page(UPLOADER, width)
    upload_form(page)
    page.locator("input[type=file]").set_input_files(
        text_file(f"qd-goi-y-{width}.txt", DECISION.format(tag=f"gợi ý {width}")))
    offer = offered_type(page)
    expect(offer.locator(".offer")).to_have_text("Quyết định")
    offers = page.locator("[data-upload-suggestions] .offer").all_inner_texts()
    assert not {"QD", "QĐ", "CT"} & {o.strip() for o in offers}, offers
    expect(offer.locator("[data-offer-for=doc_type]")).to_be_visible()
    offer.locator("[data-offer-for=doc_type]").click()
    select = page.locator("select[name=doc_type]")
    expect(select).to_have_value("QD")
    assert select.evaluate("s => s.options[s.selectedIndex].text") == "Quyết định"
    looks_right(page)

