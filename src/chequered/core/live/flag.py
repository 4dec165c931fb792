"""When the chequered flag falls, followed crossing by crossing.

The classification finds the flag instant from all laps (``classification.flag_instant``); the live
state keeps the same answer up to date from running figures — the first crossing marked ``FF``, the
first crossing at the highest lap count, the leader's lap when time expires — and recomputes it from
all laps only when a crossing arrives out of order.
"""

from __future__ import annotations

from collections.abc import Callable

from chequered.core.classification import flag_instant
from chequered.core.model import FinishMode, Lap, Session, SessionKind


class FlagInstant:
    def __init__(self, session: Session) -> None:
        self.session = session
        self.flag_ms: int | None = None
        self.any_lap = False
        self._ff_ms: int | None = None
        self._top_lap = 0
        self._top_first: int | None = None
        self._leader_lap = 0
        self._target: int | None = None
        self._max_elapsed = -1

    def crossed(self, lap: Lap, in_order: bool, all_laps: Callable[[], dict[str, list[Lap]]]) -> int | None:
        """The flag instant after one more crossing; ``in_order`` False (the car's laps were re-read)
        or an earlier crossing in a session with a known finish recomputes it from ``all_laps``."""
        self.any_lap = True
        finish = self.session.finish
        ordered_globally = lap.elapsed_ms >= self._max_elapsed
        self._max_elapsed = max(self._max_elapsed, lap.elapsed_ms)
        if not in_order or (finish is not None and not ordered_globally):
            by_car = all_laps()
            self.flag_ms = flag_instant(self.session, by_car)
            self._recount_top(by_car)
        elif finish is None:
            if lap.flag == "FF" and (self._ff_ms is None or lap.elapsed_ms < self._ff_ms):
                self._ff_ms = lap.elapsed_ms
            if lap.lap > self._top_lap:
                self._top_lap, self._top_first = lap.lap, lap.elapsed_ms
            elif lap.lap == self._top_lap and (self._top_first is None or lap.elapsed_ms < self._top_first):
                self._top_first = lap.elapsed_ms
            self.flag_ms = self._ff_ms if self._ff_ms is not None else self._top_first
        elif self.session.kind is not SessionKind.RACE and finish.duration_ms:
            self.flag_ms = finish.duration_ms
        elif self.flag_ms is None:
            leading = lap.lap > self._leader_lap  # the first car to complete a lap leads the race
            self._leader_lap = max(self._leader_lap, lap.lap)
            if self._target is None and finish.mode is FinishMode.LAPS:
                self._target = finish.laps
            duration = finish.duration_ms
            if self._target is None and duration is not None and lap.elapsed_ms >= duration and leading:
                extra = finish.laps if finish.mode is FinishMode.TIME_AND_LAPS else 0
                self._target = lap.lap + (extra or 0)
            if self._target is not None and lap.lap >= self._target:
                self.flag_ms = lap.elapsed_ms
        return self.flag_ms

    def _recount_top(self, by_car: dict[str, list[Lap]]) -> None:
        """After an out-of-order lap, the running figures of the flag are recounted from all laps."""
        laps = [lap for car_laps in by_car.values() for lap in car_laps]
        flagged = [lap.elapsed_ms for lap in laps if lap.flag == "FF"]
        self._ff_ms = min(flagged) if flagged else None
        lasts = [car_laps[-1].lap for car_laps in by_car.values() if car_laps]
        self._top_lap = max(lasts, default=0)
        self._top_first = min((lap.elapsed_ms for lap in laps if lap.lap == self._top_lap), default=None)
        self._leader_lap = max((lap.lap for lap in laps), default=0)
