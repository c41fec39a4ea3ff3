"""Alembic environment: runs on the connection ``core.migrate`` hands over."""

from alembic import context

import core.ledger  # noqa: F401  (the ledger tables and their triggers)
import core.models  # noqa: F401
from core.db import Base

config = context.config
connection = config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
