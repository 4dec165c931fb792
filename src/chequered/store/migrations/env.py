"""Alembic environment: migrations run on a connection the store hands over (``config.attributes``).

The store opens that connection inside its write transaction (``BEGIN IMMEDIATE`` on SQLite, an advisory
lock on PostgreSQL), so two processes starting at once apply each migration exactly once.
"""

from __future__ import annotations

from alembic import context

from chequered.store.schema import metadata

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("chequered migrations run from chequered.store.migrate(), which supplies a connection")
context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
