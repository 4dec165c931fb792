"""Moving a session's start: the new time is stored and the move counted, so a subscribed calendar sees
the same event (same UID) with a higher SEQUENCE and updates it."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa

from chequered.store import schema
from chequered.store.database import Database
from chequered.store.errors import NotFoundError
from chequered.store.log import to_db_time


def reschedule(database: Database, session_id: str, start: datetime) -> int:
    """Move the session to ``start`` (timezone-aware); the number of moves so far. The same start again
    is not a move."""
    if start.tzinfo is None:
        raise ValueError(f"the new start of {session_id!r} needs a time zone (UTC offset)")
    table = schema.session
    with database.write() as conn:
        row = conn.execute(
            sa.select(table.c.start, table.c.start_changes).where(table.c.id == session_id)
        ).first()
        if row is None:
            raise NotFoundError(f"no session {session_id!r} in the store; list them at /api/sessions")
        stored = to_db_time(database, start)
        if row.start == stored:
            return int(row.start_changes)
        changes = int(row.start_changes) + 1
        conn.execute(
            table.update().where(table.c.id == session_id).values(start=stored, start_changes=changes)
        )
        return changes


def start_changes(database: Database, session_ids: Sequence[str]) -> dict[str, int]:
    """How many times each session's start was moved (0 for a session never moved)."""
    table = schema.session
    with database.read() as conn:
        rows = conn.execute(
            sa.select(table.c.id, table.c.start_changes).where(table.c.id.in_(list(session_ids)))
        )
        return {row.id: int(row.start_changes) for row in rows}
