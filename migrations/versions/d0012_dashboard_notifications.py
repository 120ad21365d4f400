"""home dashboard: notifications, saved searches, e-mail settings, suggestions to confirm

Revision ID: d0012
Revises: s0011
"""
from alembic import op
import sqlalchemy as sa

revision = 'd0012'
down_revision = 'f0012'  # re-chained at merge: after fixity
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'saved_searches',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), sa.ForeignKey('users.id'), nullable=False),
        sa.Column('name', sa.String(length=200), nullable=False),
        sa.Column('query', sa.JSON(), nullable=False),
        sa.Column('notify', sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('last_seen_at', sa.DateTime(), nullable=False),
        sa.Column('last_checked_at', sa.DateTime(), nullable=False),
        sa.Column('last_count', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('user_id', 'name', name='uq_saved_searches_user_name'),
    )
    op.create_index('ix_saved_searches_user_id', 'saved_searches', ['user_id'])
    op.create_table(
        'notifications',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), sa.ForeignKey('users.id'), nullable=False),
        sa.Column('kind', sa.String(length=30), nullable=False),
        sa.Column('document_id', sa.Integer(), sa.ForeignKey('documents.id'), nullable=True),
        sa.Column('briefing_id', sa.Integer(), sa.ForeignKey('briefings.id'), nullable=True),
        sa.Column('proposal_id', sa.Integer(), sa.ForeignKey('disposition_proposals.id'),
                  nullable=True),
        sa.Column('saved_search_id', sa.Integer(),
                  sa.ForeignKey('saved_searches.id', ondelete='CASCADE'), nullable=True),
        sa.Column('hold_id', sa.Integer(), sa.ForeignKey('legal_holds.id'), nullable=True),
        sa.Column('data', sa.JSON(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('read_at', sa.DateTime(), nullable=True),
        sa.Column('emailed_at', sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_notifications_user_read', 'notifications', ['user_id', 'read_at'])
    op.create_index('ix_notifications_user_id_id', 'notifications', ['user_id', 'id'])
    op.create_table(
        'notification_settings',
        sa.Column('user_id', sa.Integer(), sa.ForeignKey('users.id'), nullable=False),
        sa.Column('email', sa.String(length=254), nullable=True),
        sa.Column('email_enabled', sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column('email_since', sa.DateTime(), nullable=True),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('user_id'),
    )
    op.add_column('documents', sa.Column('suggestions_pending', sa.Boolean(),
                                         server_default=sa.false(), nullable=False))
    op.create_index('ix_documents_suggestions_pending', 'documents', ['uploaded_by_id'],
                    postgresql_where=sa.text('suggestions_pending'),
                    sqlite_where=sa.text('suggestions_pending'))
    # The dashboard's counts as index-only scans (bench/dashboard_latency.py).
    op.create_index('ix_documents_category_secrecy', 'documents', ['category', 'secrecy'])
    op.create_index('ix_documents_uploaded_at_secrecy', 'documents', ['uploaded_at', 'secrecy'])
    op.create_index('ix_documents_uploaded_by_secrecy', 'documents',
                    ['uploaded_by_id', 'secrecy'])


def downgrade():
    for name in ('ix_documents_uploaded_by_secrecy', 'ix_documents_uploaded_at_secrecy',
                 'ix_documents_category_secrecy', 'ix_documents_suggestions_pending'):
        op.drop_index(name, table_name='documents')
    op.drop_column('documents', 'suggestions_pending')
    op.drop_table('notification_settings')
    op.drop_index('ix_notifications_user_id_id', table_name='notifications')
    op.drop_index('ix_notifications_user_read', table_name='notifications')
    op.drop_table('notifications')
    op.drop_index('ix_saved_searches_user_id', table_name='saved_searches')
    op.drop_table('saved_searches')
