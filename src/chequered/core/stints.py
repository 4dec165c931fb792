"""Laps → stints and pit stops, per car.

Al Kamel marks the in-lap (the lap that ends in the pit lane) and puts the pit-lane time on the out-lap
that follows; a stint runs from the start or a pit exit to the next pit entry or the finish, and a new
stint also starts when the driver in the car changes without a recorded stop.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from operator import attrgetter, le, lt

from chequered.core.model import Lap


@dataclass(frozen=True, slots=True)
class Stint:
    """One uninterrupted run of a driver.

    ``time_ms`` runs line to line (from the previous stint's last crossing, or the start);
    ``driving_ms`` leaves out the pit-lane time recorded on the stint's out-lap.
    """

    car: str
    number: int
    driver: int
    driver_name: str
    first_lap: int
    last_lap: int
    laps: int
    start_ms: int
    end_ms: int
    time_ms: int
    driving_ms: int
    best_lap_ms: int | None


@dataclass(frozen=True, slots=True)
class PitStop:
    """A visit to the pit lane: ``in_lap`` ends in the lane, ``out_lap`` carries the pit-lane time.

    ``out_lap`` and ``pit_time_ms`` are None when the car never left (it retired in the pits).
    """

    car: str
    number: int
    in_lap: int
    out_lap: int | None
    pit_time_ms: int | None
    entry_elapsed_ms: int
    driver_in: int
    driver_out: int | None
    driver_in_name: str
    driver_out_name: str

    @property
    def driver_change(self) -> bool:
        return self.driver_out is not None and self.driver_out != self.driver_in


@dataclass(frozen=True, slots=True)
class CarStints:
    car: str
    stints: tuple[Stint, ...]
    stops: tuple[PitStop, ...]


_LAP_NUMBER, _ELAPSED = attrgetter("lap"), attrgetter("elapsed_ms")


def laps_by_car(laps: Iterable[Lap]) -> dict[str, list[Lap]]:
    """Group laps per car in crossing order; a lap number seen twice keeps its first crossing."""
    grouped: dict[str, list[Lap]] = defaultdict(list)
    for lap in laps:
        grouped[lap.car].append(lap)
    for car, car_laps in grouped.items():
        numbers, elapsed = list(map(_LAP_NUMBER, car_laps)), list(map(_ELAPSED, car_laps))
        in_order = all(map(lt, numbers, numbers[1:])) and all(map(le, elapsed, elapsed[1:]))
        if not in_order:
            car_laps.sort(key=lambda lap: (lap.elapsed_ms, lap.lap))
            unique: dict[int, Lap] = {}
            for lap in car_laps:
                unique.setdefault(lap.lap, lap)
            grouped[car] = list(unique.values())
    return dict(grouped)


def laps_by_car_moved_on(grouped: Mapping[str, list[Lap]], laps: Iterable[Lap]) -> dict[str, list[Lap]]:
    """``laps_by_car(earlier + laps)`` from ``grouped``, which is ``laps_by_car(earlier)``: only the cars
    with new laps are grouped again (a live session's read moves on a lap at a time). The same: a car's
    grouped laps keep, of each lap number, its first crossing, which the new laps cannot change; its lists
    are shared with ``grouped``, and neither is changed after."""
    added: dict[str, list[Lap]] = defaultdict(list)
    for lap in laps:
        added[lap.car].append(lap)
    moved = dict(grouped)
    for car, car_laps in added.items():
        moved[car] = laps_by_car([*grouped.get(car, ()), *car_laps])[car]
    return moved


def car_stints(car: str, laps: list[Lap]) -> CarStints:
    """Split one car's laps (in crossing order) into stints and stops."""
    stints: list[Stint] = []
    stops: list[PitStop] = []
    start = 0
    if laps and laps[0].lap_time_ms is not None:
        start = max(0, laps[0].elapsed_ms - laps[0].lap_time_ms)
    current: list[Lap] = []

    def close(end_laps: list[Lap], stint_start: int) -> None:
        first, last = end_laps[0], end_laps[-1]
        pit_on_out_lap = first.pit_time_ms or 0
        timed = [lap.lap_time_ms for lap in end_laps if lap.lap_time_ms is not None]
        stints.append(
            Stint(
                car=car,
                number=len(stints) + 1,
                driver=first.driver,
                driver_name=first.driver_name,
                first_lap=first.lap,
                last_lap=last.lap,
                laps=len(end_laps),
                start_ms=stint_start,
                end_ms=last.elapsed_ms,
                time_ms=last.elapsed_ms - stint_start,
                driving_ms=last.elapsed_ms - stint_start - pit_on_out_lap,
                best_lap_ms=min(timed) if timed else None,
            )
        )

    for index, lap in enumerate(laps):
        if current and lap.driver != current[-1].driver and not current[-1].in_pit:
            close(current, start)
            start = current[-1].elapsed_ms
            current = []
        current.append(lap)
        if lap.in_pit:
            following = laps[index + 1] if index + 1 < len(laps) else None
            stops.append(
                PitStop(
                    car=car,
                    number=len(stops) + 1,
                    in_lap=lap.lap,
                    out_lap=following.lap if following else None,
                    pit_time_ms=following.pit_time_ms if following else None,
                    entry_elapsed_ms=lap.elapsed_ms,
                    driver_in=lap.driver,
                    driver_out=following.driver if following else None,
                    driver_in_name=lap.driver_name,
                    driver_out_name=following.driver_name if following else "",
                )
            )
            close(current, start)
            start = lap.elapsed_ms
            current = []
    if current:
        close(current, start)
    return CarStints(car=car, stints=tuple(stints), stops=tuple(stops))


def stints_by_car(laps: Iterable[Lap]) -> dict[str, CarStints]:
    return {car: car_stints(car, car_laps) for car, car_laps in laps_by_car(laps).items()}
