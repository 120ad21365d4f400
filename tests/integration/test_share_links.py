"""Share links through the API and the public page: who may make them, what they open,
and that expiry, revocation, a raised secrecy or a deletion end them at once."""
from __future__ import annotations

import hashlib
from datetime import date, datetime, timedelta
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest

from tests.integration.listing_factories import insert_documents

GONE = "Liên kết không còn hiệu lực"


@pytest.fixture
def docs(app, clean):
    """An open record, a secret one and another open one, each with a stored file."""
    return insert_documents(app, [
        {"title": "Thông cáo báo chí về hội nghị nhân quyền", "number": "12",
         "symbol": "TB-STTTT", "summary": "Thông tin kết quả hội nghị"},
        {"title": "Báo cáo mật về tình hình", "secrecy": "mat"},
        {"title": "Kế hoạch tuyên truyền năm 2024"}], store_files=True)


@pytest.fixture
def archivist(api):
    return api("archivist", "mat")


def _create(client, document_id, **body):
    body.setdefault("recipient", "Phóng viên Báo Quảng Ngãi")
    return client.post(f"/api/v1/documents/{document_id}/share-links", json=body)


def _path(url: str) -> str:
    return urlsplit(url).path


def _vn_today() -> date:
    return datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).date()


def _events(app, action):
    from sqlalchemy import select

    from app.extensions import db
    from app.models import AuditEvent
    with app.app_context():
        return [(e.actor_name, e.object_type, e.object_id, e.details) for e in db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.seq))]


def _set_expiry(app, link_id, when):
    from app.extensions import db
    from app.models import ShareLink
    with app.app_context():
        db.session.get(ShareLink, link_id).expires_at = when
        db.session.commit()


def test_a_link_opens_the_record_and_its_file_to_anyone_holding_it(app, docs, archivist):
    open_id = docs[0]
    made = _create(archivist, open_id, note="Gửi theo đề nghị của tòa soạn")
    assert made.status_code == 201, made.get_json()
    link = made.get_json()
    token, page = link["token"], _path(link["url"])
    assert page == f"/chia-se/{token}" and link["status"] == "active"
    assert link["has_password"] is False and link["created_by"] == archivist.user.username
    expires = datetime.fromisoformat(link["expires_at"])  # end of the 7th day, local time
    assert expires.astimezone().date() >= date.today() + timedelta(days=7)

    from app.extensions import db
    from app.models import ShareLink
    with app.app_context():  # only the hash is kept
        row = db.session.get(ShareLink, link["id"])
        assert row.token_hash == hashlib.sha256(token.encode()).hexdigest()
        assert token not in {row.prefix, row.token_hash, row.note, row.recipient}

    outsider = app.test_client()  # nobody logged in
    answer = outsider.get(page)
    html = answer.get_data(as_text=True)
    assert answer.status_code == 200
    assert "Thông cáo báo chí về hội nghị nhân quyền" in html and "12/TB-STTTT" in html
    assert "Gửi theo đề nghị" not in html  # the note is for staff
    assert answer.headers["Referrer-Policy"] == "no-referrer"
    assert "noindex" in answer.headers["X-Robots-Tag"] and 'name="robots"' in html
    assert "site-nav" not in html and "/documents/" not in html  # no staff navigation
    download = [line for line in html.split('"') if line.startswith(f"/chia-se/{token}/tep/")]
    assert len(download) == 1
    got = outsider.get(download[0])
    assert got.status_code == 200 and got.data.decode().startswith("Nội dung của Thông cáo")
    assert got.headers["Content-Disposition"].startswith("attachment")

    listed = archivist.get(f"/api/v1/documents/{open_id}/share-links").get_json()["links"]
    assert [(l["id"], l["use_count"], l["download_count"]) for l in listed] == [
        (link["id"], 1, 1)]
    assert listed[0]["last_used_at"] is not None and "token" not in listed[0]
    created = _events(app, "share.create")
    assert created[0][:3] == (archivist.user.username, "document", str(open_id))
    assert "token" not in str(created) and token not in str(created)
    for action in ("share.open", "share.download"):
        (actor, kind, object_id, details), = _events(app, action)
        assert (actor, kind, object_id) == ("system", "document", str(open_id))
        assert details["share_link"] == link["id"]
        assert details["recipient"] == "Phóng viên Báo Quảng Ngãi"


def test_refused_above_thuong_to_viewers_and_above_clearance(app, docs, archivist, api):
    open_id, secret_id, _ = docs
    refused = _create(archivist, secret_id)
    assert refused.status_code == 422 and "Thường" in refused.get_json()["error"]["message"]
    for role in ("viewer", "uploader"):
        assert _create(api(role), open_id).status_code == 403
        assert api(role).get(f"/api/v1/documents/{open_id}/share-links").status_code == 403
    low = api("archivist")  # clearance Thường: the secret record does not exist for them
    assert _create(low, secret_id).status_code == 404
    assert archivist.get(f"/api/v1/documents/{secret_id}/share-links").get_json() == {
        "links": []}


def test_expiry_is_checked_on_creation_and_at_use(app, docs, archivist):
    open_id = docs[0]
    past = _create(archivist, open_id, expires_on="01/01/2020")
    assert past.status_code == 422 and "expires_on" in past.get_json()["error"]["fields"]
    far = (_vn_today() + timedelta(days=91)).strftime("%d/%m/%Y")
    assert "expires_on" in _create(archivist, open_id, expires_on=far).get_json()["error"][
        "fields"]
    assert _create(archivist, open_id, expires_on="31/02/2026").status_code == 422
    link = _create(archivist, open_id, expires_on=_vn_today().strftime("%d/%m/%Y")).get_json()
    outsider = app.test_client()
    assert outsider.get(_path(link["url"])).status_code == 200  # works through today

    _set_expiry(app, link["id"], datetime.utcnow() - timedelta(seconds=1))
    answer = outsider.get(_path(link["url"]))
    assert answer.status_code == 404 and GONE in answer.get_data(as_text=True)
    listed = archivist.get(f"/api/v1/documents/{open_id}/share-links").get_json()["links"]
    assert listed[0]["status"] == "expired"


def test_revocation_ends_the_link_and_is_audited_once(app, docs, archivist, api):
    open_id, _, other_id = docs
    link = _create(archivist, open_id).get_json()
    page = _path(link["url"])
    outsider = app.test_client()
    assert outsider.get(page).status_code == 200
    url = f"/api/v1/documents/{open_id}/share-links/{link['id']}"
    viewer = api("viewer")
    assert viewer.client.delete(url, headers=viewer.headers).status_code == 403
    wrong = f"/api/v1/documents/{other_id}/share-links/{link['id']}"
    assert archivist.client.delete(wrong, headers=archivist.headers).status_code == 404
    revoked = archivist.client.delete(url, headers=archivist.headers)
    assert revoked.status_code == 200 and revoked.get_json()["status"] == "revoked"
    assert revoked.get_json()["revoked_by"] == archivist.user.username
    assert archivist.client.delete(url, headers=archivist.headers).status_code == 200
    assert len(_events(app, "share.revoke")) == 1
    answer = outsider.get(page)
    assert answer.status_code == 404 and GONE in answer.get_data(as_text=True)


def test_raised_secrecy_or_deletion_ends_the_link_at_once(app, docs, archivist, make_user):
    from app.extensions import db
    from app.models import User
    from app.services.disposition import delete_document
    from app.services.documents import get_document, update_metadata
    from app.services.metadata import DocumentMetadata

    open_id, _, other_id = docs
    raised = _create(archivist, open_id).get_json()
    deleted = _create(archivist, other_id).get_json()
    outsider = app.test_client()
    file_link = [p for p in outsider.get(_path(raised["url"])).get_data(as_text=True)
                 .split('"') if "/tep/" in p][0]
    admin = make_user("admin", clearance="tuyet_mat")
    with app.app_context():
        user = db.session.get(User, admin.id)
        document = get_document(user, open_id)
        fields = {n: getattr(document, n) for n in DocumentMetadata.field_names()}
        update_metadata(user, open_id, DocumentMetadata(**{**fields, "secrecy": "mat"}))
        delete_document(user, other_id, "Tải lên nhầm")
    for page in (_path(raised["url"]), file_link, _path(deleted["url"])):
        answer = outsider.get(page)
        assert answer.status_code == 404 and GONE in answer.get_data(as_text=True), page
    listed = archivist.get(f"/api/v1/documents/{open_id}/share-links").get_json()["links"]
    assert listed[0]["status"] == "unavailable"


def test_unknown_expired_and_revoked_links_look_the_same(app, docs, archivist):
    open_id = docs[0]
    expired, revoked = (_create(archivist, open_id).get_json() for _ in range(2))
    _set_expiry(app, expired["id"], datetime.utcnow() - timedelta(days=1))
    archivist.client.delete(f"/api/v1/documents/{open_id}/share-links/{revoked['id']}",
                            headers=archivist.headers)
    outsider = app.test_client()
    answers = [outsider.get(p) for p in (
        _path(expired["url"]), _path(revoked["url"]), "/chia-se/khong-co-lien-ket-nay",
        "/chia-se/" + "x" * 500)]
    assert {a.status_code for a in answers} == {404}
    assert len({a.get_data() for a in answers}) == 1


def test_a_briefing_link_offers_only_what_may_leave(app, docs, archivist, make_user):
    from app.extensions import db
    from app.models import User
    from app.services import briefings, coverage
    from app.services.documents import get_document, update_metadata
    from app.services.metadata import DocumentMetadata
    from tests.conftest import SAMPLES

    open_id, secret_id, plan_id = docs
    with app.app_context():
        user = db.session.get(User, archivist.user.id)
        briefing = briefings.create_briefing(user, briefings.BriefingData(
            kind="periodic", title="Họp báo định kỳ tháng 5/2024",
            held_at=datetime(2024, 5, 14, 2, 0), place="Hội trường Sở", hosts=["propaganda"],
            minutes="Biên bản nội bộ: không công bố"))
        briefing_id = briefing.id
        for document_id in (open_id, secret_id, plan_id):
            briefings.add_material(user, briefing_id, str(document_id), "talking_points")
        page_file = SAMPLES / "coverage" / "bao-a-hoi-nghi-nhan-quyen.html"
        with page_file.open("rb") as stream:
            coverage.add_coverage(user, stream, page_file.name, coverage.ArticleData(
                url="https://baoquangngai.example.vn/bai-1.html", outlet="Báo Quảng Ngãi",
                published_on=date(2024, 5, 15)), briefing_id=briefing_id)
        files = {d.id: d.main_file.id for d in (get_document(user, i) for i in docs)}
    made = archivist.post(f"/api/v1/briefings/{briefing_id}/share-links",
                          json={"recipient": "Đài PT-TH tỉnh"})
    assert made.status_code == 201
    page = _path(made.get_json()["url"])
    outsider = app.test_client()
    html = outsider.get(page).get_data(as_text=True)
    assert "Họp báo định kỳ tháng 5/2024" in html and "Báo Quảng Ngãi" in html
    assert "Báo cáo mật" not in html and "Biên bản nội bộ" not in html
    assert html.count("/tep/") == 3  # two open materials and the coverage
    assert outsider.get(f"{page}/tep/{files[secret_id]}").status_code == 404
    assert outsider.get(f"{page}/tep/{files[plan_id]}").status_code == 200

    with app.app_context():  # the plan is raised to "Mật" after the link was made
        user = db.session.get(User, archivist.user.id)
        plan = get_document(user, plan_id)
        fields = {n: getattr(plan, n) for n in DocumentMetadata.field_names()}
        update_metadata(user, plan_id, DocumentMetadata(**{**fields, "secrecy": "mat"}))
    html = outsider.get(page).get_data(as_text=True)
    assert "Kế hoạch tuyên truyền" not in html and html.count("/tep/") == 2
    assert outsider.get(f"{page}/tep/{files[plan_id]}").status_code == 404
    downloads = _events(app, "share.download")
    assert [(d[1], d[2], d[3]["briefing"]) for d in downloads] == [
        ("document", str(plan_id), briefing_id)]
    listed = archivist.get(f"/api/v1/briefings/{briefing_id}/share-links").get_json()
    assert listed["links"][0]["use_count"] == 2 and listed["links"][0]["download_count"] == 1
