"""Application factory: wiring only."""
from __future__ import annotations

import os

from flask import Flask

from config import config_for


def create_app(config_name: str | None = None, **overrides) -> Flask:
    app = Flask(__name__, instance_relative_config=False)
    app.config.from_object(config_for(config_name or os.environ.get("ARCHIVE_ENV"))())
    app.config.update(overrides)
    if app.config.get("PROXY_HOPS"):
        # Behind a reverse proxy: the client's address, scheme and host come from its
        # X-Forwarded-* headers (rate limits, share-link lockouts, links in e-mails).
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = int(app.config["PROXY_HOPS"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)

    from app import auth, i18n, storage
    from app.sharing import datestamps  # noqa: F401 - a session listener
    from app.extensions import babel, csrf, db, login_manager, migrate, services

    db.init_app(app)
    migrate.init_app(app, db, directory=os.path.join(os.path.dirname(app.root_path),
                                                     "migrations"))
    login_manager.init_app(app)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale)
    services.init_app(app)
    storage.init_app(app)
    auth.init_app(app)
    i18n.init_app(app)

    from app.web.converters import RowIdConverter

    # Before any route exists: every <int:…> id is a database row id.
    app.url_map.converters["int"] = RowIdConverter

    from app import cli
    from app.jobs.queue import enqueue_task, enqueue_tasks
    from app.services import tasks

    tasks.set_enqueuer(enqueue_task, enqueue_tasks)  # services record work; the job queue sends it
    from app.jobs.bulk import enqueue_bulk
    from app.services import bulk

    bulk.set_enqueuer(enqueue_bulk)
    from app.jobs.notifications import enqueue_emails
    from app.services import notifications

    notifications.set_mailer(enqueue_emails)  # e-mail goes out in a job, after the commit

    from app.jobs.harvest import enqueue_harvest
    from app.sharing.harvest import sources as harvest_sources

    harvest_sources.set_enqueuer(enqueue_harvest)
    from app.api import bp as api_bp
    from app.web import register_blueprints

    register_blueprints(app)
    app.register_blueprint(api_bp, url_prefix="/api/v1")
    csrf.exempt(api_bp)  # the API authenticates unsafe methods by bearer token only
    cli.init_app(app)
    return app
