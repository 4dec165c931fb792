"""Sector bests of a live session: each car's own, each class's and the session's, for the board's colours."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from chequered.core.live.car import CarState


def _improve(bests: list[int | None], index: int, ms: int) -> bool:
    while len(bests) <= index:
        bests.append(None)
    current = bests[index]
    if current is None or ms < current:
        bests[index] = ms
        return True
    return False


@dataclass(slots=True)
class SectorBests:
    session: list[int | None] = field(default_factory=list)
    by_class: dict[str, list[int | None]] = field(default_factory=dict)

    def record_sector(self, car: CarState, sector: int, ms: int) -> bool:
        """A sector time (sector 1..n) of ``car``: update its personal, class and session bests; True
        when a class or session best improved."""
        if sector < 1 or ms <= 0:
            return False
        index = sector - 1
        _improve(car.best_sectors, index, ms)
        in_class = _improve(self.by_class.setdefault(car.entry.car_class, []), index, ms)
        return _improve(self.session, index, ms) or in_class

    def record_lap(self, car: CarState, sectors: Sequence[int | None]) -> bool:
        improved = False
        for index, ms in enumerate(sectors):
            if ms is not None:
                improved = self.record_sector(car, index + 1, ms) or improved
        return improved

    def marks(self, car: CarState) -> tuple[str, ...]:
        """Per sector of the car's current lap: "session", "class", "personal" best, or ""."""
        class_bests = self.by_class.get(car.entry.car_class, [])
        marks = []
        for index, ms in enumerate(car.sectors):
            if ms is None:
                marks.append("")
            elif index < len(self.session) and ms == self.session[index]:
                marks.append("session")
            elif index < len(class_bests) and ms == class_bests[index]:
                marks.append("class")
            elif index < len(car.best_sectors) and ms == car.best_sectors[index]:
                marks.append("personal")
            else:
                marks.append("")
        return tuple(marks)

    def session_row(self) -> dict[str, Any]:
        return {
            "best_sectors": list(self.session),
            "class_best_sectors": {name: list(b) for name, b in sorted(self.by_class.items())},
        }
