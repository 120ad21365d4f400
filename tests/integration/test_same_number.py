"""Same number, different file: warn with a link, and attach the file to the existing record."""
import re

from tests.conftest import CORPUS, SAMPLES
from tests.integration.test_web_pages import csrf

QD15 = CORPUS / "doc" / "2011_12_28_0207000000930750!~!QD15UB.DOC"
NUMBER = {"number": "15/2010/QĐ-UBND", "issuing_agency": "Ủy ban nhân dân thành phố Hà Nội",
          "issue_date": "26/04/2010", "doc_type": "QD"}


def test_api_upload_lists_documents_with_the_same_number(api, tmp_path):
    uploader = api("uploader")
    first = uploader.upload(QD15, **NUMBER).get_json()
    copy = tmp_path / "qd15.txt"
    copy.write_text("Quyết định 15/2010/QĐ-UBND, bản đánh máy lại", encoding="utf-8")
    second = uploader.upload(copy, number="15/2010/QD-UBND",
                             issuing_agency="ỦY BAN NHÂN DÂN THÀNH PHỐ HÀ NỘI")
    assert second.status_code == 202
    body = second.get_json()
    assert [d["id"] for d in body["same_number"]] == [first["id"]]
    assert body["same_number"][0]["url"] == f"/api/v1/documents/{first['id']}"
    assert body["same_number"][0]["number_symbol"] == "15/2010/QĐ-UBND"
    # Another agency, or another year, is another document.
    other = tmp_path / "other.txt"
    other.write_text("khác", encoding="utf-8")
    assert uploader.upload(other, number="15/2010/QĐ-UBND",
                           issuing_agency="UBND tỉnh Cần Thơ").get_json()["same_number"] == []
    # Numbers restart every year: 15/QĐ-UBND of 2011 is not 15/QĐ-UBND of 2010.
    for year, name in ((2010, "a.txt"), (2011, "b.txt")):
        (tmp_path / name).write_text(f"năm {year}", encoding="utf-8")
    first_year = uploader.upload(tmp_path / "a.txt", number="15/QĐ-UBND", issue_date="02/03/2010")
    assert first_year.get_json()["same_number"] == []
    assert uploader.upload(tmp_path / "b.txt", number="15/QĐ-UBND",
                           issue_date="02/03/2011").get_json()["same_number"] == []
    (tmp_path / "c.txt").write_text("cùng năm", encoding="utf-8")
    assert [d["id"] for d in uploader.upload(tmp_path / "c.txt", number="15/QĐ-UBND",
                                             issue_date="09/09/2010").get_json()[
        "same_number"]] == [first_year.get_json()["id"]]


def test_the_same_number_is_never_revealed_above_the_clearance(api, tmp_path):
    owner = api("archivist", "toi_mat")
    owner.upload(QD15, secrecy="mat", **NUMBER)
    uploader = api("uploader")
    copy = tmp_path / "copy.txt"
    copy.write_text("bản sao", encoding="utf-8")
    assert uploader.upload(copy, **NUMBER).get_json()["same_number"] == []


def test_api_attaches_a_second_format_to_the_record(api, app, run_jobs):
    uploader = api("uploader")
    record = uploader.upload(QD15, **NUMBER).get_json()
    run_jobs()
    title = uploader.get(record["url"]).get_json()["title"]
    with (SAMPLES / "table_header_footer.docx").open("rb") as fh:
        added = uploader.post(f"/api/v1/documents/{record['id']}/files",
                              data={"file": (fh, "zxqvban QD15UB.docx")},
                              content_type="multipart/form-data")
    assert added.status_code == 201, added.get_json()
    assert added.get_json()["files"] == 2
    run_jobs()
    body = uploader.get(record["url"]).get_json()
    assert [f["original_filename"] for f in body["files"]] == [QD15.name, "zxqvban QD15UB.docx"]
    assert body["title"] == title  # the main file is still the one read
    assert [h["id"] for h in uploader.search("zxqvban")["hits"]] == [record["id"]]
    with (SAMPLES / "table_header_footer.docx").open("rb") as fh:
        again = uploader.post(f"/api/v1/documents/{record['id']}/files",
                              data={"file": (fh, "lai.docx")}, content_type="multipart/form-data")
    assert again.status_code == 200 and again.get_json()["duplicate"] is True
    viewer = api("viewer")
    with (SAMPLES / "vi_utf8.txt").open("rb") as fh:
        assert viewer.post(f"/api/v1/documents/{record['id']}/files",
                           data={"file": (fh, "x.txt")},
                           content_type="multipart/form-data").status_code == 403
    from app.extensions import db
    from app.models import AuditEvent

    with app.app_context():
        events = db.session.scalars(db.select(AuditEvent).where(
            AuditEvent.action == "file.attach")).all()
        assert [e.details["filename"] for e in events] == ["zxqvban QD15UB.docx"]


def test_upload_form_warns_and_attaches_instead_of_creating_a_record(
        app, make_user, login, api):
    owner = api("uploader")
    record = owner.upload(QD15, **NUMBER).get_json()
    client = login(make_user("uploader"))
    page = client.get("/documents/upload").get_data(as_text=True)
    form = {"csrf_token": csrf(page), "category": "other", "secrecy": "thuong",
            "urgency": "thuong", "language": "vi", **NUMBER}
    with (SAMPLES / "table_header_footer.docx").open("rb") as fh:
        warned = client.post("/documents/upload", data={**form, "files": (fh, "QD15UB.docx")},
                             content_type="multipart/form-data")
    html = warned.get_data(as_text=True)
    assert warned.status_code == 200 and "data-same-number" in html
    assert f'href="/documents/{record["id"]}"' in html
    token = re.search(r'name="staged" value="([^"]+)"', html).group(1)  # the file waits
    attached = client.post("/documents/upload", data={
        **form, "staged": token, "same_number": str(record["id"])})
    assert attached.status_code == 302 and attached.location.endswith(f"/documents/{record['id']}")
    detail = client.get(f"/documents/{record['id']}").get_data(as_text=True)
    assert "QD15UB.docx" in detail and "data-attach-file" in detail
    from app.extensions import db
    from app.models import Document

    with app.app_context():  # no second record
        assert db.session.scalar(db.select(db.func.count()).select_from(Document)) == 1


def test_upload_form_can_still_archive_a_new_record(app, make_user, login, api):
    owner = api("uploader")
    owner.upload(QD15, **NUMBER)
    client = login(make_user("uploader"))
    page = client.get("/documents/upload").get_data(as_text=True)
    form = {"csrf_token": csrf(page), "category": "other", "secrecy": "thuong",
            "urgency": "thuong", "language": "vi", **NUMBER}
    with (SAMPLES / "vi_utf8.txt").open("rb") as fh:
        html = client.post("/documents/upload", data={**form, "files": (fh, "ban-khac.txt")},
                           content_type="multipart/form-data").get_data(as_text=True)
    token = re.search(r'name="staged" value="([^"]+)"', html).group(1)
    created = client.post("/documents/upload", data={**form, "staged": token,
                                                      "same_number": "new"})
    assert created.status_code == 302 and created.location.endswith("/documents/2")
    detail = client.get("/documents/2").get_data(as_text=True)
    assert "data-same-number" in detail and 'href="/documents/1"' in detail


def test_document_page_adds_another_file_and_edit_warns(app, make_user, login, api):
    owner = api("uploader")
    first = owner.upload(QD15, **NUMBER).get_json()
    client = login(make_user("archivist"))
    page = client.get(f"/documents/{first['id']}").get_data(as_text=True)
    with (SAMPLES / "vi_utf8.txt").open("rb") as fh:
        client.post(f"/documents/{first['id']}/files",
                    data={"csrf_token": csrf(page), "file": (fh, "ghi-chu.txt")},
                    content_type="multipart/form-data")
    page = client.get(f"/documents/{first['id']}").get_data(as_text=True)
    link = re.search(r'href="(/documents/\d+/files/\d+/download)">ghi-chu.txt', page).group(1)
    download = client.get(link)
    assert download.status_code == 200 and download.data == (SAMPLES / "vi_utf8.txt").read_bytes()
    second = owner.upload(SAMPLES / "text_vi.pdf").get_json()
    edit = client.get(f"/documents/{second['id']}/edit").get_data(as_text=True)
    saved = client.post(f"/documents/{second['id']}/edit", data={
        "csrf_token": csrf(edit), "title": "Bản khác", "category": "other", "secrecy": "thuong",
        "urgency": "thuong", "language": "vi", **NUMBER})
    assert saved.status_code == 302
    shown = client.get(f"/documents/{second['id']}").get_data(as_text=True)
    assert "data-same-number" in shown and f'href="/documents/{first["id"]}"' in shown
    assert "data-same-number" in client.get(f"/documents/{second['id']}/edit").get_data(
        as_text=True)
