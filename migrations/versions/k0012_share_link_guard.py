"""share links: downloads counted apart from opens; password guessing lockout

Revision ID: k0012
Revises: s0011
"""
from alembic import op
import sqlalchemy as sa

revision = 'k0012'
down_revision = 'o0012'  # re-chained at merge: after the OAI indexes
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('share_links', sa.Column('download_count', sa.Integer(), nullable=False,
                                           server_default='0'))
    op.add_column('share_links', sa.Column('failed_passwords', sa.Integer(), nullable=False,
                                           server_default='0'))
    op.add_column('share_links', sa.Column('locked_until', sa.DateTime(), nullable=True))


def downgrade():
    op.drop_column('share_links', 'locked_until')
    op.drop_column('share_links', 'failed_passwords')
    op.drop_column('share_links', 'download_count')
