"""The audit log: append-only (triggers refuse UPDATE, DELETE, REPLACE and TRUNCATE).

Revision ID: core_0002
Revises: core_0001
Create Date: 2026-11-26 20:35:15.071136
"""
from alembic import op
import sqlalchemy as sa

from core.ledger.immutability import AUDIT, create_triggers, drop_triggers


revision = 'core_0002'
down_revision = 'core_0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('core_audit',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=True),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('username', sa.String(length=80), nullable=True),
    sa.Column('address', sa.String(length=64), nullable=True),
    sa.Column('action', sa.String(length=40), nullable=False),
    sa.Column('detail', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['core_company.id'], name=op.f('fk_core_audit_company_id_core_company')),
    sa.ForeignKeyConstraint(['user_id'], ['core_user.id'], name=op.f('fk_core_audit_user_id_core_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_core_audit'))
    )
    with op.batch_alter_table('core_audit', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_core_audit_address'), ['address'], unique=False)
        batch_op.create_index(batch_op.f('ix_core_audit_company_id'), ['company_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_core_audit_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_core_audit_username'), ['username'], unique=False)
    create_triggers(op.get_bind(), **AUDIT)


def downgrade() -> None:
    drop_triggers(op.get_bind(), tables=AUDIT["tables"], function=AUDIT["function"])
    with op.batch_alter_table('core_audit', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_core_audit_username'))
        batch_op.drop_index(batch_op.f('ix_core_audit_created_at'))
        batch_op.drop_index(batch_op.f('ix_core_audit_company_id'))
        batch_op.drop_index(batch_op.f('ix_core_audit_address'))

    op.drop_table('core_audit')
