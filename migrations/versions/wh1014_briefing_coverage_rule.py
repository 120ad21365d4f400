"""briefings remember the press-coverage publication rule

Revision ID: wh1014
Revises: g0014
"""
from alembic import op
import sqlalchemy as sa

revision = 'wh1014'
down_revision = 'g0014'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('briefings', sa.Column('publish_coverage', sa.Boolean(), nullable=False,
                                         server_default=sa.false()))
    # Existing briefings keep what they had: the rule ran once, when the form was
    # saved. Publishing later coverage by a guess would let records out that nobody
    # chose to publish; an archivist saves the sharing form again to turn it on.


def downgrade():
    op.drop_column('briefings', 'publish_coverage')
