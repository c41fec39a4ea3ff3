"""finance: chart sections, settings, journals and numbering, fiscal years, taxes,
payment terms, rates, invoices, payments, allocations, budgets, bank statements.

Revision ID: finance_0001
Revises:
Create Date: 2026-11-26
"""
import sqlalchemy as sa
from alembic import op

revision = "finance_0001"
down_revision = None
branch_labels = ("finance",)
depends_on = "core_0002"


def upgrade() -> None:
    op.create_table('finance_fiscal_year',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=20), nullable=False),
    sa.Column('start', sa.Date(), nullable=False),
    sa.Column('end', sa.Date(), nullable=False),
    sa.Column('state', sa.Enum('open', 'closed', name='periodstate', native_enum=False, length=20), nullable=False),
    sa.Column('closing_transaction_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.ForeignKeyConstraint(['company_id'], ['core_company.id'], name=op.f('fk_finance_fiscal_year_company_id_core_company')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_finance_fiscal_year')),
    sa.UniqueConstraint('company_id', 'name', name=op.f('uq_finance_fiscal_year_company_id_name')),
    sa.UniqueConstraint('company_id', 'start', name=op.f('uq_finance_fiscal_year_company_id_start'))
    )
    op.create_index(op.f('ix_finance_fiscal_year_company_id'), 'finance_fiscal_year', ['company_id'], unique=False)
    op.create_table('finance_payment_term',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('days', sa.Integer(), nullable=False),
    sa.Column('months', sa.Integer(), nullable=False),
    sa.Column('end_of_month', sa.Boolean(), nullable=False),
    sa.CheckConstraint('days BETWEEN 0 AND 3660', name=op.f('ck_finance_payment_term_days_range')),
    sa.CheckConstraint('months BETWEEN 0 AND 120', name=op.f('ck_finance_payment_term_months_range')),
    sa.ForeignKeyConstraint(['company_id'], ['core_company.id'], name=op.f('fk_finance_payment_term_company_id_core_company')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_finance_payment_term')),
    sa.UniqueConstraint('company_id', 'code', name=op.f('uq_finance_payment_term_company_id_code'))
    )
    op.create_index(op.f('ix_finance_payment_term_company_id'), 'finance_payment_term', ['company_id'], unique=False)
    op.create_table('finance_rate',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('rate_units', sa.BigInteger(), nullable=False),
    sa.CheckConstraint('rate_units > 0', name=op.f('ck_finance_rate_positive')),
    sa.ForeignKeyConstraint(['company_id'], ['core_company.id'], name=op.f('fk_finance_rate_company_id_core_company')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_finance_rate')),
    sa.UniqueConstraint('company_id', 'currency', 'date', name=op.f('uq_finance_rate_company_id_currency_date'))
    )
    op.create_index(op.f('ix_finance_rate_company_id'), 'finance_rate', ['company_id'], unique=False)
    op.create_table('finance_account',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('section', sa.Enum('cash', 'receivable', 'current_asset', 'non_current_asset', 'depreciation', 'payable', 'current_liability', 'non_current_liability', 'equity', 'retained_earnings', 'revenue', 'other_income', 'cost_of_sales', 'expense', 'other_expense', name='section', native_enum=False, length=30), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['ledger_account.id'], name=op.f('fk_finance_account_account_id_ledger_account')),
    sa.ForeignKeyConstraint(['company_id'], ['core_company.id'], name=op.f('fk_finance_account_company_id_core_company')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_finance_account')),
    sa.UniqueConstraint('account_id', name=op.f('uq_finance_account_account_id'))
    )
    op.create_index(op.f('ix_finance_account_company_id'), 'finance_account', ['company_id'], unique=False)
    op.create_table('finance_budget',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('fiscal_year_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['core_company.id'], name=op.f('fk_finance_budget_company_id_core_company')),
    sa.ForeignKeyConstraint(['fiscal_year_id'], ['finance_fiscal_year.id'], name=op.f('fk_finance_budget_fiscal_year_id_finance_fiscal_year')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_finance_budget')),
    sa.UniqueConstraint('company_id', 'name', name=op.f('uq_finance_budget_company_id_name'))
    )
    op.create_index(op.f('ix_finance_budget_company_id'), 'finance_budget', ['company_id'], unique=False)
    op.create_table('finance_journal',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=10), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('kind', sa.Enum('sale', 'purchase', 'bank', 'cash', 'general', name='journalkind', native_enum=False, length=20), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['account_id'], ['ledger_account.id'], name=op.f('fk_finance_journal_account_id_ledger_account')),
    sa.ForeignKeyConstraint(['company_id'], ['core_company.id'], name=op.f('fk_finance_journal_company_id_core_company')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_finance_journal')),
    sa.UniqueConstraint('company_id', 'code', name=op.f('uq_finance_journal_company_id_code'))
    )
    op.create_index(op.f('ix_finance_journal_company_id'), 'finance_journal', ['company_id'], unique=False)
    op.create_table('finance_period',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('fiscal_year_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=20), nullable=False),
    sa.Column('start', sa.Date(), nullable=False),
    sa.Column('end', sa.Date(), nullable=False),
    sa.Column('state', sa.Enum('open', 'closed', name='periodstate', native_enum=False, length=20), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['core_company.id'], name=op.f('fk_finance_period_company_id_core_company')),
    sa.ForeignKeyConstraint(['fiscal_year_id'], ['finance_fiscal_year.id'], name=op.f('fk_finance_period_fiscal_year_id_finance_fiscal_year')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_finance_period')),
    sa.UniqueConstraint('company_id', 'start', name=op.f('uq_finance_period_company_id_start'))
    )
    op.create_index(op.f('ix_finance_period_company_id'), 'finance_period', ['company_id'], unique=False)
    op.create_index(op.f('ix_finance_period_fiscal_year_id'), 'finance_period', ['fiscal_year_id'], unique=False)
    op.create_table('finance_settings',
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('template', sa.String(length=20), nullable=False),
    sa.Column('receivable_id', sa.Integer(), nullable=False),
    sa.Column('payable_id', sa.Integer(), nullable=False),
    sa.Column('income_id', sa.Integer(), nullable=False),
    sa.Column('expense_id', sa.Integer(), nullable=False),
    sa.Column('retained_earnings_id', sa.Integer(), nullable=False),
    sa.Column('fx_gain_id', sa.Integer(), nullable=False),
    sa.Column('fx_loss_id', sa.Integer(), nullable=False),
    sa.Column('rounding_id', sa.Integer(), nullable=False),
    sa.Column('cash_rounding', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['core_company.id'], name=op.f('fk_finance_settings_company_id_core_company')),
    sa.ForeignKeyConstraint(['expense_id'], ['ledger_account.id'], name=op.f('fk_finance_settings_expense_id_ledger_account')),
    sa.ForeignKeyConstraint(['fx_gain_id'], ['ledger_account.id'], name=op.f('fk_finance_settings_fx_gain_id_ledger_account')),
    sa.ForeignKeyConstraint(['fx_loss_id'], ['ledger_account.id'], name=op.f('fk_finance_settings_fx_loss_id_ledger_account')),
    sa.ForeignKeyConstraint(['income_id'], ['ledger_account.id'], name=op.f('fk_finance_settings_income_id_ledger_account')),
    sa.ForeignKeyConstraint(['payable_id'], ['ledger_account.id'], name=op.f('fk_finance_settings_payable_id_ledger_account')),
    sa.ForeignKeyConstraint(['receivable_id'], ['ledger_account.id'], name=op.f('fk_finance_settings_receivable_id_ledger_account')),
    sa.ForeignKeyConstraint(['retained_earnings_id'], ['ledger_account.id'], name=op.f('fk_finance_settings_retained_earnings_id_ledger_account')),
    sa.ForeignKeyConstraint(['rounding_id'], ['ledger_account.id'], name=op.f('fk_finance_settings_rounding_id_ledger_account')),
    sa.PrimaryKeyConstraint('company_id', name=op.f('pk_finance_settings'))
    )
    op.create_table('finance_tax',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('scope', sa.Enum('sale', 'purchase', name='taxscope', native_enum=False, length=20), nullable=False),
    sa.Column('rate_units', sa.BigInteger(), nullable=False),
    sa.Column('included', sa.Boolean(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['ledger_account.id'], name=op.f('fk_finance_tax_account_id_ledger_account')),
    sa.ForeignKeyConstraint(['company_id'], ['core_company.id'], name=op.f('fk_finance_tax_company_id_core_company')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_finance_tax')),
    sa.UniqueConstraint('company_id', 'code', name=op.f('uq_finance_tax_company_id_code'))
    )
    op.create_index(op.f('ix_finance_tax_company_id'), 'finance_tax', ['company_id'], unique=False)
    op.create_table('finance_bank_statement',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('journal_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('imported_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['core_company.id'], name=op.f('fk_finance_bank_statement_company_id_core_company')),
    sa.ForeignKeyConstraint(['journal_id'], ['finance_journal.id'], name=op.f('fk_finance_bank_statement_journal_id_finance_journal')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_finance_bank_statement'))
    )
    op.create_index(op.f('ix_finance_bank_statement_company_id'), 'finance_bank_statement', ['company_id'], unique=False)
    op.create_table('finance_budget_line',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('budget_id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('period_id', sa.Integer(), nullable=False),
    sa.Column('amount_units', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['ledger_account.id'], name=op.f('fk_finance_budget_line_account_id_ledger_account')),
    sa.ForeignKeyConstraint(['budget_id'], ['finance_budget.id'], name=op.f('fk_finance_budget_line_budget_id_finance_budget')),
    sa.ForeignKeyConstraint(['company_id'], ['core_company.id'], name=op.f('fk_finance_budget_line_company_id_core_company')),
    sa.ForeignKeyConstraint(['period_id'], ['finance_period.id'], name=op.f('fk_finance_budget_line_period_id_finance_period')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_finance_budget_line')),
    sa.UniqueConstraint('budget_id', 'account_id', 'period_id', name=op.f('uq_finance_budget_line_budget_id_account_id_period_id'))
    )
    op.create_index(op.f('ix_finance_budget_line_budget_id'), 'finance_budget_line', ['budget_id'], unique=False)
    op.create_index(op.f('ix_finance_budget_line_company_id'), 'finance_budget_line', ['company_id'], unique=False)
    op.create_table('finance_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('journal_id', sa.Integer(), nullable=False),
    sa.Column('fiscal_year_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('kind', sa.Enum('invoice', 'payment', 'manual', 'revaluation', 'closing', name='entrykind', native_enum=False, length=20), nullable=False),
    sa.Column('transaction_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('memo', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['core_company.id'], name=op.f('fk_finance_entry_company_id_core_company')),
    sa.ForeignKeyConstraint(['fiscal_year_id'], ['finance_fiscal_year.id'], name=op.f('fk_finance_entry_fiscal_year_id_finance_fiscal_year')),
    sa.ForeignKeyConstraint(['journal_id'], ['finance_journal.id'], name=op.f('fk_finance_entry_journal_id_finance_journal')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_finance_entry')),
    sa.UniqueConstraint('company_id', 'name', name=op.f('uq_finance_entry_company_id_name')),
    sa.UniqueConstraint('journal_id', 'fiscal_year_id', 'number', name=op.f('uq_finance_entry_journal_id_fiscal_year_id_number')),
    sa.UniqueConstraint('transaction_id', name=op.f('uq_finance_entry_transaction_id'))
    )
    op.create_index(op.f('ix_finance_entry_company_id'), 'finance_entry', ['company_id'], unique=False)
    op.create_table('finance_invoice',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('invoice', 'credit_note', 'bill', 'refund', name='invoicekind', native_enum=False, length=20), nullable=False),
    sa.Column('state', sa.Enum('draft', 'posted', name='invoicestate', native_enum=False, length=20), nullable=False),
    sa.Column('payment_state', sa.Enum('not_paid', 'partial', 'paid', name='paymentstate', native_enum=False, length=20), nullable=False),
    sa.Column('party_id', sa.Integer(), nullable=False),
    sa.Column('journal_id', sa.Integer(), nullable=False),
    sa.Column('term_id', sa.Integer(), nullable=True),
    sa.Column('number', sa.String(length=40), nullable=True),
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('due_date', sa.Date(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('rate_units', sa.BigInteger(), nullable=False),
    sa.Column('reference', sa.String(length=100), nullable=False),
    sa.Column('origin', sa.String(length=200), nullable=True),
    sa.Column('memo', sa.Text(), nullable=False),
    sa.Column('credited_id', sa.Integer(), nullable=True),
    sa.Column('transaction_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('untaxed_units', sa.BigInteger(), nullable=False),
    sa.Column('tax_units', sa.BigInteger(), nullable=False),
    sa.Column('rounding_units', sa.BigInteger(), nullable=False),
    sa.Column('total_units', sa.BigInteger(), nullable=False),
    sa.Column('residual_units', sa.BigInteger(), nullable=False),
    sa.Column('total_company', sa.BigInteger(), nullable=False),
    sa.Column('residual_company', sa.BigInteger(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('residual_units = 0 OR residual_units BETWEEN 0 AND total_units', name=op.f('ck_finance_invoice_residual_range')),
    sa.ForeignKeyConstraint(['company_id'], ['core_company.id'], name=op.f('fk_finance_invoice_company_id_core_company')),
    sa.ForeignKeyConstraint(['credited_id'], ['finance_invoice.id'], name=op.f('fk_finance_invoice_credited_id_finance_invoice')),
    sa.ForeignKeyConstraint(['journal_id'], ['finance_journal.id'], name=op.f('fk_finance_invoice_journal_id_finance_journal')),
    sa.ForeignKeyConstraint(['party_id'], ['core_party.id'], name=op.f('fk_finance_invoice_party_id_core_party')),
    sa.ForeignKeyConstraint(['term_id'], ['finance_payment_term.id'], name=op.f('fk_finance_invoice_term_id_finance_payment_term')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_finance_invoice')),
    sa.UniqueConstraint('company_id', 'number', name=op.f('uq_finance_invoice_company_id_number'))
    )
    op.create_index(op.f('ix_finance_invoice_company_id'), 'finance_invoice', ['company_id'], unique=False)
    op.create_index(op.f('ix_finance_invoice_origin'), 'finance_invoice', ['origin'], unique=False)
    op.create_index(op.f('ix_finance_invoice_party_id'), 'finance_invoice', ['party_id'], unique=False)
    op.create_table('finance_payment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('direction', sa.Enum('inbound', 'outbound', name='direction', native_enum=False, length=20), nullable=False),
    sa.Column('party_id', sa.Integer(), nullable=False),
    sa.Column('journal_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=40), nullable=False),
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('rate_units', sa.BigInteger(), nullable=False),
    sa.Column('amount_units', sa.BigInteger(), nullable=False),
    sa.Column('amount_company', sa.BigInteger(), nullable=False),
    sa.Column('unallocated_units', sa.BigInteger(), nullable=False),
    sa.Column('unallocated_company', sa.BigInteger(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('reference', sa.String(length=100), nullable=False),
    sa.Column('memo', sa.Text(), nullable=False),
    sa.Column('transaction_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('amount_units > 0', name=op.f('ck_finance_payment_positive')),
    sa.CheckConstraint('unallocated_units BETWEEN 0 AND amount_units', name=op.f('ck_finance_payment_unallocated_range')),
    sa.ForeignKeyConstraint(['account_id'], ['ledger_account.id'], name=op.f('fk_finance_payment_account_id_ledger_account')),
    sa.ForeignKeyConstraint(['company_id'], ['core_company.id'], name=op.f('fk_finance_payment_company_id_core_company')),
    sa.ForeignKeyConstraint(['journal_id'], ['finance_journal.id'], name=op.f('fk_finance_payment_journal_id_finance_journal')),
    sa.ForeignKeyConstraint(['party_id'], ['core_party.id'], name=op.f('fk_finance_payment_party_id_core_party')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_finance_payment')),
    sa.UniqueConstraint('company_id', 'number', name=op.f('uq_finance_payment_company_id_number'))
    )
    op.create_index(op.f('ix_finance_payment_company_id'), 'finance_payment', ['company_id'], unique=False)
    op.create_index(op.f('ix_finance_payment_party_id'), 'finance_payment', ['party_id'], unique=False)
    op.create_table('finance_sequence',
    sa.Column('journal_id', sa.Integer(), nullable=False),
    sa.Column('fiscal_year_id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('next_number', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['core_company.id'], name=op.f('fk_finance_sequence_company_id_core_company')),
    sa.ForeignKeyConstraint(['fiscal_year_id'], ['finance_fiscal_year.id'], name=op.f('fk_finance_sequence_fiscal_year_id_finance_fiscal_year')),
    sa.ForeignKeyConstraint(['journal_id'], ['finance_journal.id'], name=op.f('fk_finance_sequence_journal_id_finance_journal')),
    sa.PrimaryKeyConstraint('journal_id', 'fiscal_year_id', name=op.f('pk_finance_sequence'))
    )
    op.create_index(op.f('ix_finance_sequence_company_id'), 'finance_sequence', ['company_id'], unique=False)
    op.create_table('finance_allocation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('invoice_id', sa.Integer(), nullable=False),
    sa.Column('payment_id', sa.Integer(), nullable=True),
    sa.Column('credit_id', sa.Integer(), nullable=True),
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('amount_units', sa.BigInteger(), nullable=False),
    sa.Column('amount_company', sa.BigInteger(), nullable=False),
    sa.Column('source_company', sa.BigInteger(), nullable=False),
    sa.Column('fx_units', sa.BigInteger(), nullable=False),
    sa.CheckConstraint('(payment_id IS NULL) <> (credit_id IS NULL)', name=op.f('ck_finance_allocation_one_source')),
    sa.CheckConstraint('amount_units > 0', name=op.f('ck_finance_allocation_positive')),
    sa.ForeignKeyConstraint(['company_id'], ['core_company.id'], name=op.f('fk_finance_allocation_company_id_core_company')),
    sa.ForeignKeyConstraint(['credit_id'], ['finance_invoice.id'], name=op.f('fk_finance_allocation_credit_id_finance_invoice')),
    sa.ForeignKeyConstraint(['invoice_id'], ['finance_invoice.id'], name=op.f('fk_finance_allocation_invoice_id_finance_invoice')),
    sa.ForeignKeyConstraint(['payment_id'], ['finance_payment.id'], name=op.f('fk_finance_allocation_payment_id_finance_payment')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_finance_allocation'))
    )
    op.create_index(op.f('ix_finance_allocation_company_id'), 'finance_allocation', ['company_id'], unique=False)
    op.create_index(op.f('ix_finance_allocation_credit_id'), 'finance_allocation', ['credit_id'], unique=False)
    op.create_index(op.f('ix_finance_allocation_invoice_id'), 'finance_allocation', ['invoice_id'], unique=False)
    op.create_index(op.f('ix_finance_allocation_payment_id'), 'finance_allocation', ['payment_id'], unique=False)
    op.create_table('finance_bank_line',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('statement_id', sa.Integer(), nullable=False),
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('amount_units', sa.BigInteger(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('reference', sa.String(length=200), nullable=False),
    sa.Column('counterparty', sa.String(length=200), nullable=False),
    sa.Column('state', sa.Enum('open', 'matched', name='banklinestate', native_enum=False, length=20), nullable=False),
    sa.Column('payment_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['company_id'], ['core_company.id'], name=op.f('fk_finance_bank_line_company_id_core_company')),
    sa.ForeignKeyConstraint(['payment_id'], ['finance_payment.id'], name=op.f('fk_finance_bank_line_payment_id_finance_payment')),
    sa.ForeignKeyConstraint(['statement_id'], ['finance_bank_statement.id'], name=op.f('fk_finance_bank_line_statement_id_finance_bank_statement')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_finance_bank_line')),
    sa.UniqueConstraint('payment_id', name=op.f('uq_finance_bank_line_payment_id'))
    )
    op.create_index('ix_finance_bank_line_statement_date', 'finance_bank_line', ['statement_id', 'date'], unique=False)
    op.create_index(op.f('ix_finance_bank_line_company_id'), 'finance_bank_line', ['company_id'], unique=False)
    op.create_index(op.f('ix_finance_bank_line_statement_id'), 'finance_bank_line', ['statement_id'], unique=False)
    op.create_table('finance_invoice_line',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('invoice_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=True),
    sa.Column('description', sa.String(length=500), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('quantity', sa.BigInteger(), nullable=False),
    sa.Column('unit_price', sa.BigInteger(), nullable=False),
    sa.Column('discount', sa.BigInteger(), nullable=False),
    sa.Column('net_units', sa.BigInteger(), nullable=False),
    sa.Column('tax_units', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['ledger_account.id'], name=op.f('fk_finance_invoice_line_account_id_ledger_account')),
    sa.ForeignKeyConstraint(['company_id'], ['core_company.id'], name=op.f('fk_finance_invoice_line_company_id_core_company')),
    sa.ForeignKeyConstraint(['invoice_id'], ['finance_invoice.id'], name=op.f('fk_finance_invoice_line_invoice_id_finance_invoice')),
    sa.ForeignKeyConstraint(['product_id'], ['core_product.id'], name=op.f('fk_finance_invoice_line_product_id_core_product')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_finance_invoice_line'))
    )
    op.create_index(op.f('ix_finance_invoice_line_company_id'), 'finance_invoice_line', ['company_id'], unique=False)
    op.create_index(op.f('ix_finance_invoice_line_invoice_id'), 'finance_invoice_line', ['invoice_id'], unique=False)
    op.create_table('finance_line_tax',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('line_id', sa.Integer(), nullable=False),
    sa.Column('tax_id', sa.Integer(), nullable=False),
    sa.Column('amount_units', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['core_company.id'], name=op.f('fk_finance_line_tax_company_id_core_company')),
    sa.ForeignKeyConstraint(['line_id'], ['finance_invoice_line.id'], name=op.f('fk_finance_line_tax_line_id_finance_invoice_line')),
    sa.ForeignKeyConstraint(['tax_id'], ['finance_tax.id'], name=op.f('fk_finance_line_tax_tax_id_finance_tax')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_finance_line_tax')),
    sa.UniqueConstraint('line_id', 'tax_id', name=op.f('uq_finance_line_tax_line_id_tax_id'))
    )
    op.create_index(op.f('ix_finance_line_tax_company_id'), 'finance_line_tax', ['company_id'], unique=False)
    op.create_index(op.f('ix_finance_line_tax_line_id'), 'finance_line_tax', ['line_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_finance_line_tax_line_id'), table_name='finance_line_tax')
    op.drop_index(op.f('ix_finance_line_tax_company_id'), table_name='finance_line_tax')
    op.drop_table('finance_line_tax')
    op.drop_index(op.f('ix_finance_invoice_line_invoice_id'), table_name='finance_invoice_line')
    op.drop_index(op.f('ix_finance_invoice_line_company_id'), table_name='finance_invoice_line')
    op.drop_table('finance_invoice_line')
    op.drop_index(op.f('ix_finance_bank_line_statement_id'), table_name='finance_bank_line')
    op.drop_index('ix_finance_bank_line_statement_date', table_name='finance_bank_line')
    op.drop_index(op.f('ix_finance_bank_line_company_id'), table_name='finance_bank_line')
    op.drop_table('finance_bank_line')
    op.drop_index(op.f('ix_finance_allocation_payment_id'), table_name='finance_allocation')
    op.drop_index(op.f('ix_finance_allocation_invoice_id'), table_name='finance_allocation')
    op.drop_index(op.f('ix_finance_allocation_credit_id'), table_name='finance_allocation')
    op.drop_index(op.f('ix_finance_allocation_company_id'), table_name='finance_allocation')
    op.drop_table('finance_allocation')
    op.drop_index(op.f('ix_finance_sequence_company_id'), table_name='finance_sequence')
    op.drop_table('finance_sequence')
    op.drop_index(op.f('ix_finance_payment_party_id'), table_name='finance_payment')
    op.drop_index(op.f('ix_finance_payment_company_id'), table_name='finance_payment')
    op.drop_table('finance_payment')
    op.drop_index(op.f('ix_finance_invoice_party_id'), table_name='finance_invoice')
    op.drop_index(op.f('ix_finance_invoice_origin'), table_name='finance_invoice')
    op.drop_index(op.f('ix_finance_invoice_company_id'), table_name='finance_invoice')
    op.drop_table('finance_invoice')
    op.drop_index(op.f('ix_finance_entry_company_id'), table_name='finance_entry')
    op.drop_table('finance_entry')
    op.drop_index(op.f('ix_finance_budget_line_company_id'), table_name='finance_budget_line')
    op.drop_index(op.f('ix_finance_budget_line_budget_id'), table_name='finance_budget_line')
    op.drop_table('finance_budget_line')
    op.drop_index(op.f('ix_finance_bank_statement_company_id'), table_name='finance_bank_statement')
    op.drop_table('finance_bank_statement')
    op.drop_index(op.f('ix_finance_tax_company_id'), table_name='finance_tax')
    op.drop_table('finance_tax')
    op.drop_table('finance_settings')
    op.drop_index(op.f('ix_finance_period_fiscal_year_id'), table_name='finance_period')
    op.drop_index(op.f('ix_finance_period_company_id'), table_name='finance_period')
    op.drop_table('finance_period')
    op.drop_index(op.f('ix_finance_journal_company_id'), table_name='finance_journal')
    op.drop_table('finance_journal')
    op.drop_index(op.f('ix_finance_budget_company_id'), table_name='finance_budget')
    op.drop_table('finance_budget')
    op.drop_index(op.f('ix_finance_account_company_id'), table_name='finance_account')
    op.drop_table('finance_account')
    op.drop_index(op.f('ix_finance_rate_company_id'), table_name='finance_rate')
    op.drop_table('finance_rate')
    op.drop_index(op.f('ix_finance_payment_term_company_id'), table_name='finance_payment_term')
    op.drop_table('finance_payment_term')
    op.drop_index(op.f('ix_finance_fiscal_year_company_id'), table_name='finance_fiscal_year')
    op.drop_table('finance_fiscal_year')
