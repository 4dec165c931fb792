"""A small season built in the test: two rounds of a GT4-like series, three cars in two classes.

Its race laps are synthetic but consistent (each car's elapsed time is the sum of its lap times)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from chequered.core.model import (
    Circuit,
    Driver,
    DriverCategory,
    Entry,
    Event,
    Finish,
    FinishMode,
    Lap,
    Season,
    Series,
    Session,
    SessionKind,
)

RICARD = Circuit("paul-ricard", "Circuit Paul Ricard", "Le Castellet", "France", 5842, 15, "Europe/Paris")
MONZA = Circuit("monza", "Autodromo Nazionale Monza", "Monza", "Italy", 5793, 11, "Europe/Rome")


def season() -> Season:
    def weekend(event_id: str, day: int, month: int) -> tuple[Session, ...]:
        return (
            Session(
                "q1",
                "Qualifying 1",
                SessionKind.QUALIFYING,
                Finish(FinishMode.TIME, 20 * 60_000),
                datetime(2023, month, day, 8, 0, tzinfo=UTC),
                event_id,
            ),
            Session(
                "r1",
                "Race 1",
                SessionKind.RACE,
                Finish(FinishMode.TIME, 60 * 60_000),
                datetime(2023, month, day, 13, 15, tzinfo=UTC),
                event_id,
            ),
        )

    return Season(
        Series("gt4-test", "GT4 Test Series"),
        2023,
        (
            Event(
                "r1-ricard",
                1,
                "Paul Ricard",
                RICARD,
                date(2023, 4, 21),
                date(2023, 4, 23),
                weekend("r1-ricard", 22, 4),
            ),
            Event(
                "r2-monza",
                2,
                "Monza",
                MONZA,
                date(2023, 5, 12),
                date(2023, 5, 14),
                weekend("r2-monza", 13, 5),
            ),
        ),
    )


def entries() -> tuple[Entry, ...]:
    return (
        Entry(
            "7",
            "7",
            "Silver",
            "Team A",
            "Aston Martin Vantage AMR GT4",
            (Driver("Anna Alpha", DriverCategory.SILVER), Driver("Ben Beta", DriverCategory.SILVER)),
        ),
        Entry(
            "07",
            "07",
            "Pro-Am",
            "Team B",
            "BMW M4 GT4",
            (Driver("Carl Gamma", DriverCategory.GOLD), Driver("Dora Delta", DriverCategory.BRONZE)),
        ),
        Entry(
            "21",
            "21",
            "Silver",
            "Team C",
            "Porsche 718 Cayman GT4",
            (Driver("Eve Epsilon", DriverCategory.SILVER), Driver("Finn Zeta", DriverCategory.SILVER)),
        ),
    )


def race_laps(laps: int = 30) -> list[Lap]:
    """Car 7 leads 21 by 0.2 s a lap; 07 is a second a lap slower. In lap order, as a feed sends them."""
    pace = {"7": 120_000, "21": 120_200, "07": 121_000}
    elapsed = dict.fromkeys(pace, 0)
    out = []
    for lap in range(1, laps + 1):
        for car, ms in pace.items():
            elapsed[car] += ms
            out.append(Lap(car, lap, ms, elapsed[car], 1 if lap <= 15 else 2))
    return out
