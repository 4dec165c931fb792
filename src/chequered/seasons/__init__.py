"""Packaged seasons: calendars, circuits, weekend schedules, classes and entry lists as TOML data.

A season file (``<series>-<year>.toml``) gives each session's start as a local wall-clock time in the zone
the source published it in (the circuit's zone unless ``schedule_zone`` says otherwise: the seeds' Barcelona
schedule is in Swedish time). Loading turns every start into a UTC instant, so any reader converts it to
their own zone across daylight-saving changes with ``local_start``.

Besides the calendar and the entry list, a season file records results known from its sources (a press
release's "Q1: 42nd, Race 1: DNF") as ``[[results]]``: facts a simulation of that season must reproduce.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from importlib import resources
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from chequered.core.errors import ParseError
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
    Status,
)

_CIRCUITS = "circuits.toml"
_UTC = ZoneInfo("UTC")


@dataclass(frozen=True, slots=True)
class CarClass:
    """A class of the season's grid; ``scores`` is false for a class of invited cars (GT4 Scandinavia at
    Paul Ricard) that races on the grid but is not one of the championship's classes."""

    id: str
    name: str
    scores: bool = True


@dataclass(frozen=True, slots=True)
class KnownResult:
    """One car's result in one session as a source reports it, where the season's timing is not at hand.

    Any field a source leaves out is ``None`` (``reason`` empty): a press release may give only a class
    place, or only "DNF". ``laps`` is the lap a retired car stopped on. ``session`` is a session id of the
    calendar (``2023-paul-ricard-Q1``) and ``car`` an entry's key; ``source`` names where the fact is from.
    ``driver`` is the name of the crew's driver who started the session (the one who set the car's time in
    a qualifying session), ``None`` where the source does not say.
    """

    session: str
    car: str
    position: int | None
    class_position: int | None
    status: Status | None
    reason: str
    laps: int | None
    source: str
    driver: str | None = None


@dataclass(frozen=True, slots=True)
class SeasonData:
    """A packaged season: the calendar (``season``), the entry list and the rulebook to score it with.

    ``rounds`` maps a car to the rounds it took part in (absent = every round); ``non_scoring`` holds the
    cars that race on the grid without scoring (invited cars of a partner series). ``known_results`` are the
    results the sources report (see ``KnownResult``), in file order.
    """

    season: Season
    entries: tuple[Entry, ...]
    rulebook: str
    classes: tuple[CarClass, ...] = ()
    rounds: Mapping[str, tuple[int, ...]] = field(default_factory=dict)
    non_scoring: frozenset[str] = frozenset()
    sources: Mapping[str, str] = field(default_factory=dict)
    assumptions: Mapping[str, str] = field(default_factory=dict)
    known_results: tuple[KnownResult, ...] = ()

    def entries_at(self, round_: int) -> tuple[Entry, ...]:
        """The entries of one round."""
        return tuple(e for e in self.entries if round_ in self.rounds.get(e.car, (round_,)))

    def event(self, round_: int) -> Event:
        for event in self.season.events:
            if event.round == round_:
                return event
        raise KeyError(round_)


def list_seasons() -> list[str]:
    """Names of the packaged seasons (``gt4-europe-2023``)."""
    return sorted(
        p.name.removesuffix(".toml")
        for p in resources.files(__name__).iterdir()
        if p.name.endswith(".toml") and p.name != _CIRCUITS
    )


def load_season(name: str) -> SeasonData:
    """Load a packaged season by name; ``ParseError`` names the key when the data is wrong."""
    if name not in list_seasons():
        raise ParseError(
            f"season {name}", None, None, f"no such season; packaged: {', '.join(list_seasons())}"
        )
    circuits = parse_circuits(_read(_CIRCUITS), f"seasons/{_CIRCUITS}")
    return parse_season(_read(f"{name}.toml"), f"seasons/{name}.toml", circuits)


def local_start(session: Session, zone: str) -> datetime | None:
    """The session's start as wall-clock time in ``zone`` (an IANA name such as ``Europe/Stockholm``)."""
    if session.start is None:
        return None
    return session.start.astimezone(ZoneInfo(zone))


def _read(resource: str) -> str:
    return resources.files(__name__).joinpath(resource).read_text(encoding="utf-8")


def _load(text: str, source: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ParseError(source, None, None, f"not valid TOML: {exc}") from None


class _Table:
    """Typed reads of one TOML table; every error names the source and the key."""

    def __init__(self, source: str, table: Any, path: str) -> None:
        if not isinstance(table, dict):
            raise ParseError(source, None, path, "must be a table")
        self.source, self.table, self.path = source, table, path

    def error(self, key: str, message: str) -> ParseError:
        return ParseError(self.source, None, f"{self.path}.{key}" if self.path else key, message)

    def get(
        self, key: str, kind: type | tuple[type, ...], default: Any = None, *, required: bool = True
    ) -> Any:
        if key not in self.table:
            if required:
                raise self.error(key, "is required")
            return default
        value = self.table[key]
        if not isinstance(value, kind) or (isinstance(value, bool) and kind is int):
            raise self.error(key, f"has the wrong type ({type(value).__name__}: {value!r})")
        return value

    def sub(self, key: str, value: Any) -> _Table:
        return _Table(self.source, value, f"{self.path}.{key}" if self.path else key)


def _zone(table: _Table, key: str, name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise table.error(key, f"{name!r} is not an IANA time zone") from None


def parse_circuits(text: str, source: str) -> dict[str, Circuit]:
    document = _load(text, source)
    circuits: dict[str, Circuit] = {}
    for key, value in document.items():
        if key == "assumptions":
            continue
        table = _Table(source, value, key)
        zone = table.get("timezone", str)
        _zone(table, "timezone", zone)
        circuits[key] = Circuit(
            id=key,
            name=table.get("name", str),
            location=table.get("location", str, "", required=False),
            country=table.get("country", str, "", required=False),
            length_m=table.get("length_m", int, None, required=False),
            corners=table.get("corners", int, None, required=False),
            timezone=zone,
        )
    return circuits


def _session(table: _Table, zone: ZoneInfo, event_id: str) -> Session:
    kind_text = table.get("kind", str)
    try:
        kind = SessionKind(kind_text)
    except ValueError:
        raise table.error("kind", f"must be practice, qualifying or race, not {kind_text!r}") from None
    local = table.get("start", datetime)
    if local.tzinfo is not None:
        raise table.error("start", "must be a local time (no offset); the zone comes from the event")
    minutes = table.get("minutes", int)
    if minutes <= 0:
        raise table.error("minutes", f"must be positive, not {minutes}")
    start = _to_utc(local, zone)
    return Session(
        id=f"{event_id}-{table.get('id', str)}",
        name=table.get("name", str),
        kind=kind,
        finish=Finish(FinishMode.TIME, duration_ms=minutes * 60_000),
        start=start,
        event_id=event_id,
    )


def _to_utc(local: datetime, zone: ZoneInfo) -> datetime:
    """A local wall-clock time in ``zone`` as a UTC instant (``fold=0``: the first of a repeated hour)."""
    return local.replace(tzinfo=zone).astimezone(_UTC)


def _event(table: _Table, circuits: Mapping[str, Circuit]) -> Event:
    round_ = table.get("round", int)
    event_id = table.get("id", str)
    circuit_id = table.get("circuit", str)
    circuit = circuits.get(circuit_id)
    if circuit is None:
        raise table.error("circuit", f"{circuit_id!r} is not in {_CIRCUITS} ({', '.join(sorted(circuits))})")
    zone = _zone(table, "schedule_zone", table.get("schedule_zone", str, circuit.timezone, required=False))
    start_date = table.get("start_date", date)
    end_date = table.get("end_date", date)
    if end_date < start_date:
        raise table.error("end_date", f"{end_date} is before start_date {start_date}")
    sessions = tuple(
        _session(table.sub(f"sessions[{i}]", s), zone, event_id)
        for i, s in enumerate(table.get("sessions", list, [], required=False))
    )
    for session in sessions:
        day = session.start.astimezone(ZoneInfo(circuit.timezone)).date() if session.start else start_date
        if not start_date - timedelta(days=1) <= day <= end_date:
            raise table.error("sessions", f"{session.id} on {day} is outside {start_date}..{end_date}")
    return Event(
        id=event_id,
        round=round_,
        name=table.get("name", str),
        circuit=circuit,
        start_date=start_date,
        end_date=end_date,
        sessions=sessions,
    )


def _driver(table: _Table) -> Driver:
    category_text = table.get("category", str, None, required=False)
    category = None
    if category_text is not None:
        try:
            category = DriverCategory(category_text)
        except ValueError:
            names = ", ".join(c.value for c in DriverCategory)
            raise table.error("category", f"must be one of {names}, not {category_text!r}") from None
    return Driver(
        name=table.get("name", str),
        category=category,
        nationality=table.get("nationality", str, "", required=False),
    )


def parse_season(text: str, source: str, circuits: Mapping[str, Circuit]) -> SeasonData:
    """Parse a season file against the packaged circuits."""
    root = _Table(source, _load(text, source), "")
    head = root.sub("season", root.get("season", dict))
    series = Series(id=head.get("series", str), name=head.get("series_name", str))
    events = tuple(
        sorted(
            (_event(root.sub(f"events[{i}]", e), circuits) for i, e in enumerate(root.get("events", list))),
            key=lambda e: e.round,
        )
    )
    rounds_seen = [e.round for e in events]
    if len(set(rounds_seen)) != len(rounds_seen):
        raise root.error("events", f"round numbers repeat: {rounds_seen}")
    classes = tuple(
        CarClass(
            id=t.get("id", str), name=t.get("name", str), scores=t.get("scores", bool, True, required=False)
        )
        for t in (
            root.sub(f"classes[{i}]", c) for i, c in enumerate(root.get("classes", list, [], required=False))
        )
    )
    class_ids = {c.id for c in classes}
    entries: list[Entry] = []
    rounds: dict[str, tuple[int, ...]] = {}
    non_scoring: set[str] = set()
    sources: dict[str, str] = {}
    for i, raw in enumerate(root.get("entries", list, [], required=False)):
        table = root.sub(f"entries[{i}]", raw)
        car = table.get("car", str)
        if any(e.car == car for e in entries):
            raise table.error("car", f"{car!r} is entered twice")
        drivers = tuple(
            _driver(table.sub(f"drivers[{j}]", d)) for j, d in enumerate(table.get("drivers", list))
        )
        car_class = table.get("class", str)
        if class_ids and car_class not in class_ids:
            raise table.error(
                "class", f"{car_class!r} is not a declared class ({', '.join(sorted(class_ids))})"
            )
        entries.append(
            Entry(
                car=car,
                number=table.get("number", str),
                car_class=car_class,
                team=table.get("team", str, "", required=False),
                car_model=table.get("car_model", str, "", required=False),
                drivers=drivers,
                manufacturer=table.get("manufacturer", str, "", required=False),
            )
        )
        entry_rounds = table.get("rounds", list, None, required=False)
        if entry_rounds is not None:
            unknown = [r for r in entry_rounds if r not in rounds_seen]
            if unknown:
                raise table.error("rounds", f"round {unknown[0]!r} is not on the calendar")
            rounds[car] = tuple(entry_rounds)
        if not table.get("scores", bool, True, required=False):
            non_scoring.add(car)
        sources[car] = table.get("source", str, "", required=False)
    _check_numbers(root, entries, rounds, rounds_seen)
    known_results = _known_results(root, events, entries, rounds)
    assumptions = {str(k): str(v) for k, v in root.get("assumptions", dict, {}, required=False).items()}
    return SeasonData(
        season=Season(series=series, year=head.get("year", int), events=events),
        entries=tuple(entries),
        rulebook=head.get("rulebook", str),
        classes=classes,
        rounds=rounds,
        non_scoring=frozenset(non_scoring),
        sources=sources,
        assumptions=assumptions,
        known_results=known_results,
    )


def _check_numbers(
    root: _Table, entries: list[Entry], rounds: Mapping[str, tuple[int, ...]], rounds_seen: list[int]
) -> None:
    """Two cars on one grid never carry the same number: timing keys a car by it. A blank number is a
    number no source gave, not a number, so it is not compared."""
    for round_ in rounds_seen:
        holder: dict[str, str] = {}
        for i, entry in enumerate(entries):
            if not entry.number or round_ not in rounds.get(entry.car, (round_,)):
                continue
            other = holder.setdefault(entry.number, entry.car)
            if other != entry.car:
                raise root.error(
                    f"entries[{i}].number",
                    f"#{entry.number} of {entry.car!r} is already the number of {other!r} at round {round_}",
                )


def _known_results(
    root: _Table,
    events: tuple[Event, ...],
    entries: list[Entry],
    rounds: Mapping[str, tuple[int, ...]],
) -> tuple[KnownResult, ...]:
    """The ``[[results]]`` table: each names a session of the calendar and a car entered at its round."""
    round_of = {s.id: e.round for e in events for s in e.sessions}
    cars = {e.car: e for e in entries}
    statuses = ", ".join(s.value for s in Status)
    results: list[KnownResult] = []
    for i, raw in enumerate(root.get("results", list, [], required=False)):
        table = root.sub(f"results[{i}]", raw)
        session = table.get("session", str)
        if session not in round_of:
            raise table.error("session", f"{session!r} is not a session of the calendar")
        car = table.get("car", str)
        if car not in cars:
            raise table.error("car", f"{car!r} is not an entry")
        round_ = round_of[session]
        if round_ not in rounds.get(car, (round_,)):
            raise table.error("car", f"{car!r} is not entered at round {round_} ({session})")
        status_text = table.get("status", str, None, required=False)
        status = None
        if status_text is not None:
            try:
                status = Status(status_text)
            except ValueError:
                raise table.error("status", f"must be one of {statuses}, not {status_text!r}") from None
        driver = table.get("driver", str, None, required=False)
        crew = [d.name for d in cars[car].drivers]
        if driver is not None and driver not in crew:
            raise table.error("driver", f"{driver!r} is not in the crew of {car!r} ({', '.join(crew)})")
        results.append(
            KnownResult(
                session=session,
                car=car,
                position=_place(table, "position"),
                class_position=_place(table, "class_position"),
                status=status,
                reason=table.get("reason", str, "", required=False),
                laps=_count(table, "laps"),
                source=table.get("source", str),
                driver=driver,
            )
        )
    return tuple(results)


def _place(table: _Table, key: str) -> int | None:
    value: int | None = table.get(key, int, None, required=False)
    if value is not None and value < 1:
        raise table.error(key, f"must be 1 or more, not {value}")
    return value


def _count(table: _Table, key: str) -> int | None:
    value: int | None = table.get(key, int, None, required=False)
    if value is not None and value < 0:
        raise table.error(key, f"must not be negative, not {value}")
    return value
