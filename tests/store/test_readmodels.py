"""Read models: a live session's state moved on event by event equals the state folded whole; concurrent
misses of one key share one build."""

from __future__ import annotations

import threading
import time
from pathlib import Path

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


def test_rendered_documents_are_bounded_by_their_bytes_oldest_used_first_out() -> None:
    cache = Cache(100, max_bytes=100)
    for seq in range(5):  # a live read rendered at five positions, 30 bytes each
        cache.get_or_build(("classification", seq), lambda: b"x" * 30)
    cache.get_or_build(("state", 1), lambda: "a folded state weighs nothing here")
    assert cache.held_bytes == 90
    assert [cache.peek(("classification", seq)) is not None for seq in range(5)] == [
        False,
        False,
        True,
        True,
        True,
    ]
    assert cache.peek(("state", 1)) is not None
    cache.get_or_build(("classification", 2), lambda: b"unused")  # a hit: now the most recently used
    cache.get_or_build(("classification", 5), lambda: b"y" * 30)
    assert [cache.peek(("classification", seq)) is not None for seq in (2, 3, 4, 5)] == [
        True,
        False,
        True,
        True,
    ]
    assert cache.held_bytes == 90
    one = Cache(100, max_bytes=10)
    one.get_or_build("big", lambda: b"z" * 50)  # larger than the budget: kept until the next
    assert one.peek("big") == b"z" * 50


def test_of_one_read_only_the_latest_positions_are_kept() -> None:
    """A live session read at each new log position keeps its last few positions, not every lap's."""
    cache = Cache(100, positions=2)
    for seq in (3, 1, 2, 5, 4):
        cache.get_or_build(("state", "R1", seq), lambda: "folded")
    cache.get_or_build(("state", "R2", 1), lambda: "another session")
    cache.get_or_build(("page", "standings", "en"), lambda: "no position")
    cache.get_or_build(("flag", True), lambda: "a bool is no position")
    cache.get_or_build(("flag", False), lambda: "a bool is no position")
    assert [seq for seq in range(1, 6) if cache.peek(("state", "R1", seq)) is not None] == [4, 5]
    assert len(cache) == 6  # two of R1, one of R2, the page, both flags
    assert cache.latest(("state", "R1"), 5) == (4, "folded")
    assert cache.latest(("state", "R1"), 4) is None
    assert cache.latest(("state", "R2"), 9) == (1, "another session")


def test_readers_arriving_during_a_build_get_the_previous_answer(tmp_path: Path) -> None:
    """While one reader builds the classification at a new head, the others get the one before (its
    ``as_of`` says which); with no build under way, nothing stale is handed out."""
    store = Store.open(f"sqlite:///{tmp_path}/r.sqlite", FixedClock(), rulebooks.load)
    store.seed_season(season_fixture.season(), season_fixture.entries(), "gt4-europe-2023")
    old, new = ("classification", RACE, None, 10), ("classification", RACE, None, 11)
    assert store.document(old, lambda: b'{"as_of":10}') == b'{"as_of":10}'
    assert store.previous_while_building(new) is None  # nobody builds it: the reader builds it
    started, release = threading.Event(), threading.Event()

    def slow_build() -> bytes:
        started.set()
        release.wait()
        return b'{"as_of":11}'

    builder = threading.Thread(target=store.document, args=(new, slow_build))
    builder.start()
    started.wait()
    assert store.previous_while_building(new) == b'{"as_of":10}'
    assert store.previous_while_building(("classification", RACE, "GT4", 11)) is None  # another read
    release.set()
    builder.join()
    assert store.previous_while_building(new) is None and store.cached(new) == b'{"as_of":11}'
    store.close()
