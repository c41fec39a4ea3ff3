"""wms numbers its operations, waves, packages and counts with core's counters
(core.numbering): the last numbers move from wms_counter to core_counter,
their prefixes ending in "/" ("MAIN/IN/" numbers MAIN/IN/00001), and
wms_counter goes.

Revision ID: wms_0002
Revises: wms_0001
Create Date: 2026-12-02
"""
import sqlalchemy as sa
from alembic import op

revision = "wms_0002"
down_revision = "wms_0001"
branch_labels = None
depends_on = "core_0003"


def upgrade() -> None:
    op.execute("INSERT INTO core_counter (company_id, prefix, last) "
               "SELECT company_id, prefix || '/', last FROM wms_counter")
    op.drop_table("wms_counter")


def downgrade() -> None:
    op.create_table("wms_counter",
    sa.Column("company_id", sa.Integer(), nullable=False),
    sa.Column("prefix", sa.String(length=40), nullable=False),
    sa.Column("last", sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(["company_id"], ["core_company.id"], name=op.f("fk_wms_counter_company_id_core_company")),
    sa.PrimaryKeyConstraint("company_id", "prefix", name=op.f("pk_wms_counter"))
    )
    op.execute("INSERT INTO wms_counter (company_id, prefix, last) "
               "SELECT company_id, substr(prefix, 1, length(prefix) - 1), last FROM core_counter "
               "WHERE prefix LIKE '%/'")
    op.execute("DELETE FROM core_counter WHERE prefix LIKE '%/'")
