"""ISO 4217 currencies Jangbu knows out of the box, with their minor-unit scale."""

from __future__ import annotations

__all__ = ["CURRENCIES"]

# code: (name, scale)
CURRENCIES: dict[str, tuple[str, int]] = {
    "KRW": ("South Korean won", 0),
    "USD": ("US dollar", 2),
    "EUR": ("Euro", 2),
    "JPY": ("Japanese yen", 0),
    "CNY": ("Chinese yuan", 2),
    "GBP": ("Pound sterling", 2),
    "CHF": ("Swiss franc", 2),
    "CAD": ("Canadian dollar", 2),
    "AUD": ("Australian dollar", 2),
    "HKD": ("Hong Kong dollar", 2),
    "SGD": ("Singapore dollar", 2),
    "TWD": ("New Taiwan dollar", 2),
    "VND": ("Vietnamese dong", 0),
    "THB": ("Thai baht", 2),
    "INR": ("Indian rupee", 2),
    "IDR": ("Indonesian rupiah", 2),
    "MYR": ("Malaysian ringgit", 2),
    "PHP": ("Philippine peso", 2),
    "SEK": ("Swedish krona", 2),
    "NOK": ("Norwegian krone", 2),
    "DKK": ("Danish krone", 2),
    "PLN": ("Polish zloty", 2),
    "BRL": ("Brazilian real", 2),
    "MXN": ("Mexican peso", 2),
    "ZAR": ("South African rand", 2),
    "AED": ("UAE dirham", 2),
    "SAR": ("Saudi riyal", 2),
    "KWD": ("Kuwaiti dinar", 3),
    "BHD": ("Bahraini dinar", 3),
    "NZD": ("New Zealand dollar", 2),
}
