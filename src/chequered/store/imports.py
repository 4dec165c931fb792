"""Timing data into the log: a session's entries and laps, as one idempotent append.

Before anything is stored, a file is checked against the session it is posted to: its cars against the
season's entry list, its kind (from the timing) against the session's. A file that does not fit is
refused unless the timekeeper forces it. A file's entry data (class, team, crew) that differs from the
season's entry is reported and not applied: changing entries is an admin's write.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from chequered.core.events import EntryRegistered, LapCompleted, LogEvent
from chequered.core.model import Entry, SessionKind, Timing
from chequered.core.session_kind import read_kind
from chequered.store.log import AppendResult
from chequered.store.store import Store

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


def import_timing(
    store: Store, session_id: str, timing: Timing, actor: str, *, apply_entries: bool = True
) -> AppendResult:
    """Append a timing file's content; importing the same file again appends nothing. Unless
    ``apply_entries``, a car the season has keeps the season's entry."""
    if not apply_entries:
        info = store.session(session_id)
        if info.season_id:
            season = {e.number: e for e in store.season_entries(info.season_id)}
            timing = season_entries_kept(timing, season)
    return store.append(session_id, timing_events(timing), actor)
