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


def _season_store(tmp_path_factory: pytest.TempPathFactory, rounds: tuple[int, ...]) -> Store:
    path: Path = tmp_path_factory.mktemp("press") / "db.sqlite"
    store = Store.open(f"sqlite:///{path}", lambda: datetime(2023, 7, 20, tzinfo=UTC), rulebooks.load)
    data = load_season("gt4-europe-2023")
    store.seed_season(data.season, data.entries, data.rulebook, data.non_scoring)
    for round_ in rounds:
        store_weekend(store, simulate_weekend(data, round_, 7))
    return store


@pytest.fixture(scope="session")
def press_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """A store holding the 2023 season with rounds 2 and 4 simulated around the seeds and published
    (tests may add decisions and publications to it)."""
    store = _season_store(tmp_path_factory, (2, 4))
    yield store
    store.close()


@pytest.fixture(scope="module")
def seeds_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """The seeds' rounds (2, 4, 6) simulated and published, and left as simulated."""
    store = _season_store(tmp_path_factory, (2, 4, 6))
    yield store
    store.close()
