"""A whole simulated race weekend: FP1, FP2, Q1, Q2, Race 1, Race 2 of a packaged season's round.

Q1 (driver 1) sets the Race 1 grid, Q2 (driver 2) the Race 2 grid; a car without a time starts from
the back. Race 1 starts with driver 1, Race 2 with driver 2. A car wrecked on the first lap of Race 1
may be too damaged to start Race 2 (seed 001: "the car was too damaged to be able to start the second
race"). Race 2 stops carry the success penalty of the Race 1 result by the rulebook's basis; Race 1
carries none (no earlier race is simulated).

Each session gets its own random stream spawned from the weekend seed, so one session's draws never
shift another's. Nothing here reads a clock: the sessions' times are the season's schedule.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace

import numpy as np

from chequered import rulebooks
from chequered.core.classification import Classification, classify
from chequered.core.events import Decision, LapCompleted, SessionEvent
from chequered.core.model import Entry, Event, Lap, Session, SessionKind, Status
from chequered.core.rulebook import Rulebook
from chequered.core.stints import stints_by_car
from chequered.seasons import SeasonData
from chequered.sim.grid import SimCar, build_grid
from chequered.sim.laps import Dice, Yellow
from chequered.sim.pinning import Pin, pin_session
from chequered.sim.race import EARLY_STOP, SHORT_STOP, Infraction, plan_for, run_race
from chequered.sim.running import run_session
from chequered.sim.track import Track, track_for


@dataclass(frozen=True, slots=True)
class SimulatedSession:
    """One simulated session: what a real feed would carry (entries, laps, decisions) and what the
    simulator knows besides (yellows, deliberate infractions, the places that set success penalties)."""

    session: Session
    entries: tuple[Entry, ...]
    laps: tuple[Lap, ...]
    decisions: tuple[Decision, ...]
    injected: tuple[Infraction, ...] = ()
    yellows: tuple[Yellow, ...] = ()
    previous_places: Mapping[str, int] = field(default_factory=dict)

    def events(self) -> Iterator[SessionEvent]:
        """The session as a feed delivers it: each lap, and each decision after the lap it concerns."""
        pending: dict[tuple[str, int], list[Decision]] = {}
        for d in self.decisions:
            key = (d.car, getattr(d, "lap", 0))
            pending.setdefault(key, []).append(d)
        for lap in self.laps:
            yield LapCompleted(lap)
            yield from pending.pop((lap.car, lap.lap), ())
        for rest in pending.values():
            yield from rest

    def classify(self, rules: Rulebook) -> Classification:
        return classify(self.session, self.entries, self.laps, self.decisions, rules)


@dataclass(frozen=True, slots=True)
class SimulatedWeekend:
    event: Event
    track: Track
    cars: tuple[SimCar, ...]
    rulebook: Rulebook
    sessions: tuple[SimulatedSession, ...]


def expected_violations(
    intended: list[Infraction], classification: Classification, laps: tuple[Lap, ...]
) -> tuple[Infraction, ...]:
    """The compliance findings the deliberate infractions must produce, by rule: a short stop that was
    completed breaks the minimum stop time; a car that stopped before the window and took the flag
    breaks the window and, its first driver having driven under the minimum, the driving time."""
    stops = stints_by_car(laps)
    found: list[Infraction] = []
    for infraction in intended:
        result = classification.result(infraction.car)
        car = stops.get(infraction.car)
        if infraction.rule == SHORT_STOP and car and any(s.out_lap for s in car.stops):
            found.append(Infraction(infraction.car, "minimum stop time"))
        if infraction.rule == EARLY_STOP and result is not None and result.took_flag:
            found.append(Infraction(infraction.car, "pit window"))
            found.append(Infraction(infraction.car, "minimum driving time"))
    return tuple(found)


def _grid(classification: Classification, cars: tuple[SimCar, ...]) -> list[str]:
    """Starting order from a qualifying classification: timed cars by best lap, then the rest."""
    order = [r.entry.car for r in classification.results]
    return order + [c.car for c in cars if c.car not in order]


def _places(classification: Classification, basis: str) -> dict[str, int]:
    places: dict[str, int] = {}
    for r in classification.results:
        if r.status is Status.CLASSIFIED:
            places[r.entry.number] = r.class_position if basis == "class" else r.position
    return places


def _pins(season: SeasonData, cars: tuple[SimCar, ...]) -> dict[str, list[Pin]]:
    """The season's known results as pins on this grid's cars, by session id."""
    key = {c.season_car: c.car for c in cars if c.season_car}
    pins: dict[str, list[Pin]] = {}
    for known in season.known_results:
        if known.car in key:
            pin = Pin(
                key[known.car], known.position, known.class_position, known.status, known.reason, known.laps
            )
            pins.setdefault(known.session, []).append(pin)
    return pins


def _starters(season: SeasonData, cars: tuple[SimCar, ...]) -> dict[str, dict[str, int]]:
    """Who started which session, where the season file says (``driver`` of a known result): by session
    id, each car's crew slot (1-based)."""
    by_season_car = {c.season_car: c for c in cars if c.season_car}
    out: dict[str, dict[str, int]] = {}
    for known in season.known_results:
        car = by_season_car.get(known.car)
        if car is None or known.driver is None:
            continue
        names = [d.driver.name for d in car.crew]
        if known.driver in names:
            out.setdefault(known.session, {})[car.car] = names.index(known.driver) + 1
    return out


def simulate_weekend(
    season: SeasonData,
    round_: int,
    seed: int,
    *,
    grid_size: int | None = None,
    infractions: float = 0.5,
    rulebook: Rulebook | None = None,
) -> SimulatedWeekend:
    """Simulate every session of one round; the same arguments give the same weekend."""
    event = season.event(round_)
    rules = rulebook or rulebooks.load(season.rulebook)
    streams = np.random.SeedSequence([seed, round_]).spawn(len(event.sessions) + 1)
    cars = build_grid(season, round_, seed, grid_size)
    entries = tuple(c.entry for c in cars)
    track = track_for(event.circuit)
    # A reduced grid (tests, benchmarks) cannot hold the real field's places: only the season's own
    # grid is pinned to its known results.
    pins = _pins(season, cars) if grid_size is None else {}
    starters = _starters(season, cars)
    done: list[SimulatedSession] = []
    qualifying: list[Classification] = []
    previous: dict[str, int] = {}
    wrecked: set[str] = set()
    for index, session in enumerate(event.sessions):
        dice = Dice(np.random.default_rng(streams[index + 1]))
        duration = session.finish.duration_ms if session.finish and session.finish.duration_ms else 3_600_000
        if session.kind is SessionKind.RACE:
            race_number = sum(1 for s in done if s.session.kind is SessionKind.RACE)
            source = qualifying[race_number] if race_number < len(qualifying) else None
            order = _grid(source, cars) if source else [c.car for c in cars]
            not_starting = {p.car for p in pins.get(session.id, ()) if p.status is Status.DID_NOT_START}
            order = [car for car in order if car not in wrecked and car not in not_starting]
            plan = plan_for(rules, cars, duration, previous, track.reference_ms)
            result = run_race(
                track,
                cars,
                order,
                plan,
                dice,
                infractions,
                first_slot=race_number % 2 + 1,
                starters=starters.get(session.id),
            )
            laps, decisions = pin_session(
                session,
                entries,
                result.laps,
                result.decisions,
                rules,
                pins.get(session.id, ()),
                frozenset(i.car for i in result.intended),
            )
            simulated = SimulatedSession(
                session,
                entries,
                laps,
                decisions,
                (),
                tuple(result.yellows),
                dict(previous),
            )
            classification = simulated.classify(rules)
            injected = expected_violations(result.intended, classification, simulated.laps)
            simulated = replace(simulated, injected=injected)
            wrecked = set(result.wrecked)
            previous = _places(classification, rules.pit.success_basis)
        else:
            slot = None
            if session.kind is SessionKind.QUALIFYING:
                slot = len(qualifying) % 2 + 1
            result_laps = run_session(
                track, cars, session.kind, duration, slot, dice, starters.get(session.id)
            )
            laps, decisions = pin_session(
                session, entries, result_laps.laps, result_laps.decisions, rules, pins.get(session.id, ())
            )
            simulated = SimulatedSession(session, entries, laps, decisions)
            if session.kind is SessionKind.QUALIFYING:
                qualifying.append(simulated.classify(rules))
        done.append(simulated)
    return SimulatedWeekend(event, track, cars, rules, tuple(done))
