"""The classification of a session, as a pure function of entries, laps, decisions and the rulebook.

Race: more laps first, then the earlier time at the last crossing (plus time penalties). In a timed race
the leader takes the chequered flag at its first crossing after time expires and every other car finishes
at its next crossing; crossings after that (the cool-down lap) do not count.
Practice and qualifying: best valid lap, a tie going to whoever set it first, deleted laps excluded,
cars without a time last.
Both are given overall and per class, with gap to the leader and interval to the car ahead.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from operator import attrgetter

from chequered.core.errors import UnknownCarError
from chequered.core.events import Decision, LapDeleted, LapPenalty, StatusChanged, TimePenalty
from chequered.core.model import Entry, FinishMode, Lap, Session, SessionKind, Status
from chequered.core.rulebook import ClassificationRules, Rulebook
from chequered.core.stints import laps_by_car
from chequered.core.timefmt import format_gap

_ELAPSED = attrgetter("elapsed_ms")
# Rank groups: classified, then the rest that ran (not classified, retired), then no start, then out.
GROUP = {
    Status.CLASSIFIED: 0,
    Status.NOT_CLASSIFIED: 1,
    Status.RETIRED: 1,
    Status.DID_NOT_START: 2,
    Status.DISQUALIFIED: 3,
    Status.EXCLUDED: 3,
}


@dataclass(frozen=True, slots=True)
class Gap:
    """A gap in time on the same lap, or a number of laps behind; ``ms`` None and ``laps`` 0 = none."""

    ms: int | None = None
    laps: int = 0

    def __str__(self) -> str:
        return format_gap(self.ms, self.laps)


NO_GAP = Gap()


@dataclass(frozen=True, slots=True)
class FastestLap:
    car: str
    car_class: str
    lap: int
    ms: int
    driver_name: str
    set_at_ms: int


@dataclass(frozen=True, slots=True)
class Result:
    position: int
    class_position: int
    entry: Entry
    status: Status
    laps: int
    total_time_ms: int | None
    best_lap_ms: int | None
    best_lap: int | None
    gap: Gap = NO_GAP
    interval: Gap = NO_GAP
    class_gap: Gap = NO_GAP
    class_interval: Gap = NO_GAP
    penalty_ms: int = 0
    took_flag: bool = True

    @property
    def car(self) -> str:
        return self.entry.car


@dataclass(frozen=True, slots=True)
class Classification:
    session: Session
    results: tuple[Result, ...]
    fastest_lap: FastestLap | None = None
    class_fastest: Mapping[str, FastestLap] = field(default_factory=dict)
    flag_ms: int | None = None

    def in_class(self, car_class: str) -> tuple[Result, ...]:
        return tuple(r for r in self.results if r.entry.car_class == car_class)

    def result(self, car: str) -> Result | None:
        return next((r for r in self.results if r.entry.car == car), None)


@dataclass(slots=True)
class _Rulings:
    """The decisions of race control folded per car, latest status winning."""

    time_ms: dict[str, int] = field(default_factory=dict)
    lap_penalty: dict[str, int] = field(default_factory=dict)
    deleted: dict[str, set[int]] = field(default_factory=dict)
    status: dict[str, Status] = field(default_factory=dict)


def _fold(decisions: Iterable[Decision], cars: Mapping[str, Entry]) -> _Rulings:
    rulings = _Rulings()
    for decision in decisions:
        if decision.car not in cars:
            raise UnknownCarError(decision.car, type(decision).__name__)
        if isinstance(decision, TimePenalty):
            rulings.time_ms[decision.car] = rulings.time_ms.get(decision.car, 0) + decision.ms
        elif isinstance(decision, LapPenalty):
            rulings.lap_penalty[decision.car] = rulings.lap_penalty.get(decision.car, 0) + decision.laps
        elif isinstance(decision, LapDeleted):
            rulings.deleted.setdefault(decision.car, set()).add(decision.lap)
        elif isinstance(decision, StatusChanged):
            if decision.status is Status.CLASSIFIED:
                rulings.status.pop(decision.car, None)
            else:
                rulings.status[decision.car] = decision.status
    return rulings


def flag_instant(session: Session, by_car: Mapping[str, Sequence[Lap]]) -> int | None:
    """Session time at which the chequered flag is shown; None when no car has crossed the line.

    With a known finish: timed sessions flag the leader at its first crossing after time expires (in
    practice and qualifying, the moment time expires), lap races at the leader's final lap. With none
    (a file without metadata): the first crossing marked ``FF`` by the timing system, else the first
    crossing at the highest lap count.
    """
    if not any(by_car.values()):
        return None
    finish = session.finish
    if finish is not None and session.kind is not SessionKind.RACE and finish.duration_ms:
        return finish.duration_ms
    if finish is not None:
        crossings = sorted((lap.elapsed_ms, lap.lap) for laps in by_car.values() for lap in laps)
        leader_lap = 0
        extra = finish.laps if finish.mode is FinishMode.TIME_AND_LAPS else 0
        target: int | None = finish.laps if finish.mode is FinishMode.LAPS else None
        for elapsed, lap in crossings:
            leading = lap > leader_lap  # the first car to complete a lap leads the race
            leader_lap = max(leader_lap, lap)
            if (
                target is None
                and finish.duration_ms is not None
                and elapsed >= finish.duration_ms
                and leading
            ):
                target = lap + (extra or 0)
            if target is not None and lap >= target:
                return elapsed
        return None
    flagged = [lap.elapsed_ms for laps in by_car.values() for lap in laps if lap.flag == "FF"]
    if flagged:
        return min(flagged)
    top = max(laps[-1].lap for laps in by_car.values() if laps)
    return min(lap.elapsed_ms for laps in by_car.values() for lap in laps if lap.lap == top)


def _until_flag(laps: Sequence[Lap], flag_ms: int | None) -> tuple[Sequence[Lap], bool]:
    """The laps that count (up to the car's first crossing at or after the flag) and whether it took it."""
    if flag_ms is None:
        return laps, False
    index = bisect_left(laps, flag_ms, key=_ELAPSED)  # crossing order: elapsed never goes back
    if index < len(laps):
        return laps[: index + 1], True
    return laps, False


_LAP_TIME = attrgetter("lap_time_ms")


def _best(laps: Iterable[Lap], deleted: set[int]) -> Lap | None:
    """The quickest counted lap. Laps come in crossing order and ``min`` keeps the first of equals: a
    tie goes to whoever set the time first."""
    timed = [lap for lap in laps if lap.lap_time_ms is not None and lap.counts and lap.lap not in deleted]
    return min(timed, key=_LAP_TIME, default=None)


def race_status(
    laps: int, took_flag: bool, winner_laps: int, rules: ClassificationRules, ruled: Status | None
) -> Status:
    """A car's race status from its laps, whether it took the flag, the rulebook and race control's say.

    The one rule for the final classification and the live state alike."""
    if ruled in (Status.DISQUALIFIED, Status.EXCLUDED, Status.DID_NOT_START, Status.NOT_CLASSIFIED):
        return ruled
    if laps == 0 and not took_flag:
        return Status.DID_NOT_START
    far_enough = laps >= rules.min_distance * winner_laps
    running = took_flag and ruled is not Status.RETIRED
    if far_enough and (running or not rules.must_take_flag):
        return Status.CLASSIFIED
    return Status.NOT_CLASSIFIED if running else Status.RETIRED


def practice_status(laps: int, best: Lap | None, ruled: Status | None) -> Status:
    """Practice and qualifying: race control's say, else no laps = did not start, no time = not
    classified. The one rule for the final classification and the live state alike."""
    if ruled is not None:
        return ruled
    if laps == 0:
        return Status.DID_NOT_START
    if best is None:
        return Status.NOT_CLASSIFIED
    return Status.CLASSIFIED


@dataclass(slots=True, kw_only=True)
class Placing:
    """A car's standing and its place in the order, final (``classify``) or live (``core.live``): what
    it is ranked by, what a gap is measured between, and what a ``Result`` is made of."""

    entry: Entry
    index: int  # place in the entry list: the last tie-break
    status: Status = Status.DID_NOT_START
    laps: int = 0
    time_ms: int | None = None
    best: Lap | None = None
    penalty_ms: int = 0
    took_flag: bool = False
    position: int = 0
    class_position: int = 0
    gap: Gap = NO_GAP
    interval: Gap = NO_GAP
    class_gap: Gap = NO_GAP
    class_interval: Gap = NO_GAP


RankKey = tuple[int, int, int, int, int]
_NO_TIME = 1 << 62


def rank_key(kind: SessionKind, car: Placing) -> RankKey:
    """Where a car ranks: its status group first; in a race more laps, then the earlier time; otherwise
    the best lap (set first on equal times), cars without a time last; then the entry list's order."""
    group = GROUP[car.status]
    if kind is SessionKind.RACE:
        return (group, -car.laps, car.time_ms if car.time_ms is not None else _NO_TIME, 0, car.index)
    best = car.best
    if best is None or best.lap_time_ms is None:
        return (group, 1, -car.laps, 0, car.index)
    return (group, 0, best.lap_time_ms, best.elapsed_ms, car.index)


def gap(kind: SessionKind, ahead: Placing, car: Placing) -> Gap:
    """Gap from ``ahead`` to ``car``: laps or time in a race, best-lap difference otherwise."""
    if kind is SessionKind.RACE:
        laps = ahead.laps - car.laps
        if laps > 0:
            return Gap(laps=laps)
        if ahead.time_ms is None or car.time_ms is None:
            return NO_GAP
        return Gap(ms=car.time_ms - ahead.time_ms)
    a, b = ahead.best, car.best
    if a is None or b is None or a.lap_time_ms is None or b.lap_time_ms is None:
        return NO_GAP
    return Gap(ms=b.lap_time_ms - a.lap_time_ms)


def classify(
    session: Session,
    entries: Sequence[Entry],
    laps: Iterable[Lap],
    decisions: Iterable[Decision],
    rules: Rulebook,
    grouped: Mapping[str, list[Lap]] | None = None,
) -> Classification:
    """Classify a session; raise ``UnknownCarError`` if a lap or decision names a car without an entry.
    ``grouped``, when given, is ``laps_by_car(laps)`` already (a read model keeps it from lap to lap)."""
    cars = {entry.car: entry for entry in entries}
    by_car = laps_by_car(laps) if grouped is None else grouped
    for car in by_car:
        if car not in cars:
            raise UnknownCarError(car, f"lap of session {session.id}")
    rulings = _fold(decisions, cars)
    flag_ms = flag_instant(session, by_car)
    race = session.kind is SessionKind.RACE

    standings: list[Placing] = []
    for index, entry in enumerate(entries):
        counted, took_flag = _until_flag(by_car.get(entry.car, ()), flag_ms)
        deleted = rulings.deleted.get(entry.car, set())
        penalty = rulings.time_ms.get(entry.car, 0)
        last = counted[-1] if counted else None
        laps_done = max(0, (last.lap if last else 0) - rulings.lap_penalty.get(entry.car, 0))
        time_ms = last.elapsed_ms + penalty if (last and race) else None
        standings.append(
            Placing(
                entry=entry,
                index=index,
                laps=laps_done,
                time_ms=time_ms,
                best=_best(counted, deleted),
                penalty_ms=penalty,
                took_flag=took_flag,
            )
        )

    _assign_statuses(standings, session.kind, rules, rulings.status)
    standings.sort(key=lambda s: rank_key(session.kind, s))
    _place(session.kind, standings)
    return classification_of(session, standings, flag_ms)


def _assign_statuses(
    standings: list[Placing], kind: SessionKind, rules: Rulebook, ruled: Mapping[str, Status]
) -> None:
    running = [s for s in standings if ruled.get(s.entry.car) not in (Status.DISQUALIFIED, Status.EXCLUDED)]
    overall_winner = max((s.laps for s in running), default=0)
    class_winner: dict[str, int] = {}
    for s in running:
        class_winner[s.entry.car_class] = max(class_winner.get(s.entry.car_class, 0), s.laps)
    for s in standings:
        decided = ruled.get(s.entry.car)
        if kind is SessionKind.RACE:
            basis = (
                class_winner[s.entry.car_class] if rules.classification.distance_basis == "class" else None
            )
            winner = basis if basis is not None else overall_winner
            s.status = race_status(s.laps, s.took_flag, winner, rules.classification, decided)
        else:
            s.status = practice_status(s.laps, s.best, decided)


def _place(kind: SessionKind, ordered: list[Placing]) -> None:
    """Positions, class positions, gaps and intervals of cars in order (gaps among those that ran)."""
    class_count: dict[str, int] = {}
    class_leader: dict[str, Placing] = {}
    class_previous: dict[str, Placing] = {}
    leader = ordered[0] if ordered else None
    previous: Placing | None = None
    for position, s in enumerate(ordered, start=1):
        car_class = s.entry.car_class
        class_count[car_class] = class_count.get(car_class, 0) + 1
        s.position, s.class_position = position, class_count[car_class]
        if GROUP[s.status] <= 1 and leader is not None:
            s.gap = gap(kind, leader, s) if s is not leader else NO_GAP
            s.interval = gap(kind, previous, s) if previous is not None else NO_GAP
            c_lead, c_prev = class_leader.setdefault(car_class, s), class_previous.get(car_class)
            s.class_gap = gap(kind, c_lead, s) if c_lead is not s else NO_GAP
            s.class_interval = gap(kind, c_prev, s) if c_prev is not None else NO_GAP
            previous = s
            class_previous[car_class] = s


def classification_of(session: Session, order: Iterable[Placing], flag_ms: int | None) -> Classification:
    """Cars placed in order as a ``Classification``: its results and fastest laps. The one way from an
    order to results, for ``classify`` and the live state alike."""
    results: list[Result] = []
    fastest = FastestLaps()
    for car in order:
        best = car.best
        if GROUP[car.status] < 3:
            fastest.add(car.entry.car, car.entry.car_class, best)
        results.append(
            Result(
                position=car.position,
                class_position=car.class_position,
                entry=car.entry,
                status=car.status,
                laps=car.laps,
                total_time_ms=car.time_ms,
                best_lap_ms=best.lap_time_ms if best else None,
                best_lap=best.lap if best else None,
                gap=car.gap,
                interval=car.interval,
                class_gap=car.class_gap,
                class_interval=car.class_interval,
                penalty_ms=car.penalty_ms,
                took_flag=car.took_flag,
            )
        )
    return Classification(session, tuple(results), fastest.overall, fastest.by_class, flag_ms)


@dataclass(slots=True)
class FastestLaps:
    """The fastest lap overall and in each class, as the cars that count for it are added."""

    overall: FastestLap | None = None
    by_class: dict[str, FastestLap] = field(default_factory=dict)

    def add(self, car: str, car_class: str, best: Lap | None) -> None:
        if best is None or best.lap_time_ms is None:
            return
        candidate = FastestLap(car, car_class, best.lap, best.lap_time_ms, best.driver_name, best.elapsed_ms)
        self.overall = faster(self.overall, candidate)
        self.by_class[car_class] = faster(self.by_class.get(car_class), candidate)


def faster(current: FastestLap | None, candidate: FastestLap) -> FastestLap:
    """The faster of two laps; on equal times the one set first."""
    if current is None or (candidate.ms, candidate.set_at_ms) < (current.ms, current.set_at_ms):
        return candidate
    return current
