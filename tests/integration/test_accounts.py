"""Accounts: lockout after repeated failures, session expiry, logout everywhere, tokens."""
import re

from tests.conftest import PASSWORD
from tests.integration.test_web_pages import csrf


def try_login(client, username, password):
    token = csrf(client.get("/login").get_data(as_text=True))
    return client.post("/login", data={"username": username, "password": password,
                                       "csrf_token": token})


def test_account_locks_after_five_failures_even_for_the_right_password(app, make_user):
    user = make_user()
    client = app.test_client()
    for _ in range(5):
        assert try_login(client, user.username, "sai-mat-khau-123").status_code == 200
    locked = try_login(client, user.username, PASSWORD)
    assert locked.status_code == 429
    assert "tạm khóa" in locked.get_data(as_text=True)
    assert client.get("/").status_code == 302  # still not logged in


def test_a_success_resets_the_failure_count(app, make_user):
    user = make_user()
    client = app.test_client()
    for _ in range(4):
        try_login(client, user.username, "sai-mat-khau-123")
    assert try_login(client, user.username, PASSWORD).status_code == 302
    other = app.test_client()
    for _ in range(4):
        try_login(other, user.username, "sai-mat-khau-123")
    assert try_login(other, user.username, PASSWORD).status_code == 302


def test_unknown_user_and_wrong_password_look_the_same(app, make_user):
    user = make_user()
    client = app.test_client()
    wrong_password = try_login(client, user.username, "sai-mat-khau-123").get_data(as_text=True)
    unknown = try_login(client, "khong-ton-tai", "sai-mat-khau-123").get_data(as_text=True)
    message = "Tên đăng nhập hoặc mật khẩu không đúng."
    assert message in wrong_password and message in unknown


def test_session_cookie_is_httponly_and_expires(app, make_user):
    user = make_user()
    response = try_login(app.test_client(), user.username, PASSWORD)
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "Expires=" in cookie and "SameSite=Lax" in cookie


def test_logout_everywhere_ends_other_sessions(app, make_user, login):
    user = make_user()
    laptop, phone = login(user), login(user)
    assert phone.get("/").status_code == 200
    token = csrf(laptop.get("/account/tokens").get_data(as_text=True))
    assert laptop.post("/logout-everywhere", data={"csrf_token": token}).status_code == 302
    assert phone.get("/").status_code == 302
    assert laptop.get("/").status_code == 302
    assert login(user).get("/").status_code == 200  # a new login works


def test_tokens_are_listed_with_last_use_and_can_be_revoked(app, make_user, login):
    user = make_user()
    browser = login(user)
    page = browser.get("/account/tokens").get_data(as_text=True)
    created = browser.post("/account/tokens", data={"csrf_token": csrf(page), "name": "máy chủ báo cáo"})
    token = re.search(r'<code class="token">([^<]+)</code>', created.get_data(as_text=True)).group(1)
    api = app.test_client()
    assert api.get("/api/v1/search", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    listing = browser.get("/account/tokens").get_data(as_text=True)
    assert "máy chủ báo cáo" in listing and token not in listing  # shown once only
    token_id = re.search(r'/account/tokens/(\d+)/revoke', listing).group(1)
    browser.post(f"/account/tokens/{token_id}/revoke", data={"csrf_token": csrf(listing)})
    assert api.get("/api/v1/search", headers={"Authorization": f"Bearer {token}"}).status_code == 401


def test_deactivated_user_loses_access_at_once(app, make_user, login):
    user = make_user()
    client = login(user)
    admin = login(make_user("admin"))
    page = admin.get("/admin/users").get_data(as_text=True)
    admin.post(f"/admin/users/{user.id}/active/0", data={"csrf_token": csrf(page)})
    assert client.get("/").status_code == 302
