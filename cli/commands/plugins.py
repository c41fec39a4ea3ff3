"""``jangbu plugins``: what is available and what each company installed."""

from __future__ import annotations

import click
from sqlalchemy import select

from cli.context import Env
from core.installation import install, uninstall
from core.models import Company, PluginInstallation


@click.group()
def plugins() -> None:
    """Plugins: list, install and uninstall for a company."""


@plugins.command("list")
@click.pass_obj
def plugins_list(env: Env) -> None:
    """Every available plugin and the companies that installed it."""
    with env.session() as session:
        rows = session.execute(select(PluginInstallation.plugin, Company.code)
                               .join(Company, Company.id == PluginInstallation.company_id)
                               .where(PluginInstallation.installed).order_by(Company.code)).all()
    users: dict[str, list[str]] = {}
    for name, code in rows:
        users.setdefault(name, []).append(code)
    data = [{"name": i.name, "version": i.version, "requires": list(i.requires), "optional": list(i.optional),
             "description": i.description, "companies": users.get(i.name, [])}
            for i in env.plugins.infos() if i.name != "core"]
    env.emit(
        data,
        lambda: (
            env.table(
                ["name", "version", "requires", "optional", "companies"],
                [
                    [
                        d["name"],
                        d["version"],
                        ", ".join(d["requires"]),
                        ", ".join(d["optional"]),
                        ", ".join(d["companies"]),
                    ]
                    for d in data
                ],
            )
            if data
            else click.echo("no plugins available")
        ),
    )


@plugins.command("install")
@click.argument("names", nargs=-1, required=True)
@click.pass_obj
def plugins_install(env: Env, names: tuple[str, ...]) -> None:
    """Install plugins NAMES (and what they require) for --company."""
    with env.session() as session:
        company = env.company(session)
        done = install(session, company, names)
    env.emit({"company": company.code, "installed": done},
             f"installed for {company.code}: {', '.join(done)}" if done else "already installed")


@plugins.command("uninstall")
@click.argument("name")
@click.pass_obj
def plugins_uninstall(env: Env, name: str) -> None:
    """Uninstall plugin NAME for --company (its data is kept)."""
    with env.session() as session:
        company = env.company(session)
        uninstall(session, company, name)
    env.emit({"company": company.code, "uninstalled": name}, f"uninstalled {name} for {company.code}")
