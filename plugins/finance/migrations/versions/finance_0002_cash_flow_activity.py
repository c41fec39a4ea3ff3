"""finance: a cash-flow activity per account; statement sections that agree with the ledger type.

Adds ``finance_account.cash_flow`` (NULL: the section's default activity) and
sets the chart templates' short-term borrowings (260 in the Korean chart,
2300 in the IFRS-style one) to financing. An account classified under a
section that contradicts its ledger type (an expense shown as an asset)
goes back to its type's default section: the year close sweeps accounts by
type, so the statements must place them by type too.

Revision ID: finance_0002
Revises: finance_0001
Create Date: 2026-12-07
"""
import sqlalchemy as sa
from alembic import op

revision = "finance_0002"
down_revision = "finance_0001"
branch_labels = None
depends_on = None

# The data as it is at this revision (not imported from the models, which move on).
_SECTION_TYPE = {
    "cash": "asset", "receivable": "asset", "current_asset": "asset", "non_current_asset": "asset",
    "depreciation": "asset", "payable": "liability", "current_liability": "liability",
    "non_current_liability": "liability", "equity": "equity", "retained_earnings": "equity",
    "revenue": "income", "other_income": "income", "cost_of_sales": "expense", "expense": "expense",
    "other_expense": "expense",
}
_DEFAULT_SECTION = {"asset": "current_asset", "liability": "current_liability", "equity": "equity",
                    "income": "revenue", "expense": "expense"}
_BORROWINGS = {"kr": "260", "ifrs": "2300"}


def upgrade() -> None:
    op.add_column("finance_account", sa.Column("cash_flow", sa.Enum(
        "operating", "investing", "financing", name="activity", native_enum=False, length=20), nullable=True))
    info = sa.table("finance_account", sa.column("id", sa.Integer), sa.column("company_id", sa.Integer),
                    sa.column("account_id", sa.Integer), sa.column("section", sa.String),
                    sa.column("cash_flow", sa.String))
    account = sa.table("ledger_account", sa.column("id", sa.Integer), sa.column("code", sa.String),
                       sa.column("type", sa.String))
    settings = sa.table("finance_settings", sa.column("company_id", sa.Integer), sa.column("template", sa.String))
    bind = op.get_bind()
    rows = bind.execute(sa.select(info.c.id, info.c.section, account.c.type, account.c.code, settings.c.template)
                        .join(account, account.c.id == info.c.account_id)
                        .outerjoin(settings, settings.c.company_id == info.c.company_id)).all()
    for id_, section, type_, code, template in rows:
        if _SECTION_TYPE[section] != type_ and type_ in _DEFAULT_SECTION:
            bind.execute(sa.update(info).where(info.c.id == id_).values(section=_DEFAULT_SECTION[type_]))
        elif section == "current_liability" and code == _BORROWINGS.get(template):
            bind.execute(sa.update(info).where(info.c.id == id_).values(cash_flow="financing"))


def downgrade() -> None:
    with op.batch_alter_table("finance_account") as batch:
        batch.drop_column("cash_flow")
