"""The season in the store: series, rounds, circuits, sessions, entries and crews.

Seeding inserts a season once (a second seed of the same season is a no-op); sessions for timing files
that belong to no round (a file imported for analysis) can be added on their own. Rows are only inserted.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Row

from chequered.core.documents import circuit_document
from chequered.core.model import (
    Circuit,
    Driver,
    DriverCategory,
    Entry,
    Event,
    Finish,
    FinishMode,
    Season,
    Series,
    Session,
    SessionKind,
)
from chequered.store import schema
from chequered.store.database import Database
from chequered.store.errors import ConflictError, NotFoundError
from chequered.store.log import from_db_time, to_db_time


def season_id(season: Season) -> str:
    return f"{season.series.id}-{season.year}"


def stored_session_id(event: Event, session: Session) -> str:
    """Session ids are unique across the store: a round's session id is prefixed with the round's."""
    return session.id if session.id.startswith(event.id) else f"{event.id}-{session.id}"


@dataclass(frozen=True, slots=True)
class SeasonInfo:
    id: str
    series: Series
    year: int
    rulebook: str | None


@dataclass(frozen=True, slots=True)
class SessionInfo:
    session: Session
    round_id: str | None
    season_id: str | None
    rulebook: str | None


def seed_season(
    database: Database,
    season: Season,
    entries: Sequence[Entry],
    rulebook: str | None,
    non_scoring: Collection[str] = (),
) -> bool:
    """Store ``season`` with its rounds, circuits, sessions and entries (``non_scoring`` names the cars
    that race without scoring); False when it is already there.

    A season already there is not rewritten, with one exception: a car named non-scoring but stored as
    scoring is marked non-scoring. A store written before the mark existed (schema 0001) holds every
    entry as scoring, and seeding again is how it learns which ones are invited."""
    sid = season_id(season)
    with database.write() as conn:
        if conn.execute(sa.select(schema.season.c.id).where(schema.season.c.id == sid)).first():
            if non_scoring:
                table = schema.entry
                conn.execute(
                    table.update()
                    .where(table.c.season_id == sid, table.c.car.in_(sorted(non_scoring)))
                    .values(scores=False)
                )
            return False
        conn.execute(
            schema.season.insert(),
            {
                "id": sid,
                "series_id": season.series.id,
                "series_name": season.series.name,
                "year": season.year,
                "rulebook": rulebook,
            },
        )
        for event in season.events:
            _insert_circuit(conn, event.circuit)
            conn.execute(
                schema.round_.insert(),
                {
                    "id": event.id,
                    "season_id": sid,
                    "round": event.round,
                    "name": event.name,
                    "circuit_id": event.circuit.id,
                    "start_date": event.start_date,
                    "end_date": event.end_date,
                },
            )
            for ordinal, session in enumerate(event.sessions):
                _insert_session(conn, database, stored_session_id(event, session), session, event.id, ordinal)
        for entry in entries:
            _insert_entry(conn, sid, entry, entry.car not in non_scoring)
    return True


def _insert_circuit(conn: Connection, circuit: Circuit) -> None:
    table = schema.circuit
    if conn.execute(sa.select(table.c.id).where(table.c.id == circuit.id)).first():
        return
    conn.execute(table.insert(), circuit_document(circuit))


def _insert_session(
    conn: Connection, database: Database, sid: str, session: Session, round_id: str | None, ordinal: int
) -> None:
    finish = session.finish
    conn.execute(
        schema.session.insert(),
        {
            "id": sid,
            "round_id": round_id,
            "ordinal": ordinal,
            "name": session.name,
            "kind": session.kind.value,
            "finish_mode": finish.mode.value if finish else None,
            "duration_ms": finish.duration_ms if finish else None,
            "laps": finish.laps if finish else None,
            "start": to_db_time(database, session.start) if session.start else None,
        },
    )


def _insert_entry(conn: Connection, sid: str, entry: Entry, scores: bool) -> None:
    conn.execute(
        schema.entry.insert(),
        {
            "season_id": sid,
            "car": entry.car,
            "number": entry.number,
            "car_class": entry.car_class,
            "team": entry.team,
            "car_model": entry.car_model,
            "grp": entry.group,
            "manufacturer": entry.manufacturer,
            "scores": scores,
        },
    )
    for slot, driver in enumerate(entry.drivers, start=1):
        conn.execute(
            schema.crew.insert(),
            {
                "season_id": sid,
                "car": entry.car,
                "slot": slot,
                "name": driver.name,
                "category": driver.category.value if driver.category else None,
                "nationality": driver.nationality,
                "short_name": driver.short_name,
            },
        )


def create_session(database: Database, session: Session, round_id: str | None = None) -> None:
    """Add a session of its own (a timing file to analyse); its id must be new."""
    with database.write() as conn:
        if conn.execute(sa.select(schema.session.c.id).where(schema.session.c.id == session.id)).first():
            raise ConflictError(f"session {session.id!r} already exists; choose another id")
        if (
            round_id is not None
            and not conn.execute(sa.select(schema.round_.c.id).where(schema.round_.c.id == round_id)).first()
        ):
            raise NotFoundError(f"no round {round_id!r}; list the rounds at /api/seasons/{{season}}/rounds")
        _insert_session(conn, database, session.id, session, round_id, 1000)


def seasons(conn: Connection) -> list[SeasonInfo]:
    rows = conn.execute(sa.select(schema.season).order_by(schema.season.c.year, schema.season.c.id))
    return [SeasonInfo(r.id, Series(r.series_id, r.series_name), r.year, r.rulebook) for r in rows]


def season(conn: Connection, sid: str) -> SeasonInfo:
    for info in seasons(conn):
        if info.id == sid:
            return info
    known = ", ".join(s.id for s in seasons(conn)) or "none"
    raise NotFoundError(f"no season {sid!r}; seasons in the store: {known}")


def _session(row: Row[tuple[object, ...]]) -> Session:
    finish = None
    if row.finish_mode:
        finish = Finish(FinishMode(row.finish_mode), row.duration_ms, row.laps)
    return Session(
        id=row.id,
        name=row.name,
        kind=SessionKind(row.kind),
        finish=finish,
        start=from_db_time(row.start) if row.start else None,
        event_id=row.round_id,
    )


def rounds(conn: Connection, sid: str) -> list[Event]:
    """The season's rounds in order, each with its circuit and sessions."""
    season(conn, sid)
    r, c = schema.round_, schema.circuit
    rows = conn.execute(
        sa.select(r, c.c.name.label("circuit_name"), c.c.location, c.c.country)
        .add_columns(c.c.length_m, c.c.corners, c.c.timezone)
        .join(c, c.c.id == r.c.circuit_id)
        .where(r.c.season_id == sid)
        .order_by(r.c.round)
    ).all()
    s = schema.session
    sessions: dict[str, list[Session]] = {}
    for row in conn.execute(
        sa.select(s).where(s.c.round_id.in_([row.id for row in rows])).order_by(s.c.ordinal, s.c.id)
    ):
        sessions.setdefault(row.round_id, []).append(_session(row))
    return [
        Event(
            id=row.id,
            round=row.round,
            name=row.name,
            circuit=Circuit(
                row.circuit_id,
                row.circuit_name,
                row.location,
                row.country,
                row.length_m,
                row.corners,
                row.timezone,
            ),
            start_date=row.start_date,
            end_date=row.end_date,
            sessions=tuple(sessions.get(row.id, ())),
        )
        for row in rows
    ]


def session_info(conn: Connection, session_id: str) -> SessionInfo:
    s, r, se = schema.session, schema.round_, schema.season
    row = conn.execute(
        sa.select(s, r.c.season_id, se.c.rulebook)
        .outerjoin(r, r.c.id == s.c.round_id)
        .outerjoin(se, se.c.id == r.c.season_id)
        .where(s.c.id == session_id)
    ).first()
    if row is None:
        raise NotFoundError(f"no session {session_id!r} in the store; list them at /api/sessions")
    return SessionInfo(_session(row), row.round_id, row.season_id, row.rulebook)


def sessions(conn: Connection) -> list[SessionInfo]:
    s, r = schema.session, schema.round_
    rows = conn.execute(
        sa.select(s, r.c.season_id, sa.null().label("rulebook"))
        .outerjoin(r, r.c.id == s.c.round_id)
        .order_by(r.c.start_date, s.c.ordinal, s.c.id)
    )
    return [SessionInfo(_session(row), row.round_id, row.season_id, None) for row in rows]


def season_entries(conn: Connection, sid: str) -> list[Entry]:
    crews: dict[str, list[Driver]] = {}
    for row in conn.execute(
        sa.select(schema.crew).where(schema.crew.c.season_id == sid).order_by(schema.crew.c.slot)
    ):
        category = DriverCategory(row.category) if row.category else None
        crews.setdefault(row.car, []).append(Driver(row.name, category, row.nationality, row.short_name))
    rows = conn.execute(sa.select(schema.entry).where(schema.entry.c.season_id == sid))
    entries = [
        Entry(
            car=row.car,
            number=row.number,
            car_class=row.car_class,
            team=row.team,
            car_model=row.car_model,
            drivers=tuple(crews.get(row.car, ())),
            group=row.grp,
            manufacturer=row.manufacturer,
        )
        for row in rows
    ]
    return sorted(entries, key=lambda e: (len(e.number), e.number, e.car))


def non_scoring_cars(conn: Connection, sid: str) -> frozenset[str]:
    """The cars of a season that race without scoring."""
    entry = schema.entry
    rows = conn.execute(sa.select(entry.c.car).where(entry.c.season_id == sid, entry.c.scores.is_(False)))
    return frozenset(row.car for row in rows)


def session_start(conn: Connection, session_id: str) -> datetime | None:
    return session_info(conn, session_id).session.start
