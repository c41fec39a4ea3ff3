"""Text written into a CSV file that a spreadsheet program will open.

Spreadsheets run a cell as a formula when it starts with ``=``, ``+``, ``-``
or ``@`` (and some when it starts with a tab or a carriage return), and they
strip leading spaces before deciding, so `` =HYPERLINK(...)`` runs too. Every
CSV the product writes passes its text cells through ``defuse``; amounts and
numbers are written as they are (a spreadsheet reads ``-5`` as a number).
"""

from __future__ import annotations

__all__ = ["defuse", "FORMULA_STARTS"]

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def defuse(text: str) -> str:
    """``text`` with a leading ``'`` when its first non-blank character (or a tab
    or CR among its leading blanks) would start a formula; else ``text``."""
    rest = text.lstrip(
        " \u00a0\u3000\n\x0b\x0c"
    )  # blanks, but not the tab and CR that start formulas themselves
    return "'" + text if rest.startswith(FORMULA_STARTS) else text
