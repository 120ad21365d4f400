"""document list indexes; bulk operations

Revision ID: l0010
Revises: 0009

Another branch adds its own 0010; whichever merges second re-chains its
down_revision onto the other.
"""
from alembic import op
import sqlalchemy as sa

revision = 'l0010'
down_revision = '0010'  # after titles
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'bulk_operations',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('action', sa.String(length=30), nullable=False),
        sa.Column('params', sa.JSON(), nullable=False),
        sa.Column('document_ids', sa.JSON(), nullable=False),
        sa.Column('query', sa.JSON(), nullable=True),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('progress', sa.Integer(), nullable=False),
        sa.Column('total', sa.Integer(), nullable=False),
        sa.Column('processed', sa.Integer(), nullable=False),
        sa.Column('changed', sa.Integer(), nullable=False),
        sa.Column('unchanged', sa.Integer(), nullable=False),
        sa.Column('skipped', sa.Integer(), nullable=False),
        sa.Column('failed', sa.Integer(), nullable=False),
        sa.Column('not_found', sa.Integer(), nullable=False),
        sa.Column('error', sa.Text(), nullable=True),
        sa.Column('result_file', sa.String(length=300), nullable=True),
        sa.Column('rq_job_id', sa.String(length=100), nullable=True),
        sa.Column('created_by_id', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('started_at', sa.DateTime(), nullable=True),
        sa.Column('finished_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(['created_by_id'], ['users.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_bulk_operations_status', 'bulk_operations', ['status'])
    op.create_index('ix_bulk_operations_created_by_id', 'bulk_operations', ['created_by_id'])
    op.create_index('ix_documents_uploaded_at_id', 'documents', ['uploaded_at', 'id'])
    # SQLite (make run) has no NULLS LAST in indexes; its DESC already puts NULLs last.
    nulls_last = "" if op.get_bind().dialect.name == "sqlite" else " NULLS LAST"
    op.create_index('ix_documents_issue_date_desc', 'documents',
                    [sa.text(f'issue_date DESC{nulls_last}'), sa.text('id DESC')])
    op.create_index('ix_documents_title_id', 'documents', ['title', 'id'])
    op.create_index('ix_documents_number_key_desc', 'documents',
                    [sa.text(f'number_key DESC{nulls_last}'), sa.text('id DESC')])
    op.create_index('ix_documents_uploaded_by_id', 'documents', ['uploaded_by_id'])
    op.create_index('ix_documents_issuing_agency', 'documents', ['issuing_agency'])


def downgrade():
    for name in ('ix_documents_issuing_agency', 'ix_documents_uploaded_by_id',
                 'ix_documents_number_key_desc', 'ix_documents_title_id',
                 'ix_documents_issue_date_desc', 'ix_documents_uploaded_at_id'):
        op.drop_index(name, table_name='documents')
    op.drop_index('ix_bulk_operations_created_by_id', table_name='bulk_operations')
    op.drop_index('ix_bulk_operations_status', table_name='bulk_operations')
    op.drop_table('bulk_operations')
