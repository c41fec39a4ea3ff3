"""Languages and number formats: English and Korean, amounts per currency.

The language is the signed-in user's preference (``User.locale``) when set,
else the best match of the browser's ``Accept-Language``, else English.
Amounts are ``Decimal`` and are formatted with the currency's own number of
decimals (KRW none, USD two, KWD three) in the page's locale.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from functools import lru_cache
from typing import Optional

from babel import Locale
from babel.dates import format_date
from babel.numbers import NumberPattern, parse_pattern
from flask import Flask, has_request_context, request
from flask_babel import Babel, get_locale, gettext
from flask_login import current_user

__all__ = ["LANGUAGES", "init_i18n", "select_locale", "money", "number", "day", "translated"]

# code: the language's own name, as the switcher shows it.
LANGUAGES = {"en": "English", "ko": "한국어"}


def select_locale() -> str:
    preferred = (
        getattr(current_user, "locale", None) if current_user and current_user.is_authenticated else None
    )
    if preferred in LANGUAGES:
        return preferred
    return request.accept_languages.best_match(list(LANGUAGES)) or "en"


# Babel parses a number pattern on every call; a list page formats hundreds of cells,
# so the patterns are parsed once per locale (and dates once per locale and day).
@lru_cache(maxsize=32)
def _locale(code: str) -> Locale:
    return Locale.parse(code)


@lru_cache(maxsize=64)
def _decimal_pattern(places: int) -> NumberPattern:
    return parse_pattern("#,##0" + ("." + "0" * places if places else ""))


@lru_cache(maxsize=4096)
def _day(value: dt.date, code: str) -> str:
    return format_date(value, "medium", locale=_locale(code))


def money(amount: Optional[Decimal], currency: str) -> str:
    """``amount`` in ``currency``, e.g. ``₩1,234,500`` or ``$1,234.50``; blank for ``None``."""
    if amount is None:
        return ""
    locale = _locale(str(get_locale() or "en"))
    return locale.currency_formats["standard"].apply(amount, locale, currency=currency, currency_digits=True)


def number(amount: Optional[Decimal]) -> str:
    """A quantity or an amount without its currency, all its decimals kept."""
    if amount is None:
        return ""
    amount = Decimal(amount)  # an int count as well as a Decimal amount
    exponent = amount.as_tuple().exponent
    places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    return _decimal_pattern(places).apply(amount, _locale(str(get_locale() or "en")))


def day(value: Optional[dt.date]) -> str:
    return "" if value is None else _day(value, str(get_locale() or "en"))


def translated(text: str, **values) -> str:
    """``text`` translated on a page (the page's language); plain English elsewhere (the CLI, events)."""
    if has_request_context():
        return gettext(text, **values)
    return text % values if values else text


def init_i18n(app: Flask) -> None:
    Babel(app, locale_selector=select_locale)
    app.jinja_env.filters.update(money=money, number=number, day=day)

    @app.context_processor
    def _languages() -> dict:
        return {"languages": LANGUAGES, "locale": str(get_locale() or "en")}
