"""The running order of a live session, overall and in each class, kept sorted as cars move.

Each order is a sorted list of ``(rank key, car)``: a car that moves is taken out and put back by binary
search, no re-sort. Positions, gaps and intervals are then rewritten only over the stretch of the order
that moved (to the end when the leader changed, as everybody's gap is to the leader). Every car whose
row changed is handed to ``emit``, in the order the board would notice it.
"""

from __future__ import annotations

from bisect import bisect_left, insort
from collections.abc import Callable, Iterator

from chequered.core.classification import NO_GAP, RankKey, gap, rank_key
from chequered.core.live.car import CarState
from chequered.core.live.view import text
from chequered.core.model import SessionKind

Slot = tuple[RankKey, str]  # (rank key, car)
Emit = Callable[[CarState], None]


class RunningOrder:
    """The cars of one session in running order, overall and per class."""

    def __init__(self, kind: SessionKind, cars: dict[str, CarState], emit: Emit) -> None:
        self.kind = kind
        self.cars = cars
        self.emit = emit
        self.overall: list[Slot] = []
        self.by_class: dict[str, list[Slot]] = {}

    def __iter__(self) -> Iterator[CarState]:
        """The cars, leader first."""
        cars = self.cars
        return (cars[name] for _, name in self.overall)

    def add(self, car: CarState) -> None:
        """A new car, at its key (positions are set by the ``move`` that follows)."""
        insort(self.overall, (car.key, car.car))
        insort(self.by_class.setdefault(car.entry.car_class, []), (car.key, car.car))

    def change_class(self, car: CarState, old_class: str) -> None:
        """A car moved from ``old_class`` to the class of its entry: both classes re-ranked."""
        self.by_class[old_class].remove((car.key, car.car))
        insort(self.by_class.setdefault(car.entry.car_class, []), (car.key, car.car))
        self.rewrite_class(old_class)

    def rewrite_class(self, car_class: str) -> None:
        """Positions, gaps and intervals of a whole class rewritten."""
        in_class = self.by_class.get(car_class, [])
        self._place(in_class, 0, len(in_class) - 1, overall=False, all_gaps=True)

    def move(self, moved: list[CarState]) -> None:
        """Put each car at its new rank key, then rewrite what moved."""
        kind = self.kind
        lo, hi = len(self.overall), -1
        class_range: dict[str, tuple[int, int]] = {}
        for car in moved:
            key = rank_key(kind, car)
            if key == car.key and car.position:
                continue
            i, j = _shift(self.overall, car, key)
            lo, hi = min(lo, i, j), max(hi, i, j)
            car_class = car.entry.car_class
            ci, cj = _shift(self.by_class[car_class], car, key)
            clo, chi = class_range.get(car_class, (ci, cj))
            class_range[car_class] = (min(clo, ci, cj), max(chi, ci, cj))
            car.key = key
        if hi < 0:
            return
        self._place(self.overall, lo, hi, overall=True, all_gaps=False)
        for car_class, (clo, chi) in class_range.items():
            self._place(self.by_class[car_class], clo, chi, overall=False, all_gaps=False)

    def _place(self, order: list[Slot], lo: int, hi: int, *, overall: bool, all_gaps: bool) -> None:
        """Positions over ``lo..hi`` of an order; gaps and intervals from ``lo`` to one past ``hi`` (to the
        end when the leader may have changed, or when ``all_gaps``)."""
        if not order:
            return
        cars, kind, emit = self.cars, self.kind, self.emit
        for i in range(lo, hi + 1):
            car = cars[order[i][1]]
            if (car.position if overall else car.class_position) != i + 1:
                if overall:
                    car.position = i + 1
                else:
                    car.class_position = i + 1
                emit(car)
        leader = cars[order[0][1]]
        everybody = lo == 0 or all_gaps
        end = len(order) - 1 if everybody else min(hi + 1, len(order) - 1)
        for i in range(0 if everybody else lo, end + 1):
            car = cars[order[i][1]]
            if car.group <= 1 and leader.group <= 1:
                new_gap = gap(kind, leader, car) if car is not leader else NO_GAP
                interval = gap(kind, cars[order[i - 1][1]], car) if i > 0 else NO_GAP
            else:
                new_gap = interval = NO_GAP
            if overall and (new_gap != car.gap or interval != car.interval):
                car.gap, car.interval = new_gap, interval
                car.texts = (text(new_gap), text(interval), car.texts[2], car.texts[3])
                emit(car)
            elif not overall and (new_gap != car.class_gap or interval != car.class_interval):
                car.class_gap, car.class_interval = new_gap, interval
                car.texts = (car.texts[0], car.texts[1], text(new_gap), text(interval))
                emit(car)


def _shift(order: list[Slot], car: CarState, key: RankKey) -> tuple[int, int]:
    """Move a car from its old key to ``key``; the indexes it left and took."""
    i = bisect_left(order, (car.key, car.car))
    del order[i]
    insort(order, (key, car.car))
    return i, bisect_left(order, (key, car.car))
