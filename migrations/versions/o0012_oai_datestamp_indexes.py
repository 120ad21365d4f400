"""indexes for the OAI-PMH provider: records in (updated_at, id) order

Revision ID: o0012
Revises: s0011
"""
from alembic import op

revision = 'o0012'
down_revision = 's0011'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_documents_updated_at_id', 'documents', ['updated_at', 'id'])
    op.create_index('ix_briefings_updated_at_id', 'briefings', ['updated_at', 'id'])


def downgrade():
    op.drop_index('ix_briefings_updated_at_id', table_name='briefings')
    op.drop_index('ix_documents_updated_at_id', table_name='documents')
