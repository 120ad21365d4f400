"""An outage of Elasticsearch or Redis loses no upload; reconcile finishes the work."""
import subprocess

from redis import Redis

from tests.conftest import CORPUS, ROOT

SEEDS = CORPUS / "seeds"


def services(*args):
    subprocess.run(["bash", str(ROOT / "scripts" / "services.sh"), *args], check=True,
                   capture_output=True, timeout=300)


def reconcile(app):
    from app.jobs.reconcile import reconcile as run

    with app.app_context():
        return run()


def test_elasticsearch_down_uploads_accepted_then_found_after_reconcile(api, run_jobs, app):
    client = api("uploader")
    services("stop", "es")
    try:
        # services.sh only stops the Elasticsearch this clone started.
        assert client.client.get("/healthz").get_json()["checks"]["elasticsearch"][
            "status"] == "down", "Elasticsearch still answers: started by another clone?"
        ids = []
        for name in ("tin-2018-cao-bang-kh-3432.txt", "tin-2023-dien-bien-truyen-thong-chinh-sach.txt"):
            response = client.upload(SEEDS / name)
            assert response.status_code == 202, response.get_json()
            ids.append(response.get_json()["id"])
        run_jobs()  # extraction works; indexing fails and is left for later
        for doc_id in ids:
            doc = client.get(f"/api/v1/documents/{doc_id}").get_json()
            assert doc["indexed_revision"] < doc["revision"]
            assert doc["status"] == "processing"
        health = client.client.get("/healthz")
        assert health.status_code == 503
        assert health.get_json()["checks"]["elasticsearch"]["status"] == "down"
        assert client.get("/api/v1/search", query_string={"q": "x"}).status_code == 503
    finally:
        services("start", "es")

    report = reconcile(app)
    assert report.index == 2 and report.extract == 0
    run_jobs()
    assert client.search("Cao Bằng 3432")["hits"][0]["id"] == ids[0]
    assert client.search("truyen thong chinh sach Dien Bien")["hits"][0]["id"] == ids[1]
    for doc_id in ids:
        doc = client.get(f"/api/v1/documents/{doc_id}").get_json()
        assert doc["status"] == "indexed"
        assert doc["indexed_revision"] == doc["revision"]


def test_redis_down_upload_accepted_and_processed_when_it_returns(api, run_jobs, app):
    from app.extensions import services as clients

    client = api("uploader")
    real = clients._redis
    # A real connection to a port where nothing listens: what the app sees
    # when Redis is down.
    clients._redis = Redis(port=1, socket_connect_timeout=1)
    try:
        response = client.upload(SEEDS / "tin-2018-cao-bang-kh-3432.txt")
        assert response.status_code == 202
        doc_id = response.get_json()["id"]
        assert client.get(f"/api/v1/documents/{doc_id}").get_json()["status"] == "queued"
    finally:
        clients._redis = real

    assert reconcile(app).extract == 1
    run_jobs()
    assert client.get(f"/api/v1/documents/{doc_id}").get_json()["status"] == "indexed"
    assert client.search("Cao Bằng")["hits"][0]["id"] == doc_id


def test_reconcile_leaves_up_to_date_documents_alone(api, run_jobs, app):
    client = api("uploader")
    client.upload(SEEDS / "tin-2018-cao-bang-kh-3432.txt")
    run_jobs()
    report = reconcile(app)
    assert (report.extract, report.index) == (0, 0)
