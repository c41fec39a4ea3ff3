"""Core tables: companies, parties, products, users, plugins, outbox and the ledger.

Revision ID: core_0001
Revises:
Create Date: 2026-11-26 18:51:48.716990
"""
import sqlalchemy as sa
from alembic import op

from core.ledger.immutability import create_triggers, drop_triggers

revision = 'core_0001'
down_revision = None
branch_labels = ('core',)
depends_on = None


def upgrade() -> None:
    op.create_table('core_company',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('country', sa.String(length=2), nullable=True),
    sa.Column('timezone', sa.String(length=64), nullable=False),
    sa.Column('fiscal_year_start_month', sa.Integer(), nullable=False),
    sa.Column('lock_date', sa.Date(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('fiscal_year_start_month BETWEEN 1 AND 12', name=op.f('ck_core_company_fiscal_month')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_core_company')),
    sa.UniqueConstraint('code', name=op.f('uq_core_company_code'))
    )
    op.create_table('core_unit',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('scale', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_core_unit')),
    sa.UniqueConstraint('code', name=op.f('uq_core_unit_code'))
    )
    op.create_table('core_user',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=80), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=False),
    sa.Column('full_name', sa.String(length=200), nullable=True),
    sa.Column('email', sa.String(length=200), nullable=True),
    sa.Column('locale', sa.String(length=10), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_core_user')),
    sa.UniqueConstraint('username', name=op.f('uq_core_user_username'))
    )
    op.create_table('core_membership',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=40), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['core_company.id'], name=op.f('fk_core_membership_company_id_core_company')),
    sa.ForeignKeyConstraint(['user_id'], ['core_user.id'], name=op.f('fk_core_membership_user_id_core_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_core_membership')),
    sa.UniqueConstraint('user_id', 'company_id', 'role', name=op.f('uq_core_membership_user_id_company_id_role'))
    )
    with op.batch_alter_table('core_membership', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_core_membership_company_id'), ['company_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_core_membership_user_id'), ['user_id'], unique=False)

    op.create_table('core_outbox',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('topic', sa.String(length=100), nullable=False),
    sa.Column('payload', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('sent_at', sa.DateTime(), nullable=True),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['company_id'], ['core_company.id'], name=op.f('fk_core_outbox_company_id_core_company')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_core_outbox'))
    )
    with op.batch_alter_table('core_outbox', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_core_outbox_company_id'), ['company_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_core_outbox_sent_at'), ['sent_at'], unique=False)

    op.create_table('core_party',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.Enum('person', 'organisation', name='partykind', native_enum=False, length=20), nullable=False),
    sa.Column('tax_id', sa.String(length=40), nullable=True),
    sa.Column('email', sa.String(length=200), nullable=True),
    sa.Column('phone', sa.String(length=40), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['core_company.id'], name=op.f('fk_core_party_company_id_core_company')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_core_party')),
    sa.UniqueConstraint('company_id', 'code', name=op.f('uq_core_party_company_id_code'))
    )
    with op.batch_alter_table('core_party', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_core_party_company_id'), ['company_id'], unique=False)

    op.create_table('core_plugin_installation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('plugin', sa.String(length=64), nullable=False),
    sa.Column('installed', sa.Boolean(), nullable=False),
    sa.Column('version', sa.String(length=40), nullable=False),
    sa.Column('installed_at', sa.DateTime(), nullable=False),
    sa.Column('uninstalled_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['company_id'], ['core_company.id'], name=op.f('fk_core_plugin_installation_company_id_core_company')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_core_plugin_installation')),
    sa.UniqueConstraint('company_id', 'plugin', name=op.f('uq_core_plugin_installation_company_id_plugin'))
    )
    with op.batch_alter_table('core_plugin_installation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_core_plugin_installation_company_id'), ['company_id'], unique=False)

    op.create_table('ledger_account',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('type', sa.Enum('asset', 'liability', 'equity', 'income', 'expense', 'stock', name='accounttype', native_enum=False, length=20), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('no_negative', sa.Boolean(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['company_id', 'parent_id'], ['ledger_account.company_id', 'ledger_account.id'], name=op.f('fk_ledger_account_company_id_parent_id_ledger_account')),
    sa.ForeignKeyConstraint(['company_id'], ['core_company.id'], name=op.f('fk_ledger_account_company_id_core_company')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ledger_account')),
    sa.UniqueConstraint('company_id', 'code', name=op.f('uq_ledger_account_company_id_code')),
    sa.UniqueConstraint('company_id', 'id', name=op.f('uq_ledger_account_company_id_id'))
    )
    with op.batch_alter_table('ledger_account', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ledger_account_company_id'), ['company_id'], unique=False)

    op.create_table('ledger_commodity',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=True),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.Enum('currency', 'unit', name='commoditykind', native_enum=False, length=20), nullable=False),
    sa.Column('scale', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['core_company.id'], name=op.f('fk_ledger_commodity_company_id_core_company')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ledger_commodity')),
    sa.UniqueConstraint('company_id', 'code', name=op.f('uq_ledger_commodity_company_id_code'))
    )
    with op.batch_alter_table('ledger_commodity', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ledger_commodity_company_id'), ['company_id'], unique=False)
        batch_op.create_index('uq_ledger_commodity_shared_code', ['code'], unique=True, sqlite_where=sa.text('company_id IS NULL'), postgresql_where=sa.text('company_id IS NULL'))

    op.create_table('ledger_transaction',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('memo', sa.Text(), nullable=False),
    sa.Column('key', sa.String(length=200), nullable=True),
    sa.Column('fingerprint', sa.String(length=64), nullable=False),
    sa.Column('origin', sa.String(length=200), nullable=True),
    sa.Column('reverses_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['core_company.id'], name=op.f('fk_ledger_transaction_company_id_core_company')),
    sa.ForeignKeyConstraint(['reverses_id'], ['ledger_transaction.id'], name=op.f('fk_ledger_transaction_reverses_id_ledger_transaction')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ledger_transaction')),
    sa.UniqueConstraint('company_id', 'id', name=op.f('uq_ledger_transaction_company_id_id')),
    sa.UniqueConstraint('company_id', 'key', name=op.f('uq_ledger_transaction_company_id_key')),
    sa.UniqueConstraint('reverses_id', name=op.f('uq_ledger_transaction_reverses_id'))
    )
    with op.batch_alter_table('ledger_transaction', schema=None) as batch_op:
        batch_op.create_index('ix_ledger_transaction_company_date', ['company_id', 'date'], unique=False)

    op.create_table('core_party_address',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('party_id', sa.Integer(), nullable=False),
    sa.Column('purpose', sa.String(length=20), nullable=False),
    sa.Column('line1', sa.String(length=200), nullable=False),
    sa.Column('line2', sa.String(length=200), nullable=True),
    sa.Column('city', sa.String(length=100), nullable=True),
    sa.Column('region', sa.String(length=100), nullable=True),
    sa.Column('postal_code', sa.String(length=20), nullable=True),
    sa.Column('country', sa.String(length=2), nullable=True),
    sa.ForeignKeyConstraint(['company_id'], ['core_company.id'], name=op.f('fk_core_party_address_company_id_core_company')),
    sa.ForeignKeyConstraint(['party_id'], ['core_party.id'], name=op.f('fk_core_party_address_party_id_core_party')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_core_party_address'))
    )
    with op.batch_alter_table('core_party_address', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_core_party_address_company_id'), ['company_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_core_party_address_party_id'), ['party_id'], unique=False)

    op.create_table('core_party_contact',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('party_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('role', sa.String(length=100), nullable=True),
    sa.Column('email', sa.String(length=200), nullable=True),
    sa.Column('phone', sa.String(length=40), nullable=True),
    sa.ForeignKeyConstraint(['company_id'], ['core_company.id'], name=op.f('fk_core_party_contact_company_id_core_company')),
    sa.ForeignKeyConstraint(['party_id'], ['core_party.id'], name=op.f('fk_core_party_contact_party_id_core_party')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_core_party_contact'))
    )
    with op.batch_alter_table('core_party_contact', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_core_party_contact_company_id'), ['company_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_core_party_contact_party_id'), ['party_id'], unique=False)

    op.create_table('core_product',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('sku', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('commodity_id', sa.Integer(), nullable=False),
    sa.Column('category', sa.String(length=100), nullable=True),
    sa.Column('barcode', sa.String(length=64), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['commodity_id'], ['ledger_commodity.id'], name=op.f('fk_core_product_commodity_id_ledger_commodity')),
    sa.ForeignKeyConstraint(['company_id'], ['core_company.id'], name=op.f('fk_core_product_company_id_core_company')),
    sa.ForeignKeyConstraint(['unit_id'], ['core_unit.id'], name=op.f('fk_core_product_unit_id_core_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_core_product')),
    sa.UniqueConstraint('commodity_id', name=op.f('uq_core_product_commodity_id')),
    sa.UniqueConstraint('company_id', 'sku', name=op.f('uq_core_product_company_id_sku'))
    )
    with op.batch_alter_table('core_product', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_core_product_company_id'), ['company_id'], unique=False)

    op.create_table('ledger_balance',
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('commodity_id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['commodity_id'], ['ledger_commodity.id'], name=op.f('fk_ledger_balance_commodity_id_ledger_commodity')),
    sa.ForeignKeyConstraint(['company_id', 'account_id'], ['ledger_account.company_id', 'ledger_account.id'], name=op.f('fk_ledger_balance_company_id_account_id_ledger_account')),
    sa.ForeignKeyConstraint(['company_id'], ['core_company.id'], name=op.f('fk_ledger_balance_company_id_core_company')),
    sa.CheckConstraint('amount BETWEEN -4000000000000000000 AND 4000000000000000000', name=op.f('ck_ledger_balance_amount_range')),
    sa.PrimaryKeyConstraint('account_id', 'commodity_id', name=op.f('pk_ledger_balance'))
    )
    with op.batch_alter_table('ledger_balance', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ledger_balance_company_id'), ['company_id'], unique=False)

    op.create_table('ledger_posting',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('transaction_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('commodity_id', sa.Integer(), nullable=False),
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['commodity_id'], ['ledger_commodity.id'], name=op.f('fk_ledger_posting_commodity_id_ledger_commodity')),
    sa.ForeignKeyConstraint(['company_id', 'account_id'], ['ledger_account.company_id', 'ledger_account.id'], name=op.f('fk_ledger_posting_company_id_account_id_ledger_account')),
    sa.ForeignKeyConstraint(['company_id', 'transaction_id'], ['ledger_transaction.company_id', 'ledger_transaction.id'], name=op.f('fk_ledger_posting_company_id_transaction_id_ledger_transaction')),
    sa.ForeignKeyConstraint(['company_id'], ['core_company.id'], name=op.f('fk_ledger_posting_company_id_core_company')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ledger_posting'))
    )
    with op.batch_alter_table('ledger_posting', schema=None) as batch_op:
        batch_op.create_index('ix_ledger_posting_account_commodity_date', ['account_id', 'commodity_id', 'date'], unique=False)
        batch_op.create_index('ix_ledger_posting_company_date', ['company_id', 'date'], unique=False)
        batch_op.create_index('ix_ledger_posting_transaction', ['transaction_id'], unique=False)

    # Posted ledger rows refuse raw SQL UPDATE and DELETE.
    create_triggers(op.get_bind())


def downgrade() -> None:
    drop_triggers(op.get_bind())
    with op.batch_alter_table('ledger_posting', schema=None) as batch_op:
        batch_op.drop_index('ix_ledger_posting_transaction')
        batch_op.drop_index('ix_ledger_posting_company_date')
        batch_op.drop_index('ix_ledger_posting_account_commodity_date')

    op.drop_table('ledger_posting')
    with op.batch_alter_table('ledger_balance', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ledger_balance_company_id'))

    op.drop_table('ledger_balance')
    with op.batch_alter_table('core_product', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_core_product_company_id'))

    op.drop_table('core_product')
    with op.batch_alter_table('core_party_contact', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_core_party_contact_party_id'))
        batch_op.drop_index(batch_op.f('ix_core_party_contact_company_id'))

    op.drop_table('core_party_contact')
    with op.batch_alter_table('core_party_address', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_core_party_address_party_id'))
        batch_op.drop_index(batch_op.f('ix_core_party_address_company_id'))

    op.drop_table('core_party_address')
    with op.batch_alter_table('ledger_transaction', schema=None) as batch_op:
        batch_op.drop_index('ix_ledger_transaction_company_date')

    op.drop_table('ledger_transaction')
    with op.batch_alter_table('ledger_commodity', schema=None) as batch_op:
        batch_op.drop_index('uq_ledger_commodity_shared_code', sqlite_where=sa.text('company_id IS NULL'), postgresql_where=sa.text('company_id IS NULL'))
        batch_op.drop_index(batch_op.f('ix_ledger_commodity_company_id'))

    op.drop_table('ledger_commodity')
    with op.batch_alter_table('ledger_account', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ledger_account_company_id'))

    op.drop_table('ledger_account')
    with op.batch_alter_table('core_plugin_installation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_core_plugin_installation_company_id'))

    op.drop_table('core_plugin_installation')
    with op.batch_alter_table('core_party', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_core_party_company_id'))

    op.drop_table('core_party')
    with op.batch_alter_table('core_outbox', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_core_outbox_sent_at'))
        batch_op.drop_index(batch_op.f('ix_core_outbox_company_id'))

    op.drop_table('core_outbox')
    with op.batch_alter_table('core_membership', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_core_membership_user_id'))
        batch_op.drop_index(batch_op.f('ix_core_membership_company_id'))

    op.drop_table('core_membership')
    op.drop_table('core_user')
    op.drop_table('core_unit')
    op.drop_table('core_company')
