"""Timing data into the log: a session's entries and laps, as one idempotent append.

Before anything is stored, a file is checked against the session it is posted to: its cars against the
season's entry list, its kind (from the timing) against the session's. A file that does not fit is
refused unless the timekeeper forces it. A file's entry data (class, team, crew) that differs from the
season's entry is reported and not applied: changing entries is an admin's write.

Each import has an id, a hash of the events it makes, and its events carry it in their identity
(``src:import:<id>:<n>``): importing the same content again stores nothing twice, and a whole import can
be withdrawn by one event (``ImportWithdrawn``) after which every read of the session passes over its
events, which stay in the log. The same content imported after its withdrawal is a new import (the id
counts the withdrawals before it) and reads again.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from chequered.core.events import EntryRegistered, ImportWithdrawn, LapCompleted, LogEvent
from chequered.core.model import Entry, SessionKind, Timing
from chequered.core.session_kind import read_kind
from chequered.store import log, schema
from chequered.store.codec import dumps, encode
from chequered.store.errors import ConflictError, NotFoundError
from chequered.store.log import AppendResult
from chequered.store.store import Store

_ID_LENGTH = 16  # hex digits of an import id (64 bits of the content's hash)

_UNKNOWN_SHARE = 0.5  # more than this share of a file's cars not in the season: another event's file


@dataclass(frozen=True, slots=True)
class EntryDifference:
    """A car whose entry in the file differs from the season's: what the file says and what stays."""

    car: str
    field: str
    season: str
    file: str


@dataclass(slots=True)
class ImportCheck:
    """Why a file does not fit its session (empty: it fits), and the entry data it would change."""

    misfits: list[str] = field(default_factory=list)
    differences: list[EntryDifference] = field(default_factory=list)


def check_timing(store: Store, session_id: str, timing: Timing, name: str = "") -> ImportCheck:
    """What does not fit between a timing file and the session it is posted to."""
    check = ImportCheck()
    info = store.session(session_id)
    reading = read_kind(timing.laps, name)
    race = SessionKind.RACE
    # the timing tells a race from the rest; practice from qualifying only the name does
    if reading.source == "timing" and (reading.kind is race) is not (info.session.kind is race):
        check.misfits.append(
            f"the timing is a {reading.kind.value} ({reading.reason}); session {session_id} is a "
            f"{info.session.kind.value}"
        )
    season = {e.number: e for e in store.season_entries(info.season_id)} if info.season_id else {}
    if season:
        unknown = sorted({e.number for e in timing.entries} - set(season))
        if len(unknown) > _UNKNOWN_SHARE * len(timing.entries):
            check.misfits.append(
                f"{len(unknown)} of the file's {len(timing.entries)} cars are not entered in season "
                f"{info.season_id}: {', '.join(unknown[:10])}"
            )
        for entry in timing.entries:
            known = season.get(entry.number)
            if known is not None:
                check.differences.extend(_differences(known, entry))
    return check


def _differences(season: Entry, file: Entry) -> list[EntryDifference]:
    pairs = [
        ("class", season.car_class, file.car_class),
        ("team", season.team, file.team),
        ("crew", " / ".join(d.name for d in season.drivers), " / ".join(d.name for d in file.drivers)),
    ]
    return [
        EntryDifference(file.car, name, ours, theirs)
        for name, ours, theirs in pairs
        if theirs and ours != theirs
    ]


def season_entries_kept(timing: Timing, season: dict[str, Entry]) -> Timing:
    """The timing with each car's entry as the season has it (the file's key kept)."""
    entries = tuple(replace(season[e.number], car=e.car) if e.number in season else e for e in timing.entries)
    return Timing(entries, timing.laps, timing.source, timing.notes)


def timing_events(timing: Timing) -> list[LogEvent]:
    """Entries first (a lap's car is then always entered), then the laps in the source's order."""
    events: list[LogEvent] = [EntryRegistered(entry) for entry in timing.entries]
    events.extend(LapCompleted(lap) for lap in timing.laps)
    return events


@dataclass(frozen=True, slots=True)
class Imported:
    import_id: str
    result: AppendResult


def import_timing(
    store: Store, session_id: str, timing: Timing, actor: str, *, apply_entries: bool = True
) -> Imported:
    """Append a timing file's content as one import; importing the same file again appends nothing.
    Unless ``apply_entries``, a car the season has keeps the season's entry."""
    if not apply_entries:
        info = store.session(session_id)
        if info.season_id:
            season = {e.number: e for e in store.season_entries(info.season_id)}
            timing = season_entries_kept(timing, season)
    events = timing_events(timing)
    content = hashlib.sha256()
    for event in events:
        kind, payload = encode(event)
        content.update(f"{kind}\0{dumps(payload)}\n".encode())
    with store.database.write() as conn:
        log.lock_session(conn, store.database, session_id)
        import_id = _import_id(conn, session_id, content.hexdigest())
        ids = [log.import_source_id(import_id, n) for n in range(len(events))]
        result = log.append_in(conn, store.database, store.clock, session_id, events, actor, ids)
    return Imported(import_id, result)


def _import_id(conn: Connection, session_id: str, content: str) -> str:
    """The content's hash; after its withdrawal, the hash of the content and the withdrawals' count."""
    withdrawn = log.withdrawn_imports(conn, session_id)
    import_id, n = content[:_ID_LENGTH], 0
    while import_id in withdrawn:
        n += 1
        import_id = hashlib.sha256(f"{content}:{n}".encode()).hexdigest()[:_ID_LENGTH]
    return import_id


@dataclass(frozen=True, slots=True)
class ImportInfo:
    """One import of a session: what it appended, by whom, and whether (and by whom) it was withdrawn."""

    import_id: str
    events: int
    laps: int
    first_seq: int
    last_seq: int
    actor: str
    recorded_at: datetime
    withdrawn_seq: int | None = None
    withdrawn_by: str | None = None
    reason: str = ""


def list_imports(store: Store, session_id: str) -> list[ImportInfo]:
    """The session's imports in log order."""
    store.session(session_id)
    with store.database.read() as conn:
        return _imports(conn, session_id)


def _imports(conn: Connection, session_id: str) -> list[ImportInfo]:
    table = schema.event
    prefix = "src:" + log.import_source_id("", 0)[:-2]  # "src:import:"
    import_id = sa.func.substr(table.c.event_id, len(prefix) + 1, _ID_LENGTH)
    query = (
        sa.select(
            import_id,
            sa.func.count(),
            sa.func.count().filter(table.c.kind == "lap"),
            sa.func.min(table.c.seq),
            sa.func.max(table.c.seq),
            sa.func.min(table.c.actor),
            sa.func.min(table.c.recorded_at),
        )
        .where(table.c.session_id == session_id, table.c.event_id.startswith(prefix, autoescape=True))
        .group_by(import_id)
        .order_by(sa.func.min(table.c.seq))
    )
    withdrawals = {
        stored.payload["import_id"]: stored for stored in log.read(conn, session_id, kinds=[log.WITHDRAWN])
    }
    found: list[ImportInfo] = []
    for iid, events, laps, first, last, actor, at in conn.execute(query):
        withdrawal = withdrawals.get(iid)
        found.append(
            ImportInfo(
                iid,
                int(events),
                int(laps),
                int(first),
                int(last),
                actor,
                log.from_db_time(at),
                withdrawal.seq if withdrawal else None,
                withdrawal.actor if withdrawal else None,
                withdrawal.payload.get("reason", "") if withdrawal else "",
            )
        )
    return found


def withdraw_import(store: Store, session_id: str, import_id: str, reason: str, actor: str) -> ImportInfo:
    """Withdraw a whole import: one ``ImportWithdrawn`` event, after which the session reads as before
    the import; nothing is deleted. The import withdrawn, as it stands now."""
    with store.database.write() as conn:
        log.lock_session(conn, store.database, session_id)
        found = {i.import_id: i for i in _imports(conn, session_id)}
        known = found.get(import_id)
        if known is None:
            listed = ", ".join(found) or "none"
            raise NotFoundError(f"session {session_id!r} has no import {import_id!r}; its imports: {listed}")
        if known.withdrawn_seq is not None:
            raise ConflictError(
                f"import {import_id} of session {session_id!r} was withdrawn already, by {known.withdrawn_by}"
                f" at seq {known.withdrawn_seq}"
            )
        result = log.append_in(
            conn, store.database, store.clock, session_id, [ImportWithdrawn(import_id, reason)], actor
        )
    return replace(known, withdrawn_seq=result.last_seq, withdrawn_by=actor, reason=reason)
