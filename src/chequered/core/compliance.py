"""Compliance of a race with the pit-stop, driving-time and class rules of its rulebook.

A pure function of the entries, the laps (through stints and stops) and the rulebook. Each finding names
the car, the rule and the measured value next to the limit. A car that did not take the chequered flag
is only checked for what it did (a stop that was too short), not for what it never had the time to do.
Times: a stop's moment is its pit entry (the in-lap's crossing, in race time); its length is pit entry to
pit exit as the timing records it on the out-lap; driving time leaves the pit-lane time out.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from chequered.core.classification import classify
from chequered.core.model import Entry, Lap, Session
from chequered.core.rulebook import Rulebook
from chequered.core.stints import CarStints, PitStop, stints_by_car
from chequered.core.timefmt import format_duration


@dataclass(frozen=True, slots=True)
class Violation:
    car: str
    number: str
    rule: str
    measured: str
    limit: str
    message: str


@dataclass(frozen=True, slots=True)
class ComplianceReport:
    session: str
    rulebook: str
    cars: int
    violations: tuple[Violation, ...]
    notes: tuple[str, ...]

    def for_car(self, car: str) -> tuple[Violation, ...]:
        return tuple(v for v in self.violations if v.car == car)


def _clock(ms: int) -> str:
    return format_duration(ms)


def _minutes_ms(minutes: Fraction) -> int:
    return int(minutes * 60_000)


def driving_ms(car: CarStints) -> dict[int, int]:
    """Driving time per crew slot."""
    totals: dict[int, int] = defaultdict(int)
    for stint in car.stints:
        totals[stint.driver] += stint.driving_ms
    return dict(totals)


def _driver_name(entry: Entry, slot: int, seen: Mapping[int, str]) -> str:
    if 1 <= slot <= len(entry.drivers):
        return entry.drivers[slot - 1].name
    return seen.get(slot) or f"driver {slot}"


def _stops(car: CarStints, rulebook: Rulebook) -> list[PitStop]:
    """The stops that can count as mandatory: completed, and with a driver change when required."""
    return [
        s for s in car.stops if s.out_lap is not None and (s.driver_change or not rulebook.pit.driver_change)
    ]


def _check_stops(
    entry: Entry, car: CarStints, rulebook: Rulebook, finished: bool, previous_place: int | None
) -> list[Violation]:
    pit = rulebook.pit
    found: list[Violation] = []
    candidates = _stops(car, rulebook)
    opens = _minutes_ms(pit.window_open_min) if pit.window_open_min is not None else None
    closes = _minutes_ms(pit.window_close_min) if pit.window_close_min is not None else None
    in_window = [
        s
        for s in candidates
        if (opens is None or s.entry_elapsed_ms >= opens) and (closes is None or s.entry_elapsed_ms <= closes)
    ]
    window = f"{_clock(opens or 0)}-{_clock(closes) if closes is not None else 'end'}"
    kind = "stops with a driver change" if pit.driver_change else "stops"
    if pit.mandatory_stops and finished and len(in_window) < pit.mandatory_stops:
        outside = [s for s in candidates if s not in in_window]
        if outside:
            measured = ", ".join(f"stop at {_clock(s.entry_elapsed_ms)}" for s in outside)
            rule = "pit window"
        else:
            measured = f"{len(candidates)} {kind}"
            rule = "mandatory stop"
        found.append(
            Violation(
                entry.car,
                entry.number,
                rule,
                measured,
                f"{pit.mandatory_stops} in {window}",
                f"{measured}; the rule wants {pit.mandatory_stops} of the {kind} "
                f"with pit entry in {window} race time",
            )
        )
    minimum = pit.stop_minimum_ms(previous_place)
    if minimum is not None:
        mandatory = (in_window or candidates)[: max(1, pit.mandatory_stops)]
        for stop in mandatory:
            if stop.pit_time_ms is not None and stop.pit_time_ms < minimum:
                extra = (
                    f" incl. success penalty for P{previous_place}"
                    if minimum != pit.stop_minimum_ms(None)
                    else ""
                )
                found.append(
                    Violation(
                        entry.car,
                        entry.number,
                        "minimum stop time",
                        _clock(stop.pit_time_ms),
                        _clock(minimum),
                        f"stop {stop.number} (in-lap {stop.in_lap}) took {_clock(stop.pit_time_ms)} "
                        f"pit entry to exit, minimum {_clock(minimum)}{extra}",
                    )
                )
    return found


def _check_drivers(entry: Entry, car: CarStints, rulebook: Rulebook, finished: bool) -> list[Violation]:
    pit = rulebook.pit
    found: list[Violation] = []
    driving = driving_ms(car)
    seen = {s.driver: s.driver_name for s in car.stints}
    slots = sorted(set(driving) | set(range(1, len(entry.drivers) + 1)))
    for slot in slots:
        ms = driving.get(slot, 0)
        name = _driver_name(entry, slot, seen)
        if pit.max_drive_min is not None and ms > _minutes_ms(pit.max_drive_min):
            limit = _clock(_minutes_ms(pit.max_drive_min))
            found.append(
                Violation(
                    entry.car,
                    entry.number,
                    "maximum driving time",
                    _clock(ms),
                    limit,
                    f"{name} drove {_clock(ms)}, maximum {limit}",
                )
            )
        if not finished:
            continue
        if ms == 0 and pit.each_driver_must_drive:
            found.append(
                Violation(
                    entry.car,
                    entry.number,
                    "each driver must drive",
                    "0:00.000",
                    "> 0",
                    f"{name} did not drive",
                )
            )
        elif pit.min_drive_min is not None and 0 < ms < _minutes_ms(pit.min_drive_min):
            limit = _clock(_minutes_ms(pit.min_drive_min))
            found.append(
                Violation(
                    entry.car,
                    entry.number,
                    "minimum driving time",
                    _clock(ms),
                    limit,
                    f"{name} drove {_clock(ms)}, minimum {limit}",
                )
            )
    return found


def _check_class(entry: Entry, rulebook: Rulebook, notes: list[str]) -> list[Violation]:
    if not rulebook.classes:
        return []
    rule = rulebook.class_rule(entry.car_class)
    if rule is None:
        notes.append(f"#{entry.number}: class {entry.car_class!r} is not one of the rulebook's classes")
        return []
    categories = tuple(d.category for d in entry.drivers)
    if not categories or any(c is None for c in categories):
        return []
    known = tuple(c for c in categories if c is not None)
    if rule.admits(known):
        return []
    crew = " + ".join(c.value for c in known)
    allowed = " or ".join(" + ".join(c.value for c in combo) for combo in rule.crews)
    return [
        Violation(
            entry.car,
            entry.number,
            "class eligibility",
            crew,
            allowed,
            f"a {crew} crew is not admitted in {rule.name} ({allowed})",
        )
    ]


def check_entries(
    entries: Iterable[Entry], rulebook: Rulebook
) -> tuple[tuple[Violation, ...], tuple[str, ...]]:
    """Class eligibility of an entry list (a season's, before any lap is run): findings and notes."""
    violations: list[Violation] = []
    notes: list[str] = []
    for entry in entries:
        violations.extend(_check_class(entry, rulebook, notes))
    return tuple(violations), tuple(notes)


def success_places(finishers: Iterable[tuple[str, str]], rulebook: Rulebook) -> dict[str, int]:
    """Each car's place in a race for its success penalty in the next one: overall, or in its class when
    the rulebook's success basis is the class. ``finishers`` are ``(number, class)`` in finishing order,
    the cars with a position only."""
    places: dict[str, int] = {}
    counts: dict[str, int] = {}
    for number, car_class in finishers:
        group = car_class if rulebook.pit.success_basis == "class" else ""
        counts[group] = counts.get(group, 0) + 1
        places[number] = counts[group]
    return places


def check_race(
    session: Session,
    entries: Sequence[Entry],
    laps: Iterable[Lap],
    rulebook: Rulebook,
    previous_places: Mapping[str, int] | None = None,
) -> ComplianceReport:
    """Check every car of a race. ``previous_places`` maps a car number to its place in the previous
    race (by the rulebook's success basis), for success penalties."""
    laps = tuple(laps)
    by_car = stints_by_car(laps)
    classification = classify(session, entries, laps, (), rulebook)
    flagged = {r.car for r in classification.results if r.took_flag}
    previous = previous_places or {}
    violations: list[Violation] = []
    notes: list[str] = []
    unknown_categories = 0
    for entry in entries:
        car = by_car.get(entry.car)
        violations.extend(_check_class(entry, rulebook, notes))
        if rulebook.classes and (not entry.drivers or any(d.category is None for d in entry.drivers)):
            unknown_categories += 1
        if car is None:
            continue
        finished = entry.car in flagged
        violations.extend(_check_stops(entry, car, rulebook, finished, previous.get(entry.number)))
        violations.extend(_check_drivers(entry, car, rulebook, finished))
    if unknown_categories:
        notes.append(
            f"{unknown_categories} car(s) without FIA categories for every driver: eligibility not checked"
        )
    return ComplianceReport(session.id, rulebook.id, len(by_car), tuple(violations), tuple(notes))


def compliance_document(report: ComplianceReport) -> dict[str, Any]:
    return {
        "session": report.session,
        "rulebook": report.rulebook,
        "cars": report.cars,
        "violations": [
            {
                "car": v.car,
                "number": v.number,
                "rule": v.rule,
                "measured": v.measured,
                "limit": v.limit,
                "message": v.message,
            }
            for v in report.violations
        ],
        "notes": list(report.notes),
    }
