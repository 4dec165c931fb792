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
from itertools import groupby
from operator import itemgetter
from typing import NamedTuple

from chequered.core.model import Status
from chequered.core.rulebook import Rulebook

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


def exact(value: Points) -> Points:
    """A whole fraction as an int (an int stays itself): the common case stays fast integer arithmetic."""
    return value.numerator if value.denominator == 1 else value


_NATURAL = re.compile(r"(\d+)")


@lru_cache(maxsize=4096)
def session_order(name: str) -> tuple[tuple[int, str], ...]:
    """Sessions of a round in natural order: Q1 < Q2 < R1 < R2 < R10."""
    return tuple((int(part), "") if part.isdigit() else (0, part) for part in _NATURAL.split(name) if part)


def _place_points(scale: Sequence[Points], place: int, tied: int, share: bool) -> Points:
    if place > len(scale):
        return 0
    if not share or tied == 1:
        return scale[place - 1]
    spanned = sum(scale[place - 1 : place - 1 + tied], start=0)
    return exact(Fraction(spanned) / tied)


class _Scoring:
    """The rulebook's points and scoring rules, read once for all the sessions of a call rather than
    once per result (a season has tens of thousands of results)."""

    __slots__ = (
        "by_class",
        "factors",
        "fastest_lap",
        "fastest_lap_within",
        "min_drive_ms",
        "passed_down",
        "qualifying_by_class",
        "rules",
        "scales",
        "share",
        "shares",
        "split",
    )

    def __init__(self, rulebook: Rulebook) -> None:
        rules = self.rules = rulebook.points
        self.scales = {t: tuple(exact(p) for p in rules.scale(t.value)) for t in SessionType}
        self.by_class = rules.scope == "class"
        self.qualifying_by_class = rules.qualifying_scope == "class"
        self.passed_down = rulebook.non_scoring.places == "passed_down"
        self.share = rules.ties == "share"
        self.fastest_lap: Points = exact(rules.fastest_lap)
        self.fastest_lap_within = rules.fastest_lap_within
        minimum = rulebook.scoring.min_drive_minutes
        self.min_drive_ms = None if minimum is None else minimum * 60_000
        self.split = rulebook.scoring.crew_share == "split"
        # multipliers by (round, session, distance fraction), worked out once for each
        self.factors: dict[tuple[int, str, Fraction | None], Points] = {}
        # a crew scores the same few amounts all season: its shares of each are built once (fewer
        # objects for the garbage collector to follow, too)
        self.shares: dict[tuple[tuple[str, ...], int], tuple[tuple[str, Points], ...]] = {}

    def factor(self, result: SessionResult) -> Points:
        """The multiplier of a race result: the round's and session's, and a shortened race's."""
        rules = self.rules
        factor = rules.factor(result.round, result.session) * rules.distance_factor(result.distance_fraction)
        return exact(factor)


def award_session(results: Sequence[SessionResult], rulebook: Rulebook) -> list[Award]:
    """Points for every car of one session (one round, one session name)."""
    return _award_session(results, _Scoring(rulebook))


def _award_session(results: Sequence[SessionResult], scoring: _Scoring) -> list[Award]:
    groups: dict[str, list[tuple[int, SessionResult]]] = defaultdict(list)
    unranked: list[SessionResult] = []
    for result in results:
        # the position that counts for points: in class or overall, by the scope of the session
        by_class = scoring.qualifying_by_class if result.session_type is _QUALIFYING else scoring.by_class
        if result.status is not _CLASSIFIED:
            rank = None
        elif by_class and result.class_position is not None:
            rank = result.class_position
        else:
            rank = result.position
        if rank is None:
            unranked.append(result)
        else:
            groups[result.car_class if by_class else ""].append((rank, result))
    awards = [_award(r, None, 0, 0, scoring) for r in unranked]
    passed_down, share = scoring.passed_down, scoring.share
    scales, fastest_lap, within = scoring.scales, scoring.fastest_lap, scoring.fastest_lap_within
    factors = scoring.factors
    for group in groups.values():
        group.sort(key=itemgetter(0))
        counting = [item for item in group if item[1].scores] if passed_down else group
        ahead: dict[int, int] = {}
        tied: dict[int, int] = defaultdict(int)
        for i, (rank, result) in enumerate(counting):
            ahead.setdefault(rank, i)
            if result.scores:
                tied[rank] += 1
        for rank, result in group:
            if not result.scores:
                awards.append(_award(result, None, 0, 0, scoring))
                continue
            place = ahead[rank] + 1
            points = _place_points(scales[result.session_type], place, tied[rank], share)
            fastest: Points = 0
            if result.session_type in RACE_TYPES:
                if points:  # (no points: nothing to multiply)
                    key = (result.round, result.session, result.distance_fraction)
                    factor = factors.get(key)
                    if factor is None:
                        factor = factors[key] = scoring.factor(result)
                    if factor != 1:
                        points = exact(points * factor)
                if result.fastest_lap and fastest_lap and (within is None or place <= within):
                    fastest = fastest_lap
            awards.append(_award(result, place, points, fastest, scoring))
    return awards


def _award(
    result: SessionResult, place: int | None, points: Points, fastest: Points, scoring: _Scoring
) -> Award:
    total = points + fastest
    drivers = eligible = result.drivers
    minimum = scoring.min_drive_ms
    if minimum is not None and result.drive_ms is not None and result.session_type in RACE_TYPES:
        drive = result.drive_ms
        eligible = tuple(d for d in drivers if drive.get(d, 0) >= minimum)
    each = exact(Fraction(total) / len(eligible)) if scoring.split and eligible else total
    if eligible is not drivers:
        shares = tuple([(driver, each if driver in eligible else 0) for driver in drivers])
    elif type(each) is int:  # (not a whole Fraction: Fraction(13) == 13 would find the int 13's shares)
        key = (drivers, each)
        built = scoring.shares.get(key)
        if built is None:
            built = scoring.shares[key] = tuple([(driver, each) for driver in drivers])
        shares = built
    else:
        shares = tuple([(driver, each) for driver in drivers])
    # ``tuple.__new__`` skips the argument handling of the generated constructor: a season has tens of
    # thousands of awards
    return tuple.__new__(Award, (result, place, points, fastest, shares))


def award_points(results: Iterable[SessionResult], rulebook: Rulebook) -> tuple[Award, ...]:
    """Points for every result, in a stable order (round, session, class, place, number) whatever the
    order of the input."""
    sessions: dict[tuple[int, str], list[SessionResult]] = defaultdict(list)
    for result in results:
        sessions[(result.round, result.session)].append(result)
    scoring = _Scoring(rulebook)
    awards: list[Award] = []
    # sessions are scored one by one and their awards put in order within the session; names that sort
    # alike (R1 and R01 of a round) are ordered together
    for _, alike in groupby(sorted(sessions, key=_running_order), key=_running_order):
        batch = [award for key in alike for award in _award_session(sessions[key], scoring)]
        batch.sort(key=_order_in_session)
        awards.extend(batch)
    return tuple(awards)


def _running_order(key: tuple[int, str]) -> tuple[int, tuple[tuple[int, str], ...]]:
    return (key[0], session_order(key[1]))


def _order_in_session(award: Award) -> tuple[str, int, str]:
    r = award.result
    return (r.car_class, award.place if award.place is not None else 1 << 30, r.number)
