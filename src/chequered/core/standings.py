"""Drivers' and teams' standings from awarded points: dropped scores, countback and tie-breaks.

A driver's standing is keyed by the driver (and the class when points are scored by class), not by the
car: a driver who changes car keeps their own points, and a crew shares its car's points. Every result
line stays in the standing, dropped ones marked, so a table can show what was dropped and why.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from itertools import groupby
from operator import attrgetter, itemgetter
from typing import Any, NamedTuple

from chequered.core.points import (
    RACE_TYPES,
    Award,
    Awards,
    Line,
    Points,
    ScoredSession,
    SessionType,
    session_order,
)
from chequered.core.rulebook import Rulebook
from chequered.core.rulebook.points import DroppedRules

_QUALIFYING = SessionType.QUALIFYING


class Standing(NamedTuple):
    """A competitor's place in the standings, with every result line (dropped ones marked)."""

    position: int
    competitor: str
    car_class: str
    points: Points
    lines: tuple[Line, ...]

    @property
    def dropped(self) -> tuple[Line, ...]:
        return tuple(line for line in self.lines if line.dropped)

    @property
    def wins(self) -> int:
        return sum(1 for line in self.lines if line.session_type.is_race and line.place == 1)


def held_races(awards: Iterable[Award]) -> list[tuple[int, str]]:
    """The race sessions that took place, in order."""
    held = {(a.result.round, a.result.session) for a in awards if a.result.session_type.is_race}
    return sorted(held, key=lambda k: (k[0], session_order(k[1])))


def _drop_worst(lines: list[Line], held: int, best: int) -> int:
    """Mark the worst results dropped so only ``best`` of ``held`` races count; missed races (zero)
    go first, and of equal results the later one. Returns how many (missed ones included) were dropped.
    ``lines`` are in session order."""
    to_drop = max(0, held - best)
    missed = max(0, held - len(lines))
    worst = sorted(range(len(lines)), key=lambda i: (lines[i].points, -i))
    for index in worst[: max(0, to_drop - missed)]:
        lines[index] = lines[index]._replace(dropped=True)
    return to_drop


def apply_drops(lines: Sequence[Line], held: Sequence[tuple[int, str]], rules: DroppedRules) -> list[Line]:
    """The lines with dropped results marked (race results only; qualifying points always count)."""
    marked = list(lines)
    if rules.best is None and not rules.parts:
        return marked
    races = [i for i, line in enumerate(marked) if line.session_type.is_race]
    dropped_total = 0
    for part in rules.parts:
        in_part = [i for i in races if marked[i].round in part.rounds]
        part_lines = [marked[i] for i in in_part]
        part_held = sum(1 for r, _ in held if r in part.rounds)
        dropped_total += _drop_worst(part_lines, part_held, part.best)
        for i, line in zip(in_part, part_lines, strict=True):
            marked[i] = line
    if rules.best is not None:
        open_ = [i for i in races if not marked[i].dropped]
        open_lines = [marked[i] for i in open_]
        _drop_worst(open_lines, len(held) - dropped_total, rules.best)
        for i, line in zip(open_, open_lines, strict=True):
            marked[i] = line
    return marked


def total(lines: Iterable[Line]) -> Points:
    return sum([line.points for line in lines if not line.dropped], start=0)


_NEVER = 1 << 30  # a place or a round later than any


def race_places(lines: Iterable[Line]) -> list[int]:
    """The places a competitor took in races (all results, dropped ones included), in running order."""
    return [line.place for line in lines if line.place and line.session_type in RACE_TYPES]


def countback(lines: Iterable[Line]) -> tuple[int, ...]:
    """How many wins, seconds, thirds... in races (all results, dropped ones included)."""
    places = race_places(lines)
    counts = [0] * (max(places, default=0) + 1)
    for place in places:
        counts[place] += 1
    return tuple(counts[1:])


def countback_key(places: list[int]) -> tuple[int, ...]:
    """A sort key (ascending = ahead) that orders competitors as countback does: the race places sorted,
    then a place later than any. Where the counts first differ, at place k, the one with more k-th places
    has k where the other has a later place (or none left)."""
    return (*sorted(places), _NEVER)


def earliest_best(lines: Iterable[Line]) -> tuple[int, tuple[int, tuple[tuple[int, str], ...]]]:
    """The best race place and when it was first achieved (lower is better on both)."""
    placed = [line for line in lines if line.place and line.session_type in RACE_TYPES]
    if not placed:
        return (_NEVER, (_NEVER, ()))
    best = min([line.place or _NEVER for line in placed])
    return (best, min([line.order for line in placed if line.place == best]))


def tie_key(lines: Sequence[Line], order: Sequence[str]) -> tuple[object, ...]:
    """A sort key (ascending = ahead) for competitors level on points."""
    return tuple(_rule_key(rule, list(lines)) for rule in order)


def _tie_keys(tied: Sequence[list[Line]], order: Sequence[str]) -> list[tuple[object, ...]]:
    """The tie-break keys of competitors level on points (given by their lines).

    Each tie-break is worked out only where it decides something: for the competitors still level after
    the ones before it, and not among competitors with the same results (crew-mates who shared a car
    all season). Keys of different lengths never meet level: a shorter key differs from every longer one
    in the part they share."""
    keys: list[list[object]] = [[] for _ in tied]
    level = [list(range(len(tied)))]
    for rule in order:
        still: list[list[int]] = []
        for group in level:
            first = tied[group[0]]
            if all(tied[i] == first for i in group[1:]):
                continue
            by_key: dict[object, list[int]] = defaultdict(list)
            worked: list[tuple[list[Line], object]] = []  # crew-mates' results are worked out once
            for i in group:
                lines = tied[i]
                key = next((k for other, k in worked if other == lines), None)
                if key is None:
                    key = _rule_key(rule, lines)
                    worked.append((lines, key))
                keys[i].append(key)
                by_key[key].append(i)
            still.extend(same for same in by_key.values() if len(same) > 1)
        level = still
    return [tuple(key) for key in keys]


def _rule_key(rule: str, lines: list[Line]) -> object:
    if rule == "countback":
        return countback_key(race_places(lines))
    if rule == "earliest_best":
        return earliest_best(lines)[1]
    raise ValueError(f"unknown tie-break {rule!r}")


def rank(
    competitors: Iterable[tuple[str, str, list[Line]]], held: Sequence[tuple[int, str]], rulebook: Rulebook
) -> tuple[Standing, ...]:
    """Standings of (name, class, lines) competitors; the lines of each are in running order (round,
    session, car number), as ``_sessions`` gives the awards."""
    level: dict[Points, list[tuple[Points, str, str, list[Line]]]] = defaultdict(list)
    dropped = rulebook.dropped
    if dropped.best is not None or dropped.parts:
        for name, car_class, lines in competitors:
            marked = apply_drops(lines, held, dropped)
            points = total(marked)
            level[points].append((points, name, car_class, marked))
    else:  # nothing dropped
        for name, car_class, lines in competitors:
            points = sum(map(_POINTS, lines), start=0)
            level[points].append((points, name, car_class, lines))
    keyed: list[tuple[Points, tuple[object, ...], str, str, list[Line]]] = []
    for points, tied in level.items():
        if len(tied) == 1:
            keyed.append((-points, (), *tied[0][1:]))
            continue
        keys = _tie_keys([marked for *_, marked in tied], rulebook.tie_break)
        for (_, name, car_class, marked), key in zip(tied, keys, strict=True):
            keyed.append((-points, key, name, car_class, marked))
    keyed.sort(key=_RANKING)
    standings: list[Standing] = []
    position = 0
    for i, (negative, key, name, car_class, marked) in enumerate(keyed):
        if not i or keyed[i - 1][0] != negative or keyed[i - 1][1] != key:
            position = i + 1
        standings.append(tuple.__new__(Standing, (position, name, car_class, -negative, tuple(marked))))
    return tuple(standings)


_RANKING = itemgetter(0, 1, 2, 3)  # points (negated), tie-break key, name, class
_NUMBER = attrgetter("result.number")
_POINTS = attrgetter("points")
_SESSION = attrgetter("result.round", "result.session")


def _sessions(
    awards: Iterable[Award], after_round: int | None
) -> tuple[list[ScoredSession], list[tuple[int, str]]]:
    """The awards up to ``after_round`` (all classes) by session, sessions in running order, and the
    races that took place (as ``held_races``).

    The awards of ``award_points`` come with their sessions. Other awards are cut into runs of one
    session rather than looked up one by one; the runs of a session are joined again in input order."""
    if isinstance(awards, Awards):
        kept = [s for s in awards.sessions if after_round is None or s.round <= after_round]
        return kept, [race for session in kept for race in session.races]
    runs = [
        list(run)
        for (round_, _), run in groupby(awards, key=_SESSION)
        if after_round is None or round_ <= after_round
    ]
    runs.sort(key=_running_order)
    held: dict[tuple[int, str], None] = {}
    sessions: list[ScoredSession] = []
    for (round_, _), alike in groupby(runs, key=_running_order):
        parts = list(alike)
        races: dict[tuple[int, str], None] = {}
        for part in parts:
            if any(a.result.session_type in RACE_TYPES for a in part):
                races[(part[0].result.round, part[0].result.session)] = None
        held.update(races)
        names = len({part[0].result.session for part in parts})
        joined = parts[0] if names == 1 and len(parts) == 1 else [a for p in parts for a in p]
        sessions.append(ScoredSession(round_, joined, names, tuple(races)))
    return sessions, list(held)


def _running_order(run: list[Award]) -> tuple[int, tuple[tuple[int, str], ...]]:
    r = run[0].result
    return (r.round, session_order(r.session))


def driver_standings(
    awards: Sequence[Award], rulebook: Rulebook, after_round: int | None = None, car_class: str | None = None
) -> tuple[Standing, ...]:
    """Drivers' standings; per class when points are scored by class (``car_class`` picks one)."""
    sessions, held = _sessions(awards, after_round)
    per_class = rulebook.points.scope == "class"
    # drivers by points group (the class, or "" when points are scored overall), then by name
    groups: dict[str, dict[str, list[Line]]] = defaultdict(lambda: defaultdict(list))
    for session in sessions:
        for award in sorted(session.awards, key=_NUMBER):
            r = award.result
            if not r.scores or (car_class is not None and r.car_class != car_class):
                continue
            drivers = groups[r.car_class if per_class else ""]
            line = award.line
            if award.shares is None:  # every driver scores the car's points: they share its line
                # (a crew nobody named, in an anonymised results file, stands under its car number)
                for driver in r.drivers or (f"#{r.number}",):
                    drivers[driver].append(line)
                continue
            for driver, points in award.shares or ((f"#{r.number}", line.points),):
                if points is not line.points:  # a driver's share of the car's points (crew-mates share it)
                    line = line._replace(points=points)
                drivers[driver].append(line)
    competitors = (
        (name, group, lines) for group, drivers in groups.items() for name, lines in drivers.items()
    )
    return rank(competitors, held, rulebook)


def team_standings(
    awards: Sequence[Award], rulebook: Rulebook, after_round: int | None = None, car_class: str | None = None
) -> tuple[Standing, ...]:
    """Teams' standings: per session a team scores with its best ``team_cars_counted`` cars."""
    sessions, held = _sessions(awards, after_round)
    per_class = rulebook.scoring.team_scope == "class"
    counted = rulebook.scoring.team_cars_counted
    # lines by team, in its points group (the class, or "" when teams score overall)
    teams: dict[tuple[str, str], list[Line]] = defaultdict(list)
    for session in sessions:
        entries: dict[tuple[str, str, str], list[Award]] = {}
        for award in session.awards:
            r = award.result
            if r.scores and r.team and (car_class is None or r.car_class == car_class):
                key = (r.car_class if per_class else "", r.team, r.session)
                cars = entries.get(key)
                if cars is None:
                    entries[key] = [award]
                else:
                    cars.append(award)
        lines = [
            (group, team, cars[0].line if len(cars) == 1 else _team_line(cars, counted))
            for (group, team, _), cars in entries.items()
        ]
        if session.names > 1:
            lines.sort(key=lambda item: item[2].number)  # a team's results in R1 and R01, by car number
        for group, team, line in lines:
            teams[(group, team)].append(line)
    return rank(((team, group, lines) for (group, team), lines in teams.items()), held, rulebook)


def _team_line(cars: list[Award], counted: int | None) -> Line:
    """A team's result in a session: its best ``counted`` cars."""
    cars.sort(key=lambda a: (-a.points, a.place or 1 << 30, a.result.number))
    best = cars if counted is None else cars[:counted]
    lead = best[0]
    r = lead.result
    return tuple.__new__(
        Line,
        (
            r.round,
            r.session,
            r.session_type,
            "+".join(a.result.number for a in best),
            lead.place,
            r.status,
            sum((a.points for a in best), start=0),
            any(a.pole for a in best),
            any(a.fastest_lap for a in best),
            False,
        ),
    )


def points_value(value: Points) -> int | float:
    """Points for JSON: an int when whole, else a float (exact values stay in the core)."""
    if isinstance(value, int):
        return value
    return value.numerator if value.denominator == 1 else float(value)


def _line_document(line: Line) -> dict[str, Any]:
    return {
        "round": line.round,
        "session": line.session,
        "type": line.session_type.value,
        "number": line.number,
        "place": line.place,
        "status": str(line.status),
        "points": points_value(line.points),
        "pole": line.pole,
        "fastest_lap": line.fastest_lap,
        "dropped": line.dropped,
    }


def standings_document(standings: Sequence[Standing], who: str = "driver") -> dict[str, Any]:
    """``{"standings": [{"position", "driver" or "team", "class", "points", "results", "dropped"}]}``."""
    return {
        "standings": [
            {
                "position": s.position,
                who: s.competitor,
                "class": s.car_class,
                "points": points_value(s.points),
                "results": [_line_document(line) for line in s.lines],
                "dropped": [_line_document(line) for line in s.dropped],
            }
            for s in standings
        ]
    }
