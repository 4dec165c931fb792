"""RMonitor into the store over a real local TCP connection: the board folded from the stored log is the
board of a straight replay; a dropped connection loses and duplicates nothing; a refused append is
kept and stored with the next burst."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest

from chequered import rulebooks
from chequered.cli.ingest import follow_into_store
from chequered.cli.rmonitor_ingest import RMonitorIngest
from chequered.core.events import (
    ClockTicked,
    EntryRegistered,
    LapCompleted,
    LiveEvent,
    LogEvent,
    PitCrossed,
    SessionOpened,
)
from chequered.core.model import Entry
from chequered.importers.rmonitor.feed import Problem
from chequered.importers.rmonitor.records import read_capture
from chequered.importers.rmonitor.stream import Connection, LiveFeed, SystemClock, replay
from chequered.store import codec
from chequered.store.log import StoredEvent
from chequered.store.store import Store
from chequered.web.live_hub import board_at
from tests.conftest import FixedClock, real_file
from tests.importers.rmonitor.test_feed import BARBER, CAPTURES, MOCK
from tests.importers.rmonitor.test_stream import refresh_burst

SEBRING = CAPTURES["sebring-2009-s4"]  # IMSA: $L pit-lane crossings, and 3,974 lines before its first $B


@pytest.fixture
def store(database_url: str) -> Iterator[Store]:
    opened = Store.open(database_url, FixedClock(), rulebooks.load)
    yield opened
    opened.close()


def straight(data: bytes) -> tuple[LiveFeed, list[LiveEvent]]:
    """The capture replayed through the live state, as ``chequered replay rmonitor`` does."""
    events: list[LiveEvent] = []
    feed = LiveFeed(rulebooks.load("imsa-2023"), on_events=events.extend)
    asyncio.run(replay(read_capture(data), feed.line, 0, SystemClock()))
    feed.close()
    return feed, events


def logged(events: list[LiveEvent], session: str) -> list[LogEvent]:
    """The events of the feed's session ``session`` as the log holds them: each identity once, in order,
    and an entry whenever it differs from the car's last one (a change back included)."""
    out: list[LogEvent] = []
    seen: set[str] = set()
    entries: dict[str, Entry] = {}
    current = ""
    for event in events:
        if isinstance(event, SessionOpened):
            current = event.session.id
            continue
        if current != session:
            continue
        if isinstance(event, EntryRegistered):
            if entries.get(event.entry.car) != event.entry:
                entries[event.entry.car] = event.entry
                out.append(event)
            continue
        kind, payload = codec.encode(event)
        key = codec.identity(kind, codec.dumps(payload))
        if key not in seen:
            seen.add(key)
            out.append(event)
    return out


async def _serve(
    data: bytes, ingest: RMonitorIngest, *, drop: bool, store: Store
) -> tuple[Connection, dict[str, list[StoredEvent]]]:
    """Serve ``data`` on a local port (cut in two by a dropped connection when ``drop``) and follow it
    into the store until everything sent is read; what the log held when the second connection came."""
    half = data.rfind(b"\n", 0, len(data) // 2) + 1 if drop else len(data)
    connections = 0
    held_at_reconnect: dict[str, list[StoredEvent]] = {}
    sent, finished = asyncio.Event(), asyncio.Event()

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        nonlocal connections
        connections += 1
        if connections == 1:
            writer.write(data[:half] + (b'$G,1,"1",3,"00:0' if drop else b""))  # a drop cuts a record
            await writer.drain()
            if drop:
                writer.transport.abort()
                return
        else:  # Orbits after a reconnect: a reset and its whole scoreboard, then the rest
            held_at_reconnect.update({sid: store.events(sid) for sid in ingest.sessions})
            writer.write(refresh_burst(data[:half]) + data[half:])
            await writer.drain()
        sent.set()
        await finished.wait()
        writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    stop, status = asyncio.Event(), Connection()

    async def until_all_read() -> None:
        await sent.wait()
        seen = -1
        while ingest.lines != seen:  # the server sent everything; wait until reading stops
            seen = ingest.lines
            await asyncio.sleep(0.5)
        stop.set()
        finished.set()

    async with server:
        work = follow_into_store(ingest, "127.0.0.1", port, SystemClock(), stop, status, 0.05)
        await asyncio.wait_for(asyncio.gather(work, until_all_read()), timeout=120)
    return status, held_at_reconnect


@pytest.mark.realdata
def test_a_capture_over_tcp_into_the_store_is_the_replayed_board(store: Store) -> None:
    data = real_file(SEBRING).read_bytes()
    feed, events = straight(data)
    problems: list[Problem] = []
    ingest = RMonitorIngest(store, "sebring", "sebring-2009-s4", report=problems.append)
    status, _ = asyncio.run(_serve(data, ingest, drop=False, store=store))
    assert status.connects == 1 and list(ingest.sessions) == ["sebring-2009-s4"]
    info = store.session("sebring-2009-s4")
    assert feed.live is not None
    assert (info.session.name, info.session.kind) == (feed.live.session.name, feed.live.session.kind)
    board, _ = board_at(store, "sebring-2009-s4")
    want, got = feed.live.classification(), board.classification()
    assert got.results == want.results and got.fastest_lap == want.fastest_lap
    assert [r.car for r in got.results][:3] == [r.car for r in want.results][:3]
    # everything the feed said is in the log, once: the clock from $F, pit lane from $L, laps, entries
    stored = [e.event() for e in store.events("sebring-2009-s4")]
    assert stored == logged(events, feed.live.session.id)
    kinds = {e.kind for e in store.events("sebring-2009-s4")}
    assert {"entry", "lap", "clock", "pit"} <= kinds
    pits = [e for e in stored if isinstance(e, PitCrossed)]
    assert len(pits) > 100 and {p.line.value for p in pits} == {"pit_in", "pit_out"}
    assert sum(isinstance(e, ClockTicked) for e in stored) > 1000
    assert [str(p) for p in problems] == [str(p) for p in feed.problems]
    # the board shows the session clock and flag of the last heartbeat
    last_tick = [e for e in stored if isinstance(e, ClockTicked)][-1]
    session_row = board.snapshot()["session"]
    assert (session_row["elapsed_ms"], session_row["flag"]) == (last_tick.elapsed_ms, last_tick.flag)


@pytest.mark.realdata
@pytest.mark.parametrize("path", [MOCK, BARBER], ids=["orbits-mock", "barber-8h"])
def test_a_dropped_connection_loses_and_duplicates_nothing(tmp_path: Path, path: Path) -> None:
    from tests.backends import sqlite_url

    data = real_file(path).read_bytes()
    feed, events = straight(data)
    assert feed.live is not None
    store = Store.open(sqlite_url(tmp_path), FixedClock(), rulebooks.load)
    try:
        problems: list[Problem] = []
        ingest = RMonitorIngest(store, path.name, None, report=problems.append)
        status, held = asyncio.run(_serve(data, ingest, drop=True, store=store))
        assert status.connects == 2 and status.drops >= 1
        sid = feed.live.session.id  # no --session: the store session is named after the feed's
        stored = store.events(sid)
        assert len(held[sid]) > 10 and stored[: len(held[sid])] == held[sid]  # nothing stored was lost
        assert [e.event() for e in stored] == logged(events, sid)  # nothing missing, nothing twice
        laps = [e.event() for e in stored if e.kind == "lap"]
        assert len(laps) == sum(isinstance(e, LapCompleted) for e in logged(events, sid))
        board, _ = board_at(store, sid)
        assert board.classification().results == feed.live.classification().results
        # the record cut by the drop is reported once, with its text
        assert len(problems) == 1 and problems[0].line.startswith('$G,1,"1",3,"00:0')
    finally:
        store.close()


def test_an_append_the_database_refuses_is_kept_and_stored_with_the_next_burst(tmp_path: Path) -> None:
    import sqlalchemy as sa

    from chequered.importers.rmonitor.records import RawLine
    from tests.backends import sqlite_url

    store = Store.open(sqlite_url(tmp_path), FixedClock(), rulebooks.load)
    warnings: list[str] = []
    ingest = RMonitorIngest(store, "test", "sprint", warn=warnings.append)
    real_append, calls = store.append, []

    def flaky(*args: object, **kwargs: object) -> object:
        calls.append(1)
        if len(calls) <= 2:
            raise sa.exc.OperationalError("INSERT", {}, Exception("database is locked"))
        return real_append(*args, **kwargs)  # type: ignore[arg-type]

    store.append = flaky  # type: ignore[method-assign]
    lines = [
        '$B,1,"Sprint Race"',
        '$A,"7","7",1,"Team","Seven","",1',
        '$F,9999,"00:10:00","12:00:00","00:00:00","Green "',
    ]
    for n, text in enumerate(lines, 1):
        ingest.line(RawLine(n, text))
    ingest.flush()
    ingest.line(RawLine(4, '$G,1,"7",1,"00:01:40.000"'))
    ingest.flush()  # refused again: still kept
    assert store.count("sprint") == 0 and len(warnings) == 1 and "database is locked" in warnings[0]
    ingest.line(RawLine(5, '$F,9999,"00:08:20","12:01:40","00:01:40","Green "'))
    ingest.close()
    kinds = [e.kind for e in store.events("sprint")]
    assert kinds == ["entry", "clock", "lap", "clock"]
    assert ingest.sessions["sprint"].appended == 4 and ingest.sessions["sprint"].created
    store.close()


async def _follow(payload: bytes, ingest: RMonitorIngest) -> Connection:
    """Serve ``payload`` on a local port and follow it into the store until everything sent is read;
    then the ingest stops (as a process that is stopped or dies between two bursts)."""
    sent, finished = asyncio.Event(), asyncio.Event()

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writer.write(payload)
        await writer.drain()
        sent.set()
        await finished.wait()
        writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    stop, status = asyncio.Event(), Connection()

    async def until_all_read() -> None:
        await sent.wait()
        seen = -1
        while ingest.lines != seen:
            seen = ingest.lines
            await asyncio.sleep(0.5)
        stop.set()
        finished.set()

    async with server:
        work = follow_into_store(ingest, "127.0.0.1", port, SystemClock(), stop, status, 0.05)
        await asyncio.wait_for(asyncio.gather(work, until_all_read()), timeout=120)
    return status


@pytest.mark.realdata
def test_an_ingest_restarted_mid_session_stores_nothing_twice(store: Store) -> None:
    """A first ingest follows the Barber 8 h race to its middle and stops; a new one (nothing kept but
    the store) connects to the host, which sends Orbits' refresh (``$I`` and the whole scoreboard: every
    car's ``$G`` again) and the rest. No lap is stored twice and the board is the replayed board."""
    data = real_file(BARBER).read_bytes()
    feed, events = straight(data)
    assert feed.live is not None
    # the first process stops between two bursts: just before a heartbeat in the middle of the race
    cut = data.rfind(b"\n", 0, data.find(b"$F,", len(data) // 2)) + 1
    first = RMonitorIngest(store, "orbits-1", None)
    asyncio.run(_follow(data[:cut], first))
    sid = feed.live.session.id
    held = store.events(sid)
    assert sum(e.kind == "lap" for e in held) > 400
    second = RMonitorIngest(store, "orbits-2", None)  # a new process: only the store is left
    status = asyncio.run(_follow(refresh_burst(data[:cut]) + data[cut:], second))
    assert status.connects == 1 and list(second.sessions) == [sid]
    stored = store.events(sid)
    assert stored[: len(held)] == held
    laps = [(e.payload["car"], e.payload["lap"]) for e in stored if e.kind == "lap"]
    assert len(laps) == len(set(laps))  # no car has a lap number twice
    assert [e.event() for e in stored] == logged(events, sid)  # nothing missing, nothing twice
    board, _ = board_at(store, sid)
    want, got = feed.live.classification(), board.classification()
    assert got.results == want.results and got.fastest_lap == want.fastest_lap
    assert board.snapshot()["cars"] == feed.live.snapshot()["cars"]


def _ingest_file(store: Store, data: bytes, source: str) -> RMonitorIngest:
    ingest = RMonitorIngest(store, source, None)
    for raw in read_capture(data):
        ingest.line(raw)
    ingest.close()
    return ingest


@pytest.mark.parametrize("name", ["sebring-2009-s4", "orbits-mock"])
def test_the_same_capture_ingested_again_stores_nothing_twice(store: Store, name: str) -> None:
    """Each run added 41 entry events: an entry's identity was its version count in the store."""
    data = real_file(CAPTURES[name]).read_bytes()
    first = _ingest_file(store, data, "capture")
    held = {sid: store.events(sid) for sid in first.sessions}
    assert sum(e.kind == "entry" for events in held.values() for e in events) > 0
    again = _ingest_file(store, data, "capture")
    assert [count.appended for count in again.sessions.values()] == [0] * len(again.sessions)
    assert {sid: store.events(sid) for sid in first.sessions} == held


def test_bad_lines_are_reported_once_by_line_and_skipped_and_the_ingest_goes_on(store: Store) -> None:
    lines = [
        '$B,5,"Race"',
        "$A,,,,",
        "$B,,",
        '$A,"","",1,"a","b","c",1',
        '$A,"7","7",123,"Team","Seven","USA",1',
        '$G,1,"7",99999999999999999999999,"00:01:40.000"',
        '$A,"8","8",1,"' + "x" * 1_000_000 + '","y","z",1',
        "$A,,,,",
        '$G,1,"7",1,"00:01:40.000"',
    ]
    ingest = _ingest_file(store, "\r\n".join(lines).encode() + b"\r\n", "garbage")
    assert [p.line_no for p in ingest.problems] == [2, 3, 4, 6, 7]  # line 8 repeats line 2: once
    assert "at most" in ingest.problems[3].message and "at most" in ingest.problems[4].message
    assert list(ingest.sessions) == ["race"]
    entries = [e.event() for e in store.events("race") if e.kind == "entry"]
    assert [e.entry.number for e in entries if isinstance(e, EntryRegistered)] == ["7"]
    assert any(e.kind == "lap" for e in store.events("race"))
