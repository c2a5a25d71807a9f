"""core tables

Revision ID: core_0001
Revises: 
Create Date: 2026-12-01
"""
from alembic import op
import sqlalchemy as sa


revision = 'core_0001'
down_revision = None
branch_labels = ('core',)
depends_on = None


def upgrade():
    op.create_table('core_job_run',
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('last_run_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_core_job_run'))
    )
    op.create_table('core_organisation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('tax_id', sa.String(length=40), nullable=False),
    sa.Column('phone', sa.String(length=40), nullable=False),
    sa.Column('email', sa.String(length=200), nullable=False),
    sa.Column('address', sa.String(length=400), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_core_organisation'))
    )
    with op.batch_alter_table('core_organisation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_core_organisation_kind'), ['kind'], unique=False)

    op.create_table('core_role',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('permissions', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_core_role')),
    sa.UniqueConstraint('name', name=op.f('uq_core_role_name'))
    )
    op.create_table('core_sequence',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('last_value', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_core_sequence')),
    sa.UniqueConstraint('name', 'year', name='uq_core_sequence_name_year')
    )
    op.create_table('core_department',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['core_organisation.id'], name=op.f('fk_core_department_organisation_id_core_organisation')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_core_department'))
    )
    with op.batch_alter_table('core_department', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_core_department_organisation_id'), ['organisation_id'], unique=False)

    op.create_table('core_user',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=80), nullable=False),
    sa.Column('full_name', sa.String(length=200), nullable=False),
    sa.Column('email', sa.String(length=200), nullable=False),
    sa.Column('phone', sa.String(length=40), nullable=False),
    sa.Column('password_hash', sa.String(length=256), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('department_id', sa.Integer(), nullable=True),
    sa.Column('locale', sa.String(length=10), nullable=False),
    sa.Column('timezone', sa.String(length=60), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('failed_logins', sa.Integer(), nullable=False),
    sa.Column('locked_until', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['department_id'], ['core_department.id'], name=op.f('fk_core_user_department_id_core_department')),
    sa.ForeignKeyConstraint(['organisation_id'], ['core_organisation.id'], name=op.f('fk_core_user_organisation_id_core_organisation')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_core_user')),
    sa.UniqueConstraint('username', name=op.f('uq_core_user_username'))
    )
    with op.batch_alter_table('core_user', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_core_user_organisation_id'), ['organisation_id'], unique=False)

    op.create_table('core_audit_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=10), nullable=False),
    sa.Column('table', sa.String(length=80), nullable=False),
    sa.Column('record_id', sa.String(length=40), nullable=False),
    sa.Column('changes', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['core_user.id'], name=op.f('fk_core_audit_log_actor_id_core_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_core_audit_log'))
    )
    with op.batch_alter_table('core_audit_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_core_audit_log_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_core_audit_log_record_id'), ['record_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_core_audit_log_table'), ['table'], unique=False)

    op.create_table('core_case',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=30), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('partner_id', sa.Integer(), nullable=True),
    sa.Column('site', sa.String(length=300), nullable=False),
    sa.Column('contact_name', sa.String(length=200), nullable=False),
    sa.Column('contact_phone', sa.String(length=40), nullable=False),
    sa.Column('channel', sa.String(length=20), nullable=False),
    sa.Column('priority', sa.String(length=20), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('assignee_id', sa.Integer(), nullable=True),
    sa.Column('opened_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('opened_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['assignee_id'], ['core_user.id'], name=op.f('fk_core_case_assignee_id_core_user')),
    sa.ForeignKeyConstraint(['customer_id'], ['core_organisation.id'], name=op.f('fk_core_case_customer_id_core_organisation')),
    sa.ForeignKeyConstraint(['opened_by_id'], ['core_user.id'], name=op.f('fk_core_case_opened_by_id_core_user')),
    sa.ForeignKeyConstraint(['partner_id'], ['core_organisation.id'], name=op.f('fk_core_case_partner_id_core_organisation')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_core_case')),
    sa.UniqueConstraint('number', name=op.f('uq_core_case_number'))
    )
    with op.batch_alter_table('core_case', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_core_case_assignee_id'), ['assignee_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_core_case_customer_id'), ['customer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_core_case_opened_at'), ['opened_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_core_case_partner_id'), ['partner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_core_case_priority'), ['priority'], unique=False)
        batch_op.create_index(batch_op.f('ix_core_case_status'), ['status'], unique=False)
        batch_op.create_index('ix_core_case_status_opened', ['status', 'opened_at'], unique=False)

    op.create_table('core_plugin_state',
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('enabled', sa.Boolean(), nullable=False),
    sa.Column('changed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('changed_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['changed_by_id'], ['core_user.id'], name=op.f('fk_core_plugin_state_changed_by_id_core_user')),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_core_plugin_state'))
    )
    op.create_table('core_user_role',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('role_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['role_id'], ['core_role.id'], name=op.f('fk_core_user_role_role_id_core_role'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['core_user.id'], name=op.f('fk_core_user_role_user_id_core_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'role_id', name=op.f('pk_core_user_role'))
    )
    op.create_table('core_attachment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('content_type', sa.String(length=100), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.Column('uploaded_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['core_case.id'], name=op.f('fk_core_attachment_case_id_core_case')),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['core_user.id'], name=op.f('fk_core_attachment_uploaded_by_id_core_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_core_attachment'))
    )
    with op.batch_alter_table('core_attachment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_core_attachment_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_core_attachment_sha256'), ['sha256'], unique=False)

    op.create_table('core_deadline_clock',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('policy', sa.String(length=80), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('due_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('paused_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('remaining_seconds', sa.Integer(), nullable=True),
    sa.Column('met_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('breached_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['core_case.id'], name=op.f('fk_core_deadline_clock_case_id_core_case')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_core_deadline_clock'))
    )
    with op.batch_alter_table('core_deadline_clock', schema=None) as batch_op:
        batch_op.create_index('ix_core_deadline_clock_case', ['case_id', 'policy'], unique=False)
        batch_op.create_index('ix_core_deadline_clock_due', ['status', 'breached_at', 'due_at'], unique=False)

    op.create_table('core_timeline_event',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('type', sa.String(length=80), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('occurred_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['core_user.id'], name=op.f('fk_core_timeline_event_actor_id_core_user')),
    sa.ForeignKeyConstraint(['case_id'], ['core_case.id'], name=op.f('fk_core_timeline_event_case_id_core_case')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_core_timeline_event'))
    )
    with op.batch_alter_table('core_timeline_event', schema=None) as batch_op:
        batch_op.create_index('ix_core_timeline_case_time', ['case_id', 'occurred_at', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_core_timeline_event_type'), ['type'], unique=False)



def downgrade():
    with op.batch_alter_table('core_timeline_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_core_timeline_event_type'))
        batch_op.drop_index('ix_core_timeline_case_time')

    op.drop_table('core_timeline_event')
    with op.batch_alter_table('core_deadline_clock', schema=None) as batch_op:
        batch_op.drop_index('ix_core_deadline_clock_due')
        batch_op.drop_index('ix_core_deadline_clock_case')

    op.drop_table('core_deadline_clock')
    with op.batch_alter_table('core_attachment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_core_attachment_sha256'))
        batch_op.drop_index(batch_op.f('ix_core_attachment_case_id'))

    op.drop_table('core_attachment')
    op.drop_table('core_user_role')
    op.drop_table('core_plugin_state')
    with op.batch_alter_table('core_case', schema=None) as batch_op:
        batch_op.drop_index('ix_core_case_status_opened')
        batch_op.drop_index(batch_op.f('ix_core_case_status'))
        batch_op.drop_index(batch_op.f('ix_core_case_priority'))
        batch_op.drop_index(batch_op.f('ix_core_case_partner_id'))
        batch_op.drop_index(batch_op.f('ix_core_case_opened_at'))
        batch_op.drop_index(batch_op.f('ix_core_case_customer_id'))
        batch_op.drop_index(batch_op.f('ix_core_case_assignee_id'))

    op.drop_table('core_case')
    with op.batch_alter_table('core_audit_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_core_audit_log_table'))
        batch_op.drop_index(batch_op.f('ix_core_audit_log_record_id'))
        batch_op.drop_index(batch_op.f('ix_core_audit_log_at'))

    op.drop_table('core_audit_log')
    with op.batch_alter_table('core_user', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_core_user_organisation_id'))

    op.drop_table('core_user')
    with op.batch_alter_table('core_department', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_core_department_organisation_id'))

    op.drop_table('core_department')
    op.drop_table('core_sequence')
    op.drop_table('core_role')
    with op.batch_alter_table('core_organisation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_core_organisation_kind'))

    op.drop_table('core_organisation')
    op.drop_table('core_job_run')
