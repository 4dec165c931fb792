"""The RMonitor feed over a real TCP connection: read by a minimal line reader written for these tests,
and read back by the live-timing RMonitor client and parser (``importers.rmonitor_stream.follow``,
``LiveFeed``, merged from branch ``live``) to the simulated session's own order."""

from __future__ import annotations

import asyncio
import csv
from dataclasses import replace

import pytest

from chequered.core.errors import ChequeredError
from chequered.core.model import SessionKind
from chequered.importers.rmonitor.records import RawLine
from chequered.importers.rmonitor.stream import LiveFeed, SystemClock, follow
from chequered.sim.rmonitor import clock, feed_records, parse_address, start_feed_server
from chequered.sim.weekend import SimulatedSession, SimulatedWeekend


def _fields(line: str) -> list[str]:
    return next(csv.reader([line]))


async def _read_feed(
    simulated: SimulatedSession,
    weekend: SimulatedWeekend,
    speed: float,
    fake_clock: bool,
    garbage: bool = False,
) -> tuple[bytes, list[float]]:
    slept: list[float] = []

    async def sleep(seconds: float) -> None:
        slept.append(seconds)

    server = await start_feed_server(
        simulated, weekend.track, "127.0.0.1", 0, speed, sleep if fake_clock else asyncio.sleep
    )
    port = server.sockets[0].getsockname()[1]
    async with server:
        # a client that hangs up early must not disturb the next one
        _, early = await asyncio.open_connection("127.0.0.1", port)
        early.close()
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        if garbage:
            writer.write(b"\x00\xff$J,garbage\r\n" * 100)
        data = await asyncio.wait_for(reader.read(), timeout=60)
        writer.close()
    return data, slept


@pytest.fixture(scope="module")
def race_feed(paul_ricard: SimulatedWeekend) -> tuple[bytes, list[float]]:
    return asyncio.run(_read_feed(paul_ricard.sessions[4], paul_ricard, 10.0, fake_clock=True, garbage=True))


def test_the_feed_is_crlf_ascii_records(race_feed: tuple[bytes, list[float]]) -> None:
    data, _ = race_feed
    assert data.endswith(b"\r\n")
    lines = data.decode("ascii").split("\r\n")[:-1]
    kinds = {line.split(",", 1)[0] for line in lines}
    assert kinds == {"$A", "$COMP", "$B", "$C", "$E", "$F", "$G", "$J"}
    assert lines[0] == '$B,1,"Race 1"'
    assert '$E,"TRACKNAME","Circuit Paul Ricard"' in lines


def test_the_feed_carries_every_car_and_every_passing(
    paul_ricard: SimulatedWeekend, race_feed: tuple[bytes, list[float]]
) -> None:
    race = paul_ricard.sessions[4]
    lines = [_fields(line) for line in race_feed[0].decode("ascii").split("\r\n")[:-1]]
    competitors = {f[1] for f in lines if f[0] == "$A"}
    assert competitors == {e.car for e in race.entries}
    passings = [f for f in lines if f[0] == "$J"]
    assert len(passings) == len(race.laps)
    assert [(f[1], f[3]) for f in passings] == [(lap.car, clock(lap.elapsed_ms)) for lap in race.laps]
    final: dict[str, int] = {}
    laps: dict[str, int] = {}
    for f in lines:
        if f[0] == "$G":
            final[f[2]] = int(f[1])
            laps[f[2]] = int(f[3])
    result = race.classify(paul_ricard.rulebook)
    running = [r for r in result.results if r.laps]
    order = sorted(final, key=final.__getitem__)
    expected = sorted(running, key=lambda r: (-r.laps, r.total_time_ms or 0))
    assert order == [r.entry.car for r in expected]
    assert all(laps[r.entry.car] == r.laps for r in running)
    heartbeats = [f for f in lines if f[0] == "$F"]
    assert heartbeats[-1][5] == "Finish" and heartbeats[0][5] == "Green "
    assert len(heartbeats) > 3600


def test_replay_speed_is_paced_by_the_injected_clock(
    paul_ricard: SimulatedWeekend, race_feed: tuple[bytes, list[float]]
) -> None:
    race = paul_ricard.sessions[4]
    last = max(lap.elapsed_ms for lap in race.laps)
    # two clients were served: one replay ran to the end, the other until its client hung up
    one = last / 1000 / 10.0
    assert one * 0.999 <= sum(race_feed[1]) <= 2 * one * 1.001
    assert max(race_feed[1]) <= 1.0 / 10.0 + 1e-9  # a heartbeat every session second


def test_qualifying_is_served_as_best_lap_order(paul_ricard: SimulatedWeekend) -> None:
    q1 = paul_ricard.sessions[2]
    data, _ = asyncio.run(_read_feed(q1, paul_ricard, 50_000.0, fake_clock=False))
    lines = [_fields(line) for line in data.decode("ascii").split("\r\n")[:-1]]
    order: dict[str, int] = {}
    for f in lines:
        if f[0] == "$H":
            order[f[2]] = int(f[1])
    pole = min(order, key=order.__getitem__)
    best = min((lap for lap in q1.laps if lap.lap_time_ms), key=lambda lap: (lap.lap_time_ms, lap.elapsed_ms))
    assert pole == best.car  # raw best lap: a feed knows nothing of deleted laps until race control says


def test_records_are_a_pure_function_of_the_session(paul_ricard: SimulatedWeekend) -> None:
    race = paul_ricard.sessions[5]
    assert feed_records(race, paul_ricard.track) == feed_records(race, paul_ricard.track)


@pytest.mark.parametrize("text", ["nowhere", "host:", ":5000", "host:99999", "host:port"])
def test_bad_addresses_are_refused(text: str) -> None:
    with pytest.raises(ChequeredError, match="HOST:PORT"):
        parse_address(text)


def test_good_address() -> None:
    assert parse_address("127.0.0.1:50000") == ("127.0.0.1", 50000)


async def _follow_with_live_client(simulated: SimulatedSession, weekend: SimulatedWeekend) -> LiveFeed:
    """The live-timing engineer's RMonitor client (branch ``live``) reading the simulator's feed."""

    async def instant(seconds: float) -> None:
        return None

    server = await start_feed_server(simulated, weekend.track, "127.0.0.1", 0, 1.0, instant)
    port = server.sockets[0].getsockname()[1]
    feed = LiveFeed(weekend.rulebook, "sim")
    stop = asyncio.Event()

    def on_line(raw: RawLine) -> None:
        feed.line(raw)
        if raw.text.startswith("$F") and raw.text.endswith('"Finish"'):
            stop.set()

    async with server:
        await asyncio.wait_for(follow("127.0.0.1", port, on_line, SystemClock(), stop), timeout=120)
    feed.close()
    return feed


@pytest.mark.parametrize("index", [2, 4, 5])
def test_the_live_rmonitor_client_reads_the_feed_back(paul_ricard: SimulatedWeekend, index: int) -> None:
    simulated = paul_ricard.sessions[index]
    feed = asyncio.run(_follow_with_live_client(simulated, paul_ricard))
    assert not feed.problems
    assert feed.live is not None and feed.live.session.name == simulated.session.name
    live = feed.live.classification()
    # a feed carries no race-control decisions: compare with the session classified without them
    bare = replace(simulated, decisions=())
    mine = bare.classify(paul_ricard.rulebook)
    if simulated.session.kind is SessionKind.RACE:
        got = [(r.entry.car, r.laps, r.total_time_ms) for r in live.results if r.laps]
        want = sorted(
            ((r.entry.car, r.laps, r.total_time_ms) for r in mine.results if r.laps),
            key=lambda x: (-x[1], x[2] or 0),
        )
        assert got == want
    else:
        got_q = [(r.entry.car, r.best_lap_ms) for r in live.results if r.best_lap_ms]
        want_q = [(r.entry.car, r.best_lap_ms) for r in mine.results if r.best_lap_ms]
        assert got_q == want_q
