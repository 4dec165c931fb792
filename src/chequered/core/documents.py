"""Plain-data documents of core results, one shape for the CLI's JSON, the API and live replays."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from chequered.core.classification import Classification, FastestLap, Result
from chequered.core.model import Circuit, Driver, DriverCategory, Entry
from chequered.core.reconcile import Reconciliation
from chequered.core.stints import CarStints


def entry_document(entry: Entry) -> dict[str, Any]:
    """An entry and its crew: the API's shape, and the payload of an ``entry`` event in the log."""
    return {
        "car": entry.car,
        "number": entry.number,
        "class": entry.car_class,
        "team": entry.team,
        "car_model": entry.car_model,
        "group": entry.group,
        "manufacturer": entry.manufacturer,
        "drivers": [
            {
                "name": d.name,
                "category": d.category.value if d.category else None,
                "nationality": d.nationality,
                "short_name": d.short_name,
            }
            for d in entry.drivers
        ],
    }


def entry_from_document(document: Mapping[str, Any]) -> Entry:
    """The inverse of ``entry_document``."""
    return Entry(
        car=document["car"],
        number=document["number"],
        car_class=document["class"],
        team=document["team"],
        car_model=document["car_model"],
        group=document["group"],
        manufacturer=document["manufacturer"],
        drivers=tuple(
            Driver(
                name=d["name"],
                category=DriverCategory(d["category"]) if d["category"] else None,
                nationality=d["nationality"],
                short_name=d["short_name"],
            )
            for d in document["drivers"]
        ),
    )


def circuit_document(circuit: Circuit) -> dict[str, Any]:
    """A circuit's facts: the API's shape and the store's row."""
    return {
        "id": circuit.id,
        "name": circuit.name,
        "location": circuit.location,
        "country": circuit.country,
        "length_m": circuit.length_m,
        "corners": circuit.corners,
        "timezone": circuit.timezone,
    }


def _fastest(lap: FastestLap | None) -> dict[str, Any] | None:
    if lap is None:
        return None
    return {"car": lap.car, "class": lap.car_class, "lap": lap.lap, "ms": lap.ms, "driver": lap.driver_name}


def result_document(result: Result) -> dict[str, Any]:
    entry = result.entry
    return {
        "position": result.position,
        "class_position": result.class_position,
        "number": entry.number,
        "car": entry.car,
        "class": entry.car_class,
        "team": entry.team,
        "car_model": entry.car_model,
        "drivers": [driver.name for driver in entry.drivers],
        "laps": result.laps,
        "total_time_ms": result.total_time_ms,
        "best_lap_ms": result.best_lap_ms,
        "best_lap": result.best_lap,
        "gap": str(result.gap),
        "interval": str(result.interval),
        "class_gap": str(result.class_gap),
        "class_interval": str(result.class_interval),
        "penalty_ms": result.penalty_ms,
        "status": result.status.value,
        "took_flag": result.took_flag,
    }


def classification_document(classification: Classification, car_class: str | None = None) -> dict[str, Any]:
    """``{"session": {...}, "results": [...]}``; with ``car_class``, only that class's cars."""
    session = classification.session
    results = classification.in_class(car_class) if car_class else classification.results
    return {
        "session": {
            "id": session.id,
            "name": session.name,
            "kind": session.kind.value,
            "start": session.start.isoformat() if session.start else None,
            "flag_ms": classification.flag_ms,
            "class": car_class,
        },
        "results": [result_document(result) for result in results],
        "fastest_lap": _fastest(classification.fastest_lap),
        "class_fastest_laps": {
            name: _fastest(lap) for name, lap in sorted(classification.class_fastest.items())
        },
    }


def stints_document(cars: list[CarStints]) -> dict[str, Any]:
    return {
        "cars": [
            {
                "car": car.car,
                "stints": [
                    {
                        "stint": s.number,
                        "driver": s.driver,
                        "driver_name": s.driver_name,
                        "first_lap": s.first_lap,
                        "last_lap": s.last_lap,
                        "laps": s.laps,
                        "time_ms": s.time_ms,
                        "driving_ms": s.driving_ms,
                        "best_lap_ms": s.best_lap_ms,
                    }
                    for s in car.stints
                ],
                "stops": [
                    {
                        "stop": p.number,
                        "in_lap": p.in_lap,
                        "out_lap": p.out_lap,
                        "pit_time_ms": p.pit_time_ms,
                        "driver_in": p.driver_in_name or p.driver_in,
                        "driver_out": p.driver_out_name or p.driver_out,
                        "driver_change": p.driver_change,
                    }
                    for p in car.stops
                ],
            }
            for car in cars
        ]
    }


def reconciliation_document(check: Reconciliation) -> dict[str, Any]:
    """A computed classification checked against the official one: what matched, and each difference."""
    return {
        "matched": check.matched,
        "total": check.total,
        "differences": [
            {"number": d.number, "field": d.field, "official": d.official, "computed": d.computed}
            for d in check.differences
        ],
        "summary": check.summary,
    }
