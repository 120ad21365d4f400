"""Partner harvesting tokens: issued on the admin page or the command line (shown once,
kept only as a hash), listed, revoked; only "sharing.admin" may; all audited."""
from __future__ import annotations

import hashlib
import re


def _csrf(page: str) -> str:
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)


def _oai(app, token: str | None):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return app.test_client().get("/oai?verb=Identify", headers=headers)


def test_an_administrator_issues_and_revokes_a_partner_token(app, make_user, login):
    from app.extensions import db
    from app.models import AuditEvent, PartnerToken

    admin = login(make_user("admin"))
    page = admin.get("/admin/partners").get_data(as_text=True)
    assert "Chưa có mã khai thác nào" in page
    response = admin.post("/admin/partners", data={"agency": "Báo Quảng Ngãi",
                                                   "csrf_token": _csrf(page)})
    shown = response.get_data(as_text=True)
    token = re.search(r'<code class="token">(oai_[^<]+)</code>', shown).group(1)
    assert "chỉ hiện một lần" in shown
    again = admin.get("/admin/partners").get_data(as_text=True)
    assert token not in again and token[:12] in again  # listed by its first characters only
    with app.app_context():
        row = db.session.query(PartnerToken).one()
        assert row.token_hash == hashlib.sha256(token.encode()).hexdigest()
        assert row.agency == "Báo Quảng Ngãi"
    assert _oai(app, token).status_code == 200

    revoked = admin.post(f"/admin/partners/{row.id}/revoke", data={"csrf_token": _csrf(again)},
                         follow_redirects=True).get_data(as_text=True)
    assert "Báo Quảng Ngãi" in revoked and "đã thu hồi" in revoked
    refused = _oai(app, token)
    assert refused.status_code == 401 and "Bearer" in refused.headers["WWW-Authenticate"]
    assert "không hợp lệ" in refused.get_data(as_text=True)
    with app.app_context():
        actions = [(e.action, e.details["agency"]) for e in db.session.query(AuditEvent)
                   .filter(AuditEvent.object_type == "partner_token").order_by(AuditEvent.seq)]
    assert actions == [("partner_token.issue", "Báo Quảng Ngãi"),
                       ("partner_token.revoke", "Báo Quảng Ngãi")]
    trail = admin.get("/audit/").get_data(as_text=True)
    assert "Cấp mã khai thác cho đối tác" in trail and "Thu hồi mã khai thác của đối tác" in trail


def test_only_sharing_administrators_manage_partner_tokens(app, make_user, login):
    from app.sharing.partners import issue_token

    with app.app_context():
        row, _token = issue_token("Đài Phát thanh và Truyền hình tỉnh", None)
        row_id = row.id
    archivist = login(make_user("archivist"))
    assert archivist.get("/admin/partners").status_code == 403
    page = archivist.get("/documents/").get_data(as_text=True)
    assert "/admin/partners" not in page  # no menu entry either
    assert archivist.post(f"/admin/partners/{row_id}/revoke",
                          data={"csrf_token": _csrf(page)}).status_code == 403
    anonymous = app.test_client().get("/admin/partners")
    assert anonymous.status_code == 302 and "/login" in anonymous.headers["Location"]
    admin_page = login(make_user("admin")).get("/documents/").get_data(as_text=True)
    assert 'href="/admin/partners"' in admin_page


def test_command_line_creates_lists_and_revokes(app, clean):
    from app.extensions import db
    from app.models import AuditEvent

    runner = app.test_cli_runner()
    created = runner.invoke(args=["share", "token", "create", "Sở Khoa học và Công nghệ"])
    assert created.exit_code == 0, created.output
    token = created.output.strip().splitlines()[-1]
    assert token.startswith("oai_") and _oai(app, token).status_code == 200
    listed = runner.invoke(args=["share", "token", "list"])
    assert "Sở Khoa học và Công nghệ" in listed.output and "active" in listed.output
    assert token not in listed.output
    revoked = runner.invoke(args=["share", "token", "revoke", token[:12]])
    assert revoked.exit_code == 0 and "revoked" in revoked.output
    assert _oai(app, token).status_code == 401
    assert runner.invoke(args=["share", "token", "create", "  "]).exit_code != 0
    assert runner.invoke(args=["share", "token", "revoke", "oai_nothing"]).exit_code != 0
    with app.app_context():
        events = db.session.query(AuditEvent).filter(
            AuditEvent.object_type == "partner_token").order_by(AuditEvent.seq).all()
        assert [(e.action, e.actor_name) for e in events] == [
            ("partner_token.issue", "system"), ("partner_token.revoke", "system")]
