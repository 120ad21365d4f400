"""fixity records per stored object; bulk export ZIPs kept in the object store

Revision ID: f0012
Revises: s0011
"""
from alembic import op
import sqlalchemy as sa

revision = 'f0012'
down_revision = 's0011'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'fixity_records',
        sa.Column('sha256', sa.String(length=64), nullable=False),
        sa.Column('size', sa.BigInteger(), nullable=True),
        sa.Column('status', sa.String(length=10), nullable=False),
        sa.Column('last_checked_at', sa.DateTime(), nullable=True),
        sa.Column('observed_sha256', sa.String(length=64), nullable=True),
        sa.Column('observed_size', sa.BigInteger(), nullable=True),
        sa.Column('failed_at', sa.DateTime(), nullable=True),
        sa.Column('repaired_at', sa.DateTime(), nullable=True),
        sa.Column('checks', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('sha256'),
    )
    op.create_index('ix_fixity_records_last_checked_at', 'fixity_records', ['last_checked_at'])
    op.create_index('ix_fixity_records_status', 'fixity_records', ['status'])
    with op.batch_alter_table('bulk_operations') as batch:
        batch.add_column(sa.Column('result_sha256', sa.String(length=64), nullable=True))


def downgrade():
    with op.batch_alter_table('bulk_operations') as batch:
        batch.drop_column('result_sha256')
    op.drop_index('ix_fixity_records_status', table_name='fixity_records')
    op.drop_index('ix_fixity_records_last_checked_at', table_name='fixity_records')
    op.drop_table('fixity_records')
