"""The grid of a simulated round: the season's known entries, completed with simulated crews up to the
grid size the seeds report for the round, and each driver's pace and consistency by FIA category.

Grid sizes (shared/seeds): Monza 53 ("out of 53"), Paul Ricard 57 ("57 of Europe's fastest GT4 cars"),
Misano 48 ("this weekend's 48-cars strong grid"), Barcelona 43 ("43-bilar starka startfältet"). Spa and
Hockenheim are not in the seeds: 55 and 50 are assumptions inside the 43-57 range.

Known entries keep their team, model and names. Where the season file leaves a gap the simulator fills
it and says so in ``SimCar.notes``: a blank car number gets a free number, a driver without an FIA
category gets the one the class admits (Silver Cup: Silver; Am: Bronze; Pro-Am: Silver with Bronze; any
other class, such as the invited GT4 Scandinavia cars: Silver with Bronze), a
one-driver crew gets a simulated second driver. Simulated crews have made-up names.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, replace

import numpy as np

from chequered.core.model import Driver, DriverCategory, Entry
from chequered.seasons import SeasonData

GRID_SIZES = {1: 53, 2: 57, 3: 55, 4: 48, 5: 50, 6: 43}

# Pace offset from the reference lap (share of lap time), spread of that offset between drivers, and
# the lap-to-lap spread of one driver, by FIA category. Calibrated against real sessions: see
# docs/simulator-realism.md.
PACE = {
    DriverCategory.PLATINUM: (-0.004, 0.002, 0.0030),
    DriverCategory.GOLD: (0.000, 0.0025, 0.0035),
    DriverCategory.SILVER: (0.006, 0.003, 0.0045),
    DriverCategory.BRONZE: (0.024, 0.0065, 0.0075),
}
MISTAKE_RATE = {
    DriverCategory.PLATINUM: 0.02,
    DriverCategory.GOLD: 0.025,
    DriverCategory.SILVER: 0.035,
    DriverCategory.BRONZE: 0.07,
}
TRACK_LIMITS_RATE = {
    DriverCategory.PLATINUM: 0.015,
    DriverCategory.GOLD: 0.02,
    DriverCategory.SILVER: 0.03,
    DriverCategory.BRONZE: 0.05,
}
CREWS = {
    "Silver": (DriverCategory.SILVER, DriverCategory.SILVER),
    "Pro-Am": (DriverCategory.SILVER, DriverCategory.BRONZE),
    "Am": (DriverCategory.BRONZE, DriverCategory.BRONZE),
}
CLASS_MIX = (("Silver", 0.42), ("Pro-Am", 0.33), ("Am", 0.25))
MODELS = (
    ("Aston Martin", "Aston Martin Vantage AMR GT4", 0.000),
    ("Porsche", "Porsche 718 Cayman GT4 RS Clubsport", -0.001),
    ("Mercedes-AMG", "Mercedes-AMG GT4", 0.001),
    ("BMW", "BMW M4 GT4", 0.000),
    ("Audi", "Audi R8 LMS GT4", 0.002),
    ("McLaren", "McLaren Artura GT4", 0.000),
    ("Toyota", "Toyota GR Supra GT4", 0.002),
    ("Alpine", "Alpine A110 GT4 Evo", 0.001),
    ("Ford", "Ford Mustang GT4", 0.003),
)
TEAMS = (
    "Arden Motorsport",
    "Blackbird Racing",
    "Castle Rock Engineering",
    "Delta Speed",
    "Eifel Works",
    "Falcon GT",
    "Garage Nord",
    "Helix Racing",
    "Iberia Motorsport",
    "Jura Performance",
    "Kestrel Autosport",
    "Lakeside Racing",
    "Meridian GT",
    "North Sea Motorsport",
    "Orbit Racing",
)
FIRST = (
    "Luca",
    "Jonas",
    "Emma",
    "Theo",
    "Marta",
    "Felix",
    "Nina",
    "Hugo",
    "Sara",
    "Tomás",
    "Lena",
    "Milan",
    "Clara",
    "Pieter",
    "Ines",
    "Oskar",
    "Julia",
    "Rafael",
    "Elise",
    "Matteo",
    "Vera",
    "Anton",
    "Lotte",
)
LAST = (
    "Moreau",
    "Keller",
    "Bianchi",
    "Lindqvist",
    "Novak",
    "Schmidt",
    "Dupont",
    "Rossi",
    "Jansen",
    "García",
    "Weber",
    "Costa",
    "Nilsen",
    "Fischer",
    "Laurent",
    "Ferrari",
    "de Vries",
    "Horvat",
    "Marchetti",
    "Svensson",
    "Becker",
    "Peeters",
    "Almeida",
)
NATIONS = ("FRA", "GER", "ITA", "SWE", "NED", "BEL", "ESP", "POR", "GBR", "AUT", "SUI", "POL")


@dataclass(frozen=True, slots=True)
class SimDriver:
    """A driver's pace (share of lap time above the reference) and lap-to-lap spread."""

    driver: Driver
    pace: float
    spread: float
    mistakes: float
    track_limits: float


@dataclass(frozen=True, slots=True)
class SimCar:
    entry: Entry
    crew: tuple[SimDriver, ...]
    car_pace: float
    notes: tuple[str, ...] = ()
    season_car: str = ""  # the car's key in the season file ("" for a simulated entry)

    @property
    def car(self) -> str:
        return self.entry.car


def _categories(entry: Entry) -> tuple[DriverCategory, ...]:
    return CREWS.get(entry.car_class, (DriverCategory.SILVER, DriverCategory.BRONZE))


def _name(rng: np.random.Generator, used: set[str]) -> str:
    while True:
        name = f"{FIRST[rng.integers(len(FIRST))]} {LAST[rng.integers(len(LAST))]}"
        if name not in used:
            used.add(name)
            return name


def _sim_driver(rng: np.random.Generator, driver: Driver) -> SimDriver:
    category = driver.category or DriverCategory.SILVER
    offset, spread, lap_spread = PACE[category]
    return SimDriver(
        driver=driver,
        pace=float(offset + rng.normal(0.0, spread)),
        spread=float(lap_spread * rng.uniform(0.85, 1.15)),
        mistakes=MISTAKE_RATE[category],
        track_limits=TRACK_LIMITS_RATE[category],
    )


def _complete(entry: Entry, rng: np.random.Generator, used: set[str], numbers: set[str]) -> SimCar:
    notes: list[str] = []
    wanted = _categories(entry)
    drivers = list(entry.drivers)
    for i, d in enumerate(drivers):
        if d.category is None:
            drivers[i] = replace(d, category=wanted[min(i, len(wanted) - 1)])
            notes.append(f"{d.name}: FIA category {drivers[i].category} assumed from the class")
    while len(drivers) < 2:
        name = _name(rng, used)
        drivers.append(Driver(name, wanted[len(drivers)], "SWE"))
        notes.append(f"second driver {name} simulated (the season file names one)")
    number = entry.number
    if not number:
        number = _free_number(rng, numbers)
        notes.append(f"car number {number} simulated (the season file has none)")
    numbers.add(number)
    used.update(d.name for d in drivers)
    model_offset = next((m[2] for m in MODELS if m[1] == entry.car_model), 0.0)
    completed = replace(entry, car=number, number=number, drivers=tuple(drivers))
    crew = tuple(_sim_driver(rng, d) for d in drivers)
    return SimCar(completed, crew, model_offset, tuple(notes), entry.car)


def _free_number(rng: np.random.Generator, numbers: set[str]) -> str:
    while True:
        number = str(int(rng.integers(2, 100)))
        if number not in numbers:
            return number


def _simulated(rng: np.random.Generator, used: set[str], numbers: set[str], index: int) -> SimCar:
    draw = rng.uniform()
    car_class = "Am"
    for name, share in CLASS_MIX:
        if draw < share:
            car_class = name
            break
        draw -= share
    manufacturer, model, offset = MODELS[rng.integers(len(MODELS))]
    number = _free_number(rng, numbers)
    numbers.add(number)
    nation = NATIONS[rng.integers(len(NATIONS))]
    drivers = tuple(Driver(_name(rng, used), c, nation) for c in CREWS[car_class])
    entry = Entry(
        car=number,
        number=number,
        car_class=car_class,
        team=TEAMS[index % len(TEAMS)],
        car_model=model,
        drivers=drivers,
        manufacturer=manufacturer,
    )
    crew = tuple(_sim_driver(rng, d) for d in drivers)
    return SimCar(entry, crew, offset, ("simulated entry",))


def season_grid(season: SeasonData, seed: int) -> tuple[SimCar, ...]:
    """Every car of the season, each with one identity (number, team, class, crew, pace) for every round:
    the season file's entries completed where it leaves gaps, then a pool of simulated entries, as many
    as the largest grid needs beyond the known entries of its round. The same seed gives the same cars."""
    rng = np.random.default_rng(np.random.SeedSequence([seed, zlib.crc32(season.season.series.id.encode())]))
    numbers = {e.number for e in season.entries if e.number}
    used = {d.name for e in season.entries for d in e.drivers}
    cars = [_complete(entry, rng, used, numbers) for entry in season.entries]
    rounds = [e.round for e in season.season.events]
    short = max((_size(r) - len(season.entries_at(r)) for r in rounds), default=0)
    cars += [_simulated(rng, used, numbers, index) for index in range(max(0, short))]
    return tuple(cars)


def _size(round_: int) -> int:
    return GRID_SIZES.get(round_, 50)


def build_grid(season: SeasonData, round_: int, seed: int, size: int | None = None) -> tuple[SimCar, ...]:
    """The cars of one round: the season's entries for it, then the season's simulated entries (the same
    ones, in the same order, at every round) up to ``size``."""
    wanted = size if size is not None else _size(round_)
    every = season_grid(season, seed)
    entered = {e.car for e in season.entries_at(round_)}
    known = [c for c, e in zip(every, season.entries, strict=False) if e.car in entered]
    pool = list(every[len(season.entries) :])
    cars = known[:wanted]
    return tuple(cars + pool[: max(0, wanted - len(cars))])
