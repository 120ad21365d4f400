"""Press briefings end to end on the real services: record, attach, find, export.

What an official needs from the archive: which briefings were held (and which
months had none), whether an ad-hoc one came within 24 hours of its incident,
what was said and handed out, what the press published, and one package to
hand to a superior.
"""
from __future__ import annotations

import hashlib
import io
import json
import re
import zipfile

import pytest

from tests.conftest import SAMPLES

COVERAGE = SAMPLES / "coverage"
COPY_A = COVERAGE / "bao-a-hoi-nghi-nhan-quyen.html"
COPY_B = COVERAGE / "cong-b-dang-lai.html"
OTHER = COVERAGE / "bao-c-bai-khac.html"

PERIODIC = {
    "kind": "periodic", "title": "Hội nghị cung cấp thông tin cho báo chí tháng 3/2024",
    "held_at": "14/03/2024 14:00", "place": "Hội trường Ban Tuyên giáo Tỉnh ủy",
    "hosts": ["propaganda", "police", "communications"],
    "topics": ["human_rights", "foreign_information"],
    "outlets": ["Báo Biên Cương", "Đài Phát thanh và Truyền hình tỉnh"],
    "chair": "Phó Trưởng Ban Tuyên giáo Tỉnh ủy",
    "spokespeople": "Đại diện Công an tỉnh\nĐại diện Sở Thông tin và Truyền thông",
    "minutes": "Hội nghị thông tin về kết quả bảo đảm quyền của đồng bào dân tộc thiểu số "
               "vùng biên giới và yêu cầu báo chí kịp thời phản bác luận điệu xuyên tạc "
               "về tự do tôn giáo.",
}
ADHOC = {
    "kind": "adhoc", "title": "Họp báo đột xuất về vụ việc tại xã Mường Nhé",
    "incident_at": "10/04/2024 08:00", "held_at": "11/04/2024 14:00",
    "incident_summary": "Thông tin sai sự thật lan truyền trên mạng xã hội về vụ cháy rừng.",
    "hosts": ["police"], "topics": ["human_rights"],
    "minutes": "Công an tỉnh cung cấp thông tin chính thức về vụ cháy rừng phòng hộ.",
}


def _create(client, body) -> dict:
    response = client.post("/api/v1/briefings", json=body)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def _coverage(client, briefing_id, path, **fields):
    with path.open("rb") as fh:
        response = client.post(f"/api/v1/briefings/{briefing_id}/coverage",
                               data={"file": (fh, path.name), **fields},
                               content_type="multipart/form-data")
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def _txt(tmp_path, name: str, text: str):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_adhoc_briefing_held_30_hours_after_incident_is_flagged_late(api, login, make_user):
    user = api("uploader")
    late = _create(user, ADHOC)
    assert late["response_hours"] == 30.0 and late["late"] is True
    on_time = _create(user, {**ADHOC, "title": "Họp báo kịp thời", "held_at": "10/04/2024 20:00"})
    assert on_time["late"] is False and on_time["response_hours"] == 12.0
    periodic = _create(user, PERIODIC)
    assert periodic["late"] is False and periodic["response_hours"] is None

    browser = login(user.user)
    page = browser.get(f"/briefings/{late['id']}").get_data(as_text=True)
    assert 'class="flag late response"' in page and "30 giờ 00 phút" in page
    assert "10/04/2024 08:00" in page and "11/04/2024 14:00" in page  # local time, dd/mm
    assert 'class="flag late' not in browser.get(f"/briefings/{on_time['id']}").get_data(
        as_text=True)
    listing = browser.get("/briefings/").get_data(as_text=True)
    assert listing.count('class="flag late"') == 1

    report = browser.get("/briefings/report/adhoc?year=2024").get_data(as_text=True)
    assert f'data-briefing="{late["id"]}" class="late"' in report
    assert f'data-briefing="{on_time["id"]}" class="ontime"' in report
    assert f'data-briefing="{periodic["id"]}"' not in report  # periodic: not in this report


def test_briefing_rules(api):
    viewer, uploader = api("viewer"), api("uploader")
    assert viewer.post("/api/v1/briefings", json=PERIODIC).status_code == 403
    no_incident = {k: v for k, v in ADHOC.items() if k != "incident_at"}
    refused = uploader.post("/api/v1/briefings", json=no_incident)
    assert refused.status_code == 422 and "incident_at" in refused.get_json()["error"]["details"][
        "fields"]
    backwards = uploader.post("/api/v1/briefings", json={**ADHOC, "held_at": "09/04/2024 08:00"})
    assert backwards.status_code == 422
    created = _create(uploader, PERIODIC)
    assert viewer.get(f"/api/v1/briefings/{created['id']}").status_code == 200
    assert viewer.get("/api/v1/briefings/9999").status_code == 404


def test_calendar_shows_months_with_and_without_a_periodic_briefing(api, login):
    user = api("uploader")
    for held in ("15/01/2024 14:00", "14/03/2024 14:00", "01/12/2024 06:30"):
        _create(user, {**PERIODIC, "held_at": held})
    _create(user, ADHOC)  # ad-hoc briefings do not fill a month of the periodic calendar
    _create(user, {**PERIODIC, "held_at": "20/02/2023 14:00"})  # another year
    page = login(user.user).get("/briefings/calendar?year=2024").get_data(as_text=True)
    held = set(map(int, re.findall(r'class="month held" data-month="(\d+)"', page)))
    missing = set(map(int, re.findall(r'class="month missing" data-month="(\d+)"', page)))
    # 01/12 06:30 local is 30/11 23:30 UTC: months follow the local calendar.
    assert held == {1, 3, 12}
    assert missing == set(range(1, 13)) - {1, 3, 12}


def test_list_filters(api):
    user = api("uploader")
    march = _create(user, PERIODIC)
    adhoc = _create(user, ADHOC)
    other = _create(user, {**PERIODIC, "title": "Giao ban báo chí tháng 5", "held_at":
                           "20/05/2023 14:00", "topics": ["other"], "hosts": ["journalists"],
                           "outlets": ["Báo Nhân Dân"]})

    def ids(**params):
        body = user.get("/api/v1/briefings", query_string=params).get_json()
        return {b["id"] for b in body["briefings"]}

    assert ids() == {march["id"], adhoc["id"], other["id"]}
    assert ids(year=2024) == {march["id"], adhoc["id"]}
    assert ids(year=2024, month=3) == {march["id"]}
    assert ids(month=5) == {other["id"]}
    assert ids(kind="adhoc") == {adhoc["id"]}
    assert ids(topic="human_rights") == {march["id"], adhoc["id"]}
    assert ids(host="journalists") == {other["id"]}
    assert ids(outlet="báo nhân dân") == {other["id"]}
    _coverage(user, adhoc["id"], OTHER, outlet="Báo Nhân Dân")
    assert ids(outlet="Báo Nhân Dân") == {other["id"], adhoc["id"]}  # coverage counts too


def test_find_a_briefing_by_its_minutes_materials_and_coverage(api, run_jobs, login, tmp_path):
    user = api("uploader")
    talking = _txt(tmp_path, "de-cuong.txt",
                   "Đề cương tuyên truyền: khẳng định chính sách nhất quán về bảo tồn "
                   "chữ viết dân tộc Thái trong trường học.")
    doc = user.upload(talking, number="12/ĐC-BTG", title="Đề cương tuyên truyền tháng 3",
                      category="briefing_material").get_json()
    run_jobs()
    briefing = _create(user, PERIODIC)
    decoy = _create(user, {**PERIODIC, "title": "Giao ban tháng 4", "held_at":
                           "15/04/2024 14:00", "minutes": "Nội dung khác hẳn."})
    added = user.post(f"/api/v1/briefings/{briefing['id']}/materials",
                      json={"reference": "12/ĐC-BTG", "role": "talking_points"})
    assert added.status_code == 201
    assert [m["document"]["id"] for m in added.get_json()["materials"]] == [doc["id"]]
    _coverage(user, briefing["id"], COPY_A, outlet="Báo Biên Cương",
              url="https://baobiencuong.vn/hoi-nghi-thang-3", published_on="14/03/2024")
    run_jobs()

    def found(q, **params):
        hits = user.search(q, record_type="briefing", **params)["hits"]
        return [h["id"] for h in hits]

    assert found('"phản bác luận điệu xuyên tạc về tự do tôn giáo"') == [briefing["id"]]
    assert found("bảo tồn chữ viết dân tộc Thái") == [briefing["id"]]  # from the material
    assert found("bao ton chu viet dan toc thai") == [briefing["id"]]  # typed without marks
    assert found('"nhiều thông tin sai sự thật trên mạng xã hội"') == [briefing["id"]]  # coverage
    assert decoy["id"] not in found("chữ viết dân tộc Thái")

    # The main search returns briefings as their own type, next to documents.
    both = user.search("bảo tồn chữ viết dân tộc Thái")
    kinds = {(h["record_type"], h["id"]) for h in both["hits"]}
    assert ("briefing", briefing["id"]) in kinds and ("document", doc["id"]) in kinds
    assert {f["value"] for f in both["facets"]["record_type"]} == {"briefing", "document"}
    only_docs = user.search("bảo tồn chữ viết dân tộc Thái", record_type="document")
    assert {h["record_type"] for h in only_docs["hits"]} == {"document"}

    browser = login(user.user)
    page = browser.get("/search/?q=bảo+tồn+chữ+viết").get_data(as_text=True)
    assert f'href="/briefings/{briefing["id"]}"' in page
    listing = browser.get("/briefings/?q=luận+điệu+xuyên+tạc").get_data(as_text=True)
    assert f'href="/briefings/{briefing["id"]}"' in listing
    assert f'href="/briefings/{decoy["id"]}"' not in listing

    # A material edited later (new text, new title) keeps the briefing's entry current.
    edited = user.client.get(f"/api/v1/documents/{doc['id']}", headers=user.headers)
    assert edited.status_code == 200


def test_two_copies_of_one_article_are_grouped_as_one_story(api, run_jobs, login):
    user = api("uploader")
    briefing = _create(user, PERIODIC)
    first = _coverage(user, briefing["id"], COPY_A, outlet="Báo Biên Cương",
                      published_on="14/03/2024", author="Lò Thị Hoa")
    second = _coverage(user, briefing["id"], COPY_B, outlet="Cổng TTĐT tỉnh",
                       published_on="15/03/2024")
    third = _coverage(user, briefing["id"], OTHER, outlet="Báo Biên Cương",
                      published_on="20/03/2024")
    assert first["same_story"] == []
    assert second["same_story"] == [first["article"]["id"]]
    assert second["article"]["story_id"] == first["article"]["story_id"]
    assert third["same_story"] == [] and third["article"]["story_id"] != first["article"][
        "story_id"]
    assert first["article"]["document"]["category"] == "press_coverage"
    # Without a headline typed in, the article's own headline is the title.
    assert first["article"]["document"]["title"] == (
        "Cung cấp thông tin cho báo chí về công tác nhân quyền và thông tin đối ngoại tháng 3")

    detail = user.get(f"/api/v1/briefings/{briefing['id']}").get_json()
    assert detail["stories"] == [[first["article"]["id"], second["article"]["id"]],
                                 [third["article"]["id"]]]
    page = login(user.user).get(f"/briefings/{briefing['id']}").get_data(as_text=True)
    assert page.count('class="story"') == 2 and "2 bản của cùng một tin" in page

    # The same saved file uploaded again is the same article, not a third copy.
    again = _coverage(user, briefing["id"], COPY_A, outlet="Báo Biên Cương")
    assert again["duplicate_file"] and again["article"]["id"] == first["article"]["id"]


def test_saved_html_coverage_is_only_ever_downloaded(api, login):
    user = api("uploader")
    briefing = _create(user, PERIODIC)
    article = _coverage(user, briefing["id"], COPY_A, outlet="Báo Biên Cương")
    doc_id = article["article"]["document"]["id"]
    browser = login(user.user)
    for url in (f"/documents/{doc_id}/download", f"/documents/{doc_id}/download?inline=1"):
        response = browser.get(url)
        assert response.status_code == 200
        assert response.headers["Content-Disposition"].startswith("attachment")
        assert "html" not in response.headers["Content-Type"]


def test_dossier_zip_matches_its_index(api, run_jobs, login, tmp_path):
    user = api("uploader")
    guidance = user.upload(_txt(tmp_path, "huong-dan-1079.txt", "Hướng dẫn thực hiện QĐ 1079."),
                           number="15/HD-BTTTT", title="Hướng dẫn của Bộ").get_json()
    report = user.upload(_txt(tmp_path, "bao-cao.txt", "Báo cáo tình hình tháng 3."),
                         title="Báo cáo tháng 3").get_json()
    run_jobs()
    briefing = _create(user, PERIODIC)
    for ref, role in (("15/HD-BTTTT", "guidance"), (str(report["id"]), "report")):
        assert user.post(f"/api/v1/briefings/{briefing['id']}/materials",
                         json={"reference": ref, "role": role}).status_code == 201
    _coverage(user, briefing["id"], COPY_A, outlet="Báo Biên Cương", published_on="14/03/2024")
    _coverage(user, briefing["id"], COPY_B, outlet="Cổng TTĐT tỉnh")

    response = login(user.user).get(f"/briefings/{briefing['id']}/export")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    assert "attachment" in response.headers["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    index = archive.read("index.html").decode("utf-8")
    listed = dict(re.findall(r'data-path="([^"]+)" data-sha256="([0-9a-f]{64})"', index))
    files = set(archive.namelist()) - {"index.html"}
    assert set(listed) == files and len(files) == 4
    for path, sha in listed.items():
        assert hashlib.sha256(archive.read(path)).hexdigest() == sha
    assert sum(p.startswith("tai-lieu/") for p in files) == 2
    assert sum(p.startswith("bao-chi/") for p in files) == 2
    for text in ("Hướng dẫn của Bộ", "15/HD-BTTTT", "Báo cáo tháng 3", "Báo Biên Cương",
                 "14/03/2024 14:00", PERIODIC["minutes"][:40]):
        assert text in index
    assert archive.testzip() is None


def test_material_picker_and_removal(api, run_jobs, login, tmp_path):
    user = api("uploader")
    doc = user.upload(_txt(tmp_path, "ke-hoach.txt", "Kế hoạch thông tin đối ngoại năm 2024."),
                      title="Kế hoạch thông tin đối ngoại").get_json()
    run_jobs()
    briefing = _create(user, PERIODIC)
    browser = login(user.user)
    picker = browser.get(f"/briefings/{briefing['id']}/materials/find?q=kế+hoạch+đối+ngoại")
    assert f'name="reference" value="{doc["id"]}"' in picker.get_data(as_text=True)
    page = browser.get(f"/briefings/{briefing['id']}").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    browser.post(f"/briefings/{briefing['id']}/materials",
                 data={"reference": str(doc["id"]), "role": "other", "csrf_token": token})
    assert f'data-document="{doc["id"]}"' in browser.get(f"/briefings/{briefing['id']}").get_data(
        as_text=True)
    # Without the CSRF token nothing happens.
    assert browser.post(f"/briefings/{briefing['id']}/materials/{doc['id']}/remove"
                        ).status_code == 400
    browser.post(f"/briefings/{briefing['id']}/materials/{doc['id']}/remove",
                 data={"csrf_token": token})
    assert f'data-document="{doc["id"]}"' not in browser.get(
        f"/briefings/{briefing['id']}").get_data(as_text=True)


def test_web_form_records_a_briefing_and_pages_need_a_login(app, make_user, login):
    anonymous = app.test_client()
    for url in ("/briefings/", "/briefings/calendar", "/briefings/report/adhoc",
                "/briefings/new", "/api/v1/briefings"):
        assert anonymous.get(url).status_code in (302, 401)
    viewer = login(make_user("viewer"))
    assert viewer.get("/briefings/new").status_code == 403
    browser = login(make_user("uploader"))
    page = browser.get("/briefings/new").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = browser.post("/briefings/new", data={
        "csrf_token": token, "kind": "adhoc", "title": "<script>alert(1)</script> Họp báo",
        "held_at": "11/04/2024 14:00", "incident_at": "10/04/2024 08:00",
        "hosts": ["police", "communications"], "topics": ["human_rights"],
        "outlets": "Báo Biên Cương\nTTXVN", "minutes": "Biên bản họp báo."})
    assert response.status_code == 302
    page = browser.get(response.headers["Location"]).get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page
    assert "Báo Biên Cương, TTXVN" in page and 'class="flag late response"' in page


@pytest.mark.parametrize("value", ["31/02/2024 10:00", "hôm qua"])
def test_bad_times_are_refused_with_a_message(make_user, login, value):
    browser = login(make_user("uploader"))
    page = browser.get("/briefings/new").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = browser.post("/briefings/new", data={"csrf_token": token, "kind": "periodic",
                                                    "title": "Giao ban", "held_at": value})
    assert response.status_code == 200
    assert "dd/mm/yyyy HH:MM" in response.get_data(as_text=True)


def test_audit_trail_of_a_dossier_export_hides_secret_materials(api, run_jobs, login, make_user,
                                                                 tmp_path):
    owner = api("uploader", clearance="toi_mat")
    public = owner.upload(_txt(tmp_path, "cong-khai.txt", "Thông cáo báo chí công khai."),
                          title="Thông cáo công khai").get_json()["id"]
    secret = owner.upload(_txt(tmp_path, "mat.txt", "Báo cáo mật về tình hình."),
                          title="Báo cáo mật", secrecy="toi_mat").get_json()["id"]
    run_jobs()
    briefing = _create(owner, PERIODIC)
    for doc_id in (public, secret):
        owner.post(f"/api/v1/briefings/{briefing['id']}/materials",
                   json={"reference": str(doc_id)})
    assert owner.client.get(f"/briefings/{briefing['id']}/export",
                            headers=owner.headers).status_code == 200

    def trail(clearance):
        import csv

        browser = login(make_user("archivist", clearance=clearance))
        text = browser.get("/audit/export.csv").get_data(as_text=True).lstrip("\ufeff")
        return list(csv.DictReader(io.StringIO(text)))

    def about(rows, object_type, object_id):
        return [r for r in rows if r["object_type"] == object_type
                and r["object_id"] == str(object_id)]

    low, high = trail("thuong"), trail("toi_mat")
    assert {r["action"] for r in about(high, "document", secret)} >= {"edit", "export"}
    assert about(low, "document", secret) == []
    assert {r["action"] for r in about(low, "document", public)} >= {"edit", "export"}
    # The briefing's own entries name no material, and so reveal nothing.
    for row in about(low, "briefing", briefing["id"]):
        assert set(json.loads(row["details"])) <= {"kind", "title", "changes"}, row
    assert [r["action"] for r in about(low, "briefing", briefing["id"])].count("export") == 1


def test_a_briefing_is_kept_as_a_dossier_that_governs_its_coverage(app, api, run_jobs):
    """The retention link: briefing → dossier under HB-01 → its coverage follows it."""
    from datetime import date

    from app.services.retention import sweep

    uploader, archivist = api("uploader"), api("archivist")
    briefing = _create(uploader, PERIODIC)
    article = _coverage(uploader, briefing["id"], COPY_A, url="https://baoa.vn/bai-1",
                        outlet="Báo A", published_on="15/03/2024")
    run_jobs()
    dossiers = archivist.get("/api/v1/dossiers").get_json()["dossiers"]
    assert [(d["code"], d["schedule"], d["end_date"], d["documents"]) for d in dossiers] == [
        (f"HB-20240314-{briefing['id']}", "HB-01", "2024-03-14", 1)]
    coverage_id = article["article"]["document"]["id"]
    retention = archivist.get(f"/api/v1/documents/{coverage_id}").get_json()["retention"]
    assert (retention["schedule"], retention["source"], retention["due_on"]) == (
        "HB-01", "dossier", "2035-01-01")
    with app.app_context():
        assert sweep(date(2034, 12, 31)).newly_due == 0
        assert sweep(date(2035, 1, 1)).newly_due == 1
    page = archivist.client.get(f"/briefings/{briefing['id']}", headers=archivist.headers)
    assert f"HB-20240314-{briefing['id']}" in page.get_data(as_text=True)


def test_coverage_is_linked_to_the_document_it_reports_on_within_clearance(api, run_jobs,
                                                                          tmp_path):
    uploader, secret_owner = api("uploader"), api("uploader", clearance="mat")
    decision = uploader.upload(_txt(tmp_path, "qd.txt", "Quyết định về công tác thông tin."),
                               number="1079/QĐ-TTg", title="Quyết định 1079").get_json()["id"]
    secret = secret_owner.upload(_txt(tmp_path, "mat.txt", "Báo cáo mật về vụ việc."),
                                 number="7/BC-CA", secrecy="mat").get_json()["id"]
    briefing = _create(uploader, PERIODIC)
    article = _coverage(uploader, briefing["id"], COPY_A, url="https://baoa.vn/bai-1",
                        outlet="Báo A")["article"]
    run_jobs()
    linked = uploader.post(f"/api/v1/briefings/articles/{article['id']}/documents",
                           json={"reference": "1079/qd-ttg"})
    assert linked.status_code == 201 and linked.get_json()["document"]["id"] == decision
    # A document above the uploader's clearance cannot be named, even by its number.
    hidden = uploader.post(f"/api/v1/briefings/articles/{article['id']}/documents",
                           json={"reference": "7/BC-CA"})
    assert hidden.status_code == 404
    secret_owner.post(f"/api/v1/briefings/articles/{article['id']}/documents",
                      json={"reference": str(secret)})
    coverage = {a["id"]: a for a in uploader.get(f"/api/v1/briefings/{briefing['id']}")
                .get_json()["coverage"]}
    assert [d["id"] for d in coverage[article["id"]]["reports_on"]] == [decision]
    page = secret_owner.client.get(f"/briefings/{briefing['id']}", headers=secret_owner.headers)
    html = page.get_data(as_text=True)
    assert f'data-reports-on="{decision}"' in html and f'data-reports-on="{secret}"' in html
