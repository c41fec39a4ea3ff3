"""wms: settings, warehouses and locations, product rules, lots, stock and its
reservations, numbering, costing (FIFO layers, averages), operations and their
moves, packages, waves, counts, putaway and reorder rules, replenishment proposals.

Revision ID: wms_0001
Revises:
Create Date: 2026-12-02
"""
import sqlalchemy as sa
from alembic import op

revision = "wms_0001"
down_revision = None
branch_labels = ("wms",)
depends_on = "core_0002"


def _warehouse_key(sqlite: bool) -> list:
    # SQLite takes a key to a table not created yet; PostgreSQL gets it added once both exist.
    if not sqlite:
        return []
    return [sa.ForeignKeyConstraint(['warehouse_id'], ['wms_warehouse.id'],
                                    name=op.f('fk_wms_location_warehouse_id_wms_warehouse'))]


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    op.create_table('wms_counter',
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('prefix', sa.String(length=40), nullable=False),
    sa.Column('last', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['core_company.id'], name=op.f('fk_wms_counter_company_id_core_company')),
    sa.PrimaryKeyConstraint('company_id', 'prefix', name=op.f('pk_wms_counter'))
    )
    op.create_table('wms_location',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('warehouse_id', sa.Integer(), nullable=True),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.Enum('internal', 'supplier', 'customer', 'production', 'loss', 'transit', name='locationkind', native_enum=False, length=20), nullable=False),
    sa.Column('level', sa.Enum('warehouse', 'zone', 'aisle', 'bin', name='locationlevel', native_enum=False, length=20), nullable=True),
    sa.Column('barcode', sa.String(length=64), nullable=True),
    sa.Column('count_every_days', sa.Integer(), nullable=True),
    sa.Column('last_counted', sa.Date(), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.CheckConstraint('count_every_days IS NULL OR count_every_days > 0', name=op.f('ck_wms_location_count_every')),
    sa.ForeignKeyConstraint(['account_id'], ['ledger_account.id'], name=op.f('fk_wms_location_account_id_ledger_account')),
    sa.ForeignKeyConstraint(['company_id'], ['core_company.id'], name=op.f('fk_wms_location_company_id_core_company')),
    sa.ForeignKeyConstraint(['parent_id'], ['wms_location.id'], name=op.f('fk_wms_location_parent_id_wms_location')),
    *_warehouse_key(sqlite),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_wms_location')),
    sa.UniqueConstraint('account_id', name=op.f('uq_wms_location_account_id')),
    sa.UniqueConstraint('company_id', 'code', name=op.f('uq_wms_location_company_id_code'))
    )
    op.create_index(op.f('ix_wms_location_company_id'), 'wms_location', ['company_id'], unique=False)
    op.create_index(op.f('ix_wms_location_warehouse_id'), 'wms_location', ['warehouse_id'], unique=False)
    op.create_table('wms_cost',
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('method', sa.Enum('fifo', 'average', name='costmethod', native_enum=False, length=20), nullable=False),
    sa.Column('quantity', sa.BigInteger(), nullable=False),
    sa.Column('value', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['core_company.id'], name=op.f('fk_wms_cost_company_id_core_company')),
    sa.ForeignKeyConstraint(['product_id'], ['core_product.id'], name=op.f('fk_wms_cost_product_id_core_product')),
    sa.PrimaryKeyConstraint('product_id', name=op.f('pk_wms_cost'))
    )
    op.create_index(op.f('ix_wms_cost_company_id'), 'wms_cost', ['company_id'], unique=False)
    op.create_table('wms_count',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=40), nullable=False),
    sa.Column('location_id', sa.Integer(), nullable=False),
    sa.Column('state', sa.Enum('draft', 'counted', 'approved', 'cancelled', name='countstate', native_enum=False, length=20), nullable=False),
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('approved_by', sa.String(length=80), nullable=True),
    sa.Column('transaction_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['core_company.id'], name=op.f('fk_wms_count_company_id_core_company')),
    sa.ForeignKeyConstraint(['location_id'], ['wms_location.id'], name=op.f('fk_wms_count_location_id_wms_location')),
    sa.ForeignKeyConstraint(['transaction_id'], ['ledger_transaction.id'], name=op.f('fk_wms_count_transaction_id_ledger_transaction')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_wms_count')),
    sa.UniqueConstraint('company_id', 'number', name=op.f('uq_wms_count_company_id_number'))
    )
    op.create_index(op.f('ix_wms_count_company_id'), 'wms_count', ['company_id'], unique=False)
    op.create_table('wms_lot',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('expiry_date', sa.Date(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['core_company.id'], name=op.f('fk_wms_lot_company_id_core_company')),
    sa.ForeignKeyConstraint(['product_id'], ['core_product.id'], name=op.f('fk_wms_lot_product_id_core_product')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_wms_lot')),
    sa.UniqueConstraint('product_id', 'name', name=op.f('uq_wms_lot_product_id_name'))
    )
    op.create_index(op.f('ix_wms_lot_company_id'), 'wms_lot', ['company_id'], unique=False)
    op.create_table('wms_product',
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('tracking', sa.Enum('none', 'lot', 'serial', name='tracking', native_enum=False, length=20), nullable=False),
    sa.Column('removal', sa.Enum('fifo', 'fefo', name='removal', native_enum=False, length=20), nullable=True),
    sa.Column('cost_method', sa.Enum('fifo', 'average', name='costmethod', native_enum=False, length=20), nullable=True),
    sa.Column('standard_cost', sa.BigInteger(), nullable=True),
    sa.ForeignKeyConstraint(['company_id'], ['core_company.id'], name=op.f('fk_wms_product_company_id_core_company')),
    sa.ForeignKeyConstraint(['product_id'], ['core_product.id'], name=op.f('fk_wms_product_product_id_core_product')),
    sa.PrimaryKeyConstraint('product_id', name=op.f('pk_wms_product'))
    )
    op.create_index(op.f('ix_wms_product_company_id'), 'wms_product', ['company_id'], unique=False)
    op.create_table('wms_settings',
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('allow_negative', sa.Boolean(), nullable=False),
    sa.Column('removal', sa.Enum('fifo', 'fefo', name='removal', native_enum=False, length=20), nullable=False),
    sa.Column('cost_method', sa.Enum('fifo', 'average', name='costmethod', native_enum=False, length=20), nullable=False),
    sa.Column('supplier_id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('production_id', sa.Integer(), nullable=False),
    sa.Column('loss_id', sa.Integer(), nullable=False),
    sa.Column('transit_id', sa.Integer(), nullable=False),
    sa.Column('inventory_account_id', sa.Integer(), nullable=True),
    sa.Column('received_account_id', sa.Integer(), nullable=True),
    sa.Column('cogs_account_id', sa.Integer(), nullable=True),
    sa.Column('difference_account_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['cogs_account_id'], ['ledger_account.id'], name=op.f('fk_wms_settings_cogs_account_id_ledger_account')),
    sa.ForeignKeyConstraint(['company_id'], ['core_company.id'], name=op.f('fk_wms_settings_company_id_core_company')),
    sa.ForeignKeyConstraint(['customer_id'], ['wms_location.id'], name=op.f('fk_wms_settings_customer_id_wms_location')),
    sa.ForeignKeyConstraint(['difference_account_id'], ['ledger_account.id'], name=op.f('fk_wms_settings_difference_account_id_ledger_account')),
    sa.ForeignKeyConstraint(['inventory_account_id'], ['ledger_account.id'], name=op.f('fk_wms_settings_inventory_account_id_ledger_account')),
    sa.ForeignKeyConstraint(['loss_id'], ['wms_location.id'], name=op.f('fk_wms_settings_loss_id_wms_location')),
    sa.ForeignKeyConstraint(['production_id'], ['wms_location.id'], name=op.f('fk_wms_settings_production_id_wms_location')),
    sa.ForeignKeyConstraint(['received_account_id'], ['ledger_account.id'], name=op.f('fk_wms_settings_received_account_id_ledger_account')),
    sa.ForeignKeyConstraint(['supplier_id'], ['wms_location.id'], name=op.f('fk_wms_settings_supplier_id_wms_location')),
    sa.ForeignKeyConstraint(['transit_id'], ['wms_location.id'], name=op.f('fk_wms_settings_transit_id_wms_location')),
    sa.PrimaryKeyConstraint('company_id', name=op.f('pk_wms_settings'))
    )
    op.create_table('wms_warehouse',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('location_id', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['core_company.id'], name=op.f('fk_wms_warehouse_company_id_core_company')),
    sa.ForeignKeyConstraint(['location_id'], ['wms_location.id'], name=op.f('fk_wms_warehouse_location_id_wms_location')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_wms_warehouse')),
    sa.UniqueConstraint('company_id', 'code', name=op.f('uq_wms_warehouse_company_id_code'))
    )
    op.create_index(op.f('ix_wms_warehouse_company_id'), 'wms_warehouse', ['company_id'], unique=False)
    if not sqlite:  # the location <-> warehouse cycle: the second key once both tables exist
        op.create_foreign_key(op.f('fk_wms_location_warehouse_id_wms_warehouse'), 'wms_location', 'wms_warehouse',
                              ['warehouse_id'], ['id'])
    op.create_table('wms_count_line',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('count_id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('lot_id', sa.Integer(), nullable=True),
    sa.Column('expected', sa.BigInteger(), nullable=False),
    sa.Column('counted', sa.BigInteger(), nullable=True),
    sa.ForeignKeyConstraint(['company_id'], ['core_company.id'], name=op.f('fk_wms_count_line_company_id_core_company')),
    sa.ForeignKeyConstraint(['count_id'], ['wms_count.id'], name=op.f('fk_wms_count_line_count_id_wms_count')),
    sa.ForeignKeyConstraint(['lot_id'], ['wms_lot.id'], name=op.f('fk_wms_count_line_lot_id_wms_lot')),
    sa.ForeignKeyConstraint(['product_id'], ['core_product.id'], name=op.f('fk_wms_count_line_product_id_core_product')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_wms_count_line'))
    )
    op.create_index(op.f('ix_wms_count_line_company_id'), 'wms_count_line', ['company_id'], unique=False)
    op.create_index(op.f('ix_wms_count_line_count_id'), 'wms_count_line', ['count_id'], unique=False)
    op.create_table('wms_proposal',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('warehouse_id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('quantity', sa.BigInteger(), nullable=False),
    sa.Column('route', sa.String(length=20), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('state', sa.Enum('open', 'ordered', 'dismissed', name='proposalstate', native_enum=False, length=20), nullable=False),
    sa.Column('document', sa.String(length=200), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['core_company.id'], name=op.f('fk_wms_proposal_company_id_core_company')),
    sa.ForeignKeyConstraint(['product_id'], ['core_product.id'], name=op.f('fk_wms_proposal_product_id_core_product')),
    sa.ForeignKeyConstraint(['warehouse_id'], ['wms_warehouse.id'], name=op.f('fk_wms_proposal_warehouse_id_wms_warehouse')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_wms_proposal'))
    )
    op.create_index(op.f('ix_wms_proposal_company_id'), 'wms_proposal', ['company_id'], unique=False)
    op.create_table('wms_putaway',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('warehouse_id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=True),
    sa.Column('category', sa.String(length=100), nullable=True),
    sa.Column('location_id', sa.Integer(), nullable=False),
    sa.CheckConstraint('(product_id IS NULL) <> (category IS NULL)', name=op.f('ck_wms_putaway_product_or_category')),
    sa.ForeignKeyConstraint(['company_id'], ['core_company.id'], name=op.f('fk_wms_putaway_company_id_core_company')),
    sa.ForeignKeyConstraint(['location_id'], ['wms_location.id'], name=op.f('fk_wms_putaway_location_id_wms_location')),
    sa.ForeignKeyConstraint(['product_id'], ['core_product.id'], name=op.f('fk_wms_putaway_product_id_core_product')),
    sa.ForeignKeyConstraint(['warehouse_id'], ['wms_warehouse.id'], name=op.f('fk_wms_putaway_warehouse_id_wms_warehouse')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_wms_putaway')),
    sa.UniqueConstraint('warehouse_id', 'product_id', 'category', name=op.f('uq_wms_putaway_warehouse_id_product_id_category'))
    )
    op.create_index(op.f('ix_wms_putaway_company_id'), 'wms_putaway', ['company_id'], unique=False)
    op.create_table('wms_reorder_rule',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('warehouse_id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('minimum', sa.BigInteger(), nullable=False),
    sa.Column('maximum', sa.BigInteger(), nullable=False),
    sa.Column('lead_time_days', sa.Integer(), nullable=False),
    sa.Column('service_level', sa.Integer(), nullable=False),
    sa.Column('ordering_cost', sa.BigInteger(), nullable=False),
    sa.Column('holding_rate', sa.Integer(), nullable=False),
    sa.Column('automatic', sa.Boolean(), nullable=False),
    sa.Column('route', sa.String(length=20), nullable=False),
    sa.CheckConstraint('lead_time_days >= 0', name=op.f('ck_wms_reorder_rule_lead_time')),
    sa.CheckConstraint('minimum >= 0 AND maximum >= minimum', name=op.f('ck_wms_reorder_rule_levels')),
    sa.CheckConstraint('ordering_cost >= 0 AND holding_rate >= 0', name=op.f('ck_wms_reorder_rule_costs')),
    sa.CheckConstraint('service_level > 0 AND service_level < 10000', name=op.f('ck_wms_reorder_rule_service_level')),
    sa.ForeignKeyConstraint(['company_id'], ['core_company.id'], name=op.f('fk_wms_reorder_rule_company_id_core_company')),
    sa.ForeignKeyConstraint(['product_id'], ['core_product.id'], name=op.f('fk_wms_reorder_rule_product_id_core_product')),
    sa.ForeignKeyConstraint(['warehouse_id'], ['wms_warehouse.id'], name=op.f('fk_wms_reorder_rule_warehouse_id_wms_warehouse')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_wms_reorder_rule')),
    sa.UniqueConstraint('warehouse_id', 'product_id', name=op.f('uq_wms_reorder_rule_warehouse_id_product_id'))
    )
    op.create_index(op.f('ix_wms_reorder_rule_company_id'), 'wms_reorder_rule', ['company_id'], unique=False)
    op.create_table('wms_stock',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('location_id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('lot_id', sa.Integer(), nullable=True),
    sa.Column('on_hand', sa.BigInteger(), nullable=False),
    sa.Column('reserved', sa.BigInteger(), nullable=False),
    sa.Column('in_date', sa.Date(), nullable=False),
    sa.CheckConstraint('reserved >= 0 AND (reserved = 0 OR reserved <= on_hand)', name=op.f('ck_wms_stock_reserved_within')),
    sa.ForeignKeyConstraint(['company_id'], ['core_company.id'], name=op.f('fk_wms_stock_company_id_core_company')),
    sa.ForeignKeyConstraint(['location_id'], ['wms_location.id'], name=op.f('fk_wms_stock_location_id_wms_location')),
    sa.ForeignKeyConstraint(['lot_id'], ['wms_lot.id'], name=op.f('fk_wms_stock_lot_id_wms_lot')),
    sa.ForeignKeyConstraint(['product_id'], ['core_product.id'], name=op.f('fk_wms_stock_product_id_core_product')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_wms_stock'))
    )
    op.create_index(op.f('ix_wms_stock_company_id'), 'wms_stock', ['company_id'], unique=False)
    op.create_index(op.f('ix_wms_stock_product_id'), 'wms_stock', ['product_id'], unique=False)
    # One row per place, product and lot; "no lot" is one row too (NULLs would be distinct in one index).
    op.create_index('uq_wms_stock_place_lot', 'wms_stock', ['location_id', 'product_id', 'lot_id'], unique=True,
                    sqlite_where=sa.text('lot_id IS NOT NULL'), postgresql_where=sa.text('lot_id IS NOT NULL'))
    op.create_index('uq_wms_stock_place', 'wms_stock', ['location_id', 'product_id'], unique=True,
                    sqlite_where=sa.text('lot_id IS NULL'), postgresql_where=sa.text('lot_id IS NULL'))
    op.create_table('wms_wave',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=40), nullable=False),
    sa.Column('warehouse_id', sa.Integer(), nullable=False),
    sa.Column('state', sa.Enum('open', 'done', 'cancelled', name='wavestate', native_enum=False, length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['core_company.id'], name=op.f('fk_wms_wave_company_id_core_company')),
    sa.ForeignKeyConstraint(['warehouse_id'], ['wms_warehouse.id'], name=op.f('fk_wms_wave_warehouse_id_wms_warehouse')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_wms_wave')),
    sa.UniqueConstraint('company_id', 'number', name=op.f('uq_wms_wave_company_id_number'))
    )
    op.create_index(op.f('ix_wms_wave_company_id'), 'wms_wave', ['company_id'], unique=False)
    op.create_table('wms_operation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=40), nullable=False),
    sa.Column('kind', sa.Enum('receipt', 'delivery', 'internal', name='operationkind', native_enum=False, length=20), nullable=False),
    sa.Column('state', sa.Enum('draft', 'ready', 'done', 'cancelled', name='operationstate', native_enum=False, length=20), nullable=False),
    sa.Column('warehouse_id', sa.Integer(), nullable=False),
    sa.Column('party_id', sa.Integer(), nullable=True),
    sa.Column('source_id', sa.Integer(), nullable=False),
    sa.Column('destination_id', sa.Integer(), nullable=False),
    sa.Column('scheduled', sa.Date(), nullable=False),
    sa.Column('done_on', sa.Date(), nullable=True),
    sa.Column('origin', sa.String(length=200), nullable=True),
    sa.Column('reference', sa.String(length=200), nullable=False),
    sa.Column('backorder_of_id', sa.Integer(), nullable=True),
    sa.Column('wave_id', sa.Integer(), nullable=True),
    sa.Column('transaction_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['backorder_of_id'], ['wms_operation.id'], name=op.f('fk_wms_operation_backorder_of_id_wms_operation')),
    sa.ForeignKeyConstraint(['company_id'], ['core_company.id'], name=op.f('fk_wms_operation_company_id_core_company')),
    sa.ForeignKeyConstraint(['destination_id'], ['wms_location.id'], name=op.f('fk_wms_operation_destination_id_wms_location')),
    sa.ForeignKeyConstraint(['party_id'], ['core_party.id'], name=op.f('fk_wms_operation_party_id_core_party')),
    sa.ForeignKeyConstraint(['source_id'], ['wms_location.id'], name=op.f('fk_wms_operation_source_id_wms_location')),
    sa.ForeignKeyConstraint(['transaction_id'], ['ledger_transaction.id'], name=op.f('fk_wms_operation_transaction_id_ledger_transaction')),
    sa.ForeignKeyConstraint(['warehouse_id'], ['wms_warehouse.id'], name=op.f('fk_wms_operation_warehouse_id_wms_warehouse')),
    sa.ForeignKeyConstraint(['wave_id'], ['wms_wave.id'], name=op.f('fk_wms_operation_wave_id_wms_wave')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_wms_operation')),
    sa.UniqueConstraint('company_id', 'number', name=op.f('uq_wms_operation_company_id_number'))
    )
    op.create_index(op.f('ix_wms_operation_company_id'), 'wms_operation', ['company_id'], unique=False)
    op.create_index(op.f('ix_wms_operation_origin'), 'wms_operation', ['origin'], unique=False)
    op.create_index(op.f('ix_wms_operation_wave_id'), 'wms_operation', ['wave_id'], unique=False)
    op.create_table('wms_move',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('operation_id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('demand', sa.BigInteger(), nullable=False),
    sa.Column('done', sa.BigInteger(), nullable=False),
    sa.Column('unit_cost', sa.BigInteger(), nullable=True),
    sa.Column('value', sa.BigInteger(), nullable=True),
    sa.CheckConstraint('demand > 0 AND done >= 0', name=op.f('ck_wms_move_quantities')),
    sa.ForeignKeyConstraint(['company_id'], ['core_company.id'], name=op.f('fk_wms_move_company_id_core_company')),
    sa.ForeignKeyConstraint(['operation_id'], ['wms_operation.id'], name=op.f('fk_wms_move_operation_id_wms_operation')),
    sa.ForeignKeyConstraint(['product_id'], ['core_product.id'], name=op.f('fk_wms_move_product_id_core_product')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_wms_move'))
    )
    op.create_index(op.f('ix_wms_move_company_id'), 'wms_move', ['company_id'], unique=False)
    op.create_index(op.f('ix_wms_move_operation_id'), 'wms_move', ['operation_id'], unique=False)
    op.create_index(op.f('ix_wms_move_product_id'), 'wms_move', ['product_id'], unique=False)
    op.create_table('wms_package',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('operation_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=40), nullable=False),
    sa.Column('weight_grams', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['core_company.id'], name=op.f('fk_wms_package_company_id_core_company')),
    sa.ForeignKeyConstraint(['operation_id'], ['wms_operation.id'], name=op.f('fk_wms_package_operation_id_wms_operation')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_wms_package')),
    sa.UniqueConstraint('company_id', 'number', name=op.f('uq_wms_package_company_id_number'))
    )
    op.create_index(op.f('ix_wms_package_company_id'), 'wms_package', ['company_id'], unique=False)
    op.create_index(op.f('ix_wms_package_operation_id'), 'wms_package', ['operation_id'], unique=False)
    op.create_table('wms_layer',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('move_id', sa.Integer(), nullable=True),
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('quantity', sa.BigInteger(), nullable=False),
    sa.Column('value', sa.BigInteger(), nullable=False),
    sa.Column('remaining_quantity', sa.BigInteger(), nullable=False),
    sa.Column('remaining_value', sa.BigInteger(), nullable=False),
    sa.CheckConstraint('remaining_quantity >= 0 AND remaining_quantity <= quantity', name=op.f('ck_wms_layer_remaining')),
    sa.ForeignKeyConstraint(['company_id'], ['core_company.id'], name=op.f('fk_wms_layer_company_id_core_company')),
    sa.ForeignKeyConstraint(['move_id'], ['wms_move.id'], name=op.f('fk_wms_layer_move_id_wms_move')),
    sa.ForeignKeyConstraint(['product_id'], ['core_product.id'], name=op.f('fk_wms_layer_product_id_core_product')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_wms_layer'))
    )
    op.create_index(op.f('ix_wms_layer_company_id'), 'wms_layer', ['company_id'], unique=False)
    op.create_index('ix_wms_layer_open', 'wms_layer', ['product_id', 'remaining_quantity', 'id'], unique=False)
    op.create_table('wms_move_line',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('move_id', sa.Integer(), nullable=False),
    sa.Column('source_id', sa.Integer(), nullable=False),
    sa.Column('destination_id', sa.Integer(), nullable=False),
    sa.Column('lot_id', sa.Integer(), nullable=True),
    sa.Column('reserved', sa.BigInteger(), nullable=False),
    sa.Column('picked', sa.BigInteger(), nullable=False),
    sa.Column('done', sa.BigInteger(), nullable=False),
    sa.Column('package_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('reserved >= 0 AND picked >= 0 AND done >= 0', name=op.f('ck_wms_move_line_quantities')),
    sa.ForeignKeyConstraint(['company_id'], ['core_company.id'], name=op.f('fk_wms_move_line_company_id_core_company')),
    sa.ForeignKeyConstraint(['destination_id'], ['wms_location.id'], name=op.f('fk_wms_move_line_destination_id_wms_location')),
    sa.ForeignKeyConstraint(['lot_id'], ['wms_lot.id'], name=op.f('fk_wms_move_line_lot_id_wms_lot')),
    sa.ForeignKeyConstraint(['move_id'], ['wms_move.id'], name=op.f('fk_wms_move_line_move_id_wms_move')),
    sa.ForeignKeyConstraint(['package_id'], ['wms_package.id'], name=op.f('fk_wms_move_line_package_id_wms_package')),
    sa.ForeignKeyConstraint(['source_id'], ['wms_location.id'], name=op.f('fk_wms_move_line_source_id_wms_location')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_wms_move_line'))
    )
    op.create_index(op.f('ix_wms_move_line_company_id'), 'wms_move_line', ['company_id'], unique=False)
    op.create_index(op.f('ix_wms_move_line_move_id'), 'wms_move_line', ['move_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_wms_move_line_move_id'), table_name='wms_move_line')
    op.drop_index(op.f('ix_wms_move_line_company_id'), table_name='wms_move_line')
    op.drop_table('wms_move_line')
    op.drop_index('ix_wms_layer_open', table_name='wms_layer')
    op.drop_index(op.f('ix_wms_layer_company_id'), table_name='wms_layer')
    op.drop_table('wms_layer')
    op.drop_index(op.f('ix_wms_package_operation_id'), table_name='wms_package')
    op.drop_index(op.f('ix_wms_package_company_id'), table_name='wms_package')
    op.drop_table('wms_package')
    op.drop_index(op.f('ix_wms_move_product_id'), table_name='wms_move')
    op.drop_index(op.f('ix_wms_move_operation_id'), table_name='wms_move')
    op.drop_index(op.f('ix_wms_move_company_id'), table_name='wms_move')
    op.drop_table('wms_move')
    op.drop_index(op.f('ix_wms_operation_wave_id'), table_name='wms_operation')
    op.drop_index(op.f('ix_wms_operation_origin'), table_name='wms_operation')
    op.drop_index(op.f('ix_wms_operation_company_id'), table_name='wms_operation')
    op.drop_table('wms_operation')
    op.drop_index(op.f('ix_wms_wave_company_id'), table_name='wms_wave')
    op.drop_table('wms_wave')
    op.drop_index('uq_wms_stock_place', table_name='wms_stock')
    op.drop_index('uq_wms_stock_place_lot', table_name='wms_stock')
    op.drop_index(op.f('ix_wms_stock_product_id'), table_name='wms_stock')
    op.drop_index(op.f('ix_wms_stock_company_id'), table_name='wms_stock')
    op.drop_table('wms_stock')
    op.drop_index(op.f('ix_wms_reorder_rule_company_id'), table_name='wms_reorder_rule')
    op.drop_table('wms_reorder_rule')
    op.drop_index(op.f('ix_wms_putaway_company_id'), table_name='wms_putaway')
    op.drop_table('wms_putaway')
    op.drop_index(op.f('ix_wms_proposal_company_id'), table_name='wms_proposal')
    op.drop_table('wms_proposal')
    op.drop_index(op.f('ix_wms_count_line_count_id'), table_name='wms_count_line')
    op.drop_index(op.f('ix_wms_count_line_company_id'), table_name='wms_count_line')
    op.drop_table('wms_count_line')
    op.drop_index(op.f('ix_wms_warehouse_company_id'), table_name='wms_warehouse')
    if op.get_bind().dialect.name != "sqlite":
        op.drop_constraint(op.f('fk_wms_location_warehouse_id_wms_warehouse'), 'wms_location', type_='foreignkey')
    op.drop_table('wms_warehouse')
    op.drop_table('wms_settings')
    op.drop_index(op.f('ix_wms_product_company_id'), table_name='wms_product')
    op.drop_table('wms_product')
    op.drop_index(op.f('ix_wms_lot_company_id'), table_name='wms_lot')
    op.drop_table('wms_lot')
    op.drop_index(op.f('ix_wms_count_company_id'), table_name='wms_count')
    op.drop_table('wms_count')
    op.drop_index(op.f('ix_wms_cost_company_id'), table_name='wms_cost')
    op.drop_table('wms_cost')
    op.drop_index(op.f('ix_wms_location_warehouse_id'), table_name='wms_location')
    op.drop_index(op.f('ix_wms_location_company_id'), table_name='wms_location')
    op.drop_table('wms_location')
    op.drop_table('wms_counter')
