"""procurement: settings, the supplier catalogue, requisitions and their lines,
requests for quotation with one quote per supplier and its lines, purchase
orders and their lines, the receipt and return history, supplier bills and
their lines with the three-way match's result.

Revision ID: procurement_0001
Revises:
Create Date: 2026-12-02
"""
import sqlalchemy as sa
from alembic import op

revision = "procurement_0001"
down_revision = None
branch_labels = ("procurement",)
depends_on = "core_0003"


def upgrade() -> None:
    op.create_table('procurement_requisition',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=20), nullable=False),
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('state', sa.Enum('draft', 'open', 'ordered', 'cancelled', name='requisitionstate', native_enum=False, length=20), nullable=False),
    sa.Column('source', sa.Enum('manual', 'replenishment', name='requisitionsource', native_enum=False, length=20), nullable=False),
    sa.Column('proposal_id', sa.Integer(), nullable=True),
    sa.Column('origin', sa.String(length=200), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('requested_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['core_company.id'], name=op.f('fk_procurement_requisition_company_id_core_company')),
    sa.ForeignKeyConstraint(['requested_by_id'], ['core_user.id'], name=op.f('fk_procurement_requisition_requested_by_id_core_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_procurement_requisition')),
    sa.UniqueConstraint('company_id', 'number', name=op.f('uq_procurement_requisition_company_id_number'))
    )
    op.create_index(op.f('ix_procurement_requisition_company_id'), 'procurement_requisition', ['company_id'], unique=False)
    op.create_index(op.f('ix_procurement_requisition_date'), 'procurement_requisition', ['date'], unique=False)
    op.create_index(op.f('ix_procurement_requisition_origin'), 'procurement_requisition', ['origin'], unique=False)
    op.create_table('procurement_settings',
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('approval_threshold_units', sa.BigInteger(), nullable=True),
    sa.Column('quantity_tolerance_bp', sa.Integer(), nullable=False),
    sa.Column('price_tolerance_bp', sa.Integer(), nullable=False),
    sa.Column('warehouse', sa.String(length=40), nullable=True),
    sa.Column('quote_days', sa.Integer(), nullable=False),
    sa.CheckConstraint('approval_threshold_units IS NULL OR approval_threshold_units >= 0', name=op.f('ck_procurement_settings_threshold')),
    sa.CheckConstraint('price_tolerance_bp BETWEEN 0 AND 10000', name=op.f('ck_procurement_settings_price_tolerance')),
    sa.CheckConstraint('quantity_tolerance_bp BETWEEN 0 AND 10000', name=op.f('ck_procurement_settings_quantity_tolerance')),
    sa.CheckConstraint('quote_days > 0', name=op.f('ck_procurement_settings_quote_days')),
    sa.ForeignKeyConstraint(['company_id'], ['core_company.id'], name=op.f('fk_procurement_settings_company_id_core_company')),
    sa.PrimaryKeyConstraint('company_id', name=op.f('pk_procurement_settings'))
    )
    op.create_table('procurement_rfq',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=20), nullable=False),
    sa.Column('requisition_id', sa.Integer(), nullable=False),
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('respond_by', sa.Date(), nullable=True),
    sa.Column('state', sa.Enum('open', 'chosen', 'cancelled', name='rfqstate', native_enum=False, length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['core_company.id'], name=op.f('fk_procurement_rfq_company_id_core_company')),
    sa.ForeignKeyConstraint(['requisition_id'], ['procurement_requisition.id'], name=op.f('fk_procurement_rfq_requisition_id_procurement_requisition')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_procurement_rfq')),
    sa.UniqueConstraint('company_id', 'number', name=op.f('uq_procurement_rfq_company_id_number'))
    )
    op.create_index(op.f('ix_procurement_rfq_company_id'), 'procurement_rfq', ['company_id'], unique=False)
    op.create_index(op.f('ix_procurement_rfq_date'), 'procurement_rfq', ['date'], unique=False)
    op.create_index(op.f('ix_procurement_rfq_requisition_id'), 'procurement_rfq', ['requisition_id'], unique=False)
    op.create_table('procurement_quote',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('rfq_id', sa.Integer(), nullable=False),
    sa.Column('party_id', sa.Integer(), nullable=False),
    sa.Column('state', sa.Enum('requested', 'received', 'chosen', 'lost', name='quotestate', native_enum=False, length=20), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('lead_time_days', sa.Integer(), nullable=True),
    sa.Column('valid_until', sa.Date(), nullable=True),
    sa.Column('received_on', sa.Date(), nullable=True),
    sa.Column('total_units', sa.BigInteger(), nullable=True),
    sa.Column('reference', sa.String(length=60), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('lead_time_days IS NULL OR lead_time_days >= 0', name=op.f('ck_procurement_quote_lead_time')),
    sa.ForeignKeyConstraint(['company_id'], ['core_company.id'], name=op.f('fk_procurement_quote_company_id_core_company')),
    sa.ForeignKeyConstraint(['party_id'], ['core_party.id'], name=op.f('fk_procurement_quote_party_id_core_party')),
    sa.ForeignKeyConstraint(['rfq_id'], ['procurement_rfq.id'], name=op.f('fk_procurement_quote_rfq_id_procurement_rfq')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_procurement_quote')),
    sa.UniqueConstraint('rfq_id', 'party_id', name=op.f('uq_procurement_quote_rfq_id_party_id'))
    )
    op.create_index(op.f('ix_procurement_quote_company_id'), 'procurement_quote', ['company_id'], unique=False)
    op.create_index(op.f('ix_procurement_quote_party_id'), 'procurement_quote', ['party_id'], unique=False)
    op.create_index(op.f('ix_procurement_quote_rfq_id'), 'procurement_quote', ['rfq_id'], unique=False)
    op.create_table('procurement_requisition_line',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('requisition_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('quantity_units', sa.BigInteger(), nullable=False),
    sa.Column('needed_by', sa.Date(), nullable=True),
    sa.Column('warehouse', sa.String(length=40), nullable=True),
    sa.CheckConstraint('quantity_units > 0', name=op.f('ck_procurement_requisition_line_quantity')),
    sa.ForeignKeyConstraint(['company_id'], ['core_company.id'], name=op.f('fk_procurement_requisition_line_company_id_core_company')),
    sa.ForeignKeyConstraint(['product_id'], ['core_product.id'], name=op.f('fk_procurement_requisition_line_product_id_core_product')),
    sa.ForeignKeyConstraint(['requisition_id'], ['procurement_requisition.id'], name=op.f('fk_procurement_requisition_line_requisition_id_procurement_requisition')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_procurement_requisition_line'))
    )
    op.create_index(op.f('ix_procurement_requisition_line_company_id'), 'procurement_requisition_line', ['company_id'], unique=False)
    op.create_index(op.f('ix_procurement_requisition_line_product_id'), 'procurement_requisition_line', ['product_id'], unique=False)
    op.create_index(op.f('ix_procurement_requisition_line_requisition_id'), 'procurement_requisition_line', ['requisition_id'], unique=False)
    op.create_table('procurement_supplier_product',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('party_id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('supplier_sku', sa.String(length=60), nullable=True),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('price_units', sa.BigInteger(), nullable=False),
    sa.Column('lead_time_days', sa.Integer(), nullable=False),
    sa.Column('min_quantity_units', sa.BigInteger(), nullable=False),
    sa.Column('preferred', sa.Boolean(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('lead_time_days >= 0', name=op.f('ck_procurement_supplier_product_lead_time')),
    sa.CheckConstraint('min_quantity_units >= 0', name=op.f('ck_procurement_supplier_product_min_quantity')),
    sa.CheckConstraint('price_units >= 0', name=op.f('ck_procurement_supplier_product_price')),
    sa.ForeignKeyConstraint(['company_id'], ['core_company.id'], name=op.f('fk_procurement_supplier_product_company_id_core_company')),
    sa.ForeignKeyConstraint(['party_id'], ['core_party.id'], name=op.f('fk_procurement_supplier_product_party_id_core_party')),
    sa.ForeignKeyConstraint(['product_id'], ['core_product.id'], name=op.f('fk_procurement_supplier_product_product_id_core_product')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_procurement_supplier_product')),
    sa.UniqueConstraint('company_id', 'party_id', 'product_id', name=op.f('uq_procurement_supplier_product_company_id_party_id_product_id'))
    )
    op.create_index(op.f('ix_procurement_supplier_product_company_id'), 'procurement_supplier_product', ['company_id'], unique=False)
    op.create_index(op.f('ix_procurement_supplier_product_party_id'), 'procurement_supplier_product', ['party_id'], unique=False)
    op.create_index(op.f('ix_procurement_supplier_product_product_id'), 'procurement_supplier_product', ['product_id'], unique=False)
    op.create_table('procurement_order',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=20), nullable=False),
    sa.Column('party_id', sa.Integer(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('state', sa.Enum('draft', 'to_approve', 'confirmed', 'done', 'cancelled', name='orderstate', native_enum=False, length=20), nullable=False),
    sa.Column('receipt_state', sa.Enum('nothing', 'partial', 'full', name='progress', native_enum=False, length=20), nullable=False),
    sa.Column('bill_state', sa.Enum('nothing', 'partial', 'full', name='progress', native_enum=False, length=20), nullable=False),
    sa.Column('payment_state', sa.Enum('not_paid', 'partial', 'paid', name='paymentstate', native_enum=False, length=20), nullable=False),
    sa.Column('untaxed_units', sa.BigInteger(), nullable=False),
    sa.Column('warehouse', sa.String(length=40), nullable=True),
    sa.Column('requisition_id', sa.Integer(), nullable=True),
    sa.Column('quote_id', sa.Integer(), nullable=True),
    sa.Column('reference', sa.String(length=60), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('approved_by_id', sa.Integer(), nullable=True),
    sa.Column('approved_at', sa.DateTime(), nullable=True),
    sa.Column('confirmed_on', sa.Date(), nullable=True),
    sa.Column('paid_on', sa.Date(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('untaxed_units >= 0', name=op.f('ck_procurement_order_untaxed')),
    sa.ForeignKeyConstraint(['approved_by_id'], ['core_user.id'], name=op.f('fk_procurement_order_approved_by_id_core_user')),
    sa.ForeignKeyConstraint(['company_id'], ['core_company.id'], name=op.f('fk_procurement_order_company_id_core_company')),
    sa.ForeignKeyConstraint(['created_by_id'], ['core_user.id'], name=op.f('fk_procurement_order_created_by_id_core_user')),
    sa.ForeignKeyConstraint(['party_id'], ['core_party.id'], name=op.f('fk_procurement_order_party_id_core_party')),
    sa.ForeignKeyConstraint(['quote_id'], ['procurement_quote.id'], name=op.f('fk_procurement_order_quote_id_procurement_quote')),
    sa.ForeignKeyConstraint(['requisition_id'], ['procurement_requisition.id'], name=op.f('fk_procurement_order_requisition_id_procurement_requisition')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_procurement_order')),
    sa.UniqueConstraint('company_id', 'number', name=op.f('uq_procurement_order_company_id_number'))
    )
    op.create_index(op.f('ix_procurement_order_company_id'), 'procurement_order', ['company_id'], unique=False)
    op.create_index(op.f('ix_procurement_order_confirmed_on'), 'procurement_order', ['confirmed_on'], unique=False)
    op.create_index(op.f('ix_procurement_order_date'), 'procurement_order', ['date'], unique=False)
    op.create_index(op.f('ix_procurement_order_party_id'), 'procurement_order', ['party_id'], unique=False)
    op.create_table('procurement_quote_line',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('quote_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('requisition_line_id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('quantity_units', sa.BigInteger(), nullable=False),
    sa.Column('price_units', sa.BigInteger(), nullable=True),
    sa.CheckConstraint('price_units IS NULL OR price_units >= 0', name=op.f('ck_procurement_quote_line_price')),
    sa.CheckConstraint('quantity_units > 0', name=op.f('ck_procurement_quote_line_quantity')),
    sa.ForeignKeyConstraint(['company_id'], ['core_company.id'], name=op.f('fk_procurement_quote_line_company_id_core_company')),
    sa.ForeignKeyConstraint(['product_id'], ['core_product.id'], name=op.f('fk_procurement_quote_line_product_id_core_product')),
    sa.ForeignKeyConstraint(['quote_id'], ['procurement_quote.id'], name=op.f('fk_procurement_quote_line_quote_id_procurement_quote')),
    sa.ForeignKeyConstraint(['requisition_line_id'], ['procurement_requisition_line.id'], name=op.f('fk_procurement_quote_line_requisition_line_id_procurement_requisition_line')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_procurement_quote_line'))
    )
    op.create_index(op.f('ix_procurement_quote_line_company_id'), 'procurement_quote_line', ['company_id'], unique=False)
    op.create_index(op.f('ix_procurement_quote_line_quote_id'), 'procurement_quote_line', ['quote_id'], unique=False)
    op.create_table('procurement_bill',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=20), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('party_id', sa.Integer(), nullable=False),
    sa.Column('reference', sa.String(length=60), nullable=False),
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('untaxed_units', sa.BigInteger(), nullable=False),
    sa.Column('state', sa.Enum('held', 'posted', 'cancelled', name='billstate', native_enum=False, length=20), nullable=False),
    sa.Column('matched', sa.Boolean(), nullable=False),
    sa.Column('held_reason', sa.Text(), nullable=True),
    sa.Column('released_by_id', sa.Integer(), nullable=True),
    sa.Column('released_at', sa.DateTime(), nullable=True),
    sa.Column('release_note', sa.Text(), nullable=True),
    sa.Column('document_id', sa.Integer(), nullable=True),
    sa.Column('document_number', sa.String(length=40), nullable=True),
    sa.Column('posted_on', sa.Date(), nullable=True),
    sa.Column('paid', sa.Boolean(), nullable=False),
    sa.Column('paid_on', sa.Date(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['core_company.id'], name=op.f('fk_procurement_bill_company_id_core_company')),
    sa.ForeignKeyConstraint(['created_by_id'], ['core_user.id'], name=op.f('fk_procurement_bill_created_by_id_core_user')),
    sa.ForeignKeyConstraint(['order_id'], ['procurement_order.id'], name=op.f('fk_procurement_bill_order_id_procurement_order')),
    sa.ForeignKeyConstraint(['party_id'], ['core_party.id'], name=op.f('fk_procurement_bill_party_id_core_party')),
    sa.ForeignKeyConstraint(['released_by_id'], ['core_user.id'], name=op.f('fk_procurement_bill_released_by_id_core_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_procurement_bill')),
    sa.UniqueConstraint('company_id', 'number', name=op.f('uq_procurement_bill_company_id_number')),
    sa.UniqueConstraint('company_id', 'party_id', 'reference', name=op.f('uq_procurement_bill_company_id_party_id_reference'))
    )
    op.create_index(op.f('ix_procurement_bill_company_id'), 'procurement_bill', ['company_id'], unique=False)
    op.create_index(op.f('ix_procurement_bill_date'), 'procurement_bill', ['date'], unique=False)
    op.create_index(op.f('ix_procurement_bill_order_id'), 'procurement_bill', ['order_id'], unique=False)
    op.create_index(op.f('ix_procurement_bill_party_id'), 'procurement_bill', ['party_id'], unique=False)
    op.create_table('procurement_order_line',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('description', sa.String(length=200), nullable=False),
    sa.Column('quantity_units', sa.BigInteger(), nullable=False),
    sa.Column('price_units', sa.BigInteger(), nullable=False),
    sa.Column('catalogue_price_units', sa.BigInteger(), nullable=True),
    sa.Column('net_units', sa.BigInteger(), nullable=False),
    sa.Column('expected_date', sa.Date(), nullable=False),
    sa.Column('received_units', sa.BigInteger(), nullable=False),
    sa.Column('returned_units', sa.BigInteger(), nullable=False),
    sa.Column('billed_units', sa.BigInteger(), nullable=False),
    sa.Column('credited_units', sa.BigInteger(), nullable=False),
    sa.Column('requisition_line_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('price_units >= 0', name=op.f('ck_procurement_order_line_price')),
    sa.CheckConstraint('quantity_units > 0', name=op.f('ck_procurement_order_line_quantity')),
    sa.CheckConstraint('received_units >= 0 AND returned_units >= 0 AND billed_units >= 0 AND credited_units >= 0', name=op.f('ck_procurement_order_line_progress')),
    sa.ForeignKeyConstraint(['company_id'], ['core_company.id'], name=op.f('fk_procurement_order_line_company_id_core_company')),
    sa.ForeignKeyConstraint(['order_id'], ['procurement_order.id'], name=op.f('fk_procurement_order_line_order_id_procurement_order')),
    sa.ForeignKeyConstraint(['product_id'], ['core_product.id'], name=op.f('fk_procurement_order_line_product_id_core_product')),
    sa.ForeignKeyConstraint(['requisition_line_id'], ['procurement_requisition_line.id'], name=op.f('fk_procurement_order_line_requisition_line_id_procurement_requisition_line')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_procurement_order_line'))
    )
    op.create_index(op.f('ix_procurement_order_line_company_id'), 'procurement_order_line', ['company_id'], unique=False)
    op.create_index(op.f('ix_procurement_order_line_order_id'), 'procurement_order_line', ['order_id'], unique=False)
    op.create_index(op.f('ix_procurement_order_line_product_id'), 'procurement_order_line', ['product_id'], unique=False)
    op.create_table('procurement_bill_line',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('bill_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('order_line_id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('quantity_units', sa.BigInteger(), nullable=False),
    sa.Column('price_units', sa.BigInteger(), nullable=False),
    sa.Column('order_price_units', sa.BigInteger(), nullable=False),
    sa.Column('net_units', sa.BigInteger(), nullable=False),
    sa.Column('problem', sa.Text(), nullable=True),
    sa.CheckConstraint('price_units >= 0', name=op.f('ck_procurement_bill_line_price')),
    sa.CheckConstraint('quantity_units > 0', name=op.f('ck_procurement_bill_line_quantity')),
    sa.ForeignKeyConstraint(['bill_id'], ['procurement_bill.id'], name=op.f('fk_procurement_bill_line_bill_id_procurement_bill')),
    sa.ForeignKeyConstraint(['company_id'], ['core_company.id'], name=op.f('fk_procurement_bill_line_company_id_core_company')),
    sa.ForeignKeyConstraint(['order_line_id'], ['procurement_order_line.id'], name=op.f('fk_procurement_bill_line_order_line_id_procurement_order_line')),
    sa.ForeignKeyConstraint(['product_id'], ['core_product.id'], name=op.f('fk_procurement_bill_line_product_id_core_product')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_procurement_bill_line'))
    )
    op.create_index(op.f('ix_procurement_bill_line_bill_id'), 'procurement_bill_line', ['bill_id'], unique=False)
    op.create_index(op.f('ix_procurement_bill_line_company_id'), 'procurement_bill_line', ['company_id'], unique=False)
    op.create_index(op.f('ix_procurement_bill_line_order_line_id'), 'procurement_bill_line', ['order_line_id'], unique=False)
    op.create_index(op.f('ix_procurement_bill_line_product_id'), 'procurement_bill_line', ['product_id'], unique=False)
    op.create_table('procurement_receipt',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('order_line_id', sa.Integer(), nullable=False),
    sa.Column('party_id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('source', sa.Enum('wms', 'manual', name='receiptsource', native_enum=False, length=20), nullable=False),
    sa.Column('reference', sa.String(length=60), nullable=True),
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('expected_date', sa.Date(), nullable=False),
    sa.Column('ordered_on', sa.Date(), nullable=False),
    sa.Column('ordered_units', sa.BigInteger(), nullable=False),
    sa.Column('quantity_units', sa.BigInteger(), nullable=False),
    sa.Column('received_total_units', sa.BigInteger(), nullable=False),
    sa.Column('on_time', sa.Boolean(), nullable=False),
    sa.Column('in_full', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('quantity_units > 0', name=op.f('ck_procurement_receipt_quantity')),
    sa.ForeignKeyConstraint(['company_id'], ['core_company.id'], name=op.f('fk_procurement_receipt_company_id_core_company')),
    sa.ForeignKeyConstraint(['order_id'], ['procurement_order.id'], name=op.f('fk_procurement_receipt_order_id_procurement_order')),
    sa.ForeignKeyConstraint(['order_line_id'], ['procurement_order_line.id'], name=op.f('fk_procurement_receipt_order_line_id_procurement_order_line')),
    sa.ForeignKeyConstraint(['party_id'], ['core_party.id'], name=op.f('fk_procurement_receipt_party_id_core_party')),
    sa.ForeignKeyConstraint(['product_id'], ['core_product.id'], name=op.f('fk_procurement_receipt_product_id_core_product')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_procurement_receipt'))
    )
    op.create_index(op.f('ix_procurement_receipt_company_id'), 'procurement_receipt', ['company_id'], unique=False)
    op.create_index(op.f('ix_procurement_receipt_date'), 'procurement_receipt', ['date'], unique=False)
    op.create_index(op.f('ix_procurement_receipt_order_id'), 'procurement_receipt', ['order_id'], unique=False)
    op.create_index(op.f('ix_procurement_receipt_order_line_id'), 'procurement_receipt', ['order_line_id'], unique=False)
    op.create_index(op.f('ix_procurement_receipt_party_id'), 'procurement_receipt', ['party_id'], unique=False)
    op.create_index(op.f('ix_procurement_receipt_product_id'), 'procurement_receipt', ['product_id'], unique=False)
    op.create_table('procurement_return',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=20), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('order_line_id', sa.Integer(), nullable=False),
    sa.Column('party_id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('quantity_units', sa.BigInteger(), nullable=False),
    sa.Column('reason', sa.String(length=200), nullable=False),
    sa.Column('operation', sa.String(length=60), nullable=True),
    sa.Column('credited_units', sa.BigInteger(), nullable=False),
    sa.Column('credit_note', sa.String(length=40), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('quantity_units > 0', name=op.f('ck_procurement_return_quantity')),
    sa.ForeignKeyConstraint(['company_id'], ['core_company.id'], name=op.f('fk_procurement_return_company_id_core_company')),
    sa.ForeignKeyConstraint(['order_id'], ['procurement_order.id'], name=op.f('fk_procurement_return_order_id_procurement_order')),
    sa.ForeignKeyConstraint(['order_line_id'], ['procurement_order_line.id'], name=op.f('fk_procurement_return_order_line_id_procurement_order_line')),
    sa.ForeignKeyConstraint(['party_id'], ['core_party.id'], name=op.f('fk_procurement_return_party_id_core_party')),
    sa.ForeignKeyConstraint(['product_id'], ['core_product.id'], name=op.f('fk_procurement_return_product_id_core_product')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_procurement_return')),
    sa.UniqueConstraint('company_id', 'number', name=op.f('uq_procurement_return_company_id_number'))
    )
    op.create_index(op.f('ix_procurement_return_company_id'), 'procurement_return', ['company_id'], unique=False)
    op.create_index(op.f('ix_procurement_return_date'), 'procurement_return', ['date'], unique=False)
    op.create_index(op.f('ix_procurement_return_order_id'), 'procurement_return', ['order_id'], unique=False)
    op.create_index(op.f('ix_procurement_return_order_line_id'), 'procurement_return', ['order_line_id'], unique=False)
    op.create_index(op.f('ix_procurement_return_party_id'), 'procurement_return', ['party_id'], unique=False)
    op.create_index(op.f('ix_procurement_return_product_id'), 'procurement_return', ['product_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_procurement_return_product_id'), table_name='procurement_return')
    op.drop_index(op.f('ix_procurement_return_party_id'), table_name='procurement_return')
    op.drop_index(op.f('ix_procurement_return_order_line_id'), table_name='procurement_return')
    op.drop_index(op.f('ix_procurement_return_order_id'), table_name='procurement_return')
    op.drop_index(op.f('ix_procurement_return_date'), table_name='procurement_return')
    op.drop_index(op.f('ix_procurement_return_company_id'), table_name='procurement_return')
    op.drop_table('procurement_return')
    op.drop_index(op.f('ix_procurement_receipt_product_id'), table_name='procurement_receipt')
    op.drop_index(op.f('ix_procurement_receipt_party_id'), table_name='procurement_receipt')
    op.drop_index(op.f('ix_procurement_receipt_order_line_id'), table_name='procurement_receipt')
    op.drop_index(op.f('ix_procurement_receipt_order_id'), table_name='procurement_receipt')
    op.drop_index(op.f('ix_procurement_receipt_date'), table_name='procurement_receipt')
    op.drop_index(op.f('ix_procurement_receipt_company_id'), table_name='procurement_receipt')
    op.drop_table('procurement_receipt')
    op.drop_index(op.f('ix_procurement_bill_line_product_id'), table_name='procurement_bill_line')
    op.drop_index(op.f('ix_procurement_bill_line_order_line_id'), table_name='procurement_bill_line')
    op.drop_index(op.f('ix_procurement_bill_line_company_id'), table_name='procurement_bill_line')
    op.drop_index(op.f('ix_procurement_bill_line_bill_id'), table_name='procurement_bill_line')
    op.drop_table('procurement_bill_line')
    op.drop_index(op.f('ix_procurement_order_line_product_id'), table_name='procurement_order_line')
    op.drop_index(op.f('ix_procurement_order_line_order_id'), table_name='procurement_order_line')
    op.drop_index(op.f('ix_procurement_order_line_company_id'), table_name='procurement_order_line')
    op.drop_table('procurement_order_line')
    op.drop_index(op.f('ix_procurement_bill_party_id'), table_name='procurement_bill')
    op.drop_index(op.f('ix_procurement_bill_order_id'), table_name='procurement_bill')
    op.drop_index(op.f('ix_procurement_bill_date'), table_name='procurement_bill')
    op.drop_index(op.f('ix_procurement_bill_company_id'), table_name='procurement_bill')
    op.drop_table('procurement_bill')
    op.drop_index(op.f('ix_procurement_quote_line_quote_id'), table_name='procurement_quote_line')
    op.drop_index(op.f('ix_procurement_quote_line_company_id'), table_name='procurement_quote_line')
    op.drop_table('procurement_quote_line')
    op.drop_index(op.f('ix_procurement_order_party_id'), table_name='procurement_order')
    op.drop_index(op.f('ix_procurement_order_date'), table_name='procurement_order')
    op.drop_index(op.f('ix_procurement_order_confirmed_on'), table_name='procurement_order')
    op.drop_index(op.f('ix_procurement_order_company_id'), table_name='procurement_order')
    op.drop_table('procurement_order')
    op.drop_index(op.f('ix_procurement_supplier_product_product_id'), table_name='procurement_supplier_product')
    op.drop_index(op.f('ix_procurement_supplier_product_party_id'), table_name='procurement_supplier_product')
    op.drop_index(op.f('ix_procurement_supplier_product_company_id'), table_name='procurement_supplier_product')
    op.drop_table('procurement_supplier_product')
    op.drop_index(op.f('ix_procurement_requisition_line_requisition_id'), table_name='procurement_requisition_line')
    op.drop_index(op.f('ix_procurement_requisition_line_product_id'), table_name='procurement_requisition_line')
    op.drop_index(op.f('ix_procurement_requisition_line_company_id'), table_name='procurement_requisition_line')
    op.drop_table('procurement_requisition_line')
    op.drop_index(op.f('ix_procurement_quote_rfq_id'), table_name='procurement_quote')
    op.drop_index(op.f('ix_procurement_quote_party_id'), table_name='procurement_quote')
    op.drop_index(op.f('ix_procurement_quote_company_id'), table_name='procurement_quote')
    op.drop_table('procurement_quote')
    op.drop_index(op.f('ix_procurement_rfq_requisition_id'), table_name='procurement_rfq')
    op.drop_index(op.f('ix_procurement_rfq_date'), table_name='procurement_rfq')
    op.drop_index(op.f('ix_procurement_rfq_company_id'), table_name='procurement_rfq')
    op.drop_table('procurement_rfq')
    op.drop_table('procurement_settings')
    op.drop_index(op.f('ix_procurement_requisition_origin'), table_name='procurement_requisition')
    op.drop_index(op.f('ix_procurement_requisition_date'), table_name='procurement_requisition')
    op.drop_index(op.f('ix_procurement_requisition_company_id'), table_name='procurement_requisition')
    op.drop_table('procurement_requisition')
