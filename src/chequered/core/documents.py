"""Plain-data documents of core results, one shape for the CLI's JSON, the API and live replays."""

from __future__ import annotations

from typing import Any

from chequered.core.classification import Classification, FastestLap, Result
from chequered.core.stints import CarStints


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
