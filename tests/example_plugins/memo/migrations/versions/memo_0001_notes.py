"""memo: the notes table.

Revision ID: memo_0001
Revises:
Create Date: 2026-11-26
"""
import sqlalchemy as sa
from alembic import op

revision = "memo_0001"
down_revision = None
branch_labels = ("memo",)
depends_on = "core_0001"


def upgrade() -> None:
    op.create_table(
        "memo_note",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.String(length=500), nullable=False),
        sa.ForeignKeyConstraint(["company_id"], ["core_company.id"], name=op.f("fk_memo_note_company_id_core_company")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_memo_note")),
    )
    op.create_index(op.f("ix_memo_note_company_id"), "memo_note", ["company_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_memo_note_company_id"), table_name="memo_note")
    op.drop_table("memo_note")
