"""document files may share stored bytes

A person who uploads bytes already archived above their clearance gets a
record of their own (answering "duplicate" would reveal the other record), so
one stored blob can back several files: sha256 is indexed, no longer unique.

Revision ID: 0008
Revises: 0007
"""
from alembic import op

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

# SQLite's constraint had no name; batch mode recreates the table under this one.
_SQLITE_NAMES = {"uq": "uq_%(table_name)s_%(column_0_name)s"}


def _unique_name() -> str:
    if op.get_bind().dialect.name == "sqlite":
        return "uq_document_files_sha256"
    return "document_files_sha256_key"


def upgrade():
    with op.batch_alter_table('document_files', naming_convention=_SQLITE_NAMES) as batch_op:
        batch_op.drop_constraint(_unique_name(), type_='unique')
        batch_op.create_index('ix_document_files_sha256', ['sha256'], unique=False)


def downgrade():
    with op.batch_alter_table('document_files', naming_convention=_SQLITE_NAMES) as batch_op:
        batch_op.drop_index('ix_document_files_sha256')
        batch_op.create_unique_constraint(_unique_name(), ['sha256'])
