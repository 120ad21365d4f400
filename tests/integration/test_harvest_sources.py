"""Harvest sources for administrators, and records harvested from elsewhere being read-only.

The whole harvest against a real provider is tests/integration/test_two_archives.py;
here: the admin pages and API (token write-only, permissions, a failed run told
in Vietnamese), and what every service refuses for an external record.
"""
from __future__ import annotations

import re
from datetime import date, datetime

import pytest

from tests.integration.test_web_pages import csrf

TOKEN = "oai_bi-mat-cua-doi-tac-khong-bao-gio-hien-lai-0123456789"


def _create_source(admin, **fields):
    page = admin.get("/admin/harvest/new").get_data(as_text=True)
    data = {"csrf_token": csrf(page), "name": "Sở TT&TT tỉnh Điện Biên",
            "base_url": "http://127.0.0.1:9/oai", "set_spec": "", "metadata_prefix": "nd30",
            "token": TOKEN, "schedule_hours": "24", "enabled": "y", **fields}
    return admin.post("/admin/harvest/new", data=data)


def test_an_admin_adds_a_source_whose_token_is_never_shown_again(app, make_user, login, api):
    admin = login(make_user("admin", username="quan-tri-nguon"))
    response = _create_source(admin)
    assert response.status_code == 302
    source_id = int(re.search(r"/admin/harvest/(\d+)$", response.headers["Location"]).group(1))
    status = admin.get(f"/admin/harvest/{source_id}").get_data(as_text=True)
    assert "Sở TT&amp;TT tỉnh Điện Biên" in status and "đã lưu (không hiển thị)" in status
    assert TOKEN not in status
    edit = admin.get(f"/admin/harvest/{source_id}/edit").get_data(as_text=True)
    assert TOKEN not in edit and 'autocomplete="new-password"' in edit
    listing = admin.get("/admin/harvest/").get_data(as_text=True)
    assert TOKEN not in listing and "Sở TT&amp;TT tỉnh Điện Biên" in listing

    # Saved again with the token field empty: the token stays.
    admin.post(f"/admin/harvest/{source_id}/edit", data={
        "csrf_token": csrf(edit), "name": "Sở TT&TT tỉnh Điện Biên",
        "base_url": "http://127.0.0.1:9/oai", "metadata_prefix": "nd30", "token": "",
        "schedule_hours": "12", "enabled": "y"})
    from app.extensions import db
    from app.models import AuditEvent, HarvestSource

    with app.app_context():
        source = db.session.get(HarvestSource, source_id)
        assert source.token == TOKEN and source.schedule_hours == 12
        trail = [e.details for e in db.session.scalars(db.select(AuditEvent).where(
            AuditEvent.object_type == "harvest_source"))]
    assert TOKEN not in str(trail) and trail[0]["changes"]["token"] == "set"

    body = api("admin").get(f"/api/v1/harvest/sources/{source_id}").get_json()
    assert body["has_token"] is True and "token" not in body and TOKEN not in str(body)


def test_a_source_needs_a_name_and_an_http_address(make_user, login):
    admin = login(make_user("admin"))
    unnamed = _create_source(admin, name="")
    assert unnamed.status_code == 200
    assert "Trường này là bắt buộc" in unnamed.get_data(as_text=True)
    ftp = _create_source(admin, base_url="ftp://kho.example/oai")
    assert ftp.status_code == 200
    assert "bắt đầu bằng http:// hoặc https://" in ftp.get_data(as_text=True)
    assert admin.get("/admin/harvest/").get_data(as_text=True).count("<tr>") == 0


def test_only_administrators_manage_sources(make_user, login, api):
    archivist = login(make_user("archivist"))
    assert archivist.get("/admin/harvest/").status_code == 403
    assert archivist.get("/admin/harvest/new").status_code == 403
    assert api("archivist").get("/api/v1/harvest/sources").status_code == 403
    assert api("archivist").post("/api/v1/harvest/sources/1/runs").status_code == 403


def test_harvest_now_runs_as_a_job_and_a_dead_source_is_told_in_vietnamese(
        app, make_user, login, api, run_jobs):
    admin = login(make_user("admin", username="quan-tri-thu"))
    source_id = int(_create_source(admin).headers["Location"].rsplit("/", 1)[1])
    page = admin.get(f"/admin/harvest/{source_id}").get_data(as_text=True)
    started = admin.post(f"/admin/harvest/{source_id}/run", data={"csrf_token": csrf(page)})
    assert started.status_code == 302
    waiting = admin.get(f"/admin/harvest/{source_id}").get_data(as_text=True)
    assert "data-harvest-status" in waiting and "đang chờ" in waiting
    # A second click while it waits starts nothing.
    again = admin.post(f"/admin/harvest/{source_id}/run", data={"csrf_token": csrf(waiting)},
                       follow_redirects=True).get_data(as_text=True)
    assert "Nguồn này đang được thu thập" in again

    run_jobs()
    result = admin.get(f"/admin/harvest/{source_id}").get_data(as_text=True)
    assert "Không kết nối được tới kho nguồn" in result
    assert "Traceback" not in result and "ConnectionError" not in result
    runs = api("admin").get(f"/api/v1/harvest/sources/{source_id}").get_json()["runs"]
    assert [r["status"] for r in runs] == ["failed"]
    assert runs[0]["errors"][0].startswith("Không kết nối được tới kho nguồn")


@pytest.fixture
def external(app, clean):
    """A record harvested from another archive (through the importer, no file)."""
    from app.extensions import db
    from app.models import HarvestSource
    from app.services.metadata import DocumentMetadata
    from app.services.uow import UnitOfWork
    from app.sharing.harvest.importer import Importer
    from app.sharing.harvest.mapping import HarvestedRecord

    with app.app_context():
        source = HarvestSource(name="Kho tỉnh Cao Bằng", base_url="http://127.0.0.1:9/oai")
        db.session.add(source)
        db.session.commit()
        record = HarvestedRecord(
            identifier="oai:caobang.example:doc/3432", datestamp=datetime(2026, 11, 2, 3, 4),
            deleted=False, metadata=DocumentMetadata(
                title="Kế hoạch 3432/KH-UBND về thông tin đối ngoại", number="3432",
                symbol="KH-UBND", doc_type="KH", category="plan",
                issuing_agency="Ủy ban nhân dân tỉnh Cao Bằng", issue_date=date(2023, 9, 1)))
        importer = Importer(source, client=None, actor=None)
        uow = UnitOfWork()
        importer.start_batch(uow)
        outcome, document = importer.apply(record, None, uow)
        assert outcome == "created"
        db.session.flush()
        importer.settle()
        uow.commit()
        from app.sharing.harvest.after_batch import index_now

        index_now([document.id])
        from indexers import client
        client.es().indices.refresh(index=client.alias())
        return document.id, source.id


def test_an_external_record_says_where_it_comes_from_and_offers_no_changes(
        app, make_user, login, external):
    document_id, _source_id = external
    admin = login(make_user("admin"))
    page = admin.get(f"/documents/{document_id}").get_data(as_text=True)
    assert "Thu thập từ Kho tỉnh Cao Bằng" in page
    assert "oai:caobang.example:doc/3432" in page and "02/11/2026" in page
    assert f"/documents/{document_id}/edit" not in page
    assert "Xóa hồ sơ này" not in page and "Đổi loại thời hạn" not in page
    refused = admin.get(f"/documents/{document_id}/edit")
    assert refused.status_code == 409
    assert "ở kho này chỉ được xem" in refused.get_data(as_text=True)


def test_every_service_refuses_to_change_an_external_record(app, make_user, external, api):
    from app.extensions import db
    from app.models import Document, User
    from app.services import disposition, dossiers, holds, retention
    from app.services.document_files import attach_file
    from app.services.documents import update_metadata
    from app.services.dossiers import DossierValues
    from app.services.errors import ReadOnlyRecord, ValidationFailed
    from app.services.metadata import DocumentMetadata
    from app.sharing.levels import set_document_sharing

    document_id, _ = external
    admin_ref = make_user("admin", clearance="tuyet_mat")
    with app.app_context():
        admin = db.session.get(User, admin_ref.id)
        dossier = dossiers.save_dossier(admin, None, DossierValues(
            code="HS-01", title="Hồ sơ thông tin đối ngoại"))
        attempts = {
            "edit": lambda: update_metadata(admin, document_id, DocumentMetadata(title="Khác")),
            "delete": lambda: disposition.delete_document(admin, document_id, "Nhầm"),
            "propose": lambda: disposition.propose(admin, "transfer", [document_id], "Nộp"),
            "schedule": lambda: retention.override_schedule(admin, document_id, None, "x"),
            "dossier": lambda: dossiers.add_document(admin, dossier.id, document_id),
            "hold": lambda: holds.place_hold(admin, "Thanh tra", document_id=document_id),
            "file": lambda: attach_file(admin, document_id, __import__("io").BytesIO(b"abc"),
                                        "khac.txt"),
        }
        for name, attempt in attempts.items():
            with pytest.raises(ReadOnlyRecord) as refusal:
                attempt()
            db.session.rollback()
            assert "Kho tỉnh Cao Bằng" in refusal.value.message, name
        with pytest.raises(ValidationFailed):
            set_document_sharing(admin, document_id, "public")
        db.session.rollback()
        document = db.session.get(Document, document_id)
        assert document.title == "Kế hoạch 3432/KH-UBND về thông tin đối ngoại"
        assert document.disposition == "active" and document.sharing == "internal"
        assert document.dossier_id is None

    answer = api("admin").client.delete(
        f"/api/v1/documents/{document_id}", json={"reason": "Nhầm"},
        headers=api("admin").headers)
    assert answer.status_code == 409 and answer.get_json()["error"]["code"] == "read_only"


def test_search_has_a_source_facet_with_this_archive_and_the_source(
        app, api, login, make_user, external, tmp_path, run_jobs):
    document_id, source_id = external
    uploader = api("uploader")
    local = tmp_path / "ke-hoach-tinh-nha.txt"
    local.write_text("Kế hoạch về thông tin đối ngoại của tỉnh nhà năm 2024", encoding="utf-8")
    uploader.upload(local, title="Kế hoạch thông tin đối ngoại tỉnh nhà")
    run_jobs()
    found = uploader.search("thông tin đối ngoại")
    facet = dict((b["value"], b["count"]) for b in found["facets"]["source"])
    assert facet == {"local": 1, str(source_id): 1}
    only = uploader.search("thông tin đối ngoại", source=str(source_id))
    assert [h["id"] for h in only["hits"]] == [document_id]
    assert only["hits"][0]["source"] == str(source_id)
    assert [h["source"] for h in uploader.search("thông tin đối ngoại",
                                                 source="local")["hits"]] == ["local"]

    page = login(uploader.user).get("/search/?q=thông+tin+đối+ngoại").get_data(as_text=True)
    assert "<h2>Nguồn</h2>" in page and "Kho này" in page and "Kho tỉnh Cao Bằng" in page
    assert "Thu thập từ Kho tỉnh Cao Bằng" in page
    chip = login(uploader.user).get(f"/search/?q=ke+hoach&source={source_id}").get_data(as_text=True)
    assert "Nguồn" in chip and "Kho tỉnh Cao Bằng" in chip
