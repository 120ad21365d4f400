"""In a real browser: filter the list, select documents, run a bulk action with a progress bar."""
from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.conftest import PASSWORD
from tests.integration.listing_factories import insert_documents


def test_select_and_recategorise_in_the_background(new_page, live_server, app):
    from app.services.accounts import create_user

    with app.app_context():
        create_user("luu-tru-hang-loat", PASSWORD, role="archivist")
    insert_documents(app, [{"title": f"Công văn hàng loạt {n:02d}", "category": "other",
                            "doc_type": "CV"} for n in range(60)])
    page = new_page()
    page.goto("/login")
    form = page.locator("main form")
    form.locator("input[name=username]").fill("luu-tru-hang-loat")
    form.locator("input[name=password]").fill(PASSWORD)
    form.locator("button[type=submit]").click()

    page.goto("/documents/?type=CV")
    expect(page.locator("ul.chips")).to_contain_text("Công văn")
    page.locator("[data-select]").first.check()
    expect(page.locator("[data-selected-count]")).to_have_text("1")
    page.locator("[data-select-all]").check()
    expect(page.locator("[data-selected-count]")).to_have_text("50")
    # The action's own field appears once the action is chosen.
    category = page.locator("[data-bulk-for='set_category']")
    expect(category).to_be_hidden()
    page.locator("[data-bulk-action]").select_option("set_category")
    expect(category).to_be_visible()
    category.locator("select").select_option("report")
    page.locator("input[name=scope][value=all]").check()  # all 60: a background job
    page.locator(".bulk-panel button[type=submit]").click()

    expect(page).to_have_url(re.compile(r"/documents/bulk/\d+"))
    expect(page.locator("progress")).to_be_visible()
    expect(page.locator("[data-bulk-field=state]")).to_have_text("xong", timeout=60_000)
    expect(page.locator("progress")).to_have_attribute("value", "100")
    expect(page.locator("[data-bulk-field=changed]")).to_have_text("60")
    assert page.problems == []

    page.goto("/documents/?category=report")
    expect(page.locator("p.total")).to_contain_text("60")
