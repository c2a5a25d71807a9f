"""inventory_parts tables

Revision ID: inventory_parts_0001
Revises:
Create Date: 2026-03-02
"""
from alembic import op
import sqlalchemy as sa


revision = 'inventory_parts_0001'
down_revision = None
branch_labels = ('inventory_parts',)
depends_on = 'core_0001'


def upgrade():
    op.create_table('inventory_part',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('unit', sa.String(length=20), nullable=False),
    sa.Column('cost_price', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('list_price', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('preferential_margin_pct', sa.Numeric(precision=6, scale=2), nullable=True),
    sa.Column('service_life_months', sa.Integer(), nullable=True),
    sa.Column('reorder_point', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('fits', sa.String(length=500), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_inventory_part')),
    sa.UniqueConstraint('number', name=op.f('uq_inventory_part_number'))
    )
    with op.batch_alter_table('inventory_part', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_inventory_part_kind'), ['kind'], unique=False)

    op.create_table('inventory_season',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('opens_on', sa.Date(), nullable=False),
    sa.Column('closes_on', sa.Date(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_inventory_season')),
    sa.UniqueConstraint('name', name=op.f('uq_inventory_season_name'))
    )
    with op.batch_alter_table('inventory_season', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_inventory_season_opens_on'), ['opens_on'], unique=False)

    op.create_table('inventory_location',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('owner_org_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['owner_org_id'], ['core_organisation.id'], name=op.f('fk_inventory_location_owner_org_id_core_organisation')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_inventory_location')),
    sa.UniqueConstraint('code', name=op.f('uq_inventory_location_code'))
    )
    with op.batch_alter_table('inventory_location', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_inventory_location_kind'), ['kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_inventory_location_owner_org_id'), ['owner_org_id'], unique=False)

    op.create_table('inventory_part_failure',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('part_id', sa.Integer(), nullable=False),
    sa.Column('serial', sa.String(length=80), nullable=False),
    sa.Column('fitted_on', sa.Date(), nullable=False),
    sa.Column('failed_on', sa.Date(), nullable=False),
    sa.Column('life_months', sa.Numeric(precision=8, scale=1), nullable=False),
    sa.Column('normal_life_months', sa.Integer(), nullable=True),
    sa.Column('abnormal', sa.Boolean(), nullable=False),
    sa.Column('reference', sa.String(length=120), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['part_id'], ['inventory_part.id'], name=op.f('fk_inventory_part_failure_part_id_inventory_part')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_inventory_part_failure'))
    )
    with op.batch_alter_table('inventory_part_failure', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_inventory_part_failure_abnormal'), ['abnormal'], unique=False)
        batch_op.create_index(batch_op.f('ix_inventory_part_failure_part_id'), ['part_id'], unique=False)

    op.create_table('inventory_stock_balance',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('part_id', sa.Integer(), nullable=False),
    sa.Column('location_id', sa.Integer(), nullable=False),
    sa.Column('on_hand', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.CheckConstraint('on_hand >= 0', name=op.f('ck_inventory_stock_balance_on_hand_not_negative')),
    sa.ForeignKeyConstraint(['location_id'], ['inventory_location.id'], name=op.f('fk_inventory_stock_balance_location_id_inventory_location')),
    sa.ForeignKeyConstraint(['part_id'], ['inventory_part.id'], name=op.f('fk_inventory_stock_balance_part_id_inventory_part')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_inventory_stock_balance')),
    sa.UniqueConstraint('part_id', 'location_id', name='uq_inventory_stock_balance_part_location')
    )
    with op.batch_alter_table('inventory_stock_balance', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_inventory_stock_balance_location_id'), ['location_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_inventory_stock_balance_part_id'), ['part_id'], unique=False)

    op.create_table('inventory_reserve_plan',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('dealer_org_id', sa.Integer(), nullable=False),
    sa.Column('season_id', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('submitted_on', sa.Date(), nullable=True),
    sa.Column('late', sa.Boolean(), nullable=False),
    sa.Column('late_accepted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('late_accepted_by_id', sa.Integer(), nullable=True),
    sa.Column('late_reason', sa.String(length=500), nullable=False),
    sa.Column('decline_reason', sa.String(length=500), nullable=False),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['dealer_org_id'], ['core_organisation.id'], name=op.f('fk_inventory_reserve_plan_dealer_org_id_core_organisation')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['core_user.id'], name=op.f('fk_inventory_reserve_plan_decided_by_id_core_user')),
    sa.ForeignKeyConstraint(['late_accepted_by_id'], ['core_user.id'], name=op.f('fk_inventory_reserve_plan_late_accepted_by_id_core_user')),
    sa.ForeignKeyConstraint(['season_id'], ['inventory_season.id'], name=op.f('fk_inventory_reserve_plan_season_id_inventory_season')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_inventory_reserve_plan')),
    sa.UniqueConstraint('dealer_org_id', 'season_id', name='uq_inventory_reserve_plan_dealer_season')
    )
    with op.batch_alter_table('inventory_reserve_plan', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_inventory_reserve_plan_dealer_org_id'), ['dealer_org_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_inventory_reserve_plan_season_id'), ['season_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_inventory_reserve_plan_state'), ['state'], unique=False)

    op.create_table('inventory_parts_order',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=30), nullable=False),
    sa.Column('dealer_org_id', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('delivery_note_number', sa.String(length=30), nullable=True),
    sa.Column('shipped_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('paid_amount', sa.Numeric(precision=12, scale=2), nullable=True),
    sa.Column('paid_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('payment_reference', sa.String(length=120), nullable=False),
    sa.Column('signed_note_filename', sa.String(length=255), nullable=False),
    sa.Column('signed_note_type', sa.String(length=100), nullable=False),
    sa.Column('signed_note_sha256', sa.String(length=64), nullable=False),
    sa.Column('signed_note_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['core_user.id'], name=op.f('fk_inventory_parts_order_created_by_id_core_user')),
    sa.ForeignKeyConstraint(['dealer_org_id'], ['core_organisation.id'], name=op.f('fk_inventory_parts_order_dealer_org_id_core_organisation')),
    sa.ForeignKeyConstraint(['plan_id'], ['inventory_reserve_plan.id'], name=op.f('fk_inventory_parts_order_plan_id_inventory_reserve_plan')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_inventory_parts_order')),
    sa.UniqueConstraint('delivery_note_number', name=op.f('uq_inventory_parts_order_delivery_note_number')),
    sa.UniqueConstraint('number', name=op.f('uq_inventory_parts_order_number'))
    )
    with op.batch_alter_table('inventory_parts_order', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_inventory_parts_order_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_inventory_parts_order_dealer_org_id'), ['dealer_org_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_inventory_parts_order_plan_id'), ['plan_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_inventory_parts_order_state'), ['state'], unique=False)

    op.create_table('inventory_reserve_plan_line',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('part_id', sa.Integer(), nullable=False),
    sa.Column('fitted_units', sa.Integer(), nullable=False),
    sa.Column('suggested_quantity', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('proposed_quantity', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('decision', sa.String(length=20), nullable=False),
    sa.Column('approved_quantity', sa.Numeric(precision=12, scale=2), nullable=True),
    sa.Column('decision_note', sa.String(length=300), nullable=False),
    sa.ForeignKeyConstraint(['part_id'], ['inventory_part.id'], name=op.f('fk_inventory_reserve_plan_line_part_id_inventory_part')),
    sa.ForeignKeyConstraint(['plan_id'], ['inventory_reserve_plan.id'], name=op.f('fk_inventory_reserve_plan_line_plan_id_inventory_reserve_plan')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_inventory_reserve_plan_line')),
    sa.UniqueConstraint('plan_id', 'part_id', name='uq_inventory_reserve_plan_line_plan_part')
    )
    with op.batch_alter_table('inventory_reserve_plan_line', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_inventory_reserve_plan_line_part_id'), ['part_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_inventory_reserve_plan_line_plan_id'), ['plan_id'], unique=False)

    op.create_table('inventory_parts_order_line',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('part_id', sa.Integer(), nullable=False),
    sa.Column('quantity', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('unit_price', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.ForeignKeyConstraint(['order_id'], ['inventory_parts_order.id'], name=op.f('fk_inventory_parts_order_line_order_id_inventory_parts_order')),
    sa.ForeignKeyConstraint(['part_id'], ['inventory_part.id'], name=op.f('fk_inventory_parts_order_line_part_id_inventory_part')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_inventory_parts_order_line'))
    )
    with op.batch_alter_table('inventory_parts_order_line', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_inventory_parts_order_line_order_id'), ['order_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_inventory_parts_order_line_part_id'), ['part_id'], unique=False)

    op.create_table('inventory_stock_move',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('part_id', sa.Integer(), nullable=False),
    sa.Column('location_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('quantity', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('serial', sa.String(length=80), nullable=False),
    sa.Column('reason', sa.String(length=300), nullable=False),
    sa.Column('reference', sa.String(length=120), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=True),
    sa.Column('order_id', sa.Integer(), nullable=True),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['actor_id'], ['core_user.id'], name=op.f('fk_inventory_stock_move_actor_id_core_user')),
    sa.ForeignKeyConstraint(['case_id'], ['core_case.id'], name=op.f('fk_inventory_stock_move_case_id_core_case')),
    sa.ForeignKeyConstraint(['location_id'], ['inventory_location.id'], name=op.f('fk_inventory_stock_move_location_id_inventory_location')),
    sa.ForeignKeyConstraint(['order_id'], ['inventory_parts_order.id'], name=op.f('fk_inventory_stock_move_order_id_inventory_parts_order')),
    sa.ForeignKeyConstraint(['part_id'], ['inventory_part.id'], name=op.f('fk_inventory_stock_move_part_id_inventory_part')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_inventory_stock_move'))
    )
    with op.batch_alter_table('inventory_stock_move', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_inventory_stock_move_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_inventory_stock_move_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_inventory_stock_move_kind'), ['kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_inventory_stock_move_location_id'), ['location_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_inventory_stock_move_order_id'), ['order_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_inventory_stock_move_part_id'), ['part_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_inventory_stock_move_serial'), ['serial'], unique=False)

    op.create_table('inventory_stock_return',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('dealer_org_id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('part_id', sa.Integer(), nullable=False),
    sa.Column('quantity', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('reason', sa.String(length=20), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('freight_cost', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('restoration_cost', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('freight_payer', sa.String(length=20), nullable=False),
    sa.Column('dealer_charge', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('requested_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['dealer_org_id'], ['core_organisation.id'], name=op.f('fk_inventory_stock_return_dealer_org_id_core_organisation')),
    sa.ForeignKeyConstraint(['order_id'], ['inventory_parts_order.id'], name=op.f('fk_inventory_stock_return_order_id_inventory_parts_order')),
    sa.ForeignKeyConstraint(['part_id'], ['inventory_part.id'], name=op.f('fk_inventory_stock_return_part_id_inventory_part')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_inventory_stock_return'))
    )
    with op.batch_alter_table('inventory_stock_return', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_inventory_stock_return_dealer_org_id'), ['dealer_org_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_inventory_stock_return_order_id'), ['order_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_inventory_stock_return_part_id'), ['part_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_inventory_stock_return_state'), ['state'], unique=False)


def downgrade():
    with op.batch_alter_table('inventory_stock_return', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_inventory_stock_return_state'))
        batch_op.drop_index(batch_op.f('ix_inventory_stock_return_part_id'))
        batch_op.drop_index(batch_op.f('ix_inventory_stock_return_order_id'))
        batch_op.drop_index(batch_op.f('ix_inventory_stock_return_dealer_org_id'))

    op.drop_table('inventory_stock_return')
    with op.batch_alter_table('inventory_stock_move', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_inventory_stock_move_serial'))
        batch_op.drop_index(batch_op.f('ix_inventory_stock_move_part_id'))
        batch_op.drop_index(batch_op.f('ix_inventory_stock_move_order_id'))
        batch_op.drop_index(batch_op.f('ix_inventory_stock_move_location_id'))
        batch_op.drop_index(batch_op.f('ix_inventory_stock_move_kind'))
        batch_op.drop_index(batch_op.f('ix_inventory_stock_move_case_id'))
        batch_op.drop_index(batch_op.f('ix_inventory_stock_move_at'))

    op.drop_table('inventory_stock_move')
    with op.batch_alter_table('inventory_parts_order_line', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_inventory_parts_order_line_part_id'))
        batch_op.drop_index(batch_op.f('ix_inventory_parts_order_line_order_id'))

    op.drop_table('inventory_parts_order_line')
    with op.batch_alter_table('inventory_reserve_plan_line', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_inventory_reserve_plan_line_plan_id'))
        batch_op.drop_index(batch_op.f('ix_inventory_reserve_plan_line_part_id'))

    op.drop_table('inventory_reserve_plan_line')
    with op.batch_alter_table('inventory_parts_order', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_inventory_parts_order_state'))
        batch_op.drop_index(batch_op.f('ix_inventory_parts_order_plan_id'))
        batch_op.drop_index(batch_op.f('ix_inventory_parts_order_dealer_org_id'))
        batch_op.drop_index(batch_op.f('ix_inventory_parts_order_created_at'))

    op.drop_table('inventory_parts_order')
    with op.batch_alter_table('inventory_reserve_plan', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_inventory_reserve_plan_state'))
        batch_op.drop_index(batch_op.f('ix_inventory_reserve_plan_season_id'))
        batch_op.drop_index(batch_op.f('ix_inventory_reserve_plan_dealer_org_id'))

    op.drop_table('inventory_reserve_plan')
    with op.batch_alter_table('inventory_stock_balance', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_inventory_stock_balance_part_id'))
        batch_op.drop_index(batch_op.f('ix_inventory_stock_balance_location_id'))

    op.drop_table('inventory_stock_balance')
    with op.batch_alter_table('inventory_part_failure', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_inventory_part_failure_part_id'))
        batch_op.drop_index(batch_op.f('ix_inventory_part_failure_abnormal'))

    op.drop_table('inventory_part_failure')
    with op.batch_alter_table('inventory_location', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_inventory_location_owner_org_id'))
        batch_op.drop_index(batch_op.f('ix_inventory_location_kind'))

    op.drop_table('inventory_location')
    with op.batch_alter_table('inventory_season', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_inventory_season_opens_on'))

    op.drop_table('inventory_season')
    with op.batch_alter_table('inventory_part', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_inventory_part_kind'))

    op.drop_table('inventory_part')
