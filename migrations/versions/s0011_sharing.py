"""sharing levels, share links, partner tokens, harvest sources and external records

Revision ID: s0011
Revises: p0010
"""
from alembic import op
import sqlalchemy as sa

revision = 's0011'
down_revision = 'p0010'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'harvest_sources',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=300), nullable=False),
        sa.Column('base_url', sa.String(length=2000), nullable=False),
        sa.Column('set_spec', sa.String(length=200), nullable=True),
        sa.Column('metadata_prefix', sa.String(length=40), nullable=False),
        sa.Column('token', sa.String(length=300), nullable=True),
        sa.Column('schedule_hours', sa.Integer(), nullable=False),
        sa.Column('enabled', sa.Boolean(), nullable=False),
        sa.Column('harvested_until', sa.DateTime(), nullable=True),
        sa.Column('last_run_at', sa.DateTime(), nullable=True),
        sa.Column('last_status', sa.String(length=20), nullable=True),
        sa.Column('last_error', sa.Text(), nullable=True),
        sa.Column('created_by_id', sa.Integer(), sa.ForeignKey('users.id'), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('name'),
    )
    op.create_table(
        'harvest_runs',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('source_id', sa.Integer(), sa.ForeignKey('harvest_sources.id'), nullable=False),
        sa.Column('started_at', sa.DateTime(), nullable=False),
        sa.Column('finished_at', sa.DateTime(), nullable=True),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('harvest_from', sa.DateTime(), nullable=True),
        sa.Column('counts', sa.JSON(), nullable=False),
        sa.Column('errors', sa.JSON(), nullable=False),
        sa.Column('triggered_by_id', sa.Integer(), sa.ForeignKey('users.id'), nullable=True),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_harvest_runs_source_id', 'harvest_runs', ['source_id'])
    op.create_table(
        'partner_tokens',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('agency', sa.String(length=300), nullable=False),
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('prefix', sa.String(length=16), nullable=False),
        sa.Column('created_by_id', sa.Integer(), sa.ForeignKey('users.id'), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('revoked_at', sa.DateTime(), nullable=True),
        sa.Column('last_used_at', sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('token_hash'),
    )
    op.create_table(
        'share_links',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('prefix', sa.String(length=16), nullable=False),
        sa.Column('document_id', sa.Integer(), sa.ForeignKey('documents.id'), nullable=True),
        sa.Column('briefing_id', sa.Integer(), sa.ForeignKey('briefings.id'), nullable=True),
        sa.Column('recipient', sa.String(length=300), nullable=False),
        sa.Column('note', sa.Text(), nullable=True),
        sa.Column('password_hash', sa.String(length=255), nullable=True),
        sa.Column('expires_at', sa.DateTime(), nullable=False),
        sa.Column('created_by_id', sa.Integer(), sa.ForeignKey('users.id'), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('revoked_at', sa.DateTime(), nullable=True),
        sa.Column('revoked_by_id', sa.Integer(), sa.ForeignKey('users.id'), nullable=True),
        sa.Column('use_count', sa.Integer(), nullable=False),
        sa.Column('last_used_at', sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('token_hash'),
    )
    op.create_index('ix_share_links_document_id', 'share_links', ['document_id'])
    op.create_index('ix_share_links_briefing_id', 'share_links', ['briefing_id'])

    with op.batch_alter_table('documents') as batch_op:
        batch_op.add_column(sa.Column('sharing', sa.String(length=20), nullable=False,
                                      server_default='internal'))
        batch_op.add_column(sa.Column('shared_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('public_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('source_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('source_identifier', sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column('source_datestamp', sa.DateTime(), nullable=True))
        batch_op.create_foreign_key('fk_documents_source_id', 'harvest_sources',
                                    ['source_id'], ['id'])
        batch_op.create_unique_constraint('uq_documents_source_identifier',
                                          ['source_id', 'source_identifier'])
        batch_op.create_index('ix_documents_sharing', ['sharing'])
        batch_op.create_index('ix_documents_source_id', ['source_id'])
    with op.batch_alter_table('briefings') as batch_op:
        batch_op.add_column(sa.Column('sharing', sa.String(length=20), nullable=False,
                                      server_default='internal'))
        batch_op.add_column(sa.Column('shared_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('public_at', sa.DateTime(), nullable=True))
        batch_op.create_index('ix_briefings_sharing', ['sharing'])


def downgrade():
    with op.batch_alter_table('briefings') as batch_op:
        batch_op.drop_index('ix_briefings_sharing')
        batch_op.drop_column('public_at')
        batch_op.drop_column('shared_at')
        batch_op.drop_column('sharing')
    with op.batch_alter_table('documents') as batch_op:
        batch_op.drop_index('ix_documents_source_id')
        batch_op.drop_index('ix_documents_sharing')
        batch_op.drop_constraint('uq_documents_source_identifier', type_='unique')
        batch_op.drop_constraint('fk_documents_source_id', type_='foreignkey')
        for column in ('source_datestamp', 'source_identifier', 'source_id', 'public_at',
                       'shared_at', 'sharing'):
            batch_op.drop_column(column)
    op.drop_index('ix_share_links_briefing_id', table_name='share_links')
    op.drop_index('ix_share_links_document_id', table_name='share_links')
    op.drop_table('share_links')
    op.drop_table('partner_tokens')
    op.drop_index('ix_harvest_runs_source_id', table_name='harvest_runs')
    op.drop_table('harvest_runs')
    op.drop_table('harvest_sources')
