"""An administrator changes a role and resets a password; the person must choose a new one."""
from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.conftest import PASSWORD


def _log_in(page, username: str, password: str) -> None:
    page.goto("/login")
    form = page.locator("main form")
    form.locator("input[name=username]").fill(username)
    form.locator("input[name=password]").fill(password)
    form.locator("button[type=submit]").click()


def test_admin_edits_an_account_and_a_reset_forces_a_new_password(app, new_page, live_server,
                                                                   screenshots):
    from app.services.accounts import create_user

    with app.app_context():
        create_user("quan-tri-web", PASSWORD, role="admin")
        person = create_user("thu-le-web", PASSWORD, role="viewer")
        person_id = person.id

    admin = new_page()
    _log_in(admin, "quan-tri-web", PASSWORD)
    expect(admin.locator("header nav")).to_be_visible()
    admin.goto("/admin/users")
    admin.locator(f"a[href='/admin/users/{person_id}']").first.click()
    expect(admin.locator("h1")).to_have_text("Tài khoản thu-le-web")
    admin.locator("select[name=role]").select_option("archivist")
    admin.locator("[data-access-form] button[type=submit]").click()
    expect(admin.locator("main")).to_contain_text("Thay đổi có hiệu lực ngay")
    expect(admin.locator("select[name=role]")).to_have_value("archivist")
    admin.locator("[data-reset-password]").click()
    notice = admin.locator("[data-temporary-password]")
    expect(notice).to_contain_text("chỉ hiện một lần")
    temporary = notice.locator("code.token").inner_text().strip()
    admin.screenshot(path=str(screenshots / "admin-account-reset.png"), full_page=True)
    assert admin.problems == []

    page = new_page()
    _log_in(page, "thu-le-web", temporary)
    expect(page).to_have_url(re.compile(r"/account/password$"))
    expect(page.locator("[data-password-change-required]")).to_be_visible()
    page.goto("/documents/")
    expect(page).to_have_url(re.compile(r"/account/password$"))  # nothing else first
    page.locator("input[name=current]").fill(temporary)
    page.locator("input[name=new]").fill("mật-khẩu-mới-thu-le")
    page.locator("input[name=confirm]").fill("mật-khẩu-mới-thu-le")
    page.locator("main form button[type=submit]").click()
    expect(page).not_to_have_url(re.compile(r"/account/password$"))
    expect(page.locator("main")).to_contain_text("Đã đặt mật khẩu mới")
    assert page.goto("/retention/").status == 200  # the new role (archivist) applies
    assert page.problems == []
