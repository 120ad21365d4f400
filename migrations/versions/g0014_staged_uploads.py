"""uploads kept for a corrected form live in the object store and the database

Revision ID: g0014
Revises: e0013
"""
from alembic import op
import sqlalchemy as sa

revision = 'g0014'
down_revision = 'e0013'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'staged_uploads',
        sa.Column('token', sa.String(length=32), nullable=False),
        sa.Column('user_id', sa.Integer(),
                  sa.ForeignKey('users.id', ondelete='CASCADE'), nullable=False),
        sa.Column('filename', sa.String(length=255), nullable=False),
        sa.Column('size', sa.Integer(), nullable=False),
        sa.Column('sha256', sa.String(length=64), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('host', sa.String(length=255), nullable=True),
        sa.PrimaryKeyConstraint('token'),
    )
    op.create_index('ix_staged_uploads_user_id', 'staged_uploads', ['user_id'])
    op.create_index('ix_staged_uploads_sha256', 'staged_uploads', ['sha256'])
    op.create_index('ix_staged_uploads_created_at', 'staged_uploads', ['created_at'])


def downgrade():
    op.drop_table('staged_uploads')
