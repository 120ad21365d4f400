"""bulk operations keep the sentences of the documents they refused

Revision ID: u0012
Revises: s0011
"""
from alembic import op
import sqlalchemy as sa

revision = 'u0012'
down_revision = 'k0012'  # re-chained at merge: after the share-link guard
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('bulk_operations', sa.Column('refusals', sa.JSON(), nullable=True))


def downgrade():
    op.drop_column('bulk_operations', 'refusals')
