"""sales: pipeline stages, lost reasons, leads, opportunities, activities,
scoring rules and models (the CRM); settings, customers' terms, price lists,
quotations and orders with their lines, contracts with their billing, and
targets (orders).

Revision ID: sales_0001
Revises:
Create Date: 2026-12-02
"""
import sqlalchemy as sa
from alembic import op

revision = "sales_0001"
down_revision = None
branch_labels = ("sales",)
depends_on = "core_0003"


def upgrade() -> None:
    op.create_table('sales_lost_reason',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['core_company.id'], name=op.f('fk_sales_lost_reason_company_id_core_company')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sales_lost_reason'))
    )
    op.create_index(op.f('ix_sales_lost_reason_company_id'), 'sales_lost_reason', ['company_id'], unique=False)
    op.create_table('sales_price_list',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['core_company.id'], name=op.f('fk_sales_price_list_company_id_core_company')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sales_price_list')),
    sa.UniqueConstraint('company_id', 'code', name=op.f('uq_sales_price_list_company_id_code'))
    )
    op.create_index(op.f('ix_sales_price_list_company_id'), 'sales_price_list', ['company_id'], unique=False)
    op.create_table('sales_scoring_model',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('trained_at', sa.DateTime(), nullable=False),
    sa.Column('samples', sa.Integer(), nullable=False),
    sa.Column('won', sa.Integer(), nullable=False),
    sa.Column('intercept', sa.String(length=40), nullable=False),
    sa.Column('weights', sa.JSON(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['core_company.id'], name=op.f('fk_sales_scoring_model_company_id_core_company')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sales_scoring_model'))
    )
    op.create_index(op.f('ix_sales_scoring_model_company_id'), 'sales_scoring_model', ['company_id'], unique=False)
    op.create_table('sales_scoring_rule',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('field', sa.String(length=40), nullable=False),
    sa.Column('operator', sa.Enum('equals', 'contains', 'at_least', 'at_most', 'present', name='ruleoperator', native_enum=False, length=20), nullable=False),
    sa.Column('value', sa.String(length=200), nullable=True),
    sa.Column('points', sa.Integer(), nullable=False),
    sa.Column('label', sa.String(length=200), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['core_company.id'], name=op.f('fk_sales_scoring_rule_company_id_core_company')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sales_scoring_rule'))
    )
    op.create_index(op.f('ix_sales_scoring_rule_company_id'), 'sales_scoring_rule', ['company_id'], unique=False)
    op.create_table('sales_stage',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('probability', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.CheckConstraint('probability BETWEEN 0 AND 100', name=op.f('ck_sales_stage_probability')),
    sa.ForeignKeyConstraint(['company_id'], ['core_company.id'], name=op.f('fk_sales_stage_company_id_core_company')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sales_stage'))
    )
    op.create_index(op.f('ix_sales_stage_company_id'), 'sales_stage', ['company_id'], unique=False)
    op.create_table('sales_target',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('amount_units', sa.BigInteger(), nullable=False),
    sa.CheckConstraint('amount_units >= 0', name=op.f('ck_sales_target_amount')),
    sa.ForeignKeyConstraint(['company_id'], ['core_company.id'], name=op.f('fk_sales_target_company_id_core_company')),
    sa.ForeignKeyConstraint(['user_id'], ['core_user.id'], name=op.f('fk_sales_target_user_id_core_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sales_target')),
    sa.UniqueConstraint('company_id', 'user_id', 'month', name=op.f('uq_sales_target_company_id_user_id_month'))
    )
    op.create_index(op.f('ix_sales_target_company_id'), 'sales_target', ['company_id'], unique=False)
    op.create_table('sales_contract',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=20), nullable=False),
    sa.Column('party_id', sa.Integer(), nullable=False),
    sa.Column('salesperson_id', sa.Integer(), nullable=True),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('start', sa.Date(), nullable=False),
    sa.Column('end', sa.Date(), nullable=True),
    sa.Column('interval', sa.Enum('month', 'quarter', 'year', name='interval', native_enum=False, length=20), nullable=False),
    sa.Column('every', sa.Integer(), nullable=False),
    sa.Column('next_billing', sa.Date(), nullable=True),
    sa.Column('state', sa.Enum('active', 'paused', 'ended', name='contractstate', native_enum=False, length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('every > 0', name=op.f('ck_sales_contract_every')),
    sa.ForeignKeyConstraint(['company_id'], ['core_company.id'], name=op.f('fk_sales_contract_company_id_core_company')),
    sa.ForeignKeyConstraint(['party_id'], ['core_party.id'], name=op.f('fk_sales_contract_party_id_core_party')),
    sa.ForeignKeyConstraint(['salesperson_id'], ['core_user.id'], name=op.f('fk_sales_contract_salesperson_id_core_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sales_contract')),
    sa.UniqueConstraint('company_id', 'number', name=op.f('uq_sales_contract_company_id_number'))
    )
    op.create_index(op.f('ix_sales_contract_company_id'), 'sales_contract', ['company_id'], unique=False)
    op.create_index(op.f('ix_sales_contract_next_billing'), 'sales_contract', ['next_billing'], unique=False)
    op.create_index(op.f('ix_sales_contract_party_id'), 'sales_contract', ['party_id'], unique=False)
    op.create_table('sales_customer',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('party_id', sa.Integer(), nullable=False),
    sa.Column('credit_limit_units', sa.BigInteger(), nullable=True),
    sa.Column('price_list_id', sa.Integer(), nullable=True),
    sa.Column('salesperson_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('credit_limit_units IS NULL OR credit_limit_units >= 0', name=op.f('ck_sales_customer_credit_limit')),
    sa.ForeignKeyConstraint(['company_id'], ['core_company.id'], name=op.f('fk_sales_customer_company_id_core_company')),
    sa.ForeignKeyConstraint(['party_id'], ['core_party.id'], name=op.f('fk_sales_customer_party_id_core_party')),
    sa.ForeignKeyConstraint(['price_list_id'], ['sales_price_list.id'], name=op.f('fk_sales_customer_price_list_id_sales_price_list')),
    sa.ForeignKeyConstraint(['salesperson_id'], ['core_user.id'], name=op.f('fk_sales_customer_salesperson_id_core_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sales_customer')),
    sa.UniqueConstraint('company_id', 'party_id', name=op.f('uq_sales_customer_company_id_party_id'))
    )
    op.create_index(op.f('ix_sales_customer_company_id'), 'sales_customer', ['company_id'], unique=False)
    op.create_table('sales_lead',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=20), nullable=False),
    sa.Column('contact_name', sa.String(length=200), nullable=False),
    sa.Column('organisation', sa.String(length=200), nullable=True),
    sa.Column('email', sa.String(length=200), nullable=True),
    sa.Column('phone', sa.String(length=40), nullable=True),
    sa.Column('tax_id', sa.String(length=40), nullable=True),
    sa.Column('region', sa.String(length=100), nullable=True),
    sa.Column('country', sa.String(length=2), nullable=True),
    sa.Column('industry', sa.String(length=100), nullable=True),
    sa.Column('employees', sa.Integer(), nullable=True),
    sa.Column('budget_units', sa.BigInteger(), nullable=True),
    sa.Column('message', sa.Text(), nullable=True),
    sa.Column('source', sa.Enum('web', 'import', 'manual', 'referral', 'event', name='leadsource', native_enum=False, length=20), nullable=False),
    sa.Column('source_address', sa.String(length=64), nullable=True),
    sa.Column('state', sa.Enum('new', 'qualified', 'disqualified', 'converted', name='leadstate', native_enum=False, length=20), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=True),
    sa.Column('duplicate_of_id', sa.Integer(), nullable=True),
    sa.Column('duplicate_reason', sa.String(length=200), nullable=True),
    sa.Column('score', sa.Integer(), nullable=True),
    sa.Column('score_factors', sa.JSON(), nullable=True),
    sa.Column('disqualified_reason', sa.String(length=200), nullable=True),
    sa.Column('party_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('qualified_at', sa.DateTime(), nullable=True),
    sa.Column('converted_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['company_id'], ['core_company.id'], name=op.f('fk_sales_lead_company_id_core_company')),
    sa.ForeignKeyConstraint(['duplicate_of_id'], ['core_party.id'], name=op.f('fk_sales_lead_duplicate_of_id_core_party')),
    sa.ForeignKeyConstraint(['owner_id'], ['core_user.id'], name=op.f('fk_sales_lead_owner_id_core_user')),
    sa.ForeignKeyConstraint(['party_id'], ['core_party.id'], name=op.f('fk_sales_lead_party_id_core_party')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sales_lead')),
    sa.UniqueConstraint('company_id', 'number', name=op.f('uq_sales_lead_company_id_number'))
    )
    op.create_index(op.f('ix_sales_lead_company_id'), 'sales_lead', ['company_id'], unique=False)
    op.create_index(op.f('ix_sales_lead_created_at'), 'sales_lead', ['created_at'], unique=False)
    op.create_index(op.f('ix_sales_lead_email'), 'sales_lead', ['email'], unique=False)
    op.create_table('sales_settings',
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('invoice_policy', sa.Enum('order', 'delivery', name='invoicepolicy', native_enum=False, length=20), nullable=False),
    sa.Column('warehouse', sa.String(length=40), nullable=True),
    sa.Column('quotation_days', sa.Integer(), nullable=False),
    sa.Column('default_price_list_id', sa.Integer(), nullable=True),
    sa.Column('lead_form', sa.Boolean(), nullable=False),
    sa.Column('lead_form_per_hour', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['core_company.id'], name=op.f('fk_sales_settings_company_id_core_company')),
    sa.ForeignKeyConstraint(['default_price_list_id'], ['sales_price_list.id'], name=op.f('fk_sales_settings_default_price_list_id_sales_price_list')),
    sa.PrimaryKeyConstraint('company_id', name=op.f('pk_sales_settings'))
    )
    op.create_table('sales_contract_billing',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('contract_id', sa.Integer(), nullable=False),
    sa.Column('period_start', sa.Date(), nullable=False),
    sa.Column('period_end', sa.Date(), nullable=False),
    sa.Column('amount_units', sa.BigInteger(), nullable=False),
    sa.Column('invoice', sa.String(length=40), nullable=True),
    sa.Column('billed_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['core_company.id'], name=op.f('fk_sales_contract_billing_company_id_core_company')),
    sa.ForeignKeyConstraint(['contract_id'], ['sales_contract.id'], name=op.f('fk_sales_contract_billing_contract_id_sales_contract')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sales_contract_billing')),
    sa.UniqueConstraint('contract_id', 'period_start', name=op.f('uq_sales_contract_billing_contract_id_period_start'))
    )
    op.create_index(op.f('ix_sales_contract_billing_company_id'), 'sales_contract_billing', ['company_id'], unique=False)
    op.create_index(op.f('ix_sales_contract_billing_contract_id'), 'sales_contract_billing', ['contract_id'], unique=False)
    op.create_table('sales_contract_line',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('contract_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('description', sa.String(length=200), nullable=False),
    sa.Column('quantity_units', sa.BigInteger(), nullable=False),
    sa.Column('price_units', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['core_company.id'], name=op.f('fk_sales_contract_line_company_id_core_company')),
    sa.ForeignKeyConstraint(['contract_id'], ['sales_contract.id'], name=op.f('fk_sales_contract_line_contract_id_sales_contract')),
    sa.ForeignKeyConstraint(['product_id'], ['core_product.id'], name=op.f('fk_sales_contract_line_product_id_core_product')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sales_contract_line'))
    )
    op.create_index(op.f('ix_sales_contract_line_company_id'), 'sales_contract_line', ['company_id'], unique=False)
    op.create_index(op.f('ix_sales_contract_line_contract_id'), 'sales_contract_line', ['contract_id'], unique=False)
    op.create_table('sales_opportunity',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('party_id', sa.Integer(), nullable=True),
    sa.Column('lead_id', sa.Integer(), nullable=True),
    sa.Column('stage_id', sa.Integer(), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=True),
    sa.Column('state', sa.Enum('open', 'won', 'lost', name='opportunitystate', native_enum=False, length=20), nullable=False),
    sa.Column('expected_revenue_units', sa.BigInteger(), nullable=False),
    sa.Column('probability', sa.Integer(), nullable=True),
    sa.Column('expected_close', sa.Date(), nullable=True),
    sa.Column('lost_reason_id', sa.Integer(), nullable=True),
    sa.Column('lost_note', sa.Text(), nullable=True),
    sa.Column('closed_on', sa.Date(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('probability IS NULL OR probability BETWEEN 0 AND 100', name=op.f('ck_sales_opportunity_probability')),
    sa.ForeignKeyConstraint(['company_id'], ['core_company.id'], name=op.f('fk_sales_opportunity_company_id_core_company')),
    sa.ForeignKeyConstraint(['lead_id'], ['sales_lead.id'], name=op.f('fk_sales_opportunity_lead_id_sales_lead')),
    sa.ForeignKeyConstraint(['lost_reason_id'], ['sales_lost_reason.id'], name=op.f('fk_sales_opportunity_lost_reason_id_sales_lost_reason')),
    sa.ForeignKeyConstraint(['owner_id'], ['core_user.id'], name=op.f('fk_sales_opportunity_owner_id_core_user')),
    sa.ForeignKeyConstraint(['party_id'], ['core_party.id'], name=op.f('fk_sales_opportunity_party_id_core_party')),
    sa.ForeignKeyConstraint(['stage_id'], ['sales_stage.id'], name=op.f('fk_sales_opportunity_stage_id_sales_stage')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sales_opportunity')),
    sa.UniqueConstraint('company_id', 'number', name=op.f('uq_sales_opportunity_company_id_number'))
    )
    op.create_index(op.f('ix_sales_opportunity_company_id'), 'sales_opportunity', ['company_id'], unique=False)
    op.create_index(op.f('ix_sales_opportunity_party_id'), 'sales_opportunity', ['party_id'], unique=False)
    op.create_table('sales_price_list_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('price_list_id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('min_quantity_units', sa.BigInteger(), nullable=False),
    sa.Column('price_units', sa.BigInteger(), nullable=False),
    sa.Column('discount_bp', sa.Integer(), nullable=False),
    sa.CheckConstraint('discount_bp BETWEEN 0 AND 10000', name=op.f('ck_sales_price_list_item_discount')),
    sa.CheckConstraint('price_units >= 0', name=op.f('ck_sales_price_list_item_price')),
    sa.ForeignKeyConstraint(['company_id'], ['core_company.id'], name=op.f('fk_sales_price_list_item_company_id_core_company')),
    sa.ForeignKeyConstraint(['price_list_id'], ['sales_price_list.id'], name=op.f('fk_sales_price_list_item_price_list_id_sales_price_list')),
    sa.ForeignKeyConstraint(['product_id'], ['core_product.id'], name=op.f('fk_sales_price_list_item_product_id_core_product')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sales_price_list_item')),
    sa.UniqueConstraint('price_list_id', 'product_id', 'min_quantity_units', name=op.f('uq_sales_price_list_item_price_list_id_product_id_min_quantity_units'))
    )
    op.create_index(op.f('ix_sales_price_list_item_company_id'), 'sales_price_list_item', ['company_id'], unique=False)
    op.create_index(op.f('ix_sales_price_list_item_price_list_id'), 'sales_price_list_item', ['price_list_id'], unique=False)
    op.create_table('sales_activity',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('call', 'meeting', 'email', 'task', name='activitykind', native_enum=False, length=20), nullable=False),
    sa.Column('subject', sa.String(length=200), nullable=False),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('due', sa.Date(), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=True),
    sa.Column('lead_id', sa.Integer(), nullable=True),
    sa.Column('opportunity_id', sa.Integer(), nullable=True),
    sa.Column('party_id', sa.Integer(), nullable=True),
    sa.Column('done_at', sa.DateTime(), nullable=True),
    sa.Column('outcome', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('(CASE WHEN lead_id IS NULL THEN 0 ELSE 1 END) + (CASE WHEN opportunity_id IS NULL THEN 0 ELSE 1 END) + (CASE WHEN party_id IS NULL THEN 0 ELSE 1 END) = 1', name=op.f('ck_sales_activity_one_subject')),
    sa.ForeignKeyConstraint(['company_id'], ['core_company.id'], name=op.f('fk_sales_activity_company_id_core_company')),
    sa.ForeignKeyConstraint(['lead_id'], ['sales_lead.id'], name=op.f('fk_sales_activity_lead_id_sales_lead')),
    sa.ForeignKeyConstraint(['opportunity_id'], ['sales_opportunity.id'], name=op.f('fk_sales_activity_opportunity_id_sales_opportunity')),
    sa.ForeignKeyConstraint(['owner_id'], ['core_user.id'], name=op.f('fk_sales_activity_owner_id_core_user')),
    sa.ForeignKeyConstraint(['party_id'], ['core_party.id'], name=op.f('fk_sales_activity_party_id_core_party')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sales_activity'))
    )
    op.create_index(op.f('ix_sales_activity_company_id'), 'sales_activity', ['company_id'], unique=False)
    op.create_index(op.f('ix_sales_activity_due'), 'sales_activity', ['due'], unique=False)
    op.create_index(op.f('ix_sales_activity_lead_id'), 'sales_activity', ['lead_id'], unique=False)
    op.create_index(op.f('ix_sales_activity_opportunity_id'), 'sales_activity', ['opportunity_id'], unique=False)
    op.create_index(op.f('ix_sales_activity_party_id'), 'sales_activity', ['party_id'], unique=False)
    op.create_table('sales_order',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=20), nullable=False),
    sa.Column('party_id', sa.Integer(), nullable=False),
    sa.Column('salesperson_id', sa.Integer(), nullable=True),
    sa.Column('opportunity_id', sa.Integer(), nullable=True),
    sa.Column('contract_id', sa.Integer(), nullable=True),
    sa.Column('price_list_id', sa.Integer(), nullable=True),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('valid_until', sa.Date(), nullable=True),
    sa.Column('confirmed_on', sa.Date(), nullable=True),
    sa.Column('commitment', sa.Date(), nullable=True),
    sa.Column('state', sa.Enum('draft', 'sent', 'confirmed', 'done', 'cancelled', name='orderstate', native_enum=False, length=20), nullable=False),
    sa.Column('delivery_state', sa.Enum('nothing', 'partial', 'full', name='progress', native_enum=False, length=20), nullable=False),
    sa.Column('invoice_state', sa.Enum('nothing', 'partial', 'full', name='progress', native_enum=False, length=20), nullable=False),
    sa.Column('payment_state', sa.Enum('not_paid', 'partial', 'paid', name='paymentstate', native_enum=False, length=20), nullable=False),
    sa.Column('untaxed_units', sa.BigInteger(), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['core_company.id'], name=op.f('fk_sales_order_company_id_core_company')),
    sa.ForeignKeyConstraint(['contract_id'], ['sales_contract.id'], name=op.f('fk_sales_order_contract_id_sales_contract')),
    sa.ForeignKeyConstraint(['opportunity_id'], ['sales_opportunity.id'], name=op.f('fk_sales_order_opportunity_id_sales_opportunity')),
    sa.ForeignKeyConstraint(['party_id'], ['core_party.id'], name=op.f('fk_sales_order_party_id_core_party')),
    sa.ForeignKeyConstraint(['price_list_id'], ['sales_price_list.id'], name=op.f('fk_sales_order_price_list_id_sales_price_list')),
    sa.ForeignKeyConstraint(['salesperson_id'], ['core_user.id'], name=op.f('fk_sales_order_salesperson_id_core_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sales_order')),
    sa.UniqueConstraint('company_id', 'number', name=op.f('uq_sales_order_company_id_number'))
    )
    op.create_index(op.f('ix_sales_order_company_id'), 'sales_order', ['company_id'], unique=False)
    op.create_index(op.f('ix_sales_order_confirmed_on'), 'sales_order', ['confirmed_on'], unique=False)
    op.create_index(op.f('ix_sales_order_date'), 'sales_order', ['date'], unique=False)
    op.create_index(op.f('ix_sales_order_party_id'), 'sales_order', ['party_id'], unique=False)
    op.create_table('sales_order_line',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('description', sa.String(length=200), nullable=False),
    sa.Column('quantity_units', sa.BigInteger(), nullable=False),
    sa.Column('price_units', sa.BigInteger(), nullable=False),
    sa.Column('discount_bp', sa.Integer(), nullable=False),
    sa.Column('net_units', sa.BigInteger(), nullable=False),
    sa.Column('delivered_units', sa.BigInteger(), nullable=False),
    sa.Column('invoiced_units', sa.BigInteger(), nullable=False),
    sa.Column('cost_units', sa.BigInteger(), nullable=True),
    sa.CheckConstraint('delivered_units >= 0 AND invoiced_units >= 0', name=op.f('ck_sales_order_line_progress')),
    sa.CheckConstraint('discount_bp BETWEEN 0 AND 10000', name=op.f('ck_sales_order_line_discount')),
    sa.CheckConstraint('price_units >= 0', name=op.f('ck_sales_order_line_price')),
    sa.CheckConstraint('quantity_units > 0', name=op.f('ck_sales_order_line_quantity')),
    sa.ForeignKeyConstraint(['company_id'], ['core_company.id'], name=op.f('fk_sales_order_line_company_id_core_company')),
    sa.ForeignKeyConstraint(['order_id'], ['sales_order.id'], name=op.f('fk_sales_order_line_order_id_sales_order')),
    sa.ForeignKeyConstraint(['product_id'], ['core_product.id'], name=op.f('fk_sales_order_line_product_id_core_product')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sales_order_line'))
    )
    op.create_index(op.f('ix_sales_order_line_company_id'), 'sales_order_line', ['company_id'], unique=False)
    op.create_index(op.f('ix_sales_order_line_order_id'), 'sales_order_line', ['order_id'], unique=False)
    op.create_index(op.f('ix_sales_order_line_product_id'), 'sales_order_line', ['product_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_sales_order_line_product_id'), table_name='sales_order_line')
    op.drop_index(op.f('ix_sales_order_line_order_id'), table_name='sales_order_line')
    op.drop_index(op.f('ix_sales_order_line_company_id'), table_name='sales_order_line')
    op.drop_table('sales_order_line')
    op.drop_index(op.f('ix_sales_order_party_id'), table_name='sales_order')
    op.drop_index(op.f('ix_sales_order_date'), table_name='sales_order')
    op.drop_index(op.f('ix_sales_order_confirmed_on'), table_name='sales_order')
    op.drop_index(op.f('ix_sales_order_company_id'), table_name='sales_order')
    op.drop_table('sales_order')
    op.drop_index(op.f('ix_sales_activity_party_id'), table_name='sales_activity')
    op.drop_index(op.f('ix_sales_activity_opportunity_id'), table_name='sales_activity')
    op.drop_index(op.f('ix_sales_activity_lead_id'), table_name='sales_activity')
    op.drop_index(op.f('ix_sales_activity_due'), table_name='sales_activity')
    op.drop_index(op.f('ix_sales_activity_company_id'), table_name='sales_activity')
    op.drop_table('sales_activity')
    op.drop_index(op.f('ix_sales_price_list_item_price_list_id'), table_name='sales_price_list_item')
    op.drop_index(op.f('ix_sales_price_list_item_company_id'), table_name='sales_price_list_item')
    op.drop_table('sales_price_list_item')
    op.drop_index(op.f('ix_sales_opportunity_party_id'), table_name='sales_opportunity')
    op.drop_index(op.f('ix_sales_opportunity_company_id'), table_name='sales_opportunity')
    op.drop_table('sales_opportunity')
    op.drop_index(op.f('ix_sales_contract_line_contract_id'), table_name='sales_contract_line')
    op.drop_index(op.f('ix_sales_contract_line_company_id'), table_name='sales_contract_line')
    op.drop_table('sales_contract_line')
    op.drop_index(op.f('ix_sales_contract_billing_contract_id'), table_name='sales_contract_billing')
    op.drop_index(op.f('ix_sales_contract_billing_company_id'), table_name='sales_contract_billing')
    op.drop_table('sales_contract_billing')
    op.drop_table('sales_settings')
    op.drop_index(op.f('ix_sales_lead_email'), table_name='sales_lead')
    op.drop_index(op.f('ix_sales_lead_created_at'), table_name='sales_lead')
    op.drop_index(op.f('ix_sales_lead_company_id'), table_name='sales_lead')
    op.drop_table('sales_lead')
    op.drop_index(op.f('ix_sales_customer_company_id'), table_name='sales_customer')
    op.drop_table('sales_customer')
    op.drop_index(op.f('ix_sales_contract_party_id'), table_name='sales_contract')
    op.drop_index(op.f('ix_sales_contract_next_billing'), table_name='sales_contract')
    op.drop_index(op.f('ix_sales_contract_company_id'), table_name='sales_contract')
    op.drop_table('sales_contract')
    op.drop_index(op.f('ix_sales_target_company_id'), table_name='sales_target')
    op.drop_table('sales_target')
    op.drop_index(op.f('ix_sales_stage_company_id'), table_name='sales_stage')
    op.drop_table('sales_stage')
    op.drop_index(op.f('ix_sales_scoring_rule_company_id'), table_name='sales_scoring_rule')
    op.drop_table('sales_scoring_rule')
    op.drop_index(op.f('ix_sales_scoring_model_company_id'), table_name='sales_scoring_model')
    op.drop_table('sales_scoring_model')
    op.drop_index(op.f('ix_sales_price_list_company_id'), table_name='sales_price_list')
    op.drop_table('sales_price_list')
    op.drop_index(op.f('ix_sales_lost_reason_company_id'), table_name='sales_lost_reason')
    op.drop_table('sales_lost_reason')
