from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from chequered import rulebooks
from chequered.cli.simulate import store_weekend
from chequered.seasons import load_season
from chequered.sim.weekend import simulate_weekend
from chequered.store.store import Store


@pytest.fixture(scope="session")
def press_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """A store holding the 2023 season with rounds 2 and 4 simulated around the seeds and published."""
    path: Path = tmp_path_factory.mktemp("press") / "db.sqlite"
    store = Store.open(f"sqlite:///{path}", lambda: datetime(2023, 7, 20, tzinfo=UTC), rulebooks.load)
    data = load_season("gt4-europe-2023")
    store.seed_season(data.season, data.entries, data.rulebook, data.non_scoring)
    for round_ in (2, 4):
        store_weekend(store, simulate_weekend(data, round_, 7))
    yield store
    store.close()
