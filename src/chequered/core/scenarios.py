"""Title scenarios after a round: who can still win, the points still available and what each needs.

Exact, not sampled. A contender's own future is enumerated place by place over the remaining races; a
rival's strongest answer to it is worked out directly: a rival takes the best place the contender left
free in every race, every pole and every fastest lap (anything else in the field can finish out of the
points). A contender clinches with an outcome when no rival can reach them under it, ties going by the
rulebook's tie-breaks on the final results. A driver races the remaining rounds in the car they last
drove, so crew-mates share their car's future. Points for remaining races assume full distance; the
"needs" statements count the contender's race places only (no pole or fastest-lap point of their own).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import product
from typing import Any

from chequered.core.points import Line, Points, SessionResult, SessionType, award_points, exact, session_order
from chequered.core.rulebook import Rulebook
from chequered.core.standings import Standing, apply_drops, driver_standings, held_races, tie_key, total

_OUT = 0  # a place out of the points


@dataclass(frozen=True, slots=True)
class Remaining:
    round: int
    session: str
    session_type: SessionType

    @property
    def label(self) -> str:
        return f"round {self.round} {self.session}"


@dataclass(frozen=True, slots=True)
class Contender:
    drivers: tuple[str, ...]
    car: str
    points: Points
    maximum: Points
    can_win: bool
    clinched: bool
    needs: tuple[str, ...]

    def describe(self) -> str:
        name = " / ".join(self.drivers)
        state = "champion" if self.clinched else ("can win" if self.can_win else "out of contention")
        return (
            f"{name} (#{self.car}) {_fmt(self.points)} pts, max {_fmt(self.maximum)}: {state}; "
            + "; ".join(self.needs)
        )


@dataclass(frozen=True, slots=True)
class ScenarioReport:
    after_round: int
    car_class: str | None
    available: Points
    remaining: tuple[Remaining, ...]
    contenders: tuple[Contender, ...]

    @property
    def summary(self) -> str:
        alive = [c for c in self.contenders if c.can_win]
        if len(alive) == 1 and alive[0].clinched:
            return f"{' / '.join(alive[0].drivers)} cannot be caught"
        return (
            f"{len(alive)} contender(s) can still win; {_fmt(self.available)} points still available "
            f"over {len(self.remaining)} session(s)"
        )

    def document(self) -> dict[str, Any]:
        return {
            "after_round": self.after_round,
            "class": self.car_class,
            "points_available": _number(self.available),
            "remaining": [
                {"round": r.round, "session": r.session, "type": r.session_type.value} for r in self.remaining
            ],
            "contenders": [
                {
                    "drivers": list(c.drivers),
                    "car": c.car,
                    "points": _number(c.points),
                    "max_points": _number(c.maximum),
                    "can_win": c.can_win,
                    "clinched": c.clinched,
                    "needs": list(c.needs),
                }
                for c in self.contenders
            ],
        }


def _number(value: Points) -> int | float:
    return value if isinstance(value, int) else (int(value) if value.denominator == 1 else float(value))


def _fmt(value: Points) -> str:
    number = _number(value)
    return f"{number:g}" if isinstance(number, float) else str(number)


def _ordinal(place: int) -> str:
    suffix = "th" if 10 <= place % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(place % 10, "th")
    return f"{place}{suffix}"


def remaining_sessions(
    results: Iterable[SessionResult], rulebook: Rulebook, after: int
) -> tuple[Remaining, ...]:
    """The scoring sessions after round ``after``: from the rulebook's calendar, else from the results."""
    calendar = rulebook.calendar
    if calendar.rounds is not None and calendar.sessions:
        found = [
            Remaining(r, s.session, SessionType(s.session_type))
            for r in range(after + 1, calendar.rounds + 1)
            for s in calendar.sessions
        ]
    else:
        found = sorted(
            {Remaining(r.round, r.session, r.session_type) for r in results if r.round > after},
            key=lambda x: (x.round, session_order(x.session)),
        )
    return tuple(found)


class _Future:
    """Points on offer in the remaining sessions, and final totals under hypothetical results."""

    def __init__(self, rulebook: Rulebook, remaining: Sequence[Remaining], held: Sequence[tuple[int, str]]):
        self.rulebook = rulebook
        rules = rulebook.points
        self.races = [r for r in remaining if r.session_type.is_race]
        self.scales = [
            tuple(
                exact(p * rules.factor(r.round, r.session))
                for p in rules.round_scale(r.round, r.session) or rules.scale(r.session_type.value)
            )
            for r in self.races
        ]
        quali = [r for r in remaining if not r.session_type.is_race]
        self.quali_max: Points = exact(rules.qualifying[0] * len(quali)) if rules.qualifying else 0
        self.fastest = exact(rules.fastest_lap)
        self.held = [*held, *((r.round, r.session) for r in self.races)]
        self.plain = rulebook.dropped.best is None and not rulebook.dropped.parts

    def gain(self, places: Sequence[int]) -> Points:
        return sum((s[p - 1] for s, p in zip(self.scales, places, strict=True) if 0 < p <= len(s)), start=0)

    def lines(self, places: Sequence[int], car: str) -> list[Line]:
        return [
            Line(
                r.round,
                r.session,
                r.session_type,
                car,
                p or None,
                "classified",
                s[p - 1] if 0 < p <= len(s) else 0,
            )
            for r, s, p in zip(self.races, self.scales, places, strict=True)
        ]

    def final(
        self, current: Sequence[Line], places: Sequence[int], car: str, bonus: Points
    ) -> tuple[Points, list[Line]]:
        extra = self.lines(places, car)
        marked = apply_drops([*current, *extra], self.held, self.rulebook.dropped)
        return total(marked) + bonus, marked

    def best_answer(self, taken: Sequence[int]) -> tuple[list[int], Points]:
        """A rival's best places given the contender's, and the poles and fastest laps on top."""
        places = [2 if p == 1 else 1 for p in taken]
        within = self.rulebook.points.fastest_lap_within
        fastest = (
            sum((self.fastest for p in places if within is None or p <= within), start=0)
            if self.fastest
            else 0
        )
        return places, self.quali_max + fastest


def _beats(future: _Future, mine: tuple[Points, list[Line]], theirs: tuple[Points, list[Line]]) -> bool:
    if mine[0] != theirs[0]:
        return mine[0] > theirs[0]
    return tie_key(mine[1], future.rulebook) < tie_key(theirs[1], future.rulebook)


@dataclass(slots=True)
class _Unit:
    drivers: list[str]
    car: str
    lines: list[Line]
    points: Points


def _units(standings: Sequence[Standing]) -> list[_Unit]:
    """Competitors with the same car and the same results are one contender (a crew)."""
    units: dict[tuple[str, tuple[tuple[int, str, Points, int | None], ...]], _Unit] = {}
    for s in standings:
        latest = max(s.lines, key=lambda line: line.order) if s.lines else None
        car = latest.number if latest else ""
        key = (car, tuple((line.round, line.session, line.points, line.place) for line in s.lines))
        unit = units.get(key)
        if unit is None:
            units[key] = _Unit([s.competitor], car, list(s.lines), s.points)
        else:
            unit.drivers.append(s.competitor)
    return list(units.values())


def title_scenarios(
    results: Sequence[SessionResult], rulebook: Rulebook, after: int, car_class: str | None = None
) -> ScenarioReport:
    """Title scenarios for the drivers' championship (of ``car_class``) after round ``after``."""
    awards = award_points(results, rulebook)
    standings = driver_standings(awards, rulebook, after, car_class)
    remaining = remaining_sessions(results, rulebook, after)
    future = _Future(rulebook, remaining, held_races(a for a in awards if a.result.round <= after))
    units = _units(standings)
    k = len(future.races)
    top = [1] * k
    win_all_bonus = future.quali_max + (future.fastest * k if future.fastest else 0)
    available = future.gain(top) + win_all_bonus
    nothing = [_OUT] * k
    finals_now = {id(u): future.final(u.lines, nothing, u.car, 0) for u in units}
    ceilings = {id(u): future.final(u.lines, top, u.car, win_all_bonus) for u in units}
    contenders = []
    for unit in units:
        best = ceilings[id(unit)]
        rivals = [r for r in units if r is not unit]
        can_win = all(
            _beats(
                future,
                best,
                ceilings[id(r)] if r.car == unit.car else finals_now[id(r)],
            )
            for r in rivals
        )
        if not can_win:
            needs: tuple[str, ...]
            mates = [r for r in rivals if r.car == unit.car and r.points > unit.points]
            if mates:
                names = " / ".join(mates[0].drivers)
                needs = (f"can no longer win: crew-mate {names} scores the same and is ahead",)
            else:
                gap = max(finals_now[id(r)][0] for r in rivals) - best[0]
                if gap > 0:
                    needs = (f"can no longer win: {_fmt(gap)} short at best",)
                else:
                    needs = ("can no longer win: level on points at best and behind on the tie-break",)
            contenders.append(
                Contender(tuple(unit.drivers), unit.car, unit.points, best[0], False, False, needs)
            )
            continue
        floor = finals_now[id(unit)][0]
        # a rival who cannot reach the contender's present total even winning everything never matters
        threats = [r for r in rivals if r.car == unit.car or ceilings[id(r)][0] >= floor]
        clinch = _Clincher(future, unit, threats)
        clinched = clinch(nothing)
        needs = ("champion whatever happens",) if clinched else _needs(clinch, future, units, unit)
        contenders.append(
            Contender(tuple(unit.drivers), unit.car, unit.points, best[0], True, clinched, needs)
        )
    contenders.sort(key=lambda c: (not c.can_win, -c.points, c.drivers))
    return ScenarioReport(after, car_class, available, remaining, tuple(contenders))


class _Clincher:
    """Whether an outcome for the contender (its places in the remaining races, nothing else) wins the
    title whatever the rivals do."""

    def __init__(self, future: _Future, unit: _Unit, rivals: Sequence[_Unit]) -> None:
        self.future, self.unit = future, unit
        self.rivals = rivals
        self.memo: dict[tuple[int, ...], bool] = {}

    def __call__(self, places: Sequence[int]) -> bool:
        key = tuple(places)
        known = self.memo.get(key)
        if known is not None:
            return known
        future = self.future
        mine = future.final(self.unit.lines, places, self.unit.car, 0)
        result = True
        for rival in self.rivals:
            if rival.car == self.unit.car:
                theirs = future.final(rival.lines, places, rival.car, 0)
            else:
                answer, bonus = future.best_answer(places)
                theirs = future.final(rival.lines, answer, rival.car, bonus)
            if not _beats(future, mine, theirs):
                result = False
                break
        self.memo[key] = result
        return result


def _needs(clinch: _Clincher, future: _Future, units: Sequence[_Unit], unit: _Unit) -> tuple[str, ...]:
    k = len(future.races)
    depth = [len(s) for s in future.scales]
    thresholds: list[int | None] = []
    for i in range(k):
        found = None
        for place in range(depth[i], 0, -1):
            places = [_OUT] * k
            places[i] = place
            if clinch(places):
                found = place
                break
        thresholds.append(found)
    labels = [r.label for r in future.races]
    if thresholds and all(t is not None for t in thresholds) and len(set(thresholds)) == 1:
        place = thresholds[0] or 1
        where = labels[0] if k == 1 else ("either race" if k == 2 else "any remaining race")
        if place == 1:
            return (f"wins the title if they win {where}",)
        return (f"wins the title if they finish {_ordinal(place)} or better in {where}",)
    singles = [
        f"win {labels[i]}" if t == 1 else f"finish {_ordinal(t)} or better in {labels[i]}"
        for i, t in enumerate(thresholds)
        if t is not None
    ]
    if singles:
        return ("wins the title if they " + ", or ".join(singles),)
    if k == 2:
        pairs = [(a, b) for a, b in product(range(1, depth[0] + 1), range(1, depth[1] + 1)) if clinch([a, b])]
        frontier = [
            (a, b) for a, b in pairs if not any((c, d) != (a, b) and c >= a and d >= b for c, d in pairs)
        ]
        if frontier:

            def part(place: int, label: str) -> str:
                return f"win {label}" if place == 1 else f"finish {_ordinal(place)} or better in {label}"

            options = ", or ".join(
                f"{part(a, labels[0])} and {part(b, labels[1])}" for a, b in sorted(frontier)[:4]
            )
            return (f"wins the title if they {options}",)
    if k > 2:
        ways = _options(clinch, future, labels, depth)
        if ways:
            return ("wins the title if they " + ", or ".join(ways),)
    leader = max((u for u in units if u is not unit), key=lambda u: u.points)
    gap = leader.points - unit.points
    if gap >= 0:
        return (
            f"needs help: must outscore {' / '.join(leader.drivers)} by more than {_fmt(gap)} points "
            "(level on points goes to the tie-break)",
        )
    return (f"needs help: leads by {_fmt(-gap)} but cannot clinch on their own results",)


def _options(clinch: _Clincher, future: _Future, labels: list[str], depth: list[int]) -> list[str]:
    """Outcomes of three or more remaining races that clinch the title, each exact: the lowest place
    that clinches when taken in every race, and the fewest wins (in the races worth most) that clinch
    with nothing from the others."""
    k = len(labels)
    options = []
    for place in range(max(depth), 0, -1):
        if clinch([place] * k):
            options.append(
                "win every remaining race"
                if place == 1
                else f"finish {_ordinal(place)} or better in every remaining race"
            )
            break
    by_value = sorted(range(k), key=lambda i: (-(future.scales[i][0] if future.scales[i] else 0), i))
    for wins in range(1, k):
        places = [_OUT] * k
        for i in by_value[:wins]:
            places[i] = 1
        if clinch(places):
            chosen = sorted(by_value[:wins])
            options.append("win " + " and ".join(labels[i] for i in chosen))
            break
    return options
