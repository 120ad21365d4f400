"""processing tasks run in a lane: interactive uploads, or long work (OCR, bulk)

Revision ID: 0009
Revises: 0008
"""
from alembic import op
import sqlalchemy as sa

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('processing_tasks') as batch_op:
        batch_op.add_column(sa.Column('lane', sa.String(length=20),
                                      server_default='interactive', nullable=False))
        batch_op.create_index('ix_processing_tasks_status_lane', ['status', 'lane'])


def downgrade():
    with op.batch_alter_table('processing_tasks') as batch_op:
        batch_op.drop_index('ix_processing_tasks_status_lane')
        batch_op.drop_column('lane')
