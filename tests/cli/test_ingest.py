"""``chequered ingest rmonitor``: a capture file, or a live host over TCP until Ctrl-C, into the store."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from chequered import rulebooks
from chequered.cli.app import _register, app
from chequered.core.model import SessionKind
from chequered.store.store import Store
from chequered.web.live_hub import board_at
from tests.backends import sqlite_url
from tests.cli.test_rmonitor_ingest import straight
from tests.conftest import FixedClock, real_file
from tests.importers.rmonitor.test_feed import MOCK

runner = CliRunner()


@pytest.fixture(autouse=True)
def registered() -> None:
    _register()


def _open(url: str) -> Store:
    return Store.open(url, FixedClock(), rulebooks.load)


def test_garbage_lines_are_reported_once_and_the_rest_is_stored(tmp_path: Path) -> None:
    capture = tmp_path / "garbage.txt"
    capture.write_bytes(
        b'$B,1,"Sprint Race"\r\n$C,1,"GT4"\r\n$A,"7","7",1,"Team","Seven","",1\r\n'
        b"\x00\x01garbage\r\n\x00\x01garbage\r\n"
        b'$F,9999,"00:10:00","12:00:00","00:01:40","Green "\r\n'
        b'$J,"7","00:01:40.000","00:01:40.000"\n$G,1,"7",1,"00:01:40.000"\r$G,1,"7"\n'
    )
    url = sqlite_url(tmp_path)
    args = ["ingest", "rmonitor", "--file", str(capture), "--speed", "0", "--database-url", url]
    result = runner.invoke(app, [*args, "--session", "sprint-1"])
    assert result.exit_code == 0, result.output
    assert result.stderr.count("x01garbage") == 1 and "line 4: not an RMonitor record" in result.stderr
    assert "line 9: truncated $G record" in result.stderr
    assert "session sprint-1 (created) (Sprint Race): 3 events stored" in result.stdout
    store = _open(url)
    try:
        assert [e.kind for e in store.events("sprint-1")] == ["entry", "clock", "lap"]
        assert store.session("sprint-1").session.kind is SessionKind.RACE
        board, _ = board_at(store, "sprint-1")
        row = board.snapshot()["cars"][0]
        assert (row["car"], row["laps"], row["class"], row["last_lap_ms"]) == ("7", 1, "GT4", 100_000)
    finally:
        store.close()
    # the same capture twice: nothing new (the entry is as stored and the lap resumed from the log, so
    # neither is even offered again; the clock tick is, and is stored once)
    again = runner.invoke(app, [*args, "--session", "sprint-1"])
    assert "0 events stored, 1 already stored" in again.stdout


def test_host_or_file_and_a_bad_address_are_refused(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path)
    neither = runner.invoke(app, ["ingest", "rmonitor", "--database-url", url])
    assert neither.exit_code == 2 and "HOST:PORT" in neither.output
    bad = runner.invoke(app, ["ingest", "rmonitor", "no-port", "--database-url", url])
    assert bad.exit_code == 2 and "HOST:PORT" in bad.output


@pytest.mark.realdata
def test_following_a_host_stores_as_it_comes_and_ctrl_c_stops_cleanly(tmp_path: Path) -> None:
    """The command in its own process against a real TCP server: events are in the store while the
    connection is open (the board can show them), and SIGINT ends it with exit code 0 and a summary."""
    data = real_file(MOCK).read_bytes()
    feed, _ = straight(data)
    assert feed.live is not None
    expected = feed.live.classification()
    all_laps = sum(r.laps for r in expected.results)
    ready, port = threading.Event(), [0]
    loop = asyncio.new_event_loop()

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writer.write(data)
        await writer.drain()
        await reader.read()  # hold the connection open, as Orbits does, until the client leaves
        writer.close()

    servers: list[asyncio.Server] = []

    async def serve() -> None:
        server = await asyncio.start_server(handle, "127.0.0.1", 0)
        servers.append(server)
        port[0] = server.sockets[0].getsockname()[1]
        ready.set()
        async with server:
            with contextlib.suppress(asyncio.CancelledError):
                await server.serve_forever()

    thread = threading.Thread(target=lambda: loop.run_until_complete(serve()), daemon=True)
    thread.start()
    assert ready.wait(10)
    url = sqlite_url(tmp_path)
    command = [sys.executable, "-m", "chequered.cli", "ingest", "rmonitor", f"127.0.0.1:{port[0]}"]
    process = subprocess.Popen(
        [*command, "--session", "mock-race", "--database-url", url],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        deadline = time.monotonic() + 60
        laps = 0
        while time.monotonic() < deadline and laps < all_laps:
            time.sleep(0.2)
            if not Path(url.removeprefix("sqlite:///")).exists():
                continue
            store = _open(url)
            try:
                laps = len(store.events("mock-race", kinds=["lap"])) if store.sessions() else 0
            except Exception:  # noqa: BLE001 (the session is not created yet)
                laps = 0
            finally:
                store.close()
        assert laps == all_laps, "the ingest did not store the laps while connected"
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
        loop.call_soon_threadsafe(servers[0].close)
        thread.join(10)
    assert process.returncode == 0, err
    assert "following 127.0.0.1" in err
    assert "session mock-race (created) (Test Race):" in out and "watch /live/mock-race" in out
    store = _open(url)
    try:
        board, _ = board_at(store, "mock-race")
        assert board.classification().results == expected.results
    finally:
        store.close()
