"""The append-only event log of each session.

An append is one transaction: events whose identity the session already holds are skipped, the rest are
inserted in order, and the call returns only after the commit, so an acknowledged append is durable.
Nothing here updates or deletes a row.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import orjson
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.engine import Connection

from chequered.core.events import LogEvent
from chequered.store import schema
from chequered.store.codec import decode, dumps, encode, identity
from chequered.store.database import Database
from chequered.store.errors import NotFoundError

Clock = Callable[[], datetime]
_CHUNK = 500  # identities looked up per query (well under SQLite's bound-parameter limit)
_BIG_BATCH = 2_000
_SQLITE_INSERT = (
    "INSERT INTO event (session_id, event_id, kind, payload, actor, recorded_at) VALUES (?, ?, ?, ?, ?, ?) "
    "ON CONFLICT (session_id, event_id) DO NOTHING"
)


@dataclass(frozen=True, slots=True)
class AppendResult:
    appended: int
    duplicates: int
    last_seq: int  # the session's last seq after the append (0 for an empty log)


@dataclass(frozen=True, slots=True)
class StoredEvent:
    seq: int
    session_id: str
    event_id: str
    kind: str
    payload: dict[str, Any]
    actor: str
    recorded_at: datetime

    def event(self) -> LogEvent:
        return decode(self.kind, self.payload)


def to_db_time(database: Database, when: datetime) -> datetime:
    """UTC; naive on SQLite, whose DATETIME keeps no offset."""
    when = when.astimezone(UTC)
    return when.replace(tzinfo=None) if database.is_sqlite else when


def from_db_time(when: datetime) -> datetime:
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)


def _require_session(conn: Connection, session_id: str) -> None:
    found = conn.execute(sa.select(schema.session.c.id).where(schema.session.c.id == session_id)).first()
    if found is None:
        raise NotFoundError(f"no session {session_id!r} in the store; list them at /api/sessions")


def append(
    database: Database,
    clock: Clock,
    session_id: str,
    events: Sequence[LogEvent],
    actor: str,
    source_ids: Sequence[str | None] | None = None,
) -> AppendResult:
    """Append ``events`` to the session's log, each stored once whatever how often it is appended."""
    with database.write() as conn:
        lock_session(conn, database, session_id)
        return append_in(conn, database, clock, session_id, events, actor, source_ids)


def lock_session(conn: Connection, database: Database, session_id: str) -> None:
    """Check the session exists and hold its write lock until the transaction ends: on SQLite the
    database's (taken by ``BEGIN IMMEDIATE``), on PostgreSQL an advisory lock per session, so what a
    writer reads of the session's log in the transaction cannot be changed by another writer before
    its commit."""
    _require_session(conn, session_id)
    if not database.is_sqlite:
        conn.execute(sa.select(sa.func.pg_advisory_xact_lock(zlib.crc32(session_id.encode()))))


def append_in(
    conn: Connection,
    database: Database,
    clock: Clock,
    session_id: str,
    events: Sequence[LogEvent],
    actor: str,
    source_ids: Sequence[str | None] | None = None,
) -> AppendResult:
    """``append`` inside a write transaction that holds the session's lock (``lock_session``)."""
    if source_ids is not None and len(source_ids) != len(events):
        raise ValueError("source_ids must pair one to one with events")
    rows: dict[str, dict[str, Any]] = {}
    duplicates = 0
    for i, event in enumerate(events):
        kind, payload = encode(event)
        text = dumps(payload)
        event_id = identity(kind, text, source_ids[i] if source_ids is not None else None)
        if event_id in rows:
            duplicates += 1
            continue
        rows[event_id] = {"session_id": session_id, "event_id": event_id, "kind": kind, "payload": text}
    table = schema.event
    for event_id in _already_stored(conn, session_id, list(rows)):
        del rows[event_id]
        duplicates += 1
    if rows:
        now = to_db_time(database, clock())
        keys = ["session_id", "event_id"]
        if database.is_sqlite:
            # The DBAPI directly: SQLAlchemy's per-row parameter processing would cost more than the
            # insert itself. The timestamp is written in the format SQLAlchemy's DateTime reads back.
            stamp = now.strftime("%Y-%m-%d %H:%M:%S.%f")
            conn.exec_driver_sql(
                _SQLITE_INSERT,
                [(session_id, r["event_id"], r["kind"], r["payload"], actor, stamp) for r in rows.values()],
            )
        else:
            values = [{**row, "actor": actor, "recorded_at": now} for row in rows.values()]
            conn.execute(postgresql.insert(table).on_conflict_do_nothing(index_elements=keys), values)
    last = head_in(conn, session_id)
    return AppendResult(appended=len(rows), duplicates=duplicates, last_seq=last)


def _already_stored(conn: Connection, session_id: str, ids: list[str]) -> list[str]:
    """Which of ``ids`` the session holds. A big batch (a re-imported file) reads the session's identities
    in one pass: many IN-list probes can be planned badly by PostgreSQL on freshly grown tables."""
    table = schema.event
    if len(ids) > _BIG_BATCH:
        wanted = set(ids)
        query = sa.select(table.c.event_id).where(table.c.session_id == session_id)
        return [event_id for (event_id,) in conn.execute(query) if event_id in wanted]
    found: list[str] = []
    for start in range(0, len(ids), _CHUNK):
        query = sa.select(table.c.event_id).where(
            table.c.session_id == session_id, table.c.event_id.in_(ids[start : start + _CHUNK])
        )
        found.extend(event_id for (event_id,) in conn.execute(query))
    return found


def head_in(conn: Connection, session_id: str, as_of: int | None = None, kind: str | None = None) -> int:
    """The seq of the session's last event (of ``kind``, at or before ``as_of``), 0 when there is none."""
    query = sa.select(sa.func.max(schema.event.c.seq)).where(schema.event.c.session_id == session_id)
    if as_of is not None:
        query = query.where(schema.event.c.seq <= as_of)
    if kind is not None:
        query = query.where(schema.event.c.kind == kind)
    return int(conn.execute(query).scalar() or 0)


def heads(database: Database, session_ids: Sequence[str]) -> dict[str, int]:
    """Each session's last seq (sessions without events are left out), in one query. Each head is a
    subquery of its own, one index lookup: grouped, the maximum reads every event of the sessions."""
    table, sessions = schema.event, schema.session
    head = sa.select(sa.func.max(table.c.seq)).where(table.c.session_id == sessions.c.id).scalar_subquery()
    query = sa.select(sessions.c.id, head).where(sessions.c.id.in_(list(session_ids)))
    with database.read() as conn:
        return {session_id: int(seq) for session_id, seq in conn.execute(query) if seq is not None}


def seq_at_time(conn: Connection, database: Database, session_id: str, when: datetime) -> int:
    """The seq of the session's last event recorded at or before ``when``."""
    table = schema.event
    query = sa.select(sa.func.max(table.c.seq)).where(
        table.c.session_id == session_id, table.c.recorded_at <= to_db_time(database, when)
    )
    return int(conn.execute(query).scalar() or 0)


def read(
    conn: Connection,
    session_id: str,
    *,
    upto: int | None = None,
    after: int = 0,
    limit: int | None = None,
    kinds: Sequence[str] | None = None,
) -> list[StoredEvent]:
    """The session's events in log order, ``after < seq <= upto``."""
    table = schema.event
    query = sa.select(table).where(table.c.session_id == session_id, table.c.seq > after)
    if upto is not None:
        query = query.where(table.c.seq <= upto)
    if kinds is not None:
        query = query.where(table.c.kind.in_(kinds))
    query = query.order_by(table.c.seq)
    if limit is not None:
        query = query.limit(limit)
    loads = orjson.loads
    return [
        StoredEvent(
            seq=row.seq,
            session_id=row.session_id,
            event_id=row.event_id,
            kind=row.kind,
            payload=loads(row.payload),
            actor=row.actor,
            recorded_at=from_db_time(row.recorded_at),
        )
        for row in conn.execute(query)
    ]


WITHDRAWN = "import_withdrawn"
_IMPORT = "import:"


def import_source_id(import_id: str, n: int) -> str:
    """The source id of the ``n``th event an import appends: its identity names the import."""
    return f"{_IMPORT}{import_id}:{n}"


def import_of(event_id: str) -> str | None:
    """The import an event came with (from its identity), or None."""
    if not event_id.startswith("src:" + _IMPORT):
        return None
    return event_id.split(":", 3)[2]


def withdrawn_imports(conn: Connection, session_id: str, upto: int | None = None) -> dict[str, int]:
    """The imports of the session withdrawn at or before ``upto``, each with the seq of its withdrawal."""
    table = schema.event
    query = sa.select(table.c.seq, table.c.payload).where(
        table.c.session_id == session_id, table.c.kind == WITHDRAWN
    )
    if upto is not None:
        query = query.where(table.c.seq <= upto)
    return {orjson.loads(payload)["import_id"]: int(seq) for seq, payload in conn.execute(query)}


def read_standing(
    conn: Connection,
    session_id: str,
    *,
    upto: int | None = None,
    after: int = 0,
    kinds: Sequence[str] | None = None,
) -> list[StoredEvent]:
    """``read``, passing over the events of every import withdrawn at or before ``upto``: what every fold
    of the session (classification, laps, stints, the live board, passings) reads. The withdrawals
    themselves are kept (when ``kinds`` has them), so that a fold moved on from an earlier position sees
    that it must start again: a withdrawal takes back events from before it."""
    if kinds is not None and WITHDRAWN not in kinds:
        kinds = [*kinds, WITHDRAWN]
    events = read(conn, session_id, upto=upto, after=after, kinds=kinds)
    withdrawn = withdrawn_imports(conn, session_id, upto)
    if not withdrawn:
        return events
    return [e for e in events if import_of(e.event_id) not in withdrawn]


def count(conn: Connection, session_id: str | None = None) -> int:
    query = sa.select(sa.func.count()).select_from(schema.event)
    if session_id is not None:
        query = query.where(schema.event.c.session_id == session_id)
    return int(conn.execute(query).scalar() or 0)
