"""Document number counters shared by the plugins (core.numbering).

Revision ID: core_0003
Revises: core_0002
Create Date: 2026-12-02
"""
import sqlalchemy as sa
from alembic import op

revision = 'core_0003'
down_revision = 'core_0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('core_counter',
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('prefix', sa.String(length=40), nullable=False),
    sa.Column('last', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['core_company.id'], name=op.f('fk_core_counter_company_id_core_company')),
    sa.PrimaryKeyConstraint('company_id', 'prefix', name=op.f('pk_core_counter'))
    )


def downgrade() -> None:
    op.drop_table('core_counter')
