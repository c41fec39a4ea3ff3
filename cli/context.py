"""What every command shares: the database, the company, the output mode.

Commands receive an :class:`Env` (``@click.pass_obj``). ``env.session()``
is one all-or-nothing unit of work; ``env.emit`` prints either a stable JSON
document (``--json``) or text for people.
"""

from __future__ import annotations

import json
import sys
import unicodedata
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any, Callable, Optional

import attrs
import click
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from core.companies import get_company
from core.db import make_engine, make_session_factory
from core.models import Company
from core.plugins import Plugins
from core.values import plain

__all__ = ["Env", "to_json"]


def to_json(value: Any) -> Any:
    """Plain JSON: Decimals as strings (exact), dates ISO, enums by value, containers walked."""
    if attrs.has(type(value)):
        return {k: to_json(v) for k, v in attrs.asdict(value, recurse=False).items()}
    if isinstance(value, dict):
        return {str(k): to_json(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [to_json(v) for v in value]
    return plain(value)


def _width(text: str) -> int:
    """Columns ``text`` takes in a terminal: Korean, Chinese and Japanese characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int, right: bool) -> str:
    fill = " " * (width - _width(text))
    return fill + text if right else text + fill


class Env:
    """The global options and the lazily opened database of one invocation."""

    def __init__(self, plugins: Plugins, database_url: str, company_code: Optional[str], as_json: bool):
        self.plugins = plugins
        self.database_url = database_url
        self.company_code = company_code
        self.json = as_json
        self._engine: Optional[Engine] = None
        self._factory: Optional[sessionmaker[Session]] = None

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            self._engine = make_engine(self.database_url)
        return self._engine

    @property
    def session_factory(self) -> sessionmaker[Session]:
        if self._factory is None:
            self._factory = make_session_factory(self.engine, self.plugins)
        return self._factory

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One unit of work: committed at the end, rolled back on any error."""
        with self.session_factory() as session, session.begin():
            yield session

    def company(self, session: Session) -> Company:
        return get_company(session, self.company_code)

    def close(self) -> None:
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None
            self._factory = None

    # -- output -----------------------------------------------------------------
    def emit(self, data: Any, text: str | Callable[[], None] | None = None) -> None:
        """Print ``data`` as JSON with ``--json``, else ``text`` (or a call that prints)."""
        if self.json:
            click.echo(json.dumps(to_json(data), indent=2, ensure_ascii=False))
        elif callable(text):
            text()
        elif text is not None:
            click.echo(text)

    def table(self, headers: Sequence[str], rows: Sequence[Sequence[Any]], right: Sequence[int] = ()) -> None:
        """A plain aligned table for people."""
        cells = [[str(h) for h in headers]] + [["" if c is None else str(c) for c in row] for row in rows]
        widths = [max(_width(r[i]) for r in cells) for i in range(len(headers))]
        for n, row in enumerate(cells):
            line = "  ".join(_pad(c, w, i in right) for i, (c, w) in enumerate(zip(row, widths)))
            click.echo(line.rstrip())
            if n == 0:
                click.echo("  ".join("-" * w for w in widths))

    def progressbar(self, length: int, label: str):
        """A progress bar on stderr (so ``--json`` output stays clean), for terminals only."""
        return click.progressbar(length=length, label=label, file=sys.stderr, hidden=not sys.stderr.isatty())
