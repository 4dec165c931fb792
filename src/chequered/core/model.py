"""The domain model: series, seasons, events (race weekends), sessions, circuits, entries, crews and laps.

Times are integer milliseconds; wall-clock instants are timezone-aware UTC and local times come from the
circuit's IANA zone. Car numbers are strings: ``01``, ``1`` and ``001`` are different cars.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import NamedTuple


class SessionKind(StrEnum):
    PRACTICE = "practice"
    QUALIFYING = "qualifying"
    RACE = "race"


class FinishMode(StrEnum):
    """How a session ends: when its time expires, after a number of laps, or time plus extra laps."""

    TIME = "time"
    LAPS = "laps"
    TIME_AND_LAPS = "time+laps"


class Status(StrEnum):
    """A car's status in a result. The values are the ones results files and the CLI use."""

    CLASSIFIED = "classified"
    NOT_CLASSIFIED = "nc"
    RETIRED = "ret"
    DID_NOT_START = "dns"
    DISQUALIFIED = "dsq"
    EXCLUDED = "excluded"


class DriverCategory(StrEnum):
    """FIA driver categorisation."""

    PLATINUM = "Platinum"
    GOLD = "Gold"
    SILVER = "Silver"
    BRONZE = "Bronze"


@dataclass(frozen=True, slots=True)
class Finish:
    """The end condition of a session: ``duration_ms`` for a timed session, ``laps`` for a distance."""

    mode: FinishMode
    duration_ms: int | None = None
    laps: int | None = None

    def __post_init__(self) -> None:
        if self.mode in (FinishMode.TIME, FinishMode.TIME_AND_LAPS) and not self.duration_ms:
            raise ValueError(f"a {self.mode} finish needs a duration")
        if self.mode in (FinishMode.LAPS, FinishMode.TIME_AND_LAPS) and not self.laps:
            raise ValueError(f"a {self.mode} finish needs a number of laps")


@dataclass(frozen=True, slots=True)
class Circuit:
    id: str
    name: str
    location: str = ""
    country: str = ""
    length_m: int | None = None
    corners: int | None = None
    timezone: str = "UTC"


@dataclass(frozen=True, slots=True)
class Series:
    id: str
    name: str


@dataclass(frozen=True, slots=True)
class Session:
    """One timed session of an event (FP1, Q1, Race 1...).

    ``start`` is a UTC instant when known; ``finish`` is None when the end condition is unknown, as for
    a timing file that carries no session metadata.
    """

    id: str
    name: str
    kind: SessionKind
    finish: Finish | None = None
    start: datetime | None = None
    event_id: str | None = None


@dataclass(frozen=True, slots=True)
class Event:
    """A race weekend (a round of a season) at one circuit."""

    id: str
    round: int
    name: str
    circuit: Circuit
    start_date: date
    end_date: date
    sessions: tuple[Session, ...] = ()


@dataclass(frozen=True, slots=True)
class Season:
    series: Series
    year: int
    events: tuple[Event, ...] = ()


@dataclass(frozen=True, slots=True)
class Driver:
    name: str
    category: DriverCategory | None = None
    nationality: str = ""
    short_name: str = ""


@dataclass(frozen=True, slots=True)
class Entry:
    """A car entered in a session, with its crew.

    ``car`` is the unique key of the entry within a session; it equals ``number`` except when a source
    carries two different cars under one number (an anonymised data set), where it is disambiguated.
    """

    car: str
    number: str
    car_class: str = ""
    team: str = ""
    car_model: str = ""
    drivers: tuple[Driver, ...] = ()
    group: str = ""
    manufacturer: str = ""


class Lap(NamedTuple):
    """One crossing of the finish line by a car.

    ``in_pit`` marks an in-lap (the lap ended in the pit lane); ``pit_time_ms`` sits on the out-lap that
    follows, and is the time spent in the pit lane. ``elapsed_ms`` is the session time at the line.
    ``sectors`` holds the sector times in order (None where missing). ``driver`` is the crew slot (1..n).
    ``counts`` is False for a lap whose time the timing system did not count (a time deleted for track
    limits, say): the lap was driven, its time is no best lap.
    """

    car: str
    lap: int
    lap_time_ms: int | None
    elapsed_ms: int
    driver: int = 1
    driver_name: str = ""
    sectors: tuple[int | None, ...] = ()
    in_pit: bool = False
    pit_time_ms: int | None = None
    flag: str = ""
    kph: float | None = None
    counts: bool = True  # False: the timing system did not count the time (deleted), for best laps


@dataclass(frozen=True, slots=True)
class Timing:
    """What an importer hands to the core: the entries of a session and its laps in file order."""

    entries: tuple[Entry, ...]
    laps: tuple[Lap, ...]
    source: str = ""
    notes: tuple[str, ...] = field(default=())
