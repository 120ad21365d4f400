"""Search by meaning (issue 18): passages embedded after indexing, hybrid ranking,
questions in English, and the same secrecy rule as every search."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

SCAMS = ("Quy định xử phạt vi phạm hành chính đối với hành vi đăng tải, chia sẻ thông tin "
         "sai sự thật, xuyên tạc, gây hoang mang trong nhân dân trên mạng xã hội. Mức phạt "
         "tiền từ 10 triệu đồng đến 20 triệu đồng; buộc gỡ bỏ thông tin sai sự thật.")
BRIEFING = ("Kế hoạch tổ chức họp báo định kỳ hằng quý của Ủy ban nhân dân tỉnh để cung cấp "
            "thông tin cho các cơ quan báo chí về tình hình kinh tế - xã hội của địa phương.")
ASSETS = ("Quy chế quản lý, sử dụng tài sản công tại các cơ quan, đơn vị: mua sắm, bảo "
          "dưỡng, sửa chữa xe ô tô, máy móc, trang thiết bị làm việc.")
QUESTION = "What are the fines for posting fake news on social networks?"


@pytest.fixture
def embedding(app):
    app.config["SEMANTIC_EMBED"] = True
    yield
    app.config["SEMANTIC_EMBED"] = False


def upload(client, tmp_path, name, text, **fields):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    response = client.upload(path, **fields)
    assert response.status_code == 202, response.get_json()
    return response.get_json()["id"]


@pytest.fixture
def three(api, run_jobs, tmp_path, embedding):
    client = api("uploader")
    ids = {"scams": upload(client, tmp_path, "a.txt", SCAMS, title="Quy định xử phạt"),
           "briefing": upload(client, tmp_path, "b.txt", BRIEFING, title="Kế hoạch họp báo"),
           "assets": upload(client, tmp_path, "c.txt", ASSETS, title="Quy chế tài sản")}
    run_jobs()  # extract, index, then embed in the long lane and write the vectors
    return client, ids


def test_an_english_question_finds_the_vietnamese_document_and_shows_the_passage(three):
    client, ids = three
    lexical = client.search(QUESTION, mode="lexical")
    assert lexical["total"] == 0  # none of these words is in the archive
    hybrid = client.search(QUESTION, mode="hybrid")
    first = hybrid["hits"][0]
    assert first["id"] == ids["scams"]
    assert first["matched_by"] == ["semantic"]
    assert "sai sự thật" in first["passage"]


def test_hybrid_keeps_what_the_words_find_and_the_exact_number_first(three, api, run_jobs,
                                                                    tmp_path):
    client, ids = three
    hits = client.search("họp báo định kỳ", mode="hybrid")["hits"]
    assert hits[0]["id"] == ids["briefing"]
    assert "lexical" in hits[0]["matched_by"] and "semantic" in hits[0]["matched_by"]
    carrier = upload(client, tmp_path, "qd.txt", "Quyết định về quản lý thông tin trên mạng",
                     number="1079", symbol="QĐ-TTg", doc_type="QD", issue_date="14/09/2022")
    run_jobs()
    numbered = client.search("1079/QĐ-TTg", mode="hybrid")
    assert numbered["hits"][0]["id"] == carrier and numbered["total"] == 1


def test_passages_above_the_readers_clearance_are_never_candidates(api, run_jobs, tmp_path,
                                                                   embedding):
    secret_uploader = api("uploader", "mat")
    secret = upload(secret_uploader, tmp_path, "s.txt", SCAMS, title="Phương án mật",
                    secrecy="mat")
    run_jobs()
    viewer = api("viewer")
    answer = viewer.search(QUESTION, mode="hybrid")
    assert secret not in [h["id"] for h in answer["hits"]]
    assert answer["total"] == 0
    assert all(b["value"] != "mat" for b in answer["facets"].get("secrecy", []))
    cleared = api("viewer", "mat").search(QUESTION, mode="hybrid")
    assert cleared["hits"][0]["id"] == secret
    # Related documents by meaning: the same rule.
    public = upload(api("uploader"), tmp_path, "p.txt", "Administrative fines for people who "
                    "post false news on social networks.", title="Fines for fake news")
    run_jobs()
    assert secret not in [d["id"] for d in
                          viewer.get(f"/api/v1/documents/{public}/related").get_json()["related"]]
    assert secret in [d["id"] for d in api("viewer", "mat").get(
        f"/api/v1/documents/{public}/related").get_json()["related"]]


def test_vectors_survive_a_reindex_without_embedding_again(three, app, monkeypatch):
    client, ids = three
    from app.extensions import db
    from app.models import DocumentPassage
    from app.semantic import embedder
    from app.services.indexing import reindex

    with app.app_context():
        before = db.session.scalar(select(func.count(DocumentPassage.id)))
        assert before >= 3

        def refuse(texts):
            raise AssertionError("a reindex must not embed again")

        monkeypatch.setattr(embedder, "passages", refuse)
        reindex()
    assert client.search(QUESTION, mode="hybrid")["hits"][0]["id"] == ids["scams"]


def test_the_document_says_whether_search_by_meaning_is_done(three, api, login, make_user):
    client, ids = three
    detail = client.get(f"/api/v1/documents/{ids['scams']}").get_json()
    assert detail["semantic"] == {"state": "done", "passages": 1}
    page = login(make_user("viewer")).get(f"/documents/{ids['scams']}").get_data(as_text=True)
    assert "Tìm theo nghĩa" in page and "đã sẵn sàng" in page


def test_the_search_page_offers_the_switch_and_shows_the_passage_that_matched(three, login,
                                                                              make_user):
    _client, ids = three
    browser = login(make_user("viewer"))
    page = browser.get("/search/", query_string={"q": QUESTION, "mode": "hybrid"}).get_data(
        as_text=True)
    assert f'href="/documents/{ids["scams"]}"' in page
    assert "Gần nghĩa nhất" in page and "sai sự thật" in page
    assert '<option value="hybrid" selected' in page
    lexical = browser.get("/search/", query_string={"q": QUESTION}).get_data(as_text=True)
    assert f'href="/documents/{ids["scams"]}"' not in lexical


def test_all_matching_a_search_by_meaning_is_what_the_page_counted(three, app, login,
                                                                    make_user):
    """"All N documents matching" on a hybrid result acts on those N, the documents found
    only by meaning included, not on what the words alone find."""
    import html
    import re

    from app.extensions import db
    from app.models import Document

    _client, ids = three
    browser = login(make_user("archivist"))
    page = browser.get("/search/", query_string={"q": QUESTION, "mode": "hybrid"}).get_data(
        as_text=True)
    total = int(re.search(r"Toàn bộ (\d+) tài liệu phù hợp", page).group(1))
    assert total >= 1
    query = html.unescape(re.search(r'name="query" value="([^"]*)"', page).group(1))
    assert "mode=hybrid" in query
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    response = browser.post("/documents/bulk/", data={
        "csrf_token": token, "action": "set_category", "category": "report", "scope": "all",
        "source": "search", "query": query})
    operation = re.search(r"/documents/bulk/(\d+)", response.headers["Location"]).group(1)
    done = browser.get(f"/api/v1/bulk/{operation}").get_json()
    assert (done["total"], done["changed"]) == (total, total)
    with app.app_context():
        assert db.session.get(Document, ids["scams"]).category == "report"


def test_a_deleted_record_leaves_no_passage_behind(three, app, make_user, run_jobs):
    client, ids = three
    from app.extensions import db
    from app.models import DocumentPassage, User
    from app.services.disposition import delete_document

    admin = make_user("admin")
    with app.app_context():
        delete_document(db.session.get(User, admin.id), ids["scams"], "Nhập nhầm")
        left = db.session.scalar(select(func.count(DocumentPassage.id)).where(
            DocumentPassage.document_id == ids["scams"]))
    assert left == 0
    run_jobs()
    assert ids["scams"] not in [h["id"] for h in client.search(QUESTION, mode="hybrid")["hits"]]


def test_an_embedding_whose_worker_died_is_sent_again_by_reconcile(api, run_jobs, tmp_path,
                                                                   embedding, app):
    client = api("uploader")
    doc = upload(client, tmp_path, "a.txt", SCAMS, title="Quy định xử phạt")
    from app.extensions import db
    from app.jobs.reconcile import reconcile
    from app.models import ProcessingTask

    with app.app_context():
        from app.jobs.queue import worker_queues
        run_interactive = worker_queues()[0]
        from rq import SimpleWorker
        from app.extensions import services
        SimpleWorker([run_interactive], connection=services.redis).work(burst=True)
        for q in worker_queues():
            q.empty()  # the long lane's embedding job is lost with its worker
        task = db.session.scalar(select(ProcessingTask).where(
            ProcessingTask.document_id == doc, ProcessingTask.kind == "embed"))
        assert task is not None and task.status == ProcessingTask.QUEUED
        task.status, task.rq_job_id = ProcessingTask.RUNNING, "dead-job"
        db.session.commit()
        assert reconcile().embed == 1
    run_jobs()
    detail = client.get(f"/api/v1/documents/{doc}").get_json()
    assert detail["semantic"]["state"] == "done"


def test_flask_search_embed_backfills_what_was_archived_before(api, run_jobs, tmp_path, app):
    client = api("uploader")
    doc = upload(client, tmp_path, "a.txt", SCAMS, title="Quy định xử phạt")
    run_jobs()  # embedding off: indexed without vectors
    assert client.get(f"/api/v1/documents/{doc}").get_json()["semantic"]["state"] == "off"
    assert client.search(QUESTION, mode="hybrid")["total"] == 0
    app.config["SEMANTIC_EMBED"] = True
    try:
        assert client.get(f"/api/v1/documents/{doc}").get_json()["semantic"]["state"] == \
            "waiting"
        result = app.test_cli_runner().invoke(args=["search", "embed"])
        assert result.exit_code == 0, result.output
        assert "Embedded 1 documents" in result.output
        again = app.test_cli_runner().invoke(args=["search", "embed"])
        assert "Embedded 0 documents" in again.output  # nothing left: safe to rerun
    finally:
        app.config["SEMANTIC_EMBED"] = False
    run_jobs()
    assert client.search(QUESTION, mode="hybrid")["hits"][0]["id"] == doc


def test_related_documents_include_the_nearest_in_meaning_even_without_shared_words(
        three, api, run_jobs, tmp_path, login, make_user):
    client, ids = three
    english = upload(client, tmp_path, "en.txt", "Administrative fines for people who post "
                     "or share false and misleading news on social networks.",
                     title="Fines for fake news online")
    run_jobs()
    related = client.get(f"/api/v1/documents/{english}/related").get_json()["related"]
    assert related[0]["id"] == ids["scams"]
    page = login(make_user("viewer")).get(f"/documents/{english}").get_data(as_text=True)
    assert f'href="/documents/{ids["scams"]}"' in page.split("Tài liệu liên quan")[1]


def test_the_briefing_material_picker_finds_a_document_described_in_other_words(
        three, api, login, make_user):
    client, ids = three
    briefing = api("uploader").post("/api/v1/briefings", json={
        "kind": "periodic", "title": "Họp báo quý II", "held_at": "2024-05-02T09:00:00"})
    browser = login(make_user("uploader"))
    page = browser.get(f"/briefings/{briefing.get_json()['id']}/materials/find",
                       query_string={"q": "fines for fake news"}).get_data(as_text=True)
    assert f'value="{ids["scams"]}"' in page.split('class="hitlist"')[1].split("</li>")[0]
