"""Drivers' and teams' standings from awarded points: dropped scores, countback and tie-breaks.

A driver's standing is keyed by the driver (and the class when points are scored by class), not by the
car: a driver who changes car keeps their own points, and a crew shares its car's points. Every result
line stays in the standing, dropped ones marked, so a table can show what was dropped and why.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

from chequered.core.points import (
    RACE_TYPES,
    Award,
    Line,
    Points,
    SessionResult,
    award_points,
    running_order,
)
from chequered.core.rulebook import Rulebook
from chequered.core.rulebook.points import CountbackRules, DroppedRules


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
    return sorted(held, key=running_order)


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
    races = [i for i, line in enumerate(marked) if line.session_type.is_race and line.scores]
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
    return sum((line.points for line in lines if not line.dropped and line.scores), start=0)


_NEVER = 1 << 30  # a place or a round later than any
_SCORED = CountbackRules()


def race_places(lines: Iterable[Line], rules: CountbackRules = _SCORED) -> list[int]:
    """The places countback counts (all results, dropped ones included), in running order: the
    scoring places, or the finishing positions as classified (non-scoring entries included), in the
    rulebook's session types."""
    if rules.places == "classified":
        return [line.finish for line in lines if line.finish and line.session_type.value in rules.sessions]
    return [
        line.place
        for line in lines
        if line.place and line.scores and line.session_type.value in rules.sessions
    ]


def countback(lines: Iterable[Line], rules: CountbackRules = _SCORED) -> tuple[int, ...]:
    """How many wins, seconds, thirds... (all results, dropped ones included)."""
    places = race_places(lines, rules)
    counts = [0] * (max(places, default=0) + 1)
    for place in places:
        counts[place] += 1
    return tuple(counts[1:])


def countback_key(places: list[int]) -> tuple[int, ...]:
    """A sort key (ascending = ahead) that orders competitors as countback does: the places sorted,
    then a place later than any. Where the counts first differ, at place k, the one with more k-th places
    has k where the other has a later place (or none left)."""
    return (*sorted(places), _NEVER)


def earliest_best(lines: Iterable[Line]) -> tuple[int, tuple[int, tuple[tuple[int, str], ...]]]:
    """The best race place and when it was first achieved (lower is better on both)."""
    placed = [line for line in lines if line.place and line.scores and line.session_type in RACE_TYPES]
    if not placed:
        return (_NEVER, (_NEVER, ()))
    best = min(line.place or _NEVER for line in placed)
    return (best, min(line.order for line in placed if line.place == best))


def tie_key(lines: Sequence[Line], rulebook: Rulebook) -> tuple[object, ...]:
    """A sort key (ascending = ahead) for competitors level on points."""
    return tuple(_rule_key(rule, list(lines), rulebook.countback) for rule in rulebook.tie_break)


def _rule_key(rule: str, lines: list[Line], rules: CountbackRules) -> object:
    if rule == "countback":
        return countback_key(race_places(lines, rules))
    if rule == "earliest_best":
        return earliest_best(lines)[1]
    raise ValueError(f"unknown tie-break {rule!r}")


def rank(
    competitors: Iterable[tuple[str, str, list[Line]]], held: Sequence[tuple[int, str]], rulebook: Rulebook
) -> tuple[Standing, ...]:
    """Standings of (name, class, lines) competitors; the lines of each are in running order."""
    keyed = []
    for name, car_class, lines in competitors:
        marked = apply_drops(lines, held, rulebook.dropped)
        keyed.append((total(marked), name, car_class, marked))
    by_points: dict[Points, list[int]] = defaultdict(list)
    for i, (points, *_) in enumerate(keyed):
        by_points[points].append(i)
    keys: list[tuple[object, ...]] = [()] * len(keyed)
    for level in by_points.values():
        if len(level) > 1:
            _break_ties(level, [marked for *_, marked in keyed], keys, rulebook)
    order = sorted(range(len(keyed)), key=lambda i: (-keyed[i][0], keys[i], keyed[i][1], keyed[i][2]))
    standings: list[Standing] = []
    for n, i in enumerate(order):
        points, name, car_class, marked = keyed[i]
        previous = order[n - 1] if n else None
        if previous is None or keyed[previous][0] != points or keys[previous] != keys[i]:
            position = n + 1
        standings.append(Standing(position, name, car_class, points, tuple(marked)))
    return tuple(standings)


def _break_ties(
    level: list[int], lines: list[list[Line]], keys: list[tuple[object, ...]], rulebook: Rulebook
) -> None:
    """The tie-break keys of competitors level on points (indexes into ``lines``), each tie-break
    worked out only for those still level after the ones before it, and once for crew-mates who share
    their lines."""
    still = [level]
    for rule in rulebook.tie_break:
        after: list[list[int]] = []
        for group in still:
            worked: dict[tuple[int, ...], object] = {}
            by_key: dict[object, list[int]] = defaultdict(list)
            for i in group:
                same = tuple(map(id, lines[i]))
                if same not in worked:
                    worked[same] = _rule_key(rule, lines[i], rulebook.countback)
                keys[i] = (*keys[i], worked[same])
                by_key[worked[same]].append(i)
            after.extend(g for g in by_key.values() if len(g) > 1)
        still = after


def _sessions(awards: Iterable[Award], after_round: int | None) -> list[list[Award]]:
    """The awards up to ``after_round`` by session, sessions in running order."""
    sessions: dict[tuple[int, str], list[Award]] = defaultdict(list)
    for award in awards:
        r = award.result
        if after_round is None or r.round <= after_round:
            sessions[(r.round, r.session)].append(award)
    return [sessions[key] for key in sorted(sessions, key=running_order)]


def _held(sessions: list[list[Award]]) -> list[tuple[int, str]]:
    """The race sessions among ``sessions`` (in running order)."""
    return [
        (session[0].result.round, session[0].result.session)
        for session in sessions
        if any(a.result.session_type.is_race for a in session)
    ]


def driver_standings(
    awards: Sequence[Award], rulebook: Rulebook, after_round: int | None = None, car_class: str | None = None
) -> tuple[Standing, ...]:
    """Drivers' standings; per class when points are scored by class (``car_class`` picks one).

    A driver's results in entries that do not score stand in their breakdown with no points, for
    countback on finishing positions; a driver with no scoring result has no standing."""
    sessions = _sessions(awards, after_round)
    held = _held(sessions)
    per_class = rulebook.points.scope == "class"
    groups: dict[str, dict[str, list[Line]]] = defaultdict(lambda: defaultdict(list))
    guests: set[tuple[str, str]] = set()  # drivers with a result in a non-scoring entry
    for session in sessions:
        for award in session:
            r = award.result
            if car_class is not None and r.car_class != car_class:
                continue
            group = r.car_class if per_class else ""
            drivers = groups[group]
            line = award.line
            if award.shares is None:  # every driver scores the car's points: they share its line
                # (a crew nobody named, in an anonymised results file, stands under its car number)
                for driver in r.drivers or (f"#{r.number}",):
                    drivers[driver].append(line)
                    if not r.scores:
                        guests.add((group, driver))
                continue
            for driver, points in award.shares or ((f"#{r.number}", line.points),):
                drivers[driver].append(line if points == line.points else line._replace(points=points))
                if not r.scores:
                    guests.add((group, driver))
    competitors = (
        (name, group, lines)
        for group, drivers in groups.items()
        for name, lines in drivers.items()
        if (group, name) not in guests or any(line.scores for line in lines)
    )
    return rank(competitors, held, rulebook)


def team_standings(
    awards: Sequence[Award], rulebook: Rulebook, after_round: int | None = None, car_class: str | None = None
) -> tuple[Standing, ...]:
    """Teams' standings: per session a team scores with its best ``team_cars_counted`` cars."""
    sessions = _sessions(awards, after_round)
    held = _held(sessions)
    per_class = rulebook.scoring.team_scope == "class"
    counted = rulebook.scoring.team_cars_counted
    teams: dict[tuple[str, str], list[Line]] = defaultdict(list)
    for session in sessions:
        entries: dict[tuple[str, str], list[Award]] = defaultdict(list)
        for award in session:
            r = award.result
            if r.scores and r.team and (car_class is None or r.car_class == car_class):
                entries[(r.car_class if per_class else "", r.team)].append(award)
        for key, cars in entries.items():
            teams[key].append(cars[0].line if len(cars) == 1 else _team_line(cars, counted))
    return rank(((team, group, lines) for (group, team), lines in teams.items()), held, rulebook)


def _team_line(cars: list[Award], counted: int | None) -> Line:
    """A team's result in a session: its best ``counted`` cars."""
    cars = sorted(cars, key=lambda a: (-a.points, a.place or _NEVER, a.result.number))
    best = cars if counted is None else cars[:counted]
    lead = best[0]
    return lead.line._replace(
        number="+".join(a.result.number for a in best),
        points=sum((a.points for a in best), start=0),
        pole=any(a.pole for a in best),
        fastest_lap=any(a.fastest_lap for a in best),
    )


def season_standings(
    results: Iterable[SessionResult],
    rulebook: Rulebook,
    *,
    teams: bool = False,
    after_round: int | None = None,
    car_class: str | None = None,
) -> tuple[Standing, ...]:
    """The drivers' (or teams') standings of a season's results: the one scoring path of the CLI, the
    API and the pages."""
    awards = award_points(results, rulebook)
    compute = team_standings if teams else driver_standings
    return compute(awards, rulebook, after_round, car_class)


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
        "finish": line.finish,
        "scores": line.scores,
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
