"""Saved searches: saved from the search page or the API, new matches counted through the
real index with the reader's secrecy filter, opened, notified by the periodic check."""
from __future__ import annotations

import re

from tests.integration.test_web_pages import csrf


def upload(client, tmp_path, name: str, text: str, **fields):
    path = tmp_path / f"{name}.txt"
    path.write_text(text, encoding="utf-8")
    answer = client.upload(path, **fields)
    assert answer.status_code == 202, answer.get_json()
    return answer.get_json()["id"]


def saved_on_dashboard(client) -> dict[str, str]:
    """Saved search name -> what the dashboard says about its new matches."""
    html = client.get("/").get_data(as_text=True)
    section = html.split('data-section="saved"')[1].split("</section>")[0]
    return {name: state.strip() for name, state in re.findall(
        r'<a href="/saved-searches/\d+">([^<]+)</a>\s*<span[^>]*data-new>([^<]+)</span>',
        section)}


def test_save_from_the_search_page_then_count_new_matches_within_clearance(
        app, api, login, make_user, run_jobs, tmp_path):
    archivist = api("archivist", clearance="mat")
    upload(archivist, tmp_path, "cu", "Báo cáo công tác nhân quyền quý một.")
    run_jobs()
    reader = api("viewer")
    client = login(reader.user)
    page = client.get("/search/", query_string={"q": "nhân quyền", "category": "report"})
    html = page.get_data(as_text=True)
    assert "<summary>Lưu tìm kiếm</summary>" in html
    saved = client.post("/saved-searches/", data={
        "csrf_token": csrf(html), "name": "Nhân quyền — báo cáo", "q": "nhân quyền",
        "category": "report", "back": "/search/?q=nh%C3%A2n+quy%E1%BB%81n&category=report"})
    assert saved.status_code == 303
    assert saved.headers["Location"].startswith("/search/?q=")
    assert saved_on_dashboard(client) == {"Nhân quyền — báo cáo": "không có gì mới"}
    # Two new reports match: one "thường", one "mật" (above the reader's clearance).
    upload(archivist, tmp_path, "moi", "Báo cáo nhân quyền tháng sáu.", category="report")
    upload(archivist, tmp_path, "mat", "Báo cáo nhân quyền mật.", category="report",
           secrecy="mat")
    upload(archivist, tmp_path, "khac", "Kế hoạch nhân quyền.", category="plan")
    run_jobs()
    assert saved_on_dashboard(client) == {"Nhân quyền — báo cáo": "1 mới"}
    listed = reader.get("/api/v1/saved-searches").get_json()["saved_searches"]
    assert [(s["name"], s["new"]) for s in listed] == [("Nhân quyền — báo cáo", 1)]
    # Opening it is the look: the search as saved, and nothing new afterwards.
    opened = client.get(f"/saved-searches/{listed[0]['id']}")
    assert opened.status_code == 302
    assert opened.headers["Location"] == listed[0]["url"]
    assert "category=report" in opened.headers["Location"]
    assert saved_on_dashboard(client) == {"Nhân quyền — báo cáo": "không có gì mới"}
    # The archivist's own saved search counts the "mật" one too.
    mine = archivist.post("/api/v1/saved-searches", json={
        "name": "Báo cáo nhân quyền", "query": {"q": "nhân quyền", "category": "report"}})
    assert mine.status_code == 201
    upload(archivist, tmp_path, "mat2", "Báo cáo nhân quyền mật thứ hai.", category="report",
           secrecy="mat")
    run_jobs()
    counts = {s["name"]: s["new"] for s in
              archivist.get("/api/v1/saved-searches").get_json()["saved_searches"]}
    assert counts == {"Báo cáo nhân quyền": 1}
    assert reader.get("/api/v1/saved-searches").get_json()["saved_searches"][0]["new"] == 0


def test_a_document_processed_after_the_look_still_counts_as_new(api, run_jobs, tmp_path):
    uploader = api("uploader")
    created = uploader.post("/api/v1/saved-searches", json={
        "name": "Đối ngoại", "query": {"q": "thông tin đối ngoại"}}).get_json()
    upload(uploader, tmp_path, "cham", "Kế hoạch thông tin đối ngoại năm nay.")
    # Looked at while the upload waits for the worker (not searchable yet) ...
    assert uploader.post(f"/api/v1/saved-searches/{created['id']}/seen").status_code == 200
    run_jobs()
    # ... so once it is searchable it is still new, not lost behind the look.
    (listed,) = uploader.get("/api/v1/saved-searches").get_json()["saved_searches"]
    assert listed["new"] == 1


def test_the_periodic_check_notifies_owners_who_asked_once_per_match(
        app, api, run_jobs, tmp_path):
    owner = api("viewer")
    quiet = api("viewer")
    archivist = api("archivist", clearance="mat")
    asked = owner.post("/api/v1/saved-searches", json={
        "name": "Quyết định 1079", "query": {"q": "1079/QĐ-TTg"}, "notify": True})
    assert asked.status_code == 201 and asked.get_json()["notify"] is True
    quiet.post("/api/v1/saved-searches", json={"name": "1079", "query": {"q": "1079/QĐ-TTg"}})
    upload(archivist, tmp_path, "mat", "Triển khai Quyết định 1079/QĐ-TTg (mật).",
           secrecy="mat")
    run_jobs()
    runner = app.test_cli_runner()
    assert runner.invoke(args=["notifications", "check"]).exit_code == 0
    assert owner.get("/api/v1/notifications").get_json()["total"] == 0  # above her clearance
    upload(archivist, tmp_path, "mot", "Triển khai Quyết định 1079/QĐ-TTg ngày 14/9/2022.")
    run_jobs()
    result = runner.invoke(args=["notifications", "check"])
    assert "1 checked, 1 with new matches" in result.output  # only those that asked
    notes = owner.get("/api/v1/notifications").get_json()["notifications"]
    assert [n["message"] for n in notes] == [
        "Có 1 tài liệu mới khớp với tìm kiếm đã lưu “Quyết định 1079”."]
    assert notes[0]["url"].startswith("/notifications/")
    runner.invoke(args=["notifications", "check"])
    assert owner.get("/api/v1/notifications").get_json()["total"] == 1  # not told twice
    assert quiet.get("/api/v1/notifications").get_json()["total"] == 0  # did not ask


def test_api_refuses_bad_input_and_other_peoples_searches(api):
    owner, stranger = api("viewer"), api("viewer")
    bad = owner.post("/api/v1/saved-searches", json={"name": "x", "query": {"year": "ba"}})
    assert bad.status_code == 422 and "query.year" in bad.get_json()["error"]["fields"]
    empty = owner.post("/api/v1/saved-searches", json={"name": "x", "query": {"sort": "newest"}})
    assert empty.status_code == 422
    assert empty.get_json()["error"]["message"] == "Tìm kiếm cần lưu phải có từ khóa hoặc bộ lọc."
    made = owner.post("/api/v1/saved-searches", json={"name": "Kế hoạch", "query": {
        "q": "kế hoạch", "year": 2024}}).get_json()
    assert made["query"] == {"q": "kế hoạch", "year": "2024"}
    again = owner.post("/api/v1/saved-searches", json={"name": "kế hoạch", "query": {"q": "x"}})
    assert again.status_code == 422 and "name" in again.get_json()["error"]["fields"]
    for call in (lambda c: c.post(f"/api/v1/saved-searches/{made['id']}/seen"),
                 lambda c: c.client.delete(f"/api/v1/saved-searches/{made['id']}",
                                           headers=c.headers)):
        assert call(stranger).status_code == 404
    assert stranger.get("/api/v1/saved-searches").get_json() == {"saved_searches": []}
    gone = owner.client.delete(f"/api/v1/saved-searches/{made['id']}", headers=owner.headers)
    assert gone.get_json() == {"id": made["id"], "deleted": True}
    assert owner.get("/api/v1/saved-searches").get_json() == {"saved_searches": []}


def test_notify_toggle_and_delete_from_the_dashboard(app, api, login):
    owner = api("viewer")
    made = owner.post("/api/v1/saved-searches", json={"name": "Báo chí",
                                                      "query": {"q": "báo chí"}}).get_json()
    client = login(owner.user)
    html = client.get("/").get_data(as_text=True)
    assert "Báo cho tôi khi có kết quả mới" in html
    client.post(f"/saved-searches/{made['id']}/notify", data={"csrf_token": csrf(html),
                                                               "notify": "1"})
    (listed,) = owner.get("/api/v1/saved-searches").get_json()["saved_searches"]
    assert listed["notify"] is True
    html = client.get("/").get_data(as_text=True)
    assert "Thôi báo cho tôi" in html
    client.post(f"/saved-searches/{made['id']}/delete", data={"csrf_token": csrf(html)})
    assert owner.get("/api/v1/saved-searches").get_json() == {"saved_searches": []}
    from app.extensions import db
    from app.models import AuditEvent

    with app.app_context():
        actions = db.session.scalars(db.select(AuditEvent.action).where(
            AuditEvent.object_type == "saved_search").order_by(AuditEvent.seq)).all()
    assert actions == ["saved_search.create", "saved_search.notify", "saved_search.delete"]


def test_the_dashboard_answers_while_search_is_down(app, api, login):
    """Elasticsearch behind a proxy the test cuts: the page and the API still answer; the
    new matches say they cannot be counted (null), never a wrong zero."""
    from urllib.parse import urlsplit

    from elasticsearch import Elasticsearch

    from app.extensions import services
    from tests.faults import TcpProxy

    owner = api("viewer")
    owner.post("/api/v1/saved-searches", json={"name": "Nhân quyền", "query": {"q": "nhân quyền"}})
    client = login(owner.user)
    target = urlsplit(app.config["ELASTICSEARCH_URL"])
    proxy = TcpProxy(target.port or 9200, target.hostname or "127.0.0.1")
    real = services.es
    services._es = Elasticsearch(f"http://127.0.0.1:{proxy.port}", request_timeout=2,
                                 max_retries=0)
    try:
        proxy.cut()
        page = client.get("/")
        assert page.status_code == 200
        assert "(hiện chưa đếm được kết quả mới)" in page.get_data(as_text=True)
        (listed,) = owner.get("/api/v1/saved-searches").get_json()["saved_searches"]
        assert listed["new"] is None
        assert owner.get("/api/v1/dashboard").get_json()["saved_searches"][0]["new"] is None
    finally:
        services._es = real
        proxy.close()
    assert owner.get("/api/v1/saved-searches").get_json()["saved_searches"][0]["new"] == 0
