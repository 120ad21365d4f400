"""In a real browser: an archivist proposes destruction, another person approves, it is destroyed."""
from __future__ import annotations

import re
import time
from datetime import date
from types import SimpleNamespace

import pytest
from playwright.sync_api import Page, expect

from tests.conftest import PASSWORD


def log_in_as(page: Page, username: str) -> None:
    page.goto("/login")
    form = page.locator("main form")
    form.locator("input[name=username]").fill(username)
    form.locator("input[name=password]").fill(PASSWORD)
    form.locator("button[type=submit]").click()
    expect(page.locator("header nav")).to_be_visible()


@pytest.fixture
def due_record(app, live_server, tmp_path):
    """Two staff members and one record whose retention ended, processed by the live worker."""
    from app.extensions import db
    from app.models import Document
    from app.services.accounts import create_user
    from app.services.documents import archive_document
    from app.services.metadata import DocumentMetadata
    from app.services.retention import sweep

    path = tmp_path / "bao-cao-thang-3-2013.txt"
    path.write_text("Báo cáo tháng 3 năm 2013 về công tác thông tin đối ngoại của tỉnh.",
                    encoding="utf-8")
    with app.app_context():
        archivist = create_user("luu-tru-vien", PASSWORD, role="archivist")
        approver = create_user("nguoi-phe-duyet", PASSWORD, role="approver")
        with path.open("rb") as stream:
            outcome = archive_document(archivist, stream, path.name, DocumentMetadata(
                title="Báo cáo tháng 3/2013 về thông tin đối ngoại", category="report",
                issue_date=date(2013, 3, 31)))
        document_id = outcome.document.id
        db.session.remove()
    with app.app_context():
        for _ in range(120):  # the live worker extracts and indexes it
            if db.session.get(Document, document_id).status == "indexed":
                break
            db.session.remove()
            time.sleep(0.5)
        sweep(date(2025, 1, 1))
        sha = db.session.get(Document, document_id).main_file.sha256
        db.session.remove()
    return SimpleNamespace(id=document_id, sha=sha, archivist="luu-tru-vien",
                           approver="nguoi-phe-duyet")


def test_propose_approve_destroyed(new_page, due_record, app):
    archivist = new_page()
    log_in_as(archivist, due_record.archivist)
    archivist.goto(f"/documents/{due_record.id}")
    expect(archivist.get_by_role("link", name="Tải xuống bản gốc")).to_have_count(1)
    expect(archivist.locator("[data-disposition]")).to_have_text("Đến hạn xem xét")
    archivist.locator("header nav a[href='/retention/']").click()
    row = archivist.locator("tr").filter(has_text="Báo cáo tháng 3/2013")
    expect(row).to_be_visible()
    row.locator("input[type=checkbox]").check()
    form = archivist.locator("form.propose")
    form.locator("select[name=action]").select_option("destroy")
    form.locator("textarea[name=reason]").fill("Hết thời hạn bảo quản 10 năm")
    form.locator("button[type=submit]").click()
    expect(archivist).to_have_url(re.compile(r"/retention/proposals/\d+$"))
    proposal_url = archivist.url
    expect(archivist.locator("[data-proposal-status]")).to_have_text("Chờ phê duyệt")
    # The proposer is not offered the decision.
    expect(archivist.locator("form.decision")).to_have_count(0)

    approver = new_page()
    log_in_as(approver, due_record.approver)
    approver.goto(proposal_url)
    decision = approver.locator("form.decision")
    decision.locator("input[name=decision_ref]").fill("12/QĐ-STTTT")
    decision.locator("textarea[name=note]").fill("Hội đồng đã thẩm định")
    # Approve and reject look different; approving first names what will be destroyed.
    approve = decision.locator("button[value=approve]")
    reject = decision.locator("button[value=reject]")
    assert approve.evaluate("b => getComputedStyle(b).backgroundColor") != reject.evaluate(
        "b => getComputedStyle(b).backgroundColor")
    approve.click()
    expect(approver.locator("h1")).to_have_text("Xác nhận tiêu hủy")
    expect(approver.locator("[data-confirm-records]")).to_contain_text("Báo cáo tháng 3/2013")
    approver.locator("form.decision-confirm button[value=approve]").click()
    expect(approver.locator("[data-proposal-status]")).to_have_text("Đã thực hiện")

    with approver.expect_download() as download:
        approver.get_by_role("link", name="Tải biên bản hủy").click()
    record = download.value.path().read_text(encoding="utf-8")
    assert "BIÊN BẢN HỦY" in record and "12/QĐ-STTTT" in record and due_record.sha in record

    approver.goto(f"/documents/{due_record.id}")
    expect(approver.locator("p.tombstone")).to_contain_text("đã bị hủy")
    expect(approver.locator("[data-disposition]")).to_have_text("Đã tiêu hủy")
    expect(approver.get_by_role("link", name="Tải xuống bản gốc")).to_have_count(0)
    from app import storage

    with app.app_context():
        assert not storage.exists(due_record.sha)
    assert archivist.problems == [] and approver.problems == []
