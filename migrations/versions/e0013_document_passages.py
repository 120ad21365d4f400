"""document passages and their vectors (semantic search)

Revision ID: e0013
Revises: h0012
"""
from alembic import op
import sqlalchemy as sa

revision = 'e0013'
down_revision = 'h0012'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'document_passages',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('document_id', sa.Integer(),
                  sa.ForeignKey('documents.id', ondelete='CASCADE'), nullable=False),
        sa.Column('ordinal', sa.Integer(), nullable=False),
        sa.Column('heading', sa.String(length=300), nullable=True),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('vector', sa.LargeBinary(), nullable=False),
        sa.Column('source_hash', sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('document_id', 'ordinal', name='uq_document_passages_ordinal'),
    )
    op.create_index('ix_document_passages_document_id', 'document_passages', ['document_id'])


def downgrade():
    op.drop_index('ix_document_passages_document_id', table_name='document_passages')
    op.drop_table('document_passages')
