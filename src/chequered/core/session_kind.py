"""What kind a session is, read from its timing: a race has a common start and a finish; practice and
qualifying have cars going out when they like and coming in when they like.

The name of a file or a run is a hint only, used where the timing cannot tell: too few cars, practice
from qualifying (which run alike), and a session named practice or qualifying whose cars all went out at
the green and took the flag (a 20-minute GT4 qualifying does): its timing reads like a sprint race's, and
the organiser's name decides. A name that says race is checked against the timing: a "race" whose cars
ran as they liked is practice.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Iterable
from dataclasses import dataclass

from chequered.core.model import Lap, SessionKind

# Cars whose first crossing falls within this many (median best) laps of the first car's started
# together; at a finish, cars that took the flag cross within this many laps of the last crossing.
_TOGETHER_LAPS = 1.25
_STARTED = 0.9  # of the cars started together: a common start (real races: 95-100 %, practice <= 77 %)
_FLAGGED = 0.5  # of the cars took the flag together: a finish (real races: 76-100 %)
_PIT_VISITS = 2.5  # per car and hour: cars coming in as they like (practice 3.2-4.1, races <= 1.4)
_MIN_CARS = 3


@dataclass(frozen=True, slots=True)
class KindReading:
    """A session kind and where it came from: ``timing``, ``name`` or ``given`` (an override)."""

    kind: SessionKind
    source: str
    reason: str


def kind_from_name(name: str) -> SessionKind | None:
    """The kind a file or run name states, if any: ``qualifying-race`` (a race setting a grid) is a race;
    qualifying; practice, test, warm-up, HPDE and numbered sessions; a race."""
    lowered = name.lower().replace("_", " ")
    words = set(re.split(r"[^a-z0-9]+", lowered))
    if "qualif" in lowered:
        return SessionKind.RACE if "race" in words else SessionKind.QUALIFYING
    if words & {"practice", "fp", "fp1", "fp2", "fp3", "hpde", "session"} or "warm" in lowered:
        return SessionKind.PRACTICE
    if "race" in words:
        return SessionKind.RACE
    return SessionKind.PRACTICE if "test" in words else None


def read_kind(laps: Iterable[Lap], name: str = "", given: SessionKind | None = None) -> KindReading:
    """The kind of a session: ``given`` when set, else what the timing says, the name deciding what it
    cannot (and practice from qualifying)."""
    if given is not None:
        return KindReading(given, "given", f"{given.value} as given")
    hint = kind_from_name(name)
    race, detail = _race_like(laps)
    if race is None:
        if hint is not None:
            return KindReading(hint, "name", f"{hint.value} from the name {name!r}: too few cars to tell")
        return KindReading(
            SessionKind.RACE, "default", "too few cars to tell and no kind in the name: a race"
        )
    if race and hint in (SessionKind.PRACTICE, SessionKind.QUALIFYING):
        return KindReading(
            hint, "name", f"{hint.value} from the name {name!r}; the timing alone reads like a race: {detail}"
        )
    if race:
        return KindReading(SessionKind.RACE, "timing", f"a common start and a finish: {detail}")
    if hint is SessionKind.QUALIFYING:
        return KindReading(hint, "timing", f"cars ran as they liked: {detail}; qualifying from the name")
    return KindReading(SessionKind.PRACTICE, "timing", f"cars ran as they liked: {detail}")


def _race_like(laps: Iterable[Lap]) -> tuple[bool | None, str]:
    """Whether the laps are a race's (None with too few cars), and the figures that say so."""
    first: dict[str, int] = {}
    last: dict[str, Lap] = {}
    best: dict[str, int] = {}
    visits = 0
    for lap in laps:
        visits += lap.in_pit
        if lap.car not in first or lap.elapsed_ms < first[lap.car]:
            first[lap.car] = lap.elapsed_ms
        if lap.car not in last or lap.elapsed_ms >= last[lap.car].elapsed_ms:
            last[lap.car] = lap
        if lap.lap_time_ms and lap.lap_time_ms < best.get(lap.car, lap.lap_time_ms + 1):
            best[lap.car] = lap.lap_time_ms
    if len(first) < _MIN_CARS or not best:
        return None, ""
    window = _TOGETHER_LAPS * statistics.median(best.values())
    opening = min(first.values())
    started = sum(1 for at in first.values() if at - opening <= window) / len(first)
    closing = max(lap.elapsed_ms for lap in last.values())
    flagged = sum(1 for lap in last.values() if closing - lap.elapsed_ms <= window and not lap.in_pit)
    flagged_share = flagged / len(last)
    hours = max(closing - opening, 1) / 3_600_000
    per_hour = visits / len(first) / hours
    detail = (
        f"{started:.0%} of the cars started within a lap of each other, {flagged_share:.0%} took the flag"
        f" together, {per_hour:.1f} pit visits per car and hour"
    )
    return started >= _STARTED and flagged_share >= _FLAGGED and per_hour < _PIT_VISITS, detail
