"""Notifications: made where things happen, shown by the bell and the page, e-mailed by a job.

Events go through the real services and jobs (uploads processed by the worker,
proposals, decisions, holds). E-mail goes to a real SMTP server (aiosmtpd) that this
module starts on a free local port; the request that causes a notification never
sends mail itself, the background job does.
"""
from __future__ import annotations

import re
import socket
import threading
from datetime import timedelta
from email import message_from_bytes, policy
from types import SimpleNamespace

import pytest

from tests.conftest import SAMPLES
from tests.integration.test_web_pages import csrf


class Mailbox:
    """What the SMTP server accepted (aiosmtpd runs it in a thread of its own)."""

    def __init__(self):
        self.messages, self.lock = [], threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        with self.lock:
            self.messages.append(SimpleNamespace(
                to=list(envelope.rcpt_tos),
                message=message_from_bytes(envelope.content, policy=policy.default)))
        return "250 Message accepted for delivery"

    def bodies(self) -> list[str]:
        with self.lock:
            return [m.message.get_content() for m in self.messages]


@pytest.fixture
def smtp(app):
    """A real SMTP server on 127.0.0.1, and SMTP_URL pointing at it for this test."""
    from aiosmtpd.controller import Controller

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    before = app.config.get("SMTP_URL"), app.config.get("ARCHIVE_BASE_URL")
    app.config.update(SMTP_URL=f"smtp://127.0.0.1:{port}",
                      ARCHIVE_BASE_URL="https://kho.example.gov.vn")
    try:
        yield mailbox
    finally:
        app.config["SMTP_URL"], app.config["ARCHIVE_BASE_URL"] = before
        controller.stop()


def unread_in_bell(html: str) -> int:
    bell = re.search(r'<a class="bell[^"]*"[^>]*aria-label="([^"]+)"', html).group(1)
    count = re.search(r"(\d+) chưa đọc", bell)
    return int(count.group(1)) if count else 0


def notes_api(client, **params) -> dict:
    return client.get("/api/v1/notifications", query_string=params).get_json()


def test_processing_done_and_failed_reach_the_uploader(api, login, run_jobs, app):
    uploader = api("uploader")
    good = uploader.upload(SAMPLES / "vi_utf8.txt", title="Kế hoạch tuyên truyền nhân quyền")
    bad = uploader.upload(SAMPLES / "truncated_200b.pdf", title="Bản quét hỏng")
    assert good.status_code == bad.status_code == 202
    assert notes_api(uploader)["total"] == 0  # nothing before the worker ran
    run_jobs()
    answer = notes_api(uploader)
    assert answer["unread"] == 2
    by_kind = {n["kind"]: n for n in answer["notifications"]}
    assert by_kind["processing_done"]["message"] == \
        "“Kế hoạch tuyên truyền nhân quyền” đã xử lý xong và có thể tìm kiếm."
    assert by_kind["processing_failed"]["message"].startswith("Xử lý “Bản quét hỏng” thất bại: ")
    page = login(uploader.user).get("/").get_data(as_text=True)
    assert unread_in_bell(page) == 2
    assert re.search(r"data-bell-count\s*>2</span>", page)
    # Opening one from the page marks it read and leads to the document.
    client = login(uploader.user)
    listing = client.get("/notifications/").get_data(as_text=True)
    assert "đã xử lý xong và có thể tìm kiếm" in listing
    opened = client.get(f"/notifications/{by_kind['processing_done']['id']}")
    assert opened.status_code == 302
    assert opened.headers["Location"] == f"/documents/{good.get_json()['id']}"
    assert notes_api(uploader)["unread"] == 1
    assert unread_in_bell(client.get("/documents/").get_data(as_text=True)) == 1
    # Nobody else is told; another uploader's bell stays empty.
    other = api("uploader")
    assert notes_api(other)["total"] == 0


def _due_document(app, uploader_id, title, secrecy="thuong"):
    from app.extensions import db
    from app.models import Document

    with app.app_context():
        document = Document(title=title, uploaded_by_id=uploader_id, secrecy=secrecy,
                            status="indexed", category="report", disposition="due")
        db.session.add(document)
        db.session.commit()
        return document.id


def test_proposals_reach_the_approvers_who_may_decide_and_the_decision_its_author(
        app, api, make_user, login):
    archivist = api("archivist", clearance="mat")
    approver = api("approver", clearance="mat")
    approver_low = api("approver")          # "thường": may not see the secret record
    first = _due_document(app, archivist.user.id, "Báo cáo tháng 6/2012")
    secret = _due_document(app, archivist.user.id, "Báo cáo mật 2012", secrecy="mat")
    made = archivist.post("/api/v1/retention/proposals", json={
        "action": "destroy", "document_ids": [first], "reason": "Hết thời hạn"}).get_json()
    archivist.post("/api/v1/retention/proposals", json={
        "action": "destroy", "document_ids": [secret], "reason": "Hết thời hạn"})
    assert notes_api(archivist)["total"] == 0  # not told about their own proposals
    high = notes_api(approver)["notifications"]
    assert sorted(n["kind"] for n in high) == ["proposal_waiting", "proposal_waiting"]
    low = notes_api(approver_low)["notifications"]
    assert [n["message"] for n in low] == [
        f"Đề xuất số {made['id']} (Tiêu hủy, 1 hồ sơ) của {archivist.user.username} "
        "đang chờ bạn phê duyệt."]
    decided = approver.post(f"/api/v1/retention/proposals/{made['id']}/decision",
                            json={"approve": False, "note": "Chưa đủ căn cứ"})
    assert decided.status_code == 200
    told = notes_api(archivist)["notifications"]
    assert [n["kind"] for n in told] == ["proposal_decided"]
    assert told[0]["message"].endswith(f"đã được {approver.user.username} quyết định: "
                                       "Bị từ chối.")
    # The other approver's notification now says it is no longer waiting.
    assert notes_api(approver_low)["notifications"][0]["message"].endswith(
        "đã được quyết định: Bị từ chối.")


def test_a_hold_tells_the_uploaders_but_not_the_one_who_placed_it(app, api, login):
    from app.extensions import db
    from app.models import Document, Dossier

    uploader, other = api("uploader"), api("uploader")
    archivist = api("archivist")
    mine = _due_document(app, uploader.user.id, "Kế hoạch 5547/KH-UBND")
    own = _due_document(app, archivist.user.id, "Tài liệu của văn thư")
    with app.app_context():
        dossier = Dossier(code="HS-2024-01", title="Hồ sơ họp báo")
        db.session.add(dossier)
        db.session.flush()
        dossier_id = dossier.id
        for doc_id in (own, _due_document(app, other.user.id, "Công văn 1778/UBND-KGVX")):
            db.session.get(Document, doc_id).dossier_id = dossier_id
        db.session.commit()
    assert archivist.post("/api/v1/retention/holds", json={
        "reason": "Thanh tra 2025", "document_id": mine}).status_code == 201
    assert archivist.post("/api/v1/retention/holds", json={
        "reason": "Khiếu nại", "dossier_id": dossier_id}).status_code == 201
    assert [n["message"] for n in notes_api(uploader)["notifications"]] == [
        "Tài liệu “Kế hoạch 5547/KH-UBND” của bạn đã bị đặt lệnh tạm giữ: Thanh tra 2025"]
    assert [n["message"] for n in notes_api(other)["notifications"]] == [
        "Hồ sơ HS-2024-01, có tài liệu bạn đã tải lên, đã bị đặt lệnh tạm giữ: Khiếu nại"]
    assert notes_api(archivist)["total"] == 0


def test_never_about_a_document_above_the_clearance_at_creation_or_display(
        app, api, login, run_jobs):
    from app.extensions import db
    from app.models import Document, User

    uploader = api("uploader")
    archivist = api("archivist", clearance="mat")
    doc_id = uploader.upload(SAMPLES / "vi_utf8.txt", title="Tờ trình nhạy cảm").get_json()["id"]
    run_jobs()
    (done,) = notes_api(uploader)["notifications"]
    assert done["url"] == f"/notifications/{done['id']}" and done["document_id"] == doc_id
    # Raised to "mật" afterwards: the notification keeps neither title nor link.
    with app.app_context():
        db.session.get(Document, doc_id).secrecy = "mat"
        db.session.commit()
    (hidden,) = notes_api(uploader)["notifications"]
    assert hidden["hidden"] is True and hidden["url"] is None and hidden["document_id"] is None
    assert "Tờ trình nhạy cảm" not in hidden["message"]
    client = login(uploader.user)
    page = client.get("/notifications/").get_data(as_text=True)
    assert "Tờ trình nhạy cảm" not in page and f"/documents/{doc_id}" not in page
    assert "không còn được xem" in page
    assert client.get(f"/notifications/{done['id']}").headers["Location"] == "/notifications/"
    # At creation: a hold on it now tells nobody who could not see it.
    assert archivist.post("/api/v1/retention/holds", json={
        "reason": "Điều tra", "document_id": doc_id}).status_code == 201
    assert notes_api(uploader)["total"] == 1
    # Her clearance raised later: the notification shows the document again.
    with app.app_context():
        db.session.get(User, uploader.user.id).clearance = "mat"
        db.session.commit()
    assert notes_api(uploader)["notifications"][0]["hidden"] is False


def test_mark_read_one_or_all_only_ones_own(app, api, login):
    owner, stranger = api("uploader"), api("uploader")
    archivist = api("archivist")
    ids = [_due_document(app, owner.user.id, f"Văn bản {n}") for n in range(3)]
    for doc_id in ids:
        archivist.post("/api/v1/retention/holds", json={"reason": "Kiểm tra",
                                                        "document_id": doc_id})
    notes = notes_api(owner)["notifications"]
    assert notes_api(owner, unread="1")["total"] == 3
    refused = stranger.post("/api/v1/notifications/read", json={"ids": [notes[0]["id"]]})
    assert refused.get_json() == {"marked": 0, "unread": 0}
    assert owner.post("/api/v1/notifications/read", json={}).status_code == 422
    one = owner.post("/api/v1/notifications/read", json={"ids": [notes[0]["id"]]}).get_json()
    assert one == {"marked": 1, "unread": 2}
    assert owner.get("/api/v1/notifications/unread-count").get_json() == {"unread": 2}
    client = login(owner.user)
    page = client.get("/notifications/?show=unread").get_data(as_text=True)
    assert page.count('class="notification unread"') == 2
    client.post("/notifications/read", data={"csrf_token": csrf(page)})
    assert owner.get("/api/v1/notifications/unread-count").get_json() == {"unread": 0}
    assert unread_in_bell(client.get("/").get_data(as_text=True)) == 0


def test_email_is_sent_by_the_job_never_in_the_request(app, api, login, run_jobs, smtp):
    uploader = api("uploader")
    archivist = api("archivist", clearance="mat")
    client = login(uploader.user)
    page = client.get("/notifications/").get_data(as_text=True)
    answer = client.post("/notifications/settings", data={
        "csrf_token": csrf(page), "email": "nga@stttt.example.gov.vn", "email_enabled": "1"})
    assert answer.status_code == 303
    plain = _due_document(app, uploader.user.id, "Kế hoạch 3432/KH-UBND Cao Bằng")
    secret = _due_document(app, uploader.user.id, "Đề cương mật", secrecy="mat")
    with app.app_context():  # she may see "mật" now, so both holds notify her
        from app.extensions import db
        from app.models import User
        db.session.get(User, uploader.user.id).clearance = "mat"
        db.session.commit()
    for doc_id in (plain, secret):
        assert archivist.post("/api/v1/retention/holds", json={
            "reason": "Thanh tra", "document_id": doc_id}).status_code == 201
    assert smtp.messages == []  # the requests only enqueued the job
    run_jobs()
    assert len(smtp.messages) == 1  # one mail for both, sent by the job
    mail = smtp.messages[0]
    assert mail.to == ["nga@stttt.example.gov.vn"]
    assert mail.message["Subject"] == "Kho lưu trữ tài liệu truyền thông: 2 thông báo mới"
    body = smtp.bodies()[0]
    assert "Kế hoạch 3432/KH-UBND Cao Bằng" in body  # "Thường": named
    assert "Đề cương mật" not in body                # above "Thường": never in a mail
    assert "Một tài liệu (tiêu đề xem trong kho lưu trữ): đã bị đặt lệnh tạm giữ." in body
    assert "https://kho.example.gov.vn/notifications/" in body
    run_jobs()
    assert len(smtp.messages) == 1  # idempotent: nothing is sent twice


def test_email_held_back_by_an_outage_goes_out_with_the_periodic_check(app, api, smtp, run_jobs):
    from app.extensions import db
    from app.models import Notification
    from app.models.user import utcnow
    from app.services.notifications import save_email_settings

    uploader = api("uploader")
    with app.app_context():
        from app.models import User
        settings = save_email_settings(db.session.get(User, uploader.user.id),
                                       "nga@example.vn", True)
        settings.email_since = utcnow() - timedelta(hours=1)  # switched on an hour ago
        db.session.commit()
    doc_id = _due_document(app, uploader.user.id, "Công văn đôn đốc")
    # Made while the queue could not be reached: recorded, never enqueued.
    with app.app_context():
        db.session.add(Notification(user_id=uploader.user.id, kind="hold_placed",
                                    document_id=doc_id, data={},
                                    created_at=utcnow() - timedelta(minutes=5)))
        db.session.commit()
    result = app.test_cli_runner().invoke(args=["notifications", "check"])
    assert result.exit_code == 0, result.output
    assert "e-mail enqueued for 1 people" in result.output
    run_jobs()
    assert len(smtp.messages) == 1 and "Công văn đôn đốc" in smtp.bodies()[0]


def test_email_settings_refuse_a_bad_address(app, api, login, smtp):
    uploader = api("uploader")
    client = login(uploader.user)
    page = client.get("/notifications/").get_data(as_text=True)
    assert 'name="email_enabled"' in page
    client.post("/notifications/settings", data={"csrf_token": csrf(page), "email": "không-phải",
                                                 "email_enabled": "1"})
    shown = client.get("/notifications/").get_data(as_text=True)
    assert "Hãy nhập địa chỉ thư điện tử" in shown
    assert 'value="không-phải"' not in shown


def test_without_smtp_the_page_says_no_mail_is_sent(app, api, login):
    page = login(api("viewer").user).get("/notifications/").get_data(as_text=True)
    assert "không gửi thư điện tử" in page
    assert "Chưa có thông báo nào." in page
