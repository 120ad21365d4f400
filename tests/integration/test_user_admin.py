"""User administration: role, clearance, deactivation, password reset; at once and audited."""
import re

from tests.conftest import PASSWORD, SAMPLES
from tests.integration.test_web_pages import csrf

SEED_TEXT = b"Ke hoach thong tin doi ngoai tuyet mat so 12/KH-UBND"


def admin_post(admin, url, **data):
    page = admin.get("/admin/users").get_data(as_text=True)
    return admin.post(url, data={"csrf_token": csrf(page), **data})


def audit_actions(app):
    from app.extensions import db
    from app.models import AuditEvent

    with app.app_context():
        return [e.action for e in db.session.scalars(db.select(AuditEvent).order_by(AuditEvent.seq))]


def test_role_and_clearance_changes_apply_at_once_to_sessions_and_tokens(
        app, make_user, login, api, tmp_path):
    owner = api("admin", "mat")
    secret = tmp_path / "mat.txt"
    secret.write_bytes(SEED_TEXT)
    doc_url = owner.upload(secret, secrecy="mat").get_json()["url"]
    viewer = api("viewer", "mat")
    session = login(viewer.user)
    assert viewer.get(doc_url).status_code == 200
    assert session.get("/documents/upload").status_code == 403
    assert viewer.upload(secret).status_code == 403

    admin = login(make_user("admin", username="quan.tri"))
    page = admin.get(f"/admin/users/{viewer.user.id}").get_data(as_text=True)
    assert 'name="role"' in page and 'name="clearance"' in page
    saved = admin.post(f"/admin/users/{viewer.user.id}", data={
        "csrf_token": csrf(page), "role": "uploader", "clearance": "thuong"})
    assert saved.status_code == 302

    assert session.get("/documents/upload").status_code == 200       # the new role, at once
    assert viewer.get(doc_url).status_code == 404                     # the token, at once
    assert session.get(doc_url.replace("/api/v1", "")).status_code == 404
    assert audit_actions(app)[-2:] == ["user.role", "user.clearance"]
    trail = admin.get("/audit/").get_data(as_text=True)
    assert "Vai trò: Người xem → Người nhập tài liệu" in trail
    assert "Thay đổi vai trò của tài khoản" in trail


def test_deactivate_and_reactivate_from_the_account_page(app, make_user, login, api):
    user = api("uploader")
    session = login(user.user)
    admin = login(make_user("admin"))
    page = admin.get(f"/admin/users/{user.user.id}").get_data(as_text=True)
    assert admin.post(f"/admin/users/{user.user.id}/active/0",
                      data={"csrf_token": csrf(page), "back": "account"}).status_code == 302
    assert session.get("/").status_code == 302
    assert user.get("/api/v1/search", query_string={"q": "x"}).status_code == 401
    admin.post(f"/admin/users/{user.user.id}/active/1", data={"csrf_token": csrf(page)})
    assert user.get("/api/v1/search", query_string={"q": "x"}).status_code == 200
    assert login(user.user).get("/").status_code == 200
    assert audit_actions(app)[-2:] == ["user.deactivate", "user.activate"]


def test_password_reset_shows_a_temporary_password_once_and_forces_a_change(
        app, make_user, login, api):
    person = make_user("uploader", username="thu.le")
    old_session = login(person)
    admin = login(make_user("admin"))
    page = admin.get(f"/admin/users/{person.id}").get_data(as_text=True)
    reset = admin.post(f"/admin/users/{person.id}/password", data={"csrf_token": csrf(page)})
    html = reset.get_data(as_text=True)
    temporary = re.search(r'<code class="token">([^<]+)</code>', html).group(1)
    assert "chỉ hiện một lần" in html
    assert temporary not in admin.get(f"/admin/users/{person.id}").get_data(as_text=True)
    assert old_session.get("/").status_code == 302                 # its sessions ended

    client = app.test_client()
    form = client.get("/login").get_data(as_text=True)
    assert client.post("/login", data={"username": "thu.le", "password": PASSWORD,
                                       "csrf_token": csrf(form)}).status_code == 200  # old one
    logged = client.post("/login", data={"username": "thu.le", "password": temporary,
                                         "csrf_token": csrf(form)})
    assert logged.status_code == 302
    for path in ("/", "/documents/upload", "/documents/"):
        answer = client.get(path)
        assert answer.status_code == 302 and answer.location.endswith("/account/password")
    change = client.get("/account/password").get_data(as_text=True)
    assert "Quản trị viên đã đặt lại mật khẩu" in change
    refused = client.post("/account/password", data={
        "csrf_token": csrf(change), "current": temporary, "new": "ngắn", "confirm": "ngắn"})
    assert refused.status_code == 200 and "Tối thiểu 10 ký tự" in refused.get_data(as_text=True)
    done = client.post("/account/password", data={
        "csrf_token": csrf(change), "current": temporary, "new": "mật-khẩu-mới-của-thu",
        "confirm": "mật-khẩu-mới-của-thu"})
    assert done.status_code == 302
    assert client.get("/documents/upload").status_code == 200
    assert login(person, "mật-khẩu-mới-của-thu").get("/").status_code == 200
    actions = audit_actions(app)
    assert "user.password_reset" in actions and actions[-1] == "user.password_change"


def test_a_reset_password_does_not_stop_api_tokens(app, make_user, api):
    person = api("uploader")
    runner = app.test_cli_runner()
    result = runner.invoke(args=["users", "reset-password", person.user.username])
    assert result.exit_code == 0 and "shown once" in result.output
    assert person.upload(SAMPLES / "vi_utf8.txt").status_code == 202
    assert person.get("/api/v1/search", query_string={"q": "x"}).status_code == 200


def test_users_commands_change_role_clearance_and_activation(app, make_user, api):
    person = api("viewer")
    name = person.user.username
    runner = app.test_cli_runner()
    assert runner.invoke(args=["users", "set-role", name, "archivist"]).exit_code == 0
    assert runner.invoke(args=["users", "set-clearance", name, "toi_mat"]).exit_code == 0
    from app.extensions import db
    from app.models import User

    with app.app_context():
        user = db.session.get(User, person.user.id)
        assert (user.role, user.clearance) == ("archivist", "toi_mat")
    assert person.get("/api/v1/retention/due").status_code == 200  # archivists only
    assert runner.invoke(args=["users", "deactivate", name]).exit_code == 0
    assert person.get("/api/v1/search", query_string={"q": "x"}).status_code == 401
    assert runner.invoke(args=["users", "reactivate", name]).exit_code == 0
    assert person.get("/api/v1/search", query_string={"q": "x"}).status_code == 200
    missing = runner.invoke(args=["users", "deactivate", "khong-co"])
    assert missing.exit_code != 0 and "No user" in missing.output
    assert audit_actions(app)[-4:] == ["user.role", "user.clearance", "user.deactivate",
                                       "user.activate"]


def test_the_last_administrator_is_kept_and_admins_cannot_demote_themselves(
        app, make_user, login):
    admin = make_user("admin", username="duy.nhat")
    runner = app.test_cli_runner()
    refused = runner.invoke(args=["users", "set-role", "duy.nhat", "viewer"])
    assert refused.exit_code != 0 and "quản trị viên" in refused.output
    assert runner.invoke(args=["users", "deactivate", "duy.nhat"]).exit_code != 0
    client = login(admin)
    page = client.get(f"/admin/users/{admin.id}").get_data(as_text=True)
    own = client.post(f"/admin/users/{admin.id}", data={
        "csrf_token": csrf(page), "role": "viewer", "clearance": "thuong"})
    assert own.status_code == 200 and "vai trò của chính mình" in own.get_data(as_text=True)


def test_only_administrators_reach_account_pages(app, make_user, login):
    archivist = make_user("archivist")
    client = login(archivist)
    assert client.get(f"/admin/users/{archivist.id}").status_code == 403
    page = client.get("/account/tokens").get_data(as_text=True)
    assert client.post(f"/admin/users/{archivist.id}/password",
                       data={"csrf_token": csrf(page)}).status_code == 403
