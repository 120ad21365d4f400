"""Fixtures on the real services: PostgreSQL, Redis and Elasticsearch.

Each test starts from empty tables, an empty queue and a fresh index, so
tests do not depend on each other. Jobs run in-process with an RQ burst
worker; the index is refreshed before anything is asserted about search.

No application context stays pushed while a test client makes requests:
Flask would reuse it, and with it ``g`` (where Flask-Login keeps the current
user) and the database session, so one request could see another's user.
Fixtures push a context only around their own work; tests that call
services directly use the ``ctx`` fixture.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path
from types import SimpleNamespace

import pytest

os.environ.setdefault("ARCHIVE_ENV", "testing")

ROOT = Path(__file__).resolve().parents[1]
from config.settings import SHARED_DIR  # noqa: E402
SHARED = SHARED_DIR
CORPUS = SHARED / "corpus"
SAMPLES = ROOT / "tests" / "samples"
TEST_PREFIX = f"archive-test-{os.getpid()}"
PASSWORD = "mật-khẩu-đủ-dài-123"


@pytest.fixture(scope="session")
def app():
    from flask_migrate import upgrade
    from sqlalchemy import text

    from app import create_app
    from app.extensions import db
    from indexers import client

    # Not under pytest's tmp_path: pytest prunes old base temp dirs, which
    # another concurrent run would do under our feet.
    storage = ROOT / "var" / f"test-storage-{os.getpid()}"
    app = create_app("testing", STORAGE_DIR=str(storage), ES_INDEX_PREFIX=TEST_PREFIX)
    with app.app_context():
        with db.engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        upgrade()  # the schema comes from the migrations, as in production
    yield app
    with app.app_context():
        client.drop_all()
    shutil.rmtree(storage, ignore_errors=True)


def reset_state(app) -> None:
    """Empty tables, queue, storage and index (before a test, or a live server)."""
    from sqlalchemy import text

    from app.extensions import db, services
    from app.services.retention import install_defaults
    from indexers import client

    with app.app_context():
        tables = ", ".join(t.name for t in db.metadata.sorted_tables)
        db.session.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
        db.session.commit()
        install_defaults()  # the shipped file plan, as after the migration
        services.redis.flushdb()
        shutil.rmtree(app.config["STORAGE_DIR"], ignore_errors=True)
        client.drop_all()
        client.ensure_index()
        db.session.remove()


@pytest.fixture
def clean(app):
    """Empty tables, queue, storage and index before a test."""
    reset_state(app)
    return app


@pytest.fixture
def ctx(clean):
    """An application context for tests that call services or models directly.

    Not for tests that also make requests: see the module docstring.
    """
    with clean.app_context() as context:
        yield context


@pytest.fixture
def make_user(clean):
    from app.services.accounts import create_user

    counter = iter(range(1, 10_000))

    def make(role: str = "uploader", clearance: str = "thuong", username: str | None = None):
        with clean.app_context():
            user = create_user(username or f"{role}{next(counter)}", PASSWORD,
                               role=role, clearance=clearance)
            return SimpleNamespace(id=user.id, username=user.username, role=role,
                                   clearance=clearance)

    return make


@pytest.fixture
def api(app, make_user):
    """A JSON API client authenticated with a bearer token."""
    from app.services.accounts import issue_token

    class Api:
        def __init__(self, user):
            self.user = user
            self.client = app.test_client()
            with app.app_context():
                token = issue_token(user.username)
            self.headers = {"Authorization": f"Bearer {token}"}

        def get(self, url, **kw):
            return self.client.get(url, headers=self.headers, **kw)

        def post(self, url, **kw):
            return self.client.post(url, headers=self.headers, **kw)

        def upload(self, path: Path, **fields):
            with path.open("rb") as fh:
                return self.post("/api/v1/documents", data={"file": (fh, path.name), **fields},
                                 content_type="multipart/form-data")

        def search(self, q, **params):
            return self.get("/api/v1/search", query_string={"q": q, **params}).get_json()

    def make(role: str = "uploader", clearance: str = "thuong"):
        return Api(make_user(role, clearance))

    return make


@pytest.fixture
def run_jobs(app):
    """Process every queued job in this process, then refresh the index."""
    from rq import SimpleWorker

    from app.extensions import services
    from app.jobs.queue import worker_queues
    from indexers import client

    def run():
        with app.app_context():
            SimpleWorker(worker_queues(), connection=services.redis).work(burst=True)
            try:
                client.es().indices.refresh(index=client.alias())
            except Exception:  # noqa: BLE001 - Elasticsearch may be down on purpose
                pass

    return run


@pytest.fixture
def login(app):
    """A browser-like client logged in through the login form."""
    import re

    def do(user, password: str = PASSWORD):
        client = app.test_client()
        page = client.get("/login").get_data(as_text=True)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        response = client.post("/login", data={"username": user.username, "password": password,
                                               "csrf_token": token})
        assert response.status_code == 302, "login failed"
        return client

    return do


@pytest.fixture
def api_viewer(api):
    return api("viewer")


# --- storage backends: the storage-sensitive tests run on the local folder and on S3

# The S3 store of scripts/services.sh (started by `make test`), with its fixed
# development keys; TEST_S3_URL points elsewhere (another port, a real store).
S3_URL = os.environ.get("TEST_S3_URL", "s3://archive-test?endpoint=http://127.0.0.1:"
                        f"{os.environ.get('S3_PORT', '9000')}&region=us-east-1")
S3_KEYS = {"STORAGE_S3_KEY": os.environ.get("TEST_S3_ACCESS_KEY", "archive-dev"),
           "STORAGE_S3_SECRET": os.environ.get("TEST_S3_SECRET_KEY", "archive-dev-secret-key")}


def s3_run_url() -> str:
    """TEST_S3_URL under a prefix of this run (concurrent runs share the bucket)."""
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(S3_URL)
    return urlunsplit(parts._replace(path=f"{parts.path.rstrip('/')}/run-{os.getpid()}"))


def s3_config(app, **overrides) -> dict:
    # 5 MB parts, so that a 6 MB file already goes up in parts.
    return {**app.config, **S3_KEYS, "STORAGE_S3_MULTIPART_MB": 5, **overrides}


def wipe(store) -> None:
    for name in list(store.iter_hashes()):
        store.delete(name)


@pytest.fixture(scope="session")
def s3_store(app):
    """The suite's S3 backend (emptied again by each test that uses it)."""
    from app.storage import from_url

    store = from_url(s3_run_url(), s3_config(app))
    store.prepare()
    yield store
    wipe(store)


@pytest.fixture(params=["local", "s3"])
def backend(request, clean):
    """The app's storage backend for this test: the local folder, then S3."""
    from app.storage import EXTENSION

    local = clean.extensions[EXTENSION]
    if request.param == "s3":
        store = request.getfixturevalue("s3_store")
        wipe(store)
        clean.extensions[EXTENSION] = store
    try:
        yield clean.extensions[EXTENSION]
    finally:
        clean.extensions[EXTENSION] = local
