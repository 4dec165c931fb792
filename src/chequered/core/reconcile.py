"""Reconciliation of a computed classification against an official one.

Timekeepers check their result against the published one car by car: position, laps and total time.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from chequered.core.classification import Classification
from chequered.core.model import Status
from chequered.core.timefmt import format_duration


@dataclass(frozen=True, slots=True)
class OfficialLine:
    """One car of the official result: ``position`` None for a car listed without one (not started)."""

    car: str
    number: str
    position: int | None
    laps: int | None
    total_time_ms: int | None


@dataclass(frozen=True, slots=True)
class Difference:
    car: str
    number: str
    field: str
    official: str
    computed: str


@dataclass(frozen=True, slots=True)
class Reconciliation:
    matched: int
    total: int
    differences: tuple[Difference, ...]

    @property
    def summary(self) -> str:
        return f"{self.matched}/{self.total} cars match"


def _show(ms: int | None) -> str:
    return "-" if ms is None else format_duration(ms)


def reconcile(classification: Classification, official: Sequence[OfficialLine]) -> Reconciliation:
    """Compare car by car; a car the official result lists without a position matches a non-starter."""
    differences: list[Difference] = []
    matched = 0
    for line in official:
        result = classification.result(line.car)
        if result is None:
            differences.append(Difference(line.car, line.number, "car", "listed", "missing"))
            continue
        found: list[Difference] = []
        unranked = line.position is None and result.status in (Status.DID_NOT_START, Status.DISQUALIFIED)
        if line.position != result.position and not unranked:
            found.append(
                Difference(line.car, line.number, "position", str(line.position), str(result.position))
            )
        if (line.laps or 0) != result.laps:
            found.append(Difference(line.car, line.number, "laps", str(line.laps), str(result.laps)))
        if line.total_time_ms != result.total_time_ms and (line.laps or result.laps):
            found.append(
                Difference(
                    line.car,
                    line.number,
                    "total_time",
                    _show(line.total_time_ms),
                    _show(result.total_time_ms),
                )
            )
        differences.extend(found)
        matched += not found
    return Reconciliation(matched, len(official), tuple(differences))
