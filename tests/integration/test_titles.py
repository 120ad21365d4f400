"""Real titles: composed from type, number and trích yếu unless a person titled the record."""
from tests.conftest import CORPUS
from tests.integration.test_web_pages import csrf

QD15 = CORPUS / "doc" / "2011_12_28_0207000000930750!~!QD15UB.DOC"
CV = CORPUS / "pdf-text" / ("bnt - BTTTT - Gop y du thao sua doi bo sung Chuong trinh VTCI"
                            ".signed_20250510_124909.pdf")
SEED = CORPUS / "seeds" / "tin-2018-cao-bang-kh-3432.txt"


def test_a_document_nobody_titled_is_titled_from_what_was_recognised(api, run_jobs):
    uploader = api("uploader")
    created = uploader.upload(QD15).get_json()
    before = uploader.get(created["url"]).get_json()
    assert before["title"] == "2011_12_28_0207000000930750!~!QD15UB"
    assert before["title_source"] == "file_name"
    run_jobs()
    after = uploader.get(created["url"]).get_json()
    assert after["title"].startswith(
        "Quyết định 15/2010/QĐ-UBND về việc ban hành Quy định về quản lý, cung cấp, "
        "sử dụng Internet")
    assert after["title_source"] == "recognised"
    hit = uploader.search("đại lý Internet Hà Nội")["hits"][0]
    assert "QD15UB" not in hit["title"] and "Quyết định" in hit["title"]


def test_an_official_letter_is_titled_by_its_v_v_summary(api, run_jobs):
    uploader = api("uploader")
    url = uploader.upload(CV).get_json()["url"]
    run_jobs()
    title = uploader.get(url).get_json()["title"]
    assert title.startswith("Công văn …/UBND-KGVX V/v góp ý dự thảo Quyết định")


def test_a_persons_title_is_never_replaced_by_extraction(api, run_jobs):
    uploader = api("uploader")
    url = uploader.upload(QD15, title="Quy định đại lý Internet").get_json()["url"]
    run_jobs()
    body = uploader.get(url).get_json()
    assert body["title"] == "Quy định đại lý Internet" and body["title_source"] == "person"
    uploader.post(url + "/retry")
    run_jobs()
    assert uploader.get(url).get_json()["title"] == "Quy định đại lý Internet"


def test_an_edited_title_survives_reextraction_and_an_emptied_one_is_composed_again(
        app, make_user, login, api, run_jobs):
    archivist = make_user("archivist")
    client = login(archivist)
    page = client.get("/documents/upload").get_data(as_text=True)
    with QD15.open("rb") as fh:
        client.post("/documents/upload", data={"csrf_token": csrf(page), "files": (fh, QD15.name),
                                               "category": "other"},
                    content_type="multipart/form-data")
    run_jobs()
    form = client.get("/documents/1/edit").get_data(as_text=True)
    assert "Quyết định 15/2010/QĐ-UBND" in form
    data = {"csrf_token": csrf(form), "title": "Tên do người đặt", "category": "other",
            "doc_type": "QD", "number": "15", "symbol": "2010/QĐ-UBND",
            "summary": "Ban hành Quy định về quản lý đại lý Internet", "secrecy": "thuong",
            "urgency": "thuong", "language": "vi"}
    assert client.post("/documents/1/edit", data=data).status_code == 302
    client.post("/documents/1/retry", data={"csrf_token": csrf(form)})
    run_jobs()
    assert "<h1>Tên do người đặt</h1>" in client.get("/documents/1").get_data(as_text=True)
    data["title"] = ""
    client.post("/documents/1/edit", data=data)
    page = client.get("/documents/1").get_data(as_text=True)
    assert ("<h1>Quyết định 15/2010/QĐ-UBND về việc ban hành Quy định về quản lý "
            "đại lý Internet</h1>") in page


def test_metadata_typed_at_upload_titles_the_record_at_once(api):
    uploader = api("uploader")
    body = uploader.upload(SEED, doc_type="KH", number="3432/KH-UBND",
                           summary="Triển khai công tác thông tin đối ngoại năm 2018").get_json()
    title = uploader.get(body["url"]).get_json()["title"]
    assert title == "Kế hoạch 3432/KH-UBND triển khai công tác thông tin đối ngoại năm 2018"
    # Without a type, the symbol tells it; without a summary, type and number still say more
    # than a file name.
    other = uploader.upload(CORPUS / "seeds" / "tin-btttt-huong-dan-qd-1079.txt",
                            number="07/CT-UBND").get_json()
    assert uploader.get(other["url"]).get_json()["title"] == "Chỉ thị 07/CT-UBND"


def test_retitle_command_titles_existing_archives_and_reindexes(app, api, run_jobs):
    from app.extensions import db
    from app.models import Document

    uploader = api("uploader")
    url = uploader.upload(QD15).get_json()["url"]
    person = uploader.upload(SEED, title="Kế hoạch Cao Bằng").get_json()["url"]
    run_jobs()
    with app.app_context():  # as an archive from before titles were composed
        document = db.session.get(Document, 1)
        document.title, document.title_source = "2011_12_28_0207000000930750!~!QD15UB", "file_name"
        db.session.commit()
        revision = document.revision
    result = app.test_cli_runner().invoke(args=["archive", "retitle"])
    assert result.exit_code == 0, result.output
    assert "Retitled: 1 of 1" in result.output
    with app.app_context():
        assert db.session.get(Document, 1).revision == revision + 1
    run_jobs()
    assert uploader.get(url).get_json()["title"].startswith("Quyết định 15/2010/QĐ-UBND")
    assert uploader.get(person).get_json()["title"] == "Kế hoạch Cao Bằng"
    hit = uploader.search('"cung cấp, sử dụng Internet"')["hits"][0]
    assert "Quyết định 15/2010" in hit["title"]
