"""Pinning a simulated session to results known from a source (a press release's "Q1: 42nd", "Race 1:
DNF on lap 1", "Race 2: DNS"), the rest of the field as simulated.

A pin moves only the pinned car: in practice and qualifying its laps are scaled so that its best lap falls
between the cars that should bracket it (overall or in its class); in a race it is given the laps and race
time that put it between the same neighbours, stopped on the known lap (retired), or taken off the grid
(did not start). Race control's word is added where a timing system would carry it (a retirement or a
non-start with its reason). A pin that cannot hold (a place beyond the field) raises ``PinError``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from chequered.core.classification import Classification, classify
from chequered.core.errors import ChequeredError
from chequered.core.events import Decision, LapDeleted, StatusChanged
from chequered.core.model import Entry, Lap, Session, SessionKind, Status
from chequered.core.rulebook import Rulebook


class PinError(ChequeredError):
    """A known result the simulated session cannot be made to hold."""


@dataclass(frozen=True, slots=True)
class Pin:
    """What is known of one car in one session; ``None`` where the source says nothing."""

    car: str
    position: int | None = None
    class_position: int | None = None
    status: Status | None = None
    reason: str = ""
    laps: int | None = None


def _others(classification: Classification, pin: Pin, entry: Entry) -> list[int]:
    """The positions' keys of the cars the pinned car is placed among (overall or its class)."""
    return [
        i
        for i, r in enumerate(classification.results)
        if r.car != pin.car
        and r.status is Status.CLASSIFIED
        and (pin.position is not None or r.entry.car_class == entry.car_class)
    ]


def pin_session(
    session: Session,
    entries: Sequence[Entry],
    laps: Sequence[Lap],
    decisions: Sequence[Decision],
    rules: Rulebook,
    pins: Sequence[Pin],
    infractors: frozenset[str] = frozenset(),
) -> tuple[tuple[Lap, ...], tuple[Decision, ...]]:
    """The session's laps and decisions with every pin applied, in crossing order. A pinned race car
    never copies the race of one of the ``infractors`` (the cars that break a rule on purpose)."""
    by_car = {e.car: e for e in entries}
    out_laps, out_decisions = list(laps), list(decisions)
    for pin in pins:
        entry = by_car.get(pin.car)
        if entry is None:
            raise PinError(f"{session.id}: car {pin.car!r} is pinned but not on the grid")
        mine = [lap for lap in out_laps if lap.car == pin.car]
        rest = [lap for lap in out_laps if lap.car != pin.car]
        out_decisions = [d for d in out_decisions if d.car != pin.car]
        if pin.status is Status.DID_NOT_START:
            mine = []
            out_decisions.append(StatusChanged(pin.car, Status.DID_NOT_START, pin.reason))
        elif pin.status in (Status.RETIRED, Status.NOT_CLASSIFIED, Status.DISQUALIFIED):
            stop = pin.laps if pin.laps is not None else _after_stop(mine)
            mine = [lap._replace(flag="GF" if lap.flag == "FF" else lap.flag) for lap in mine[:stop]]
            out_decisions.append(StatusChanged(pin.car, pin.status, pin.reason))
        if pin.position is not None or pin.class_position is not None:
            classification = classify(session, entries, rest + mine, out_decisions, rules)
            if session.kind is SessionKind.RACE:
                mine = _race_place(classification, pin, entry, mine, rest, infractors)
            else:
                mine = _best_place(classification, pin, entry, mine)
                out_decisions = [
                    d for d in out_decisions if not (isinstance(d, LapDeleted) and d.car == pin.car)
                ]
        out_laps = rest + mine
    out_laps.sort(key=lambda lap: (lap.elapsed_ms, lap.car))
    return tuple(out_laps), tuple(out_decisions)


def _after_stop(laps: list[Lap]) -> int:
    """A retirement "in the second stint": three laps after the out-lap, or at half distance."""
    out = next((i for i, lap in enumerate(laps) if lap.pit_time_ms), None)
    return min(len(laps), out + 4) if out is not None else max(1, len(laps) // 2)


def _target(values: list[int], place: int, what: str, session: Session) -> int:
    """A value that ranks ``place`` among ``values`` (sorted, smaller first)."""
    if place > len(values) + 1:
        raise PinError(f"{session.id}: {what} {place} is beyond the {len(values) + 1} cars placed")
    if place == 1:
        return values[0] - 150 if values else 100_000
    if place == len(values) + 1:
        return values[-1] + 150
    return (values[place - 2] + values[place - 1]) // 2


def _best_place(classification: Classification, pin: Pin, entry: Entry, mine: list[Lap]) -> list[Lap]:
    """Scale the car's laps so that its best lap (no lap deleted) ranks at the pinned place."""
    place = pin.position if pin.position is not None else (pin.class_position or 1)
    results = classification.results
    bests = sorted(b for i in _others(classification, pin, entry) if (b := results[i].best_lap_ms))
    own = min((lap.lap_time_ms for lap in mine if lap.lap_time_ms), default=None)
    if own is None:
        raise PinError(f"{classification.session.id}: car {pin.car} set no time to place")
    target = _target(bests, place, "place", classification.session)
    return _rescaled(mine, target / own)


def _rescaled(laps: list[Lap], factor: float) -> list[Lap]:
    """The laps with every time scaled, crossings moved accordingly (the first lap starts where it did)."""
    if not laps:
        return laps
    t = laps[0].elapsed_ms - (laps[0].lap_time_ms or 0)
    out: list[Lap] = []
    for lap in laps:
        ms = round((lap.lap_time_ms or 0) * factor)
        sectors = tuple(round(s * factor) if s is not None else None for s in lap.sectors)
        if sectors and all(s is not None for s in sectors):
            sectors = (*sectors[:-1], ms - sum(s or 0 for s in sectors[:-1]))
        t += ms
        out.append(lap._replace(lap_time_ms=ms, elapsed_ms=t, sectors=sectors))
    return out


def _race_place(
    classification: Classification,
    pin: Pin,
    entry: Entry,
    mine: list[Lap],
    laps: Sequence[Lap],
    infractors: frozenset[str] = frozenset(),
) -> list[Lap]:
    """Give the car the race of the car whose place it takes: that car's laps and pit stop (inside the
    window, at least the minimum stop time), driven by this car's crew in its own order, every green lap
    scaled so that the race time falls between that car and the one ahead."""
    place = pin.position if pin.position is not None else (pin.class_position or 1)
    results = classification.results
    others = [results[i] for i in _others(classification, pin, entry)]
    if not others or place > len(others) + 1:
        raise PinError(f"{classification.session.id}: place {place} is beyond the {len(others) + 1} cars")
    below = others[place - 1] if place <= len(others) else others[-1]
    above = others[place - 2] if place >= 2 else None
    end_below = below.total_time_ms or 0
    if above is not None and above.laps == below.laps and above.total_time_ms:
        end = (above.total_time_ms + end_below) // 2
    elif place > len(others):
        end = end_below + 800
    else:
        end = end_below - 800
    model = next((r for r in (below, above, *others) if r is not None and r.car not in infractors), below)
    template = [lap for lap in laps if lap.car == model.car][: model.laps]
    first = mine[0].driver if mine else 1
    slots = {template[0].driver: first} if template else {}
    fixed = sum(lap.lap_time_ms or 0 for lap in template if lap.in_pit or lap.pit_time_ms)
    free = sum(lap.lap_time_ms or 0 for lap in template if not (lap.in_pit or lap.pit_time_ms))
    factor = (end - fixed) / free if free else 1.0
    names = {lap.driver: lap.driver_name for lap in mine}
    t = 0
    out: list[Lap] = []
    for lap in template:
        ms = lap.lap_time_ms or 0
        if not (lap.in_pit or lap.pit_time_ms):
            ms = round(ms * factor)
        t += ms
        slot = slots.setdefault(lap.driver, 2 if first == 1 else 1)
        out.append(
            lap._replace(
                car=pin.car,
                lap_time_ms=ms,
                elapsed_ms=t,
                sectors=_split(lap.sectors, ms),
                driver=slot,
                driver_name=names.get(slot, lap.driver_name if slot == lap.driver else ""),
            )
        )
    if out:
        last = out[-1]
        ms = (last.lap_time_ms or 0) + end - t
        out[-1] = last._replace(lap_time_ms=ms, elapsed_ms=end, sectors=_split(last.sectors, ms))
    return out


def _split(sectors: tuple[int | None, ...], ms: int) -> tuple[int | None, ...]:
    """Sectors rescaled to add up to ``ms``."""
    if not sectors or any(s is None for s in sectors):
        return sectors
    total = sum(s or 0 for s in sectors)
    scaled = [round((s or 0) * ms / total) for s in sectors[:-1]] if total else [0] * (len(sectors) - 1)
    return (*scaled, ms - sum(scaled))
