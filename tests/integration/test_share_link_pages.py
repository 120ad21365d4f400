"""Share links on the pages: the archivist's section and list, and the password of a link
(wrong, locked after a few tries, unlocked for one browser session only)."""
from __future__ import annotations

import re
from datetime import datetime, timedelta
from urllib.parse import urlsplit

import pytest

from tests.integration.listing_factories import insert_documents

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


@pytest.fixture
def docs(app, clean):
    return insert_documents(app, [{"title": "Thông cáo về hội nghị báo chí tháng 5"},
                                  {"title": "Báo cáo mật tháng 5", "secrecy": "mat"}],
                            store_files=True)


def _csrf(client, path) -> str:
    return CSRF.search(client.get(path).get_data(as_text=True)).group(1)


def _link(archivist, document_id, **body):
    body.setdefault("recipient", "Phóng viên Báo Nhân Dân")
    made = archivist.post(f"/api/v1/documents/{document_id}/share-links", json=body)
    assert made.status_code == 201, made.get_json()
    return made.get_json()


def _try(client, page, password):
    return client.post(page, data={"password": password, "csrf_token": _csrf(client, page)})


def test_archivist_shares_from_the_document_page_and_revokes(app, docs, make_user, login):
    open_id, secret_id = docs
    archivist = login(make_user("archivist", clearance="mat"))
    page = archivist.get(f"/documents/{open_id}").get_data(as_text=True)
    assert "Chia sẻ qua liên kết" in page and 'name="share-recipient"' in page
    form = {"csrf_token": CSRF.search(page).group(1), "share-recipient": "Báo Quảng Ngãi",
            "share-note": "Theo công văn đề nghị", "share-password": ""}
    late = (datetime.now() + timedelta(days=200)).strftime("%d/%m/%Y")
    refused = archivist.post(f"/sharing/documents/{open_id}/links",
                             data={**form, "share-expires_on": late})
    assert refused.status_code == 422 and "tối đa 90 ngày" in refused.get_data(as_text=True)
    soon = (datetime.now() + timedelta(days=3)).strftime("%d/%m/%Y")
    made = archivist.post(f"/sharing/documents/{open_id}/links",
                          data={**form, "share-expires_on": soon})
    html = made.get_data(as_text=True)
    assert made.status_code == 200 and "chỉ hiển thị một lần" in html
    url = re.search(r'value="(http://[^"]+/chia-se/[^"]+)"', html).group(1)
    outsider = app.test_client()
    assert outsider.get(urlsplit(url).path).status_code == 200
    assert url not in archivist.get(f"/documents/{open_id}").get_data(as_text=True)

    listing = archivist.get("/sharing/links").get_data(as_text=True)
    assert "Báo Quảng Ngãi" in listing and "còn hiệu lực" in listing
    link_id = re.search(r'data-share-link="(\d+)"', listing).group(1)
    back = archivist.post(f"/sharing/links/{link_id}/revoke", data={
        "csrf_token": CSRF.search(listing).group(1), "back": "/sharing/links"})
    assert back.status_code == 302 and back.headers["Location"].endswith("/sharing/links")
    assert outsider.get(urlsplit(url).path).status_code == 404
    page = archivist.get(f"/documents/{open_id}").get_data(as_text=True)
    assert "đã thu hồi" in page and "Báo Quảng Ngãi" in page
    assert "Báo Quảng Ngãi" not in archivist.get("/sharing/links").get_data(as_text=True)

    secret = archivist.get(f"/documents/{secret_id}").get_data(as_text=True)
    assert "Chia sẻ qua liên kết" in secret and 'name="share-recipient"' not in secret
    assert "độ mật &#34;Thường&#34;" in secret or 'độ mật "Thường"' in secret


def test_viewers_neither_see_nor_reach_the_share_pages(app, docs, make_user, login):
    open_id, _ = docs
    viewer = login(make_user("viewer"))
    assert "Chia sẻ qua liên kết" not in viewer.get(f"/documents/{open_id}").get_data(
        as_text=True)
    assert viewer.get("/sharing/links").status_code == 403
    assert viewer.get(f"/sharing/documents/{open_id}/links").status_code == 403


def test_links_to_records_above_clearance_are_not_listed(app, docs, api, make_user, login):
    open_id, secret_id = docs
    high = api("archivist", "mat")
    _link(high, open_id, recipient="Người nhận hồ sơ thường")
    with app.app_context():  # a link made before the record was raised to "Mật"
        from app.extensions import db
        from app.models import ShareLink
        from app.models.user import utcnow
        db.session.add(ShareLink(token_hash="0" * 64, prefix="abcdefgh", document_id=secret_id,
                                 recipient="Người nhận hồ sơ mật", created_at=utcnow(),
                                 expires_at=utcnow() + timedelta(days=2)))
        db.session.commit()
    low = login(make_user("archivist"))
    listing = low.get("/sharing/links").get_data(as_text=True)
    assert "Người nhận hồ sơ thường" in listing and "Người nhận hồ sơ mật" not in listing
    listing = login(make_user("archivist", clearance="mat")).get("/sharing/links").get_data(
        as_text=True)
    assert "Người nhận hồ sơ mật" in listing and "không dùng được" in listing


def test_password_wrong_then_right_holds_for_one_session_only(app, docs, api):
    open_id, _ = docs
    link = _link(api("archivist"), open_id, password="mật-khẩu-báo-chí")
    page = urlsplit(link["url"]).path
    reader = app.test_client()
    asked = reader.get(page).get_data(as_text=True)
    assert "Cần nhập mật khẩu" in asked and "Thông cáo về hội nghị" not in asked
    with app.app_context():
        from app.extensions import db
        from app.models import Document
        file_id = db.session.get(Document, open_id).main_file.id
    assert reader.get(f"{page}/tep/{file_id}").status_code == 303  # the password first
    wrong = _try(reader, page, "đoán-bừa-thôi")
    assert wrong.status_code == 200 and "Mật khẩu không đúng" in wrong.get_data(as_text=True)
    right = _try(reader, page, "mật-khẩu-báo-chí")
    assert right.status_code == 303 and right.headers["Location"].endswith(page)
    opened = reader.get(page).get_data(as_text=True)
    assert "Thông cáo về hội nghị" in opened
    assert reader.get(f"{page}/tep/{file_id}").status_code == 200
    other = app.test_client()  # another browser: asked again
    assert "Cần nhập mật khẩu" in other.get(page).get_data(as_text=True)

    from app.extensions import db
    from app.models import AuditEvent
    with app.app_context():
        actions = [(e.action, e.actor_name, e.details.get("share_link")) for e in
                   db.session.scalars(db.select(AuditEvent).where(
                       AuditEvent.action.like("share.%")).order_by(AuditEvent.seq))]
    assert actions[1:] == [("share.password_failed", "system", link["id"]),
                           ("share.unlock", "system", link["id"]),
                           ("share.open", "system", link["id"]),
                           ("share.download", "system", link["id"])]


def test_guessing_locks_the_link_then_the_address(app, docs, api):
    open_id, _ = docs
    archivist = api("archivist")
    links = [urlsplit(_link(archivist, open_id, password=f"đúng-mật-khẩu-{n}")["url"]).path
             for n in range(5)]
    guesser = app.test_client()
    for n in range(4):
        wrong = _try(guesser, links[0], f"sai-{n}")
        assert wrong.status_code == 200 and "Mật khẩu không đúng" in wrong.get_data(as_text=True)
    locked = _try(guesser, links[0], "sai-lần-năm")
    assert locked.status_code == 429 and "phút" in locked.get_data(as_text=True)
    assert _try(guesser, links[0], "đúng-mật-khẩu-0").status_code == 429  # even the right one
    assert _try(app.test_client(), links[0], "đúng-mật-khẩu-0").status_code == 429
    for page in links[1:4]:  # 20 wrong passwords from one address in all
        for n in range(5):
            _try(guesser, page, f"sai-{n}")
    refused = _try(guesser, links[4], "đúng-mật-khẩu-4")
    assert refused.status_code == 429 and "Địa chỉ của bạn" in refused.get_data(as_text=True)
