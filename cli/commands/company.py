"""``jangbu company``: create, list and show companies."""

from __future__ import annotations

from typing import Optional

import click

from cli.context import Env
from cli.params import Whole
from core.companies import create_company, get_company, list_companies
from core.models import Company


def company_data(env: Env, session, c: Company) -> dict:
    return {"code": c.code, "name": c.name, "currency": c.currency, "country": c.country,
            "timezone": c.timezone, "fiscal_year_start_month": c.fiscal_year_start_month,
            "lock_date": c.lock_date, "plugins": env.plugins.installed(session, c)}


@click.group()
def company() -> None:
    """Companies in this database."""


@company.command("create")
@click.argument("code")
@click.option("--name", required=True, help="The company's name.")
@click.option("--currency", required=True, help="Base currency, ISO code (KRW, USD...).")
@click.option("--country", help="Two-letter country code.")
@click.option("--timezone", default="UTC", show_default=True)
@click.option("--fiscal-year-start", "fiscal_month", type=Whole(1, 12), default=1, show_default=True,
              help="Month the fiscal year starts (1-12).")
@click.option("--plugin", "plugins", multiple=True, help="Install this plugin too (repeatable).")
@click.pass_obj
def company_create(env: Env, code: str, name: str, currency: str, country: Optional[str], timezone: str,
                   fiscal_month: int, plugins: tuple[str, ...]) -> None:
    """Create company CODE."""
    with env.session() as session:
        c = create_company(session, code, name, currency, country=country, timezone=timezone,
                           fiscal_year_start_month=fiscal_month, plugins=plugins)
        data = company_data(env, session, c)
    env.emit(data, f"company {c.code} created ({c.name}, {c.currency})")


@company.command("list")
@click.pass_obj
def company_list(env: Env) -> None:
    """All companies."""
    with env.session() as session:
        rows = [company_data(env, session, c) for c in list_companies(session)]
    env.emit(rows, lambda: env.table(
        ["code", "name", "currency", "country", "plugins"],
        [[r["code"], r["name"], r["currency"], r["country"] or "", ", ".join(r["plugins"])] for r in rows]))


@company.command("show")
@click.argument("code", required=False)
@click.pass_obj
def company_show(env: Env, code: Optional[str]) -> None:
    """Show company CODE (default: --company)."""
    with env.session() as session:
        data = company_data(env, session, get_company(session, code or env.company_code))

    def text() -> None:
        for key, value in data.items():
            shown = ", ".join(value) if isinstance(value, list) else ("" if value is None else value)
            click.echo(f"{key.replace('_', ' ')}: {shown}")

    env.emit(data, text)
