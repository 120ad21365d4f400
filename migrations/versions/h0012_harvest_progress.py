"""harvest runs: live progress, the next ``from`` and the job

Revision ID: h0012
Revises: o0012 (s0011 on its own; after o0012 once the OAI branch is merged)
"""
from alembic import op
import sqlalchemy as sa

revision = 'h0012'
down_revision = 'd0012'  # re-chained at merge: after the dashboard tables
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('harvest_runs') as batch_op:
        batch_op.add_column(sa.Column('seen', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('total', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('progress_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('until', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('rq_job_id', sa.String(length=100), nullable=True))


def downgrade():
    with op.batch_alter_table('harvest_runs') as batch_op:
        for column in ('rq_job_id', 'until', 'progress_at', 'total', 'seen'):
            batch_op.drop_column(column)
