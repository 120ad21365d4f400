"""document files keep a first-page thumbnail and a PDF rendition for the viewer

Revision ID: p0010
Revises: 0009

Named p0010 because another branch may add its own 0010; the merge re-chains it.
"""
from alembic import op
import sqlalchemy as sa

revision = 'p0010'
down_revision = 'l0010'  # after lists and bulk
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('document_files') as batch_op:
        batch_op.add_column(sa.Column('thumbnail_sha256', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('preview_sha256', sa.String(length=64), nullable=True))


def downgrade():
    with op.batch_alter_table('document_files') as batch_op:
        batch_op.drop_column('preview_sha256')
        batch_op.drop_column('thumbnail_sha256')
