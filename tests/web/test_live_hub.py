"""The live hub's life: its readers stop at app shutdown, a bus that lost messages is recovered from, and a
board built from the log is the board folded event by event."""

from __future__ import annotations

import asyncio
import itertools
from typing import Any

import pytest
from fastapi.testclient import TestClient

from chequered.bus import MemoryBus
from chequered.cli.rmonitor_ingest import RMonitorIngest
from chequered.core.passings import passings_of
from chequered.importers.rmonitor.records import read_capture
from chequered.store.store import Store
from chequered.web.app import create_app
from chequered.web.deps import Settings
from chequered.web.live_hub import board_at, fold_into
from tests.conftest import real_file
from tests.importers.rmonitor.test_feed import CAPTURES
from tests.store import season_fixture
from tests.web.conftest import RACE, auth


def _post(client: TestClient, token: str, laps: int) -> int:
    passings = [
        {"car": p.car, "timeline": p.timeline.value, "at_ms": p.at_ms, "sector": p.sector, "driver": p.driver}
        for p in passings_of(season_fixture.race_laps(laps))
    ]
    response = client.post(f"/api/sessions/{RACE}/passings", json={"passings": passings}, headers=auth(token))
    assert response.status_code == 200, response.text
    return int(response.json()["as_of"])


def test_shutdown_cancels_the_hub_tasks(store: Store, tokens: dict[str, str]) -> None:
    bus = MemoryBus()
    app = create_app(store, Settings(), bus)
    with TestClient(app) as client, client.websocket_connect(f"/ws/live/{RACE}") as ws:
        assert ws.receive_json()["type"] == "snapshot"
        tasks = [task for watch in app.state.live_hub._watches.values() for task in watch.tasks]
        assert len(tasks) == 2 and not any(task.done() for task in tasks)
    assert all(task.cancelled() for task in tasks)
    assert app.state.live_hub._watches == {} and bus._channels == {}


def test_shutdown_ends_when_the_bus_stops_answering(
    store: Store, tokens: dict[str, str], caplog: pytest.LogCaptureFixture
) -> None:
    class Stuck(MemoryBus):
        """A Redis that stopped answering: releasing the reader lease and closing never return."""

        async def release(self, lease: str) -> None:
            await asyncio.Event().wait()

        async def close(self) -> None:
            await asyncio.Event().wait()

    app = create_app(store, Settings(), Stuck())
    app.state.live_hub.close_s = 0.2
    with TestClient(app) as client, client.websocket_connect(f"/ws/live/{RACE}") as ws:
        assert ws.receive_json()["type"] == "snapshot"
        tasks = [task for watch in app.state.live_hub._watches.values() for task in watch.tasks]
    assert all(task.done() for task in tasks)
    stuck = [r.getMessage() for r in caplog.records if "left behind" in r.getMessage()]
    assert [m.split(":")[-2].strip() for m in stuck] == ["stopping its reader", "closing the bus"]


def test_a_bus_that_drops_messages_is_recovered_from_the_log(store: Store, tokens: dict[str, str]) -> None:
    class Deaf(MemoryBus):
        """Claims the reader lease for no one and loses every message: only the log is left."""

        async def claim(self, lease: str, ttl_s: float) -> bool:
            return False

    bus = Deaf()
    app = create_app(store, Settings(), bus)
    with TestClient(app) as client, client.websocket_connect(f"/ws/live/{RACE}") as ws:
        assert ws.receive_json()["type"] == "snapshot"
        head = _post(client, tokens["timekeeper"], 10)
        subscription = next(iter(bus._channels[f"live:{RACE}"]))
        subscription.deliver(None)  # what the Redis bus says after a reconnect
        frames: list[dict[str, Any]] = []
        while not frames or frames[-1]["seq"] < head:
            frames.append(ws.receive_json())
    assert [f["type"] for f in frames] == ["delta"] * len(frames)
    seqs = [f["seq"] for f in frames]
    assert seqs == sorted(set(seqs)) and frames[0]["prev"] <= frames[0]["seq"]
    assert all(b["prev"] == a["seq"] for a, b in itertools.pairwise(frames))


def test_every_client_gets_a_keyframe_each_period(store: Store, tokens: dict[str, str]) -> None:
    app = create_app(store, Settings(), MemoryBus())
    app.state.live_hub.keyframe_s = 1.0  # keyframes go to a tenth of the clients every 0.1 s
    with TestClient(app) as client:
        _post(client, tokens["timekeeper"], 5)
        sockets = [client.websocket_connect(f"/ws/live/{RACE}") for _ in range(3)]
        for ws in sockets:
            snapshot = ws.__enter__().receive_json()
            assert snapshot["type"] == "snapshot"
        for ws in sockets:
            keyframe = ws.receive_json()
            assert keyframe["type"] == "keyframe" and keyframe["board"] == snapshot["board"]
        for ws in sockets:
            ws.__exit__(None, None, None)


@pytest.mark.realdata
@pytest.mark.parametrize("name", ["sebring-2009-s4", "barber-8h"])
def test_a_board_built_from_the_log_is_the_board_folded_event_by_event(store: Store, name: str) -> None:
    """``board_at`` folds only the last clock tick before the position it builds to; at many positions
    (between two ticks, on a tick, after a lap, in the pit lane, with cars stopped on track) its board is
    the one every event folded in turn makes, car rows, session clock and classification."""
    ingest = RMonitorIngest(store, name, name)
    for raw in read_capture(real_file(CAPTURES[name]).read_bytes()):
        ingest.line(raw)
    ingest.close()
    events = store.events(name)
    assert sum(e.kind == "clock" for e in events) > 1000
    folded, _ = board_at(store, name, upto=0)
    turns = [e.seq for i, e in enumerate(events[1:]) if e.kind != events[i].kind]  # tick ↔ lap, pit...
    positions = {e.seq for e in events[:: len(events) // 30]} | set(turns[:: len(turns) // 30])
    stopped = pitting = 0
    for stored in events:
        fold_into(folded, stored)
        if stored.seq not in positions and stored is not events[-1]:
            continue
        built, seq = board_at(store, name, upto=stored.seq)
        want, got = folded.snapshot(), built.snapshot()
        assert seq == stored.seq and got["session"] == want["session"], stored.seq
        assert got["cars"] == want["cars"], stored.seq
        assert built.classification() == folded.classification()
        stopped += any(row["stopped"] for row in want["cars"])
        pitting += any(row["in_pit"] for row in want["cars"])
    assert stopped  # the positions include cars the ticks mark as stopped
    assert pitting or name == "barber-8h"  # and, from IMSA's $L, cars in the pit lane


def test_a_fan_back_within_the_recent_deltas_gets_them_and_one_gone_longer_a_snapshot(
    store: Store, tokens: dict[str, str]
) -> None:
    """Reconnecting with ``?after=``: the missed deltas, in a chain from that position, when the hub still
    keeps them; else (gone longer, or a server restarted since) a snapshot; the board has no gap."""
    app = create_app(store, Settings(), MemoryBus())
    with TestClient(app) as client:
        with client.websocket_connect(f"/ws/live/{RACE}") as ws:
            assert ws.receive_json()["type"] == "snapshot"
            seen = _post(client, tokens["timekeeper"], 4)
            while ws.receive_json()["seq"] < seen:
                pass
        head = _post(client, tokens["timekeeper"], 8)
        with client.websocket_connect(f"/ws/live/{RACE}?after={seen}") as ws:
            frames = [ws.receive_json()]
            while frames[-1]["seq"] < head:
                frames.append(ws.receive_json())
        assert {f["type"] for f in frames} == {"delta"}
        assert frames[0]["prev"] == seen
        assert all(b["prev"] == a["seq"] for a, b in itertools.pairwise(frames))

        with client.websocket_connect(f"/ws/live/{RACE}?after={head}") as ws:  # nothing missed
            later = _post(client, tokens["timekeeper"], 9)
            message = ws.receive_json()
            assert message["type"] == "delta" and message["prev"] == head and message["seq"] <= later

        hub = app.state.live_hub
        hub._watches[RACE].recent.clear()  # as a server started since the fan left
        with client.websocket_connect(f"/ws/live/{RACE}?after={seen}") as ws:
            snapshot = ws.receive_json()
        with client.websocket_connect(f"/ws/live/{RACE}") as ws:
            fresh = ws.receive_json()
    assert snapshot["type"] == "snapshot" and snapshot == fresh


def test_the_hub_reads_the_log_off_the_event_loop(store: Store, tokens: dict[str, str]) -> None:
    """The log poll, a snapshot's catch-up, a keyframe and the recovery of a lost message read the
    database in a thread: a round trip on the loop would hold every fan's frames and every request."""
    on_loop: list[str] = []
    read = store.events

    def events(session_id: str, **options: Any) -> Any:
        try:
            asyncio.get_running_loop()
            on_loop.append(session_id)
        except RuntimeError:
            pass  # a worker thread: no loop runs here
        return read(session_id, **options)

    store.events = events  # type: ignore[method-assign]  # the real store's read, watched
    bus = MemoryBus()
    app = create_app(store, Settings(), bus)
    app.state.live_hub.keyframe_s = 0.5
    with TestClient(app) as client, client.websocket_connect(f"/ws/live/{RACE}") as ws:
        assert ws.receive_json()["type"] == "snapshot"
        head = _post(client, tokens["timekeeper"], 5)
        seen = 0
        while seen < head:
            frame = ws.receive_json()
            seen = max(seen, frame["seq"]) if frame["type"] == "delta" else seen
        next(iter(bus._channels[f"live:{RACE}"])).deliver(None)  # a lost message: recovered from the log
        _post(client, tokens["timekeeper"], 8)
        kinds = set()
        while "keyframe" not in kinds:
            kinds.add(ws.receive_json()["type"])
        with client.websocket_connect(f"/ws/live/{RACE}") as second:  # a snapshot after the catch-up
            assert second.receive_json()["type"] == "snapshot"
    assert on_loop == []
