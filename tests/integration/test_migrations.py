"""The migrations produce exactly the schema the models describe."""
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext


def test_migrations_match_models(ctx):
    from app.extensions import db

    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}),
                                db.metadata)
    assert diff == [], diff
