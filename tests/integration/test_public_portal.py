"""The anonymous public portal: only public records and briefings, in pages, files,
search and the Atom feed (read by feedparser); everything else is a plain 404.

The archive holds, besides the public record and briefing, records that must never
leave: an internal one, a "Mật" one, a harvested one and a destroyed one — the last
three with ``sharing = public`` written straight into the database and indexed, so
the portal's own checks (SQL and search filter) are what keeps them in.
"""
from datetime import datetime
from types import SimpleNamespace

import feedparser
import pytest

from tests.integration.listing_factories import insert_documents
from tests.integration.sharing_factories import briefing_with, external_source

PUBLISHED = datetime(2024, 5, 20, 3, 0)
FORBIDDEN = {
    "internal": "Ghi chú nội bộ về nhân quyền chưa công bố",
    "secret": "Báo cáo mật về nhân quyền vùng biên",
    "external": "Thông cáo nhân quyền của tỉnh bạn",
    "destroyed": "Công văn nhân quyền đã tiêu hủy",
}


@pytest.fixture(scope="module")
def archive(app):
    """Built once for the module (the tests only read it, or add records of their own)."""
    from app.services.accounts import create_user
    from tests.conftest import PASSWORD, reset_state

    reset_state(app)
    with app.app_context():
        user = create_user("luu-tru-cong-khai", PASSWORD, role="archivist",
                           clearance="tuyet_mat")
        archivist = SimpleNamespace(id=user.id, username=user.username)
    source = external_source(app)
    public = {"sharing": "public", "public_at": PUBLISHED, "index": True}
    [record] = insert_documents(app, [{
        "title": "Thông cáo báo chí về công tác bảo đảm quyền con người quý I",
        "number": "12", "symbol": "TC-STTTT", "doc_type": "TC", "category": "press_coverage",
        "issuing_agency": "Sở Thông tin và Truyền thông", "summary": "Kết quả công tác nhân quyền",
        "notes": "Ghi chú riêng của văn thư: không công bố", **public}], store_files=True)
    hidden = insert_documents(app, [
        {"title": FORBIDDEN["internal"], "index": True},
        {"title": FORBIDDEN["secret"], "secrecy": "mat", **public},
        {"title": FORBIDDEN["external"], "source_id": source, "source_identifier": "oai:b:1",
         **public},
        {"title": FORBIDDEN["destroyed"], "disposition": "destroyed",
         "disposed_at": datetime(2025, 1, 1), **public}], store_files=True)
    coverage = insert_documents(app, [
        {"title": "Báo Biên Cương đưa tin hội nghị", "category": "press_coverage", **public},
        {"title": "Bản nháp tin bài chưa duyệt tuyệt mật", "category": "press_coverage",
         "index": True}])
    material = insert_documents(app, [
        {"title": "Đề cương tuyên truyền công khai", **public},
        {"title": "Đề cương nội bộ không công bố", "index": True}])
    briefing = briefing_with(app, archivist.id, coverage, material,
                             title="Hội nghị thông tin báo chí về nhân quyền tháng 5/2024")
    closed = briefing_with(app, archivist.id, [], [], title="Họp báo nội bộ chưa công bố")
    with app.app_context():
        from app.extensions import db
        from app.models import Briefing
        from app.services.briefings import index_now
        from indexers import client

        db.session.get(Briefing, briefing).sharing = "public"
        db.session.get(Briefing, briefing).public_at = PUBLISHED
        db.session.get(Briefing, briefing).bump_revision()
        db.session.commit()
        index_now(briefing)
        client.es().indices.refresh(index=client.alias())
    return SimpleNamespace(record=record, hidden=dict(zip(FORBIDDEN, hidden)),
                           coverage=coverage, material=material, briefing=briefing,
                           closed=closed, archivist=archivist)


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.get_data(as_text=True)


def assert_nothing_forbidden(text: str) -> None:
    for name, title in FORBIDDEN.items():
        assert title not in text, name
    for word in ("chưa duyệt tuyệt mật", "Đề cương nội bộ", "Họp báo nội bộ"):
        assert word not in text


def test_home_lists_public_records_and_briefings_only(app, archive):
    client = app.test_client()  # no login
    home = page(client, "/cong-khai/")
    assert "Thông cáo báo chí về công tác bảo đảm quyền con người quý I" in home
    assert "Hội nghị thông tin báo chí về nhân quyền tháng 5/2024" in home
    assert_nothing_forbidden(home)
    assert 'class="site-nav"' not in home  # no staff menu
    assert 'type="application/atom+xml"' in home


def test_record_page_and_its_file(app, archive):
    client = app.test_client()
    text = page(client, f"/cong-khai/tai-lieu/{archive.record}")
    assert "12/TC-STTTT" in text and "Sở Thông tin và Truyền thông" in text
    assert "20/05/2024" in text  # published on, dd/mm/yyyy
    assert "Ghi chú riêng của văn thư" not in text  # internal notes stay inside
    file_id = int(text.split('data-public-file="')[1].split('"')[0])
    download = client.get(f"/cong-khai/tai-lieu/{archive.record}/tep/{file_id}")
    assert download.status_code == 200
    assert download.data.decode().startswith("Nội dung của Thông cáo báo chí")
    assert "attachment" in download.headers["Content-Disposition"]


def test_every_non_public_record_answers_404_like_a_missing_one(app, archive):
    from app.extensions import db
    from app.models import Document

    client = app.test_client()
    missing = client.get("/cong-khai/tai-lieu/999999")
    assert missing.status_code == 404
    assert "Không có tài liệu công khai nào tại địa chỉ này." in missing.get_data(as_text=True)
    for name, document_id in archive.hidden.items():
        response = client.get(f"/cong-khai/tai-lieu/{document_id}")
        assert response.status_code == 404, name
        assert response.get_data(as_text=True) == missing.get_data(as_text=True), name
        with app.app_context():
            file_id = db.session.get(Document, document_id).files[0].id
        assert client.get(f"/cong-khai/tai-lieu/{document_id}/tep/{file_id}").status_code == 404
    with app.app_context():
        other_file = db.session.get(Document, archive.hidden["internal"]).files[0].id
    # A public record's address with another record's file id: 404 too.
    assert client.get(f"/cong-khai/tai-lieu/{archive.record}/tep/{other_file}").status_code \
        == 404
    assert client.get(f"/cong-khai/hop-bao/{archive.closed}").status_code == 404


def test_briefing_page_shows_only_public_materials_and_coverage(app, archive):
    text = page(app.test_client(), f"/cong-khai/hop-bao/{archive.briefing}")
    assert "Đề cương tuyên truyền công khai" in text
    assert "Báo Biên Cương đưa tin hội nghị" in text
    assert "Thông tin về công tác bảo đảm quyền con người." in text  # the minutes
    assert_nothing_forbidden(text)


@pytest.mark.parametrize("query", ["quyền con người", "quyen con nguoi", "nhân quyền",
                                   "nhan quyen"])
def test_search_with_and_without_diacritics_finds_only_public_records(app, archive, query):
    text = page(app.test_client(), f"/cong-khai/tim-kiem?q={query}")
    assert f'data-public-hit="document-{archive.record}"' in text
    assert "<mark>" in text
    assert_nothing_forbidden(text)


def test_searching_for_hidden_records_finds_nothing(app, archive):
    client = app.test_client()
    for title in [*FORBIDDEN.values(), "chưa duyệt tuyệt mật", "Đề cương nội bộ"]:
        text = page(client, f"/cong-khai/tim-kiem?q=\"{title}\"")
        assert "0 kết quả" in text and "data-public-hit" not in text, title
    # The public briefing is found by its own words and its public coverage...
    text = page(client, "/cong-khai/tim-kiem?q=bien+cuong&record_type=briefing")
    assert f'data-public-hit="briefing-{archive.briefing}"' in text
    # ...never by the words of its coverage that is not public.
    text = page(client, "/cong-khai/tim-kiem?q=\"chua duyet\"&record_type=briefing")
    assert "0 kết quả" in text


def test_a_withdrawn_record_leaves_the_portal_before_the_index_catches_up(app, archive):
    from app.extensions import db
    from app.models import User
    from app.services.documents import get_document, update_metadata
    from app.services.metadata import DocumentMetadata

    [record] = insert_documents(app, [{"title": "Kế hoạch tuyên truyền biển đảo năm 2024",
                                       "sharing": "public", "public_at": PUBLISHED,
                                       "index": True}])
    client = app.test_client()
    assert f"document-{record}" in page(client, "/cong-khai/tim-kiem?q=bien+dao")
    with app.app_context():
        user = db.session.get(User, archive.archivist.id)
        document = get_document(user, record)
        fields = {name: getattr(document, name) for name in DocumentMetadata.field_names()}
        update_metadata(user, record, DocumentMetadata(**{**fields, "secrecy": "mat"}))
    # No job has run: the index still says public. The portal asks the database.
    assert client.get(f"/cong-khai/tai-lieu/{record}").status_code == 404
    assert f"document-{record}" not in page(client, "/cong-khai/tim-kiem?q=bien+dao")
    feed = feedparser.parse(client.get("/cong-khai/feed.atom").data)
    assert not [e for e in feed.entries if e.link.endswith(f"/tai-lieu/{record}")]
    assert len(feed.entries) == 3  # the other public records are still there


def test_atom_feed_read_by_feedparser(app, archive):
    response = app.test_client().get("/cong-khai/feed.atom")
    assert response.status_code == 200
    assert response.mimetype == "application/atom+xml"
    feed = feedparser.parse(response.data)
    assert not feed.bozo, feed.bozo_exception
    assert feed.version == "atom10"
    assert feed.feed.title.startswith("Tài liệu công khai")
    titles = [entry.title for entry in feed.entries]
    assert "Thông cáo báo chí về công tác bảo đảm quyền con người quý I" in titles
    assert set(titles) == {"Thông cáo báo chí về công tác bảo đảm quyền con người quý I",
                           "Báo Biên Cương đưa tin hội nghị", "Đề cương tuyên truyền công khai"}
    entry = next(e for e in feed.entries if "quý I" in e.title)
    assert entry.link.endswith(f"/cong-khai/tai-lieu/{archive.record}")
    assert entry.updated_parsed[:4] == (2024, 5, 20, 3)
    assert "Số 12/TC-STTTT" in entry.summary


def test_anonymous_clients_are_rate_limited_with_a_sentence_and_retry_after(
        app, archive, login):
    client = app.test_client()
    configured = app.config["PUBLIC_RATE_LIMIT"]
    app.config["PUBLIC_RATE_LIMIT"] = "4 per minute"
    try:
        for _ in range(4):
            assert client.get("/cong-khai/").status_code == 200
        refused = client.get(f"/cong-khai/tai-lieu/{archive.record}")
        assert refused.status_code == 429
        assert 0 < int(refused.headers["Retry-After"]) <= 60
        text = refused.get_data(as_text=True)
        assert "Bạn đã gửi quá nhiều yêu cầu trong thời gian ngắn" in text
        assert "Quá nhiều yêu cầu" in text
        # A search costs more: one search (4) uses up a fresh visitor's allowance.
        other = app.test_client()
        other.environ_base["REMOTE_ADDR"] = "10.0.0.9"
        assert other.get("/cong-khai/tim-kiem?q=nhan+quyen").status_code == 200
        assert other.get("/cong-khai/").status_code == 429
        # Staff, logged in, are not limited.
        staff = login(archive.archivist)
        assert all(staff.get("/cong-khai/").status_code == 200 for _ in range(5))
    finally:
        app.config["PUBLIC_RATE_LIMIT"] = configured


def test_portal_speaks_english_on_request(app, archive):
    text = page(app.test_client(), "/cong-khai/?lang=en")
    assert "Newly published documents" in text


def test_every_anonymous_download_is_on_the_audit_trail(app, archive):
    """As share-link downloads: who (the public), from which address, which record and file."""
    from app.extensions import db
    from app.models import AuditEvent, Document

    with app.app_context():
        file = db.session.get(Document, archive.record).files[0]
        file_id, sha256, filename = file.id, file.sha256, file.original_filename
        before = db.session.scalar(db.select(db.func.max(AuditEvent.seq)))
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = "203.0.113.7"
    for _ in range(2):
        assert client.get(f"/cong-khai/tai-lieu/{archive.record}/tep/{file_id}").status_code \
            == 200
    # A refused download (not public) leaves nothing: there was nothing to hand out.
    with app.app_context():
        hidden_file = db.session.get(Document, archive.hidden["internal"]).files[0].id
    assert client.get(f"/cong-khai/tai-lieu/{archive.hidden['internal']}/tep/{hidden_file}"
                      ).status_code == 404
    with app.app_context():
        events = list(db.session.scalars(db.select(AuditEvent).where(
            AuditEvent.seq > before).order_by(AuditEvent.seq)))
        from app.services import audit
        assert audit.verify().ok
    assert [(e.action, e.object_type, e.object_id) for e in events] == \
        [("public.download", "document", str(archive.record))] * 2
    for event in events:
        assert event.actor_id is None
        assert event.actor_name == "Công chúng (cổng công khai)"
        assert event.details["address"] == "203.0.113.7"
        assert event.details["file_id"] == file_id
        assert event.details["sha256"] == sha256
        assert event.details["filename"] == filename
