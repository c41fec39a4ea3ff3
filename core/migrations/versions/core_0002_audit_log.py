"""The audit log (append-only: triggers refuse UPDATE, DELETE, REPLACE, TRUNCATE) and web session tokens.

Revision ID: core_0002
Revises: core_0001
Create Date: 2026-11-26 20:35:15.071136
"""
import secrets

import sqlalchemy as sa
from alembic import op

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
    with op.batch_alter_table('core_user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_token', sa.String(length=64), nullable=True))
    users = sa.table('core_user', sa.column('id', sa.Integer), sa.column('session_token', sa.String))
    connection = op.get_bind()
    for (user_id,) in connection.execute(sa.select(users.c.id)).all():
        connection.execute(users.update().where(users.c.id == user_id).values(session_token=secrets.token_hex(32)))
    with op.batch_alter_table('core_user', schema=None) as batch_op:
        batch_op.alter_column('session_token', existing_type=sa.String(length=64), nullable=False)
        batch_op.create_unique_constraint(batch_op.f('uq_core_user_session_token'), ['session_token'])


def downgrade() -> None:
    with op.batch_alter_table('core_user', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_core_user_session_token'), type_='unique')
        batch_op.drop_column('session_token')
    drop_triggers(op.get_bind(), tables=AUDIT["tables"], function=AUDIT["function"])
    with op.batch_alter_table('core_audit', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_core_audit_username'))
        batch_op.drop_index(batch_op.f('ix_core_audit_created_at'))
        batch_op.drop_index(batch_op.f('ix_core_audit_company_id'))
        batch_op.drop_index(batch_op.f('ix_core_audit_address'))

    op.drop_table('core_audit')
