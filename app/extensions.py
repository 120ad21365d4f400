"""Module-level extensions, bound to the app in create_app() with init_app."""
from elasticsearch import Elasticsearch
from flask import Flask
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from redis import Redis
from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    pass


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
# Rate limits of the anonymous public portal only (app/web/public/limits.py).
limiter = Limiter(key_func=get_remote_address, key_prefix="archive-limits")


class Services:
    """Lazily created clients for Redis and Elasticsearch.

    Created on first use, not at start-up, so the web app starts (and the
    upload page works) while either service is down.
    """

    def __init__(self) -> None:
        self._redis: Redis | None = None
        self._es: Elasticsearch | None = None
        self.app: Flask | None = None

    def init_app(self, app: Flask) -> None:
        self.app = app
        app.extensions["archive_services"] = self

    @property
    def redis(self) -> Redis:
        if self._redis is None:
            self._redis = Redis.from_url(
                self.app.config["REDIS_URL"], socket_connect_timeout=2, socket_timeout=5
            )
        return self._redis

    @property
    def es(self) -> Elasticsearch:
        if self._es is None:
            # A comma-separated list of nodes: the client spreads requests over
            # them and retries a request on another node when one is down.
            hosts = [u.strip() for u in self.app.config["ELASTICSEARCH_URL"].split(",")
                     if u.strip()]
            self._es = Elasticsearch(
                hosts,
                request_timeout=self.app.config["ES_TIMEOUT"],
                retry_on_timeout=False,
                max_retries=1,
            )
        return self._es


services = Services()
