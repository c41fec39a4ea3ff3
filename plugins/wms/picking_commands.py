"""``jangbu wms pick|pack|wave``: picking by scans, packing, and picking rounds over several deliveries."""

from __future__ import annotations

from typing import Optional

import click
from sqlalchemy import select

from cli.context import Env
from cli.params import Whole
from plugins.wms.documents import Operation, Wave, WaveState
from plugins.wms.operations import find_operation
from plugins.wms.picking import (
    cancel_wave,
    create_wave,
    find_wave,
    finish_wave,
    pick_list,
    pick_wave,
)
from plugins.wms.picking import (
    pack as pack_operation,
)
from plugins.wms.picking import (
    pick as pick_operation,
)

__all__ = ["pick", "pack", "wave"]


def _scans(command):
    """The options of one scan: location, product, quantity and lot."""
    for decorator in reversed([
            click.option("--location", "location_scan", required=True, metavar="SCAN",
                         help="The location's barcode or code."),
            click.option("--product", "product_scan", required=True, metavar="SCAN",
                         help="The product's barcode or SKU."),
            click.option("--qty", "qty", required=True, metavar="QTY", help="How much was picked."),
            click.option("--lot", help="The lot or serial number (tracked products)."),
    ]):
        command = decorator(command)
    return command


def _emit_picked(env: Env, picked) -> None:
    env.emit(picked, lambda: [click.echo(f"picked {p.quantity} {p.product} at {p.location}"
                                         + (f" lot {p.lot}" if p.lot else "") + f" for {p.operation}")
                              for p in picked])


@click.command()
@click.argument("number", metavar="OPERATION")
@_scans
@click.pass_obj
def pick(env: Env, number: str, location_scan: str, product_scan: str, qty: str, lot: Optional[str]) -> None:
    """Record a pick for OPERATION as the scanner read it."""
    with env.session() as session:
        company = env.company(session)
        picked = pick_operation(session, company, find_operation(session, company, number), location_scan,
                                product_scan, qty, lot)
    _emit_picked(env, picked)


@click.command()
@click.argument("number", metavar="OPERATION")
@click.option("--weight-grams", type=Whole(1), help="What the package weighs.")
@click.pass_obj
def pack(env: Env, number: str, weight_grams: Optional[int]) -> None:
    """Put what was picked for a delivery (and not packed yet) into a new package."""
    with env.session() as session:
        company = env.company(session)
        package = pack_operation(session, company, find_operation(session, company, number), weight_grams)
        data = {
            "number": package.number,
            "operation": number.strip().upper(),
            "weight_grams": package.weight_grams,
        }
    env.emit(data, f"package {data['number']} packed for {data['operation']}")


@click.group()
def wave() -> None:
    """Waves: one picking round over several deliveries."""


@wave.command("create")
@click.argument("numbers", nargs=-1, required=True, metavar="OPERATION...")
@click.option("--warehouse", "warehouse_code", help="Default: the company's first warehouse.")
@click.pass_obj
def wave_create(env: Env, numbers: tuple[str, ...], warehouse_code: Optional[str]) -> None:
    """A wave over ready deliveries of one warehouse."""
    with env.session() as session:
        found = create_wave(session, env.company(session), warehouse_code, numbers)
        data = _wave_data(session, found)
    env.emit(data, f"wave {data['number']} created: {', '.join(data['operations'])}")


def _wave_data(session, found: Wave) -> dict:
    numbers = session.scalars(select(Operation.number).where(Operation.wave_id == found.id)
                              .order_by(Operation.id)).all()
    return {"number": found.number, "warehouse": found.warehouse.code, "state": found.state,
            "created_at": found.created_at, "operations": list(numbers)}


@wave.command("list")
@click.option("--state", type=click.Choice([s.value for s in WaveState]))
@click.pass_obj
def wave_list(env: Env, state: Optional[str]) -> None:
    """Waves, newest first."""
    with env.session() as session:
        company = env.company(session)
        query = select(Wave).where(Wave.company_id == company.id).order_by(Wave.id.desc())
        if state:
            query = query.where(Wave.state == WaveState(state))
        data = [_wave_data(session, w) for w in session.scalars(query)]
    env.emit(data, lambda: env.table(["number", "warehouse", "state", "operations"], [
        [d["number"], d["warehouse"], d["state"].value, " ".join(d["operations"])] for d in data]))


@wave.command("show")
@click.argument("number")
@click.pass_obj
def wave_show(env: Env, number: str) -> None:
    """The wave's pick list: the round by location, product and lot."""
    with env.session() as session:
        company = env.company(session)
        found = find_wave(session, company, number)
        rows = pick_list(session, company, found)
        data = _wave_data(session, found) | {"pick_list": rows}

    def text() -> None:
        click.echo(f"wave {data['number']} [{data['state'].value}] {data['warehouse']}")
        env.table(
            ["location", "product", "name", "lot", "to pick", "picked", "unit", "operations"],
            [
                [r.location, r.product, r.name, r.lot, r.quantity, r.picked, r.unit, " ".join(r.operations)]
                for r in rows
            ],
            [4, 5],
        )

    env.emit(data, text)


@wave.command("pick")
@click.argument("number")
@_scans
@click.pass_obj
def wave_pick(
    env: Env, number: str, location_scan: str, product_scan: str, qty: str, lot: Optional[str]
) -> None:
    """Record a pick for the wave, shared over its deliveries oldest first."""
    with env.session() as session:
        company = env.company(session)
        picked = pick_wave(session, company, find_wave(session, company, number), location_scan, product_scan,
                           qty, lot)
    _emit_picked(env, picked)


@wave.command("finish")
@click.argument("number")
@click.option("--date", metavar="DATE", help="Default: today.")
@click.pass_obj
def wave_finish(env: Env, number: str, date: Optional[str]) -> None:
    """Validate every delivery of the wave with what was picked."""
    with env.session() as session:
        company = env.company(session)
        result = finish_wave(session, company, find_wave(session, company, number), date)
    env.emit(result, lambda: click.echo(
        f"wave {result.wave} done: {', '.join(result.done)}"
        + (f"; backorders {', '.join(result.backorders)}" if result.backorders else "")
        + (f"; left out (nothing picked): {', '.join(result.left_out)}" if result.left_out else "")))


@wave.command("cancel")
@click.argument("number")
@click.pass_obj
def wave_cancel(env: Env, number: str) -> None:
    """Cancel an open wave; its deliveries leave it unchanged."""
    with env.session() as session:
        company = env.company(session)
        found = cancel_wave(session, company, find_wave(session, company, number))
        data = _wave_data(session, found)
    env.emit(data, f"wave {data['number']} cancelled")
