"""``--live``: a simulated session streamed into the event store, where the live board folded from the
log (what ``/ws/live`` serves) equals the session's classification."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from chequered import rulebooks
from chequered.cli.server import seed_packaged
from chequered.cli.simulate_live import stream_into_store
from chequered.core.errors import ChequeredError
from chequered.seasons import load_season
from chequered.sim.weekend import simulate_weekend
from chequered.store.store import Store
from chequered.web.live_hub import board_at


def test_a_streamed_session_is_on_the_live_board(tmp_path: Path) -> None:
    store = Store.open(
        f"sqlite:///{tmp_path / 'live.sqlite'}", lambda: datetime(2026, 1, 1, tzinfo=UTC), rulebooks.load
    )
    try:
        seed_packaged(store, "gt4-europe-2023")
        weekend = simulate_weekend(load_season("gt4-europe-2023"), 2, 7)
        q1 = weekend.sessions[2]
        waits: list[float] = []
        stored = stream_into_store(store, q1, 10.0, waits.append)
        assert stored == len(q1.entries) + len(q1.laps) + len(q1.decisions)
        assert sum(waits) == pytest.approx(max(lap.elapsed_ms for lap in q1.laps) / 1000 / 10.0, rel=1e-3)
        board, _ = board_at(store, q1.session.id)
        live = board.classification()
        mine = q1.classify(weekend.rulebook)
        # the board also lists the season's entries that the simulation completed under a car number
        cars = {e.car for e in q1.entries}
        assert [(r.entry.car, r.best_lap_ms) for r in live.results if r.entry.car in cars] == [
            (r.entry.car, r.best_lap_ms) for r in mine.results
        ]
        with pytest.raises(ChequeredError, match="already holds"):
            stream_into_store(store, q1, 0.0)
        assert store.count(q1.session.id) == stored
    finally:
        store.close()
