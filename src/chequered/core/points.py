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
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction
from functools import lru_cache
from typing import NamedTuple

from chequered.core.classification import Classification
from chequered.core.model import Status
from chequered.core.rulebook import Rulebook
from chequered.core.rulebook.points import PointsRules

Points = int | Fraction


class SessionType(StrEnum):
    RACE = "race"
    SPRINT = "sprint"
    QUALIFYING = "qualifying"
    SPRINT_QUALIFYING = "sprint_qualifying"

    @property
    def is_race(self) -> bool:
        return self in _RACES

    @property
    def is_qualifying(self) -> bool:
        return self not in _RACES


RACE_TYPES = frozenset({SessionType.RACE, SessionType.SPRINT})
_CLASSIFIED = Status.CLASSIFIED
_RACES = (SessionType.RACE, SessionType.SPRINT)  # (a tuple: members compare by identity first)


@dataclass(frozen=True, slots=True)
class SessionResult:
    """One car in one scoring session (a row of RESULTS.csv).

    ``drive_ms`` gives each driver's time at the wheel when known (from a lap file); a driver below the
    rulebook's minimum does not score. ``distance_fraction`` is the part of the planned distance or time
    that was run (None = all of it); ``green_laps`` the laps of the session run under green (None =
    not known). ``position`` and ``class_position`` are the places the results state: a place left
    empty (a car disqualified, nobody promoted) stays empty.
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
    green_laps: int | None = None


def classification_results(
    c: Classification,
    round_: int,
    session: str,
    session_type: SessionType,
    rulebook: Rulebook,
    non_scoring: Collection[str] = (),
) -> list[SessionResult]:
    """A session's classification as points input: places as classified, the fastest lap of each
    points group (the class's or the race's, as the rulebook scores), and the ``non_scoring`` cars
    racing without scoring (their places pass down or are withheld, as the rulebook says)."""
    if rulebook.points.scope == "class":
        fastest = {lap.car for lap in c.class_fastest.values()}
    else:
        fastest = {c.fastest_lap.car} if c.fastest_lap else set()
    rows = []
    for r in c.results:
        entry = r.entry
        classified = r.status is Status.CLASSIFIED
        rows.append(
            SessionResult(
                round=round_,
                session=session,
                session_type=session_type,
                number=entry.number or entry.car,
                car_class=entry.car_class,
                team=entry.team,
                drivers=tuple(d.name for d in entry.drivers),
                position=r.position if classified else None,
                class_position=r.class_position if classified else None,
                status=r.status,
                laps=r.laps,
                fastest_lap=r.car in fastest,
                scores=r.car not in non_scoring,
            )
        )
    return rows


class Line(NamedTuple):
    """One competitor's result in one session, as a standings breakdown shows it: ``place`` is the
    scoring place (None when it scored none), ``finish`` the position the results state (in class or
    overall, as points are scored), ``scores`` false for a result in an entry that does not score (kept
    for countback on finishing positions only)."""

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
    finish: int | None = None
    scores: bool = True

    @property
    def order(self) -> tuple[int, tuple[tuple[int, str], ...]]:
        return (self.round, session_order(self.session))


@dataclass(frozen=True, slots=True)
class Award:
    """What one result is worth: ``place`` is the scoring place within the scope group (after places
    of non-scoring cars were passed down or withheld), None when the car did not score a place.
    ``line`` is the car's result as a standings line (all of its points). ``shares`` gives each
    driver's points where they are not the car's (a split, a driver below the minimum driving time);
    None when every driver of the crew scores the car's points."""

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
        return tuple((driver, self.line.points) for driver in self.result.drivers)

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
    """The points of ``place`` on ``scale``, where ``tied`` cars share it: they share the points of
    the places they span, or each score the place's points."""
    if place > len(scale):
        return 0
    if not share or tied == 1:
        return scale[place - 1]
    spanned = sum(scale[place - 1 : place - 1 + tied], start=0)
    return exact(Fraction(spanned) / tied)


def _scale(rules: PointsRules, session_type: str) -> tuple[Points, ...]:
    """A points scale with its whole values as ints (the common case stays integer arithmetic)."""
    return tuple(exact(p) for p in rules.scale(session_type))


def _race_factor(
    rules: PointsRules, round_: int, session: str, distance: Fraction | None, green_laps: int | None
) -> tuple[Points, tuple[Points, ...] | None]:
    """The multiplier of a race result (the round's, the session's, a shortened race's) and the scale
    it scores on where not the normal one: its distance tier's, else its round's own."""
    if green_laps is not None and green_laps < rules.min_green_laps:
        return 0, None
    factor = rules.factor(round_, session)
    own = rules.round_scale(round_, session)
    scale = None if own is None else tuple(exact(p) for p in own)
    tier = rules.tier(distance)
    if tier is not None:
        if tier.scale is not None:
            scale = tuple(exact(p) for p in tier.scale)
        return exact(factor * tier.factor), scale
    return exact(factor * rules.distance_factor(distance)), scale


@dataclass(slots=True)
class _Scales:
    """The rulebook's scales with whole values as ints, and each race's multiplier as worked out: read
    once for all the sessions of a call rather than once per session."""

    rules: PointsRules
    by_type: dict[SessionType, tuple[Points, ...]]
    factors: dict[tuple[int, str, Fraction | None, int | None], tuple[Points, tuple[Points, ...] | None]]

    @classmethod
    def of(cls, rules: PointsRules) -> _Scales:
        return cls(rules, {kind: _scale(rules, kind.value) for kind in SessionType}, {})

    def factor(self, result: SessionResult) -> tuple[Points, tuple[Points, ...] | None]:
        key = (result.round, result.session, result.distance_fraction, result.green_laps)
        found = self.factors.get(key)
        if found is None:
            found = self.factors[key] = _race_factor(self.rules, *key)
        return found


def award_session(
    results: Sequence[SessionResult], rulebook: Rulebook, scales: _Scales | None = None
) -> list[Award]:
    """Points for every car of one session (one round, one session name), in order of class, place
    and number.

    A car scores the place its result states in its points group, less the places of non-scoring
    entries ahead when the rulebook passes them down; places nobody holds stay empty."""
    passed_down = rulebook.non_scoring.places == "passed_down"
    rules = rulebook.points
    by_class = rules.scope == "class"
    qualifying_by_class = rules.qualifying_scope == "class"
    groups: dict[str, list[tuple[int | None, SessionResult]]] = defaultdict(list)
    for result in results:
        # the position that counts for points: in class or overall, by the scope of the session
        if qualifying_by_class if result.session_type.is_qualifying else by_class:
            group, position = result.car_class, result.class_position
        else:
            group, position = "", result.position
        groups[group].append((position if result.status is _CLASSIFIED else None, result))
    scales = scales or _Scales.of(rulebook.points)
    awards: list[Award] = []
    for members in groups.values():
        awards.extend(_award_group(members, rulebook, passed_down, scales))
    awards.sort(key=_order_in_session)
    return awards


def _award_group(
    group: list[tuple[int | None, SessionResult]], rulebook: Rulebook, passed_down: bool, scales: _Scales
) -> list[Award]:
    rules = rulebook.points
    non_scoring_ahead = sorted(p for p, r in group if p is not None and not r.scores)
    places: list[int | None] = []
    for position, result in group:
        if position is None or not result.scores:
            places.append(None)
        elif passed_down and non_scoring_ahead:
            places.append(position - sum(1 for p in non_scoring_ahead if p < position))
        else:
            places.append(position)
    tied: dict[int, int] = defaultdict(int)
    for place in places:
        if place is not None:
            tied[place] += 1
    fastest = _fastest_lap_points(group, places, rulebook)
    share = rules.ties == "share"
    awards = []
    for (position, result), place, bonus in zip(group, places, fastest, strict=True):
        kind = result.session_type
        points: Points = 0
        if place is not None:
            scale = scales.by_type[kind]
            factor: Points = 1
            if kind.is_race:
                factor, tier_scale = scales.factor(result)
                scale = tier_scale if tier_scale is not None else scale
            points = _place_points(scale, place, tied[place], share)
            if factor != 1 and points:
                points = exact(points * factor)
        awards.append(_award(result, place, position, points, bonus, rulebook))
    return awards


def _fastest_lap_points(
    group: list[tuple[int | None, SessionResult]], places: list[int | None], rulebook: Rulebook
) -> list[Points]:
    """Each car's fastest-lap points: for the session types the rulebook names, to a classified car
    (or any car when the rule allows it) placed within ``fastest_lap_within``, shared between cars
    that set the same lap when the rulebook splits it."""
    rules = rulebook.points
    bonus: list[Points] = [0] * len(group)
    if not rules.fastest_lap:
        return bonus
    winners = []
    for i, ((_, result), place) in enumerate(zip(group, places, strict=True)):
        if not result.fastest_lap or result.session_type.value not in rules.fastest_lap_sessions:
            continue
        if not result.scores:
            continue
        if result.status is not _CLASSIFIED and rules.fastest_lap_classified:
            continue
        if rules.fastest_lap_within is not None and (place is None or place > rules.fastest_lap_within):
            continue
        if result.green_laps is not None and result.green_laps < rules.min_green_laps:
            continue
        winners.append(i)
    each = (
        exact(Fraction(rules.fastest_lap) / len(winners))
        if rules.fastest_lap_ties == "split" and winners
        else exact(rules.fastest_lap)
    )
    for i in winners:
        bonus[i] = each
    return bonus


def _award(
    result: SessionResult,
    place: int | None,
    finish: int | None,
    points: Points,
    fastest: Points,
    rulebook: Rulebook,
) -> Award:
    total = points + fastest if not fastest else exact(points + fastest)
    qualifying = result.session_type.is_qualifying
    line = Line(
        result.round,
        result.session,
        result.session_type,
        result.number,
        place,
        result.status,
        total,
        qualifying and place == 1,
        fastest != 0,
        False,
        finish,
        result.scores,
    )
    scoring = rulebook.scoring
    plain = scoring.crew_share == "full" and (scoring.min_drive_minutes is None or result.drive_ms is None)
    shares = None if plain else _shares(result, total, rulebook)
    return Award(result, place, points, fastest, shares, line)


def _shares(
    result: SessionResult, total: Points, rulebook: Rulebook
) -> tuple[tuple[str, Points], ...] | None:
    """Each driver's points where they are not the car's: a share of them, none below the minimum
    driving time; None when every driver scores the car's points."""
    split = rulebook.scoring.crew_share == "split"
    minimum = rulebook.scoring.min_drive_minutes
    if not split and (minimum is None or result.drive_ms is None):
        return None
    qualifying = result.session_type.is_qualifying
    drivers = eligible = result.drivers
    if minimum is not None and result.drive_ms is not None and not qualifying:
        drive = result.drive_ms
        eligible = tuple(d for d in drivers if drive.get(d, 0) >= minimum * 60_000)
    if not split and len(eligible) == len(drivers):
        return None
    each = exact(Fraction(total) / len(eligible)) if split and eligible else total
    return tuple((driver, each if driver in eligible else 0) for driver in drivers)


def award_points(results: Iterable[SessionResult], rulebook: Rulebook) -> tuple[Award, ...]:
    """Points for every result, in running order (round, session, class, place, number) whatever the
    order of the input."""
    sessions: dict[tuple[int, str], list[SessionResult]] = defaultdict(list)
    for result in results:
        sessions[(result.round, result.session)].append(result)
    scales = _Scales.of(rulebook.points)
    awards: list[Award] = []
    for key in sorted(sessions, key=running_order):
        awards.extend(award_session(sessions[key], rulebook, scales))
    return tuple(awards)


def running_order(key: tuple[int, str]) -> tuple[int, tuple[tuple[int, str], ...], str]:
    """Sessions in running order: by round, then by name in natural order (Q1 < R1 < R2 < R10)."""
    return (key[0], session_order(key[1]), key[1])


def _order_in_session(award: Award) -> tuple[str, int, str]:
    r = award.result
    return (r.car_class, award.place if award.place is not None else 1 << 30, r.number)
