from __future__ import annotations

import pytest

from chequered.seasons import SeasonData, load_season
from chequered.sim.weekend import SimulatedWeekend, simulate_weekend


@pytest.fixture(scope="session")
def season() -> SeasonData:
    return load_season("gt4-europe-2023")


@pytest.fixture(scope="session")
def paul_ricard(season: SeasonData) -> SimulatedWeekend:
    return simulate_weekend(season, 2, 7)


@pytest.fixture(scope="session")
def misano(season: SeasonData) -> SimulatedWeekend:
    return simulate_weekend(season, 4, 3)
