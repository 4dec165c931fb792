"""Read models: a live session's state moved on event by event equals the state folded whole; concurrent
misses of one key share one build."""

from __future__ import annotations

import threading
import time

from chequered import rulebooks
from chequered.core.events import LapCompleted, TimePenalty
from chequered.store.readmodels import Cache
from chequered.store.store import Store
from tests.conftest import FixedClock
from tests.store import season_fixture

RACE = "r1-ricard-r1"


def test_a_state_moved_on_equals_the_state_folded_whole(database_url: str) -> None:
    store = Store.open(database_url, FixedClock(), rulebooks.load)
    store.seed_season(season_fixture.season(), season_fixture.entries(), "gt4-europe-2023")
    laps = season_fixture.race_laps(20)
    for i in range(0, len(laps), 7):
        store.append(RACE, [LapCompleted(lap) for lap in laps[i : i + 7]], "feed")
        store.state(RACE, store.position(RACE))  # read at every position, as a live page does
        if i == 21:
            store.append(RACE, [TimePenalty("7", 5_000, "track limits")], "steward")
    moved_on = store.state(RACE, store.position(RACE))
    whole = Store(store.database, store.clock, rulebooks.load).state(RACE, store.position(RACE))
    assert moved_on == whole
    assert moved_on.classification == whole.classification and len(moved_on.laps) == len(laps)
    store.close()


def test_concurrent_misses_share_one_build() -> None:
    cache = Cache(4)
    builds: list[int] = []
    release = threading.Event()

    def build() -> object:
        builds.append(1)
        release.wait(10)
        return "folded"

    results: list[object] = []
    threads = [
        threading.Thread(target=lambda: results.append(cache.get_or_build("k", build))) for _ in range(8)
    ]
    for thread in threads:
        thread.start()
    while not builds:
        time.sleep(0.001)
    release.set()
    for thread in threads:
        thread.join(10)
    assert builds == [1] and results == ["folded"] * 8
