"""Setting sharing levels: the edit page, the document and briefing pages, the API,
bulk work and the publication rule; withdrawal when secrecy is raised; audit in words."""
import re

from tests.integration.listing_factories import insert_documents
from tests.integration.sharing_factories import (audit_entries, briefing_with, document,
                                                 external_source)
from tests.integration.test_web_pages import csrf

LABELS = ("Nội bộ", "Chia sẻ với cơ quan đối tác", "Công khai")


def edit_form(client, document_id: int, **changes) -> dict:
    """The edit form as the browser would send it: every field with its current value."""
    page = client.get(f"/documents/{document_id}/edit").get_data(as_text=True)
    form = page[page.index('<form method="post"'):]
    form = form[:form.index("</form>")]
    data = {"csrf_token": csrf(form)}
    for tag in re.findall(r"<input[^>]*>", form):
        name = re.search(r'name="([^"]+)"', tag)
        value = re.search(r'value="([^"]*)"', tag)
        if name and "disabled" not in tag and name.group(1) != "csrf_token":
            data[name.group(1)] = value.group(1) if value else ""
    for name, body in re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', form, re.S):
        data[name] = body.strip()
    for tag, body in re.findall(r'(<select[^>]*>)(.*?)</select>', form, re.S):
        if "disabled" in tag:
            continue
        name = re.search(r'name="([^"]+)"', tag).group(1)
        chosen = re.search(r'<option[^>]*value="([^"]*)"[^>]*selected', body)
        data[name] = chosen.group(1) if chosen else ""
    data.update(changes)
    return data


def test_edit_page_offers_the_three_levels_and_saves_public(app, login, make_user):
    [doc_id] = insert_documents(app, [{"title": "Thông cáo báo chí về hội nghị"}])
    client = login(make_user("archivist"))
    page = client.get(f"/documents/{doc_id}/edit").get_data(as_text=True)
    select = re.search(r'<select[^>]*name="sharing".*?</select>', page, re.S).group(0)
    assert [label for label in LABELS if label in select] == list(LABELS)
    assert "disabled" not in select

    response = client.post(f"/documents/{doc_id}/edit", data=edit_form(client, doc_id,
                                                                        sharing="public"))
    assert response.status_code == 302
    saved = document(app, doc_id)
    assert saved.sharing == "public" and saved.public_at is not None
    detail = client.get(f"/documents/{doc_id}").get_data(as_text=True)
    assert 'data-document-sharing="public"' in detail
    assert f'href="/cong-khai/tai-lieu/{doc_id}"' in detail  # its portal page
    trail = client.get(f"/audit/?object={doc_id}").get_data(as_text=True)
    assert "Thay đổi phạm vi chia sẻ ra ngoài kho" in trail
    assert "Chia sẻ: Nội bộ → Công khai" in trail


def test_edit_page_explains_why_a_secret_record_cannot_be_shared(app, login, make_user):
    [secret] = insert_documents(app, [{"title": "Báo cáo mật", "secrecy": "mat"}])
    [own] = insert_documents(app, [{"title": "Tài liệu của người tải lên"}])
    client = login(make_user("archivist", clearance="mat"))
    page = client.get(f"/documents/{secret}/edit").get_data(as_text=True)
    select = re.search(r'<select[^>]*name="sharing"[^>]*>', page).group(0)
    assert "disabled" in select and 'aria-describedby="sharing-refusal"' in select
    assert ("Chỉ tài liệu có độ mật “Thường” mới được chia sẻ; tài liệu này có độ mật "
            "“Mật”") in page
    # Someone without the permission does not see the choice at all.
    uploader = make_user("uploader")
    with app.app_context():
        from app.extensions import db
        from app.models import Document
        db.session.get(Document, own).uploaded_by_id = uploader.id
        db.session.commit()
    page = login(uploader).get(f"/documents/{own}/edit").get_data(as_text=True)
    assert 'name="sharing"' not in page


def test_raising_secrecy_on_the_edit_page_withdraws_sharing_at_once(app, login, make_user):
    [doc_id] = insert_documents(app, [{"title": "Kế hoạch truyền thông", "sharing": "public"}])
    client = login(make_user("archivist", clearance="mat"))
    response = client.post(f"/documents/{doc_id}/edit",
                           data=edit_form(client, doc_id, secrecy="mat"),
                           follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "không còn được chia sẻ ra ngoài kho" in page
    assert document(app, doc_id).sharing == "internal"
    assert app.test_client().get(f"/cong-khai/tai-lieu/{doc_id}").status_code == 404
    edits = [e for e in audit_entries(app, "document", doc_id) if e.action == "edit"]
    assert edits[-1].details["changes"]["sharing"] == ["public", "internal"]


def test_api_patch_withdraws_and_put_sets_metadata_and_level(app, api):
    [doc_id] = insert_documents(app, [{"title": "Thông cáo số 5", "sharing": "public",
                                       "summary": "Trích yếu cũ"}])
    archivist = api("archivist", clearance="mat")
    client, headers = archivist.client, archivist.headers
    answer = client.patch(f"/api/v1/documents/{doc_id}", headers=headers,
                          json={"secrecy": "mat"})
    assert answer.status_code == 200, answer.get_json()
    body = answer.get_json()
    assert (body["secrecy"], body["sharing"], body["public_url"]) == ("mat", "internal", None)
    assert body["summary"] == "Trích yếu cũ"  # what was not sent is kept

    # Asking to share it while it is secret is refused with the reason in words.
    refused = client.patch(f"/api/v1/documents/{doc_id}", headers=headers,
                           json={"summary": "Trích yếu mới", "sharing": "public"})
    assert refused.status_code == 422
    error = refused.get_json()["error"]
    assert error["code"] == "sharing_refused" and "Thường" in error["message"]
    assert document(app, doc_id).summary == "Trích yếu cũ"  # nothing of it was kept

    answer = client.put(f"/api/v1/documents/{doc_id}", headers=headers, json={
        "title": "Thông cáo số 5/TC-STTTT", "category": "other", "secrecy": "thuong",
        "issue_date": "14/05/2024", "summary": "Trích yếu mới", "sharing": "public"})
    assert answer.status_code == 200, answer.get_json()
    body = answer.get_json()
    assert (body["sharing"], body["issue_date"], body["summary"]) == (
        "public", "2024-05-14", "Trích yếu mới")
    assert body["public_url"] == f"/cong-khai/tai-lieu/{doc_id}"
    actions = [e.action for e in audit_entries(app, "document", doc_id)]
    assert actions[-2:] == ["edit", "sharing.set"]


def test_api_sharing_endpoint_checks_role_and_secrecy(app, api, make_user):
    [open_id, secret_id] = insert_documents(app, [{"title": "Tài liệu thường"},
                                                  {"title": "Tài liệu mật", "secrecy": "mat"}])
    source = external_source(app)
    [harvested] = insert_documents(app, [{"title": "Tài liệu thu thập", "source_id": source,
                                          "source_identifier": "oai:kho:1"}])
    archivist, uploader = api("archivist", clearance="mat"), api("uploader")

    def put(client, document_id, level):
        return client.client.put(f"/api/v1/documents/{document_id}/sharing",
                                 headers=client.headers, json={"level": level})

    answer = put(archivist, open_id, "partner")
    assert answer.status_code == 200
    assert answer.get_json()["sharing"] == "partner" and answer.get_json()["public_url"] is None
    assert answer.get_json()["shared_at"].endswith("+00:00")
    assert put(uploader, open_id, "public").status_code == 403
    assert put(archivist, secret_id, "public").get_json()["error"]["code"] == "sharing_refused"
    refused = put(archivist, harvested, "public").get_json()["error"]
    assert "thu thập từ một kho lưu trữ khác" in refused["message"]
    assert put(archivist, open_id, "everyone").status_code == 422
    assert put(api("archivist"), secret_id, "internal").status_code == 404  # above clearance
    assert [document(app, i).sharing for i in (open_id, secret_id, harvested)] == [
        "partner", "internal", "internal"]


def test_bulk_sharing_checks_each_record_and_says_why_in_sentences(app, login, make_user):
    from datetime import datetime

    source = external_source(app)
    ids = insert_documents(app, [
        {"title": "Thông cáo 1"}, {"title": "Thông cáo 2"},
        {"title": "Báo cáo mật về an ninh", "secrecy": "mat"},
        {"title": "Bản tin thu thập", "source_id": source, "source_identifier": "oai:x:2"},
        {"title": "Công văn đã hủy", "disposition": "destroyed",
         "disposed_at": datetime(2025, 1, 2)}])
    client = login(make_user("archivist", clearance="mat"))
    token = csrf(client.get("/documents/").get_data(as_text=True))
    response = client.post("/documents/bulk/", data={"csrf_token": token, "ids": ids,
                                                     "action": "set_sharing",
                                                     "sharing": "public"})
    operation = int(re.search(r"/documents/bulk/(\d+)", response.headers["Location"]).group(1))
    body = client.get(f"/api/v1/bulk/{operation}").get_json()
    assert (body["changed"], body["skipped"], body["failed"]) == (2, 3, 0)
    refused = {r["document_id"]: r["message"] for r in body["refusals"]}
    assert set(refused) == set(ids[2:])
    assert "“Mật”" in refused[ids[2]]
    page = client.get(f"/documents/bulk/{operation}").get_data(as_text=True)
    assert "Tài liệu giữ nguyên" in page
    assert "Báo cáo mật về an ninh</a>: Chỉ tài liệu có độ mật “Thường” mới được chia sẻ" in page
    assert "đã bị hủy, xóa hoặc chuyển giao" in page
    assert [document(app, i).sharing for i in ids] == ["public", "public", "internal",
                                                       "internal", "internal"]
    [entry] = audit_entries(app, "document", ids[0])
    assert (entry.action, entry.details["bulk"]) == ("sharing.set", True)
    # Viewers and uploaders are not offered (nor allowed) the action.
    viewer = login(make_user("uploader"))
    assert 'value="set_sharing"' not in viewer.get("/documents/").get_data(as_text=True)


def test_publishing_a_briefing_publishes_its_thuong_coverage_by_the_rule(app, api, login,
                                                                        make_user):
    archivist = api("archivist", clearance="mat")
    coverage = insert_documents(app, [
        {"title": "Báo A đưa tin hội nghị", "category": "press_coverage"},
        {"title": "Báo B đưa tin hội nghị", "category": "press_coverage"},
        {"title": "Bài phân tích nội bộ", "category": "press_coverage", "secrecy": "mat"}])
    [material] = insert_documents(app, [{"title": "Đề cương tuyên truyền"}])
    briefing = briefing_with(app, archivist.user.id, coverage, [material])

    answer = archivist.client.put(f"/api/v1/briefings/{briefing}/sharing",
                                  headers=archivist.headers, json={"level": "public"})
    assert answer.status_code == 200, answer.get_json()
    body = answer.get_json()
    assert body["sharing"] == "public" and body["public_url"] == f"/cong-khai/hop-bao/{briefing}"
    assert sorted(body["published"]) == sorted(coverage[:2])
    assert [r["id"] for r in body["refused"]] == [coverage[2]]
    assert [document(app, i).sharing for i in coverage] == ["public", "public", "internal"]
    assert document(app, material).sharing == "internal"  # materials: one by one
    [rule] = [e for e in audit_entries(app, "document", coverage[0])]
    assert (rule.action, rule.details["rule"], rule.details["briefing"]) == (
        "sharing.rule", "briefing_coverage", briefing)
    assert [e.action for e in audit_entries(app, "briefing", briefing)][-1] == "sharing.set"
    trail = login(archivist.user).get(f"/audit/?object={coverage[0]}").get_data(as_text=True)
    assert "Chia sẻ theo quy tắc" in trail
    assert "tin bài báo chí của một buổi họp báo được công khai cùng buổi họp báo" in trail


def test_briefing_form_without_the_rule_and_its_messages(app, login, make_user):
    archivist = make_user("archivist")
    coverage = insert_documents(app, [{"title": "Báo C đưa tin", "category": "press_coverage"}])
    briefing = briefing_with(app, archivist.id, coverage)
    client = login(archivist)
    page = client.get(f"/briefings/{briefing}").get_data(as_text=True)
    assert 'data-briefing-sharing="internal"' in page and "Lưu phạm vi chia sẻ" in page
    token = csrf(page)
    response = client.post(f"/briefings/{briefing}/sharing", data={
        "csrf_token": token, "sharing": "public"}, follow_redirects=True)  # box unticked
    page = response.get_data(as_text=True)
    assert "Đã lưu phạm vi chia sẻ: Công khai." in page
    assert document(app, coverage[0]).sharing == "internal"
    response = client.post(f"/briefings/{briefing}/sharing", data={
        "csrf_token": token, "sharing": "public", "publish_coverage": "1"},
        follow_redirects=True)
    assert "1 tin bài báo chí đã được công khai cùng buổi họp báo." in response.get_data(
        as_text=True)
    assert document(app, coverage[0]).sharing == "public"
    # Uploaders record briefings but do not decide who sees them.
    uploader = login(make_user("uploader"))
    assert "Lưu phạm vi chia sẻ" not in uploader.get(
        f"/briefings/{briefing}").get_data(as_text=True)
    assert uploader.post(f"/briefings/{briefing}/sharing", data={
        "csrf_token": csrf(uploader.get("/briefings/").get_data(as_text=True)),
        "sharing": "internal"}).status_code in (302, 403)
    assert document(app, coverage[0]).sharing == "public"


def test_list_filter_and_search_facet_by_sharing(app, login, make_user, run_jobs):
    ids = insert_documents(app, [
        {"title": "Thông cáo công khai về nhân quyền", "sharing": "public", "index": True},
        {"title": "Thông tin nhân quyền cho đối tác", "sharing": "partner", "index": True},
        {"title": "Ghi chú nội bộ về nhân quyền", "index": True}])
    client = login(make_user("archivist"))
    listing = client.get("/documents/?sharing=public").get_data(as_text=True)
    assert "Thông cáo công khai về nhân quyền" in listing
    assert "Ghi chú nội bộ" not in listing and "cho đối tác" not in listing
    assert 'data-sharing="public"' in listing  # the badge beside the title
    assert '<span class="chip-name">Chia sẻ:</span> Công khai' in listing
    results = client.get("/search/?q=nhan+quyen").get_data(as_text=True)
    assert "/search/?q=nhan+quyen&amp;sharing=public" in results  # the facet's link
    api_hits = client.get("/api/v1/search?q=nhan+quyen&sharing=partner").get_json()
    assert [h["id"] for h in api_hits["hits"]] == [ids[1]]
    everything = client.get("/api/v1/search?q=nhan+quyen").get_json()
    assert {b["value"]: b["count"] for b in everything["facets"]["sharing"]} == {
        "public": 1, "partner": 1, "internal": 1}
    internal = client.get("/api/v1/search?q=nhan+quyen&sharing=internal").get_json()
    assert [h["id"] for h in internal["hits"]] == [ids[2]]
