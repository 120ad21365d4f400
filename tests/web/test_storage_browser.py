"""In a real browser: an administrator finds a damaged file on the storage page and checks it
again, on a desk and on a phone; nothing scrolls sideways and axe-core finds nothing serious."""
from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
from playwright.sync_api import expect

from tests.conftest import PASSWORD
from tests.web.test_phone_a11y import (PHONE, DESKTOP, axe_source, log_in,  # noqa: F401
                                       open_page, overflow, run_axe)

ADMIN = "quan-tri-luu-tru"


@pytest.fixture(scope="module")
def record(app, live_server, tmp_path_factory):
    """An administrator and a record processed by the live worker."""
    from app.extensions import db
    from app.services.accounts import create_user
    from app.services.documents import archive_document
    from app.services.metadata import DocumentMetadata

    path = tmp_path_factory.mktemp("storage") / "bien-ban-hop-bao-thang-4.txt"
    path.write_text("Biên bản họp báo tháng 4 về công tác thông tin đối ngoại của tỉnh "
                    "(kiểm tra lưu trữ tệp).", encoding="utf-8")
    with app.app_context():
        admin = create_user(ADMIN, PASSWORD, role="admin", clearance="tuyet_mat")
        with path.open("rb") as stream:
            document = archive_document(admin, stream, path.name, DocumentMetadata(
                title="Biên bản họp báo tháng 4 về thông tin đối ngoại")).document
        sha = document.main_file.sha256
        db.session.remove()
    stored = Path(app.config["STORAGE_DIR"]) / sha[:2] / sha[2:4] / sha
    return SimpleNamespace(sha=sha, stored=stored, original=path.read_bytes())


@pytest.fixture
def damaged(app, record):
    """The stored original altered on disk, and found so by a fixity pass."""
    from app.extensions import db
    from app.services import fixity

    record.stored.write_bytes(record.original.replace("tháng 4".encode(), "tháng 5".encode()))
    with app.app_context():
        assert record.sha in fixity.verify_all(mb_per_s=0).altered
        db.session.remove()
    return record


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_storage_page_lists_the_damaged_file(open_page, damaged, axe_source,  # noqa: F811
                                                viewport):
    page = open_page(viewport, bypass_csp=True)
    log_in(page, ADMIN)
    page.goto("/admin/storage")
    expect(page.locator("h1")).to_have_text("Lưu trữ tệp")
    row = page.locator(f"tr[data-sha='{damaged.sha}']")
    expect(row).to_contain_text("Tệp bị thay đổi")
    expect(row.get_by_role("link", name="Biên bản họp báo tháng 4 về thông tin đối ngoại")
           ).to_be_visible()
    measured = overflow(page)
    assert measured["scroll"] <= measured["viewport"], measured
    serious = [v for v in run_axe(page, axe_source) if v["impact"] in ("serious", "critical")]
    assert serious == [], serious

    damaged.stored.write_bytes(damaged.original)  # someone puts the right bytes back
    row.get_by_role("button", name="Kiểm tra lại").click()
    expect(page.locator("p.flash").first).to_contain_text(
        "Đã kiểm tra lại: Tệp nguyên vẹn.")
    # Off the list (files other browser tests left behind may still be listed).
    expect(page.locator(f"tr[data-sha='{damaged.sha}']")).to_have_count(0)
    assert page.problems == []
