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
from operator import attrgetter, itemgetter
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


class Line(NamedTuple):
    """One competitor's result in one session, as a standings breakdown shows it.

    A named tuple rather than a frozen dataclass: a season has tens of thousands of them and a tuple is
    several times cheaper to build (cheaper still with ``tuple.__new__(Line, fields)``, which skips the
    argument handling of the generated constructor)."""

    round: int
    session: str
    session_type: SessionType
    number: str
    place: int | None
    status: str
    points: Points
    pole: bool = False
    fastest_lap: bool = False
    dropped: bool = False

    @property
    def order(self) -> tuple[int, tuple[tuple[int, str], ...]]:
        return (self.round, session_order(self.session))


class Award(NamedTuple):
    """What one result is worth: ``place`` is the scoring place within the scope group (after places
    of non-scoring cars were passed down or withheld), None when the car did not score a place.
    ``line`` is the car's result as a standings line (all of its points): a driver scoring the car's
    points and a team scoring with one car share it rather than each building their own. ``shares``
    gives each driver's points where they are not the car's (a split, a driver below the minimum
    driving time); None when every driver of the crew scores the car's points."""

    result: SessionResult
    place: int | None
    position_points: Points
    fastest_lap_points: Points
    shares: tuple[tuple[str, Points], ...] | None
    line: Line

    @property
    def driver_points(self) -> tuple[tuple[str, Points], ...]:
        """Each driver's points."""
        if self.shares is not None:
            return self.shares
        return tuple([(driver, self.line.points) for driver in self.result.drivers])

    @property
    def points(self) -> Points:
        return self.line.points

    @property
    def pole(self) -> bool:
        return self.line.pole

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
        "fastest_lap",
        "fastest_lap_within",
        "min_drive_ms",
        "passed_down",
        "plain",
        "qualifying_by_class",
        "rules",
        "scales",
        "share",
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
        # every driver of a crew scores the car's points, whatever their driving time
        self.plain = not self.split and self.min_drive_ms is None

    def factor(self, result: SessionResult) -> Points:
        """The multiplier of a race result: the round's and session's, and a shortened race's."""
        rules = self.rules
        factor = rules.factor(result.round, result.session) * rules.distance_factor(result.distance_fraction)
        return exact(factor)


def award_session(results: Sequence[SessionResult], rulebook: Rulebook) -> list[Award]:
    """Points for every car of one session (one round, one session name)."""
    return _award_session(results, _Scoring(rulebook))


_RANK = itemgetter(0)
_NUMBER = attrgetter("number")


def _award_session(results: Sequence[SessionResult], scoring: _Scoring) -> list[Award]:
    """The awards of one session, in order of class, place and number."""
    groups: dict[str, list[tuple[int, SessionResult]]] = defaultdict(list)
    unranked: list[SessionResult] = []
    all_score = True
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
            all_score = all_score and result.scores
    placed: dict[str, list[Award]] = {}
    in_order = True  # each class's awards in order of place and number
    for key, group in groups.items():
        group.sort(key=_RANK)
        # the common case: every car scores and no two share a place: the n-th car is n-th
        distinct = all_score and len(set(map(_RANK, group))) == len(group)
        in_order = in_order and distinct and key != ""
        placed[key] = _award_group(group, distinct, scoring)
    rest: dict[str, list[Award]] = defaultdict(list)
    for result in sorted(unranked, key=_NUMBER):
        rest[result.car_class].append(_award(result, None, 0, 0, scoring))
    if in_order:  # the classes in order, the cars without a place after the rest of their class
        return [
            award
            for key in sorted(placed.keys() | rest.keys())
            for part in (placed.get(key, ()), rest.get(key, ()))
            for award in part
        ]
    awards = [award for part in (*placed.values(), *rest.values()) for award in part]
    awards.sort(key=_order_in_session)
    return awards


def _award_group(group: list[tuple[int, SessionResult]], distinct: bool, scoring: _Scoring) -> list[Award]:
    """The awards of a group of cars scored together (a class, or the whole field) sorted by rank."""
    awards: list[Award] = []
    share, scales, fastest_lap = scoring.share, scoring.scales, scoring.fastest_lap
    within = scoring.fastest_lap_within or 1 << 30
    plain, new_tuple = scoring.plain, tuple.__new__
    factors: dict[Fraction | None, Points] = {}
    places: Iterable[int | None]
    if distinct:
        places, tied = range(1, len(group) + 1), None
    else:
        places, tied = _places(group, scoring.passed_down)
    for (rank, result), place in zip(group, places, strict=True):
        if place is None:  # a car that does not score
            awards.append(_award(result, None, 0, 0, scoring))
            continue
        kind = result.session_type
        scale = scales[kind]
        points: Points = 0
        if place <= len(scale):
            if tied is None or tied[rank] == 1 or not share:
                points = scale[place - 1]
            else:
                points = _place_points(scale, place, tied[rank], True)
        fastest: Points = 0
        if kind is not _QUALIFYING:
            if points:  # (no points: nothing to multiply)
                factor = factors.get(result.distance_fraction)
                if factor is None:  # (the round and the session are the group's)
                    factor = factors[result.distance_fraction] = scoring.factor(result)
                if factor != 1:
                    points = exact(points * factor)
            if result.fastest_lap and place <= within:
                fastest = fastest_lap
        total = points + fastest
        # (inline rather than ``_award``: a season has tens of thousands of awards)
        line = new_tuple(
            Line,
            (
                result.round,
                result.session,
                kind,
                result.number,
                place,
                _CLASSIFIED,
                total,
                place == 1 and kind is _QUALIFYING,
                fastest != 0,
                False,
            ),
        )
        shares = None if plain else _shares(result, total, scoring)
        awards.append(new_tuple(Award, (result, place, points, fastest, shares, line)))
    return awards


def _places(
    group: list[tuple[int, SessionResult]], passed_down: bool
) -> tuple[list[int | None], dict[int, int]]:
    """The place of each car of a group sorted by rank (None for a car that does not score), and how many
    scoring cars share each rank, where cars share a place or some do not score: a place is one more than
    the cars ahead (the scoring cars ahead when places are passed down)."""
    counting = [item for item in group if item[1].scores] if passed_down else group
    ahead: dict[int, int] = {}
    tied: dict[int, int] = defaultdict(int)
    for i, (rank, result) in enumerate(counting):
        ahead.setdefault(rank, i)
        if result.scores:
            tied[rank] += 1
    return [ahead[rank] + 1 if result.scores else None for rank, result in group], tied


def _award(
    result: SessionResult, place: int | None, points: Points, fastest: Points, scoring: _Scoring
) -> Award:
    total = points + fastest
    r = result
    pole = place == 1 and r.session_type is _QUALIFYING
    line = tuple.__new__(
        Line,
        (r.round, r.session, r.session_type, r.number, place, r.status, total, pole, fastest != 0, False),
    )
    # ``tuple.__new__`` skips the argument handling of the generated constructors: a season has tens of
    # thousands of awards
    return tuple.__new__(Award, (result, place, points, fastest, _shares(result, total, scoring), line))


def _shares(result: SessionResult, total: Points, scoring: _Scoring) -> tuple[tuple[str, Points], ...] | None:
    """Each driver's points where they are not the car's: a share of them, none below the minimum
    driving time; None when every driver scores the car's points."""
    qualifying = result.session_type is _QUALIFYING
    if scoring.plain or (not scoring.split and (result.drive_ms is None or qualifying)):
        return None
    drivers = eligible = result.drivers
    minimum = scoring.min_drive_ms
    if minimum is not None and result.drive_ms is not None and not qualifying:
        drive = result.drive_ms
        eligible = tuple(d for d in drivers if drive.get(d, 0) >= minimum)
        if len(eligible) == len(drivers) and not scoring.split:
            return None
    each = exact(Fraction(total) / len(eligible)) if scoring.split and eligible else total
    return tuple([(driver, each if driver in eligible else 0) for driver in drivers])


class ScoredSession(NamedTuple):
    """The awards of one session, in order. Differently named sessions of a round that run in the same
    order (R1 and R01) are one of several ``names``, as the running order cannot tell them apart.
    ``races`` are the (round, session) of the race sessions among them."""

    round: int
    awards: Sequence[Award]
    names: int
    races: tuple[tuple[int, str], ...]


class Awards(tuple[Award, ...]):
    """Awards in running order, with the ``sessions`` they were scored in: the standings of a season
    read them session by session and need not cut them up again."""

    sessions: tuple[ScoredSession, ...]


def award_points(results: Iterable[SessionResult], rulebook: Rulebook) -> Awards:
    """Points for every result, in a stable order (round, session, class, place, number) whatever the
    order of the input."""
    sessions: dict[tuple[int, str], list[SessionResult]] = defaultdict(list)
    for result in results:
        sessions[(result.round, result.session)].append(result)
    scoring = _Scoring(rulebook)
    scored: list[ScoredSession] = []
    # sessions are scored one by one and their awards put in order within the session; names that sort
    # alike (R1 and R01 of a round) are ordered together
    for (round_, _), alike in groupby(sorted(sessions, key=_running_order), key=_running_order):
        keys = list(alike)
        batch = [award for key in keys for award in _award_session(sessions[key], scoring)]
        if len(keys) > 1:
            batch.sort(key=_order_in_session)
        races = tuple(key for key in keys if any(r.session_type is not _QUALIFYING for r in sessions[key]))
        scored.append(ScoredSession(round_, tuple(batch), len(keys), races))
    awards = Awards(award for session in scored for award in session.awards)
    awards.sessions = tuple(scored)
    return awards


def _running_order(key: tuple[int, str]) -> tuple[int, tuple[tuple[int, str], ...]]:
    return (key[0], session_order(key[1]))


def _order_in_session(award: Award) -> tuple[str, int, str]:
    r = award.result
    return (r.car_class, award.place if award.place is not None else 1 << 30, r.number)
