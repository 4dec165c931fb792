"""Points for each car in each scoring session, as a pure function of the results and the rulebook.

A session result says where a car finished (overall and in class), how, and whether it scores at all
(an invited car of a partner series races on the grid but does not). The rulebook says which position
counts (class or overall), the scale, pole and fastest-lap points, multipliers, reduced points for a
shortened race, and whether the places of non-scoring cars pass down to the scoring cars behind.
Points are exact: integers, or fractions where a scale, a half or a share needs them.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction
from functools import lru_cache
from typing import NamedTuple

from chequered.core.model import Status
from chequered.core.rulebook import Rulebook
from chequered.core.rulebook_points import PointsRules

Points = int | Fraction


class SessionType(StrEnum):
    RACE = "race"
    SPRINT = "sprint"
    QUALIFYING = "qualifying"

    @property
    def is_race(self) -> bool:
        return self in RACE_TYPES


_CLASSIFIED = Status.CLASSIFIED
RACE_TYPES = frozenset({SessionType.RACE, SessionType.SPRINT})
_QUALIFYING = SessionType.QUALIFYING


@dataclass(frozen=True, slots=True)
class SessionResult:
    """One car in one scoring session (a row of RESULTS.csv).

    ``drive_ms`` gives each driver's time at the wheel when known (from a lap file); a driver below the
    rulebook's minimum does not score. ``distance_fraction`` is the part of the planned distance or time
    that was run (None = all of it).
    """

    round: int
    session: str
    session_type: SessionType
    number: str
    car_class: str
    team: str
    drivers: tuple[str, ...]
    position: int | None
    class_position: int | None
    status: Status
    laps: int | None = None
    fastest_lap: bool = False
    distance_fraction: Fraction | None = None
    scores: bool = True
    drive_ms: Mapping[str, int] | None = None


class Award(NamedTuple):
    """What one result is worth: ``place`` is the scoring place within the scope group (after places
    of non-scoring cars were passed down or withheld), None when the car did not score a place."""

    result: SessionResult
    place: int | None
    position_points: Points
    fastest_lap_points: Points
    driver_points: tuple[tuple[str, Points], ...]

    @property
    def points(self) -> Points:
        return self.position_points + self.fastest_lap_points

    @property
    def pole(self) -> bool:
        return self.place == 1 and self.result.session_type is _QUALIFYING

    @property
    def fastest_lap(self) -> bool:
        return self.fastest_lap_points > 0


def exact(value: Fraction) -> Points:
    """A whole fraction as an int: the common case stays fast integer arithmetic."""
    return value.numerator if value.denominator == 1 else value


_NATURAL = re.compile(r"(\d+)")


@lru_cache(maxsize=4096)
def session_order(name: str) -> tuple[tuple[int, str], ...]:
    """Sessions of a round in natural order: Q1 < Q2 < R1 < R2 < R10."""
    return tuple((int(part), "") if part.isdigit() else (0, part) for part in _NATURAL.split(name) if part)


def scope_group(result: SessionResult, rules: PointsRules) -> str:
    scope = rules.qualifying_scope if result.session_type is _QUALIFYING else rules.scope
    return result.car_class if scope == "class" else ""


def _rank(result: SessionResult, rules: PointsRules) -> int | None:
    """The position that counts for points, or None when the car has no scoring position."""
    if result.status is not _CLASSIFIED:
        return None
    scope = rules.qualifying_scope if result.session_type is _QUALIFYING else rules.scope
    if scope == "class" and result.class_position is not None:
        return result.class_position
    return result.position


def _place_points(scale: Sequence[Points], place: int, tied: int, share: bool) -> Points:
    if place > len(scale):
        return 0
    if not share or tied == 1:
        return scale[place - 1]
    spanned = sum(scale[place - 1 : place - 1 + tied], start=0)
    return exact(Fraction(spanned) / tied)


def _scales(rules: PointsRules) -> dict[SessionType, tuple[Points, ...]]:
    return {t: tuple(exact(p) for p in rules.scale(t.value)) for t in SessionType}


def award_session(results: Sequence[SessionResult], rulebook: Rulebook) -> list[Award]:
    """Points for every car of one session (one round, one session name)."""
    rules = rulebook.points
    scales = _scales(rules)
    groups: dict[str, list[tuple[int, SessionResult]]] = defaultdict(list)
    unranked: list[SessionResult] = []
    for result in results:
        rank = _rank(result, rules)
        if rank is None:
            unranked.append(result)
        else:
            groups[scope_group(result, rules)].append((rank, result))
    awards = [_award(r, None, 0, 0, rulebook) for r in unranked]
    passed_down = rulebook.non_scoring.places == "passed_down"
    share = rules.ties == "share"
    factors: dict[tuple[int, str, Fraction | None], Fraction] = {}
    for group in groups.values():
        group.sort(key=lambda item: item[0])
        counting = [item for item in group if item[1].scores] if passed_down else group
        ahead: dict[int, int] = {}
        tied: dict[int, int] = defaultdict(int)
        for i, (rank, result) in enumerate(counting):
            ahead.setdefault(rank, i)
            if result.scores:
                tied[rank] += 1
        for rank, result in group:
            if not result.scores:
                awards.append(_award(result, None, 0, 0, rulebook))
                continue
            place = ahead[rank] + 1
            scale = scales[result.session_type]
            points = _place_points(scale, place, tied[rank], share)
            fastest: Points = 0
            if result.session_type in RACE_TYPES:
                key = (result.round, result.session, result.distance_fraction)
                factor = factors.get(key)
                if factor is None:
                    factor = factors[key] = rules.factor(
                        result.round, result.session
                    ) * rules.distance_factor(result.distance_fraction)
                if factor != 1:
                    points = exact(points * factor)
                within = rules.fastest_lap_within
                if result.fastest_lap and rules.fastest_lap and (within is None or place <= within):
                    fastest = exact(rules.fastest_lap)
            awards.append(_award(result, place, points, fastest, rulebook))
    return awards


def _award(
    result: SessionResult, place: int | None, points: Points, fastest: Points, rulebook: Rulebook
) -> Award:
    total = points + fastest
    minimum = rulebook.scoring.min_drive_minutes
    drivers = result.drivers
    if minimum is not None and result.drive_ms is not None and result.session_type in RACE_TYPES:
        drive = result.drive_ms
        eligible = tuple(d for d in drivers if drive.get(d, 0) >= minimum * 60_000)
    else:
        eligible = drivers
    if rulebook.scoring.crew_share == "split" and eligible:
        each = exact(Fraction(total) / len(eligible))
    else:
        each = total
    shares = tuple((d, each if d in eligible else 0) for d in drivers)
    return Award(result, place, points, fastest, shares)


def award_points(results: Iterable[SessionResult], rulebook: Rulebook) -> tuple[Award, ...]:
    """Points for every result, in a stable order (round, session, class, place, number) whatever the
    order of the input."""
    sessions: dict[tuple[int, str], list[SessionResult]] = defaultdict(list)
    for result in results:
        sessions[(result.round, result.session)].append(result)
    awards: list[Award] = []
    for key in sorted(sessions, key=lambda k: (k[0], session_order(k[1]))):
        awards.extend(award_session(sessions[key], rulebook))
    awards.sort(
        key=lambda a: (
            a.result.round,
            session_order(a.result.session),
            a.result.car_class,
            a.place if a.place is not None else 1 << 30,
            a.result.number,
        )
    )
    return tuple(awards)
