"""Chart-of-accounts templates: a generic IFRS-style one and a Korean one.

Each account says its code, name, ledger type, statement section, parent
(for the hierarchy) and, where finance posts to it by default, its *role*.
The generic template keeps the codes of core's small demo chart, so books
started without finance carry on in the same accounts.
"""

from __future__ import annotations

from typing import NamedTuple, Optional

from plugins.finance.models import Activity, Section

__all__ = ["TemplateAccount", "TemplateTax", "TEMPLATES", "ROLES", "template_for_country"]

S = Section


class TemplateAccount(NamedTuple):
    code: str
    name: str
    type: str
    section: Section
    parent: Optional[str] = None
    role: Optional[str] = None
    no_negative: bool = False
    cash_flow: Optional[Activity] = None  # None: the section's default activity


class TemplateTax(NamedTuple):
    code: str
    name: str
    scope: str
    rate: str
    account_role: str
    included: bool = False


# The roles finance needs an account for; the settings row points at them.
ROLES = ("receivable", "payable", "income", "expense", "retained_earnings", "fx_gain", "fx_loss", "rounding",
         "vat_out", "vat_in", "bank", "cash")

A = TemplateAccount
IFRS = (
    A("1", "Assets", "asset", S.CURRENT_ASSET),
    A("10", "Current assets", "asset", S.CURRENT_ASSET, "1"),
    A("1000", "Cash", "asset", S.CASH, "10", "cash", True),
    A("1100", "Bank", "asset", S.CASH, "10", "bank"),
    A("1200", "Accounts receivable", "asset", S.RECEIVABLE, "10", "receivable"),
    A("1300", "VAT receivable", "asset", S.CURRENT_ASSET, "10", "vat_in"),
    A("1400", "Inventory", "asset", S.CURRENT_ASSET, "10"),
    A("1500", "Prepaid expenses", "asset", S.CURRENT_ASSET, "10"),
    A("15", "Non-current assets", "asset", S.NON_CURRENT_ASSET, "1"),
    A("1600", "Property, plant and equipment", "asset", S.NON_CURRENT_ASSET, "15"),
    A("1690", "Accumulated depreciation", "asset", S.DEPRECIATION, "15"),
    A("1700", "Intangible assets", "asset", S.NON_CURRENT_ASSET, "15"),
    A("2", "Liabilities", "liability", S.CURRENT_LIABILITY),
    A("20", "Current liabilities", "liability", S.CURRENT_LIABILITY, "2"),
    A("2000", "Accounts payable", "liability", S.PAYABLE, "20", "payable"),
    A("2100", "VAT payable", "liability", S.CURRENT_LIABILITY, "20", "vat_out"),
    A("2200", "Accrued expenses", "liability", S.CURRENT_LIABILITY, "20"),
    A("2300", "Short-term borrowings", "liability", S.CURRENT_LIABILITY, "20", cash_flow=Activity.FINANCING),
    A("25", "Non-current liabilities", "liability", S.NON_CURRENT_LIABILITY, "2"),
    A("2500", "Long-term borrowings", "liability", S.NON_CURRENT_LIABILITY, "25"),
    A("3", "Equity", "equity", S.EQUITY),
    A("3000", "Share capital", "equity", S.EQUITY, "3"),
    A("3100", "Retained earnings", "equity", S.RETAINED_EARNINGS, "3", "retained_earnings"),
    A("4", "Income", "income", S.REVENUE),
    A("4000", "Sales", "income", S.REVENUE, "4", "income"),
    A("4100", "Services", "income", S.REVENUE, "4"),
    A("4900", "Other income", "income", S.OTHER_INCOME, "4"),
    A("4910", "Exchange gains", "income", S.OTHER_INCOME, "4", "fx_gain"),
    A("5", "Cost of sales", "expense", S.COST_OF_SALES),
    A("5000", "Cost of goods sold", "expense", S.COST_OF_SALES, "5"),
    A("6", "Operating expenses", "expense", S.EXPENSE),
    A("6000", "Rent", "expense", S.EXPENSE, "6"),
    A("6100", "Salaries", "expense", S.EXPENSE, "6"),
    A("6200", "Utilities", "expense", S.EXPENSE, "6"),
    A("6300", "Office supplies", "expense", S.EXPENSE, "6", "expense"),
    A("6400", "Depreciation", "expense", S.EXPENSE, "6"),
    A("6500", "Marketing", "expense", S.EXPENSE, "6"),
    A("6600", "Travel", "expense", S.EXPENSE, "6"),
    A("7", "Other expenses", "expense", S.OTHER_EXPENSE),
    A("7000", "Interest expense", "expense", S.OTHER_EXPENSE, "7"),
    A("7100", "Exchange losses", "expense", S.OTHER_EXPENSE, "7", "fx_loss"),
    A("7200", "Rounding differences", "expense", S.OTHER_EXPENSE, "7", "rounding"),
)

# K-GAAP style three-digit codes, as Korean bookkeeping software numbers them.
KR = (
    A("1", "자산", "asset", S.CURRENT_ASSET),
    A("10", "유동자산", "asset", S.CURRENT_ASSET, "1"),
    A("101", "현금", "asset", S.CASH, "10", "cash", True),
    A("103", "보통예금", "asset", S.CASH, "10", "bank"),
    A("108", "외상매출금", "asset", S.RECEIVABLE, "10", "receivable"),
    A("133", "선급비용", "asset", S.CURRENT_ASSET, "10"),
    A("135", "부가세대급금", "asset", S.CURRENT_ASSET, "10", "vat_in"),
    A("146", "상품", "asset", S.CURRENT_ASSET, "10"),
    A("20", "비유동자산", "asset", S.NON_CURRENT_ASSET, "1"),
    A("202", "건물", "asset", S.NON_CURRENT_ASSET, "20"),
    A("212", "비품", "asset", S.NON_CURRENT_ASSET, "20"),
    A("213", "감가상각누계액", "asset", S.DEPRECIATION, "20"),
    A("232", "소프트웨어", "asset", S.NON_CURRENT_ASSET, "20"),
    A("2", "부채", "liability", S.CURRENT_LIABILITY),
    A("25", "유동부채", "liability", S.CURRENT_LIABILITY, "2"),
    A("251", "외상매입금", "liability", S.PAYABLE, "25", "payable"),
    A("253", "미지급금", "liability", S.CURRENT_LIABILITY, "25"),
    A("255", "부가세예수금", "liability", S.CURRENT_LIABILITY, "25", "vat_out"),
    A("260", "단기차입금", "liability", S.CURRENT_LIABILITY, "25", cash_flow=Activity.FINANCING),
    A("29", "비유동부채", "liability", S.NON_CURRENT_LIABILITY, "2"),
    A("293", "장기차입금", "liability", S.NON_CURRENT_LIABILITY, "29"),
    A("3", "자본", "equity", S.EQUITY),
    A("331", "자본금", "equity", S.EQUITY, "3"),
    A("375", "이월이익잉여금", "equity", S.RETAINED_EARNINGS, "3", "retained_earnings"),
    A("4", "매출", "income", S.REVENUE),
    A("401", "상품매출", "income", S.REVENUE, "4", "income"),
    A("412", "용역매출", "income", S.REVENUE, "4"),
    A("45", "매출원가", "expense", S.COST_OF_SALES),
    A("451", "상품매출원가", "expense", S.COST_OF_SALES, "45"),
    A("8", "판매비와관리비", "expense", S.EXPENSE),
    A("801", "급여", "expense", S.EXPENSE, "8"),
    A("811", "복리후생비", "expense", S.EXPENSE, "8"),
    A("812", "여비교통비", "expense", S.EXPENSE, "8"),
    A("815", "수도광열비", "expense", S.EXPENSE, "8"),
    A("818", "감가상각비", "expense", S.EXPENSE, "8"),
    A("819", "지급임차료", "expense", S.EXPENSE, "8"),
    A("830", "소모품비", "expense", S.EXPENSE, "8", "expense"),
    A("833", "광고선전비", "expense", S.EXPENSE, "8"),
    A("9", "영업외손익", "income", S.OTHER_INCOME),
    A("901", "이자수익", "income", S.OTHER_INCOME, "9"),
    A("907", "외환차익", "income", S.OTHER_INCOME, "9", "fx_gain"),
    A("930", "잡이익", "income", S.OTHER_INCOME, "9"),
    A("931", "이자비용", "expense", S.OTHER_EXPENSE, "9"),
    A("932", "외환차손", "expense", S.OTHER_EXPENSE, "9", "fx_loss"),
    A("980", "잡손실", "expense", S.OTHER_EXPENSE, "9", "rounding"),
)

TAXES = {
    "ifrs": (
        TemplateTax("VAT10-S", "VAT 10% (sales)", "sale", "10", "vat_out"),
        TemplateTax("VAT10-P", "VAT 10% (purchases)", "purchase", "10", "vat_in"),
        TemplateTax("VAT10-SI", "VAT 10% included (sales)", "sale", "10", "vat_out", True),
        TemplateTax("VAT0-S", "Zero-rated (sales)", "sale", "0", "vat_out"),
    ),
    "kr": (
        TemplateTax("VAT10-S", "부가세 10% (매출)", "sale", "10", "vat_out"),
        TemplateTax("VAT10-P", "부가세 10% (매입)", "purchase", "10", "vat_in"),
        TemplateTax("VAT10-SI", "부가세 10% 포함 (매출)", "sale", "10", "vat_out", True),
        TemplateTax("VAT0-S", "영세율 (매출)", "sale", "0", "vat_out"),
    ),
}

# code, name, days, months, end of month
TERMS = {
    "ifrs": (("NOW", "Immediate payment", 0, 0, False), ("NET15", "15 days", 15, 0, False),
             ("NET30", "30 days", 30, 0, False), ("NET60", "60 days", 60, 0, False),
             ("EOM1", "End of next month", 0, 1, True)),
    "kr": (("NOW", "즉시", 0, 0, False), ("NET15", "15일", 15, 0, False), ("NET30", "30일", 30, 0, False),
           ("NET60", "60일", 60, 0, False), ("EOM1", "익월말", 0, 1, True)),
}

# code, name, kind, account role
JOURNALS = {
    "ifrs": (
        ("INV", "Customer invoices", "sale", None),
        ("BILL", "Supplier bills", "purchase", None),
        ("BANK", "Bank", "bank", "bank"),
        ("CASH", "Cash", "cash", "cash"),
        ("MISC", "Miscellaneous operations", "general", None),
    ),
    "kr": (
        ("INV", "매출", "sale", None),
        ("BILL", "매입", "purchase", None),
        ("BANK", "보통예금", "bank", "bank"),
        ("CASH", "현금", "cash", "cash"),
        ("MISC", "일반전표", "general", None),
    ),
}

TEMPLATES = {"ifrs": IFRS, "kr": KR}
DEFAULT_TAX = {"sale": "VAT10-S", "purchase": "VAT10-P"}


def template_for_country(country: Optional[str]) -> str:
    return "kr" if country == "KR" else "ifrs"
