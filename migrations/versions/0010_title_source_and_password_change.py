"""who titled a document (title_source); forced password change after a reset

Existing titles equal to their file's name (or its stem) count as file names, so
``flask archive retitle`` may replace them; any other title was given by a person.

Revision ID: 0010
Revises: a0010
"""
from pathlib import PurePath

from alembic import op
import sqlalchemy as sa

revision = '0010'
down_revision = 'a0010'  # after the issuing-body names
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('documents') as batch_op:
        batch_op.add_column(sa.Column('title_source', sa.String(length=20),
                                      server_default='file_name', nullable=False))
    with op.batch_alter_table('users') as batch_op:
        batch_op.add_column(sa.Column('must_change_password', sa.Boolean(),
                                      server_default=sa.false(), nullable=False))
    _mark_person_titles()


def _mark_person_titles():
    conn = op.get_bind()
    rows = conn.execute(sa.text(
        "SELECT d.id, d.title, f.original_filename FROM documents d "
        "LEFT JOIN document_files f ON f.id = "
        "(SELECT MIN(id) FROM document_files WHERE document_id = d.id)"))
    person = [row.id for row in rows
              if row.original_filename is None
              or row.title not in (row.original_filename, PurePath(row.original_filename).stem)]
    update = sa.text("UPDATE documents SET title_source = 'person' WHERE id = :id")
    for start in range(0, len(person), 1000):
        conn.execute(update, [{"id": i} for i in person[start:start + 1000]])


def downgrade():
    with op.batch_alter_table('users') as batch_op:
        batch_op.drop_column('must_change_password')
    with op.batch_alter_table('documents') as batch_op:
        batch_op.drop_column('title_source')
