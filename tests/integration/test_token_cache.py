"""API tokens are remembered between requests (no SQL for authentication), and any
change to a user or a token takes effect on the very next request in every process."""
from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import event, select

from app.extensions import db, services

SAMPLES = Path(__file__).resolve().parents[1] / "samples"


@contextmanager
def statements(app):
    seen: list[str] = []

    def listener(conn, cursor, statement, parameters, context, executemany):
        seen.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", listener)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", listener)


def test_a_known_token_is_not_looked_up_again(app, api):
    client = api("viewer")
    assert client.get("/api/v1/search", query_string={"q": "kế hoạch"}).status_code == 200
    with statements(app) as seen:
        assert client.get("/api/v1/search", query_string={"q": "kế hoạch"}).status_code == 200
    assert not [s for s in seen if "api_tokens" in s or "users" in s], seen


def test_role_change_applies_to_the_next_request(app, api, make_user):
    from app.models import User

    client = api("uploader")
    assert client.get("/api/v1/search", query_string={"q": "x"}).status_code == 200  # cached
    with app.app_context():
        user = db.session.get(User, client.user.id)
        user.role = "viewer"
        db.session.commit()
    refused = client.upload(SAMPLES / "vi_utf8.txt")
    assert refused.status_code == 403


def test_deactivation_and_revocation_apply_to_the_next_request(app, api, make_user):
    from app.models import ApiToken, User
    from app.services.accounts import revoke_token
    from app.services.user_admin import set_active

    first, second = api("viewer"), api("viewer")
    for client in (first, second):
        assert client.get("/api/v1/search", query_string={"q": "x"}).status_code == 200
    with app.app_context():
        admin = db.session.get(User, make_user("admin").id)
        set_active(admin, first.user.id, False)
    assert first.get("/api/v1/search", query_string={"q": "x"}).status_code == 401
    with app.app_context():
        owner = db.session.get(User, second.user.id)
        token = db.session.scalars(select(ApiToken).where(ApiToken.user_id == owner.id)).one()
        revoke_token(owner, token.id)
    assert second.get("/api/v1/search", query_string={"q": "x"}).status_code == 401


def test_without_redis_tokens_are_checked_in_the_database(app, api, make_user):
    from redis import Redis

    from app.models import User
    from app.services.user_admin import set_active

    client = api("viewer")
    assert client.get("/api/v1/search", query_string={"q": "x"}).status_code == 200
    working = services._redis
    services._redis = Redis(host="127.0.0.1", port=1, socket_connect_timeout=0.5)
    try:
        with statements(app) as seen:
            assert client.get("/api/v1/search", query_string={"q": "x"}).status_code == 200
        assert any("api_tokens" in s for s in seen)
        with app.app_context():
            admin = db.session.get(User, make_user("admin").id)
            set_active(admin, client.user.id, False)     # the epoch cannot be replaced
        assert client.get("/api/v1/search", query_string={"q": "x"}).status_code == 401
    finally:
        services._redis = working
    # Redis is back with the old epoch, yet the deactivated user stays out
    assert client.get("/api/v1/search", query_string={"q": "x"}).status_code == 401
