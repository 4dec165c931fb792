"""``chequered ingest rmonitor``: a live Orbits feed, or a recorded capture, into the event store.

Follows ``HOST:PORT`` until interrupted (Ctrl-C or SIGTERM), reconnecting with backoff, or replays
``--file CAPTURE`` at ``--speed`` times its own pace; either way every event is appended to the store
as it comes, so ``chequered serve`` shows it at ``/live/{session}`` while it happens.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from chequered.cli.app import sub_app
from chequered.cli.server import DatabaseUrl

if TYPE_CHECKING:  # loaded by the command, with the importers and the store: not by `chequered --help`
    import asyncio

    from chequered.cli.rmonitor_ingest import RMonitorIngest
    from chequered.importers.rmonitor.feed import Problem
    from chequered.importers.rmonitor.stream import Clock, Connection

ingest_app = sub_app("ingest", "Feed live timing into the store, as it happens.")


def _warn(message: str) -> None:
    print(f"chequered: warning: {message}", file=sys.stderr, flush=True)


def _report(problem: Problem) -> None:
    _warn(str(problem))


def parse_host(text: str) -> tuple[str, int]:
    host, sep, port = text.rpartition(":")
    if not sep or not host or not port.isdigit() or not 0 < int(port) <= 65535:
        raise typer.BadParameter(
            f"want HOST:PORT (e.g. 192.168.1.10:50000), not {text!r}", param_hint="HOST:PORT"
        )
    return host, int(port)


@ingest_app.command("rmonitor")
def ingest_rmonitor(
    address: str | None = typer.Argument(None, metavar="[HOST:PORT]", help="The Orbits host to follow."),
    capture: Path | None = typer.Option(None, "--file", help="Store a recorded capture instead."),
    speed: float = typer.Option(
        1.0, "--speed", min=0, help="With --file: N x the recorded pace; 0 = as fast as possible."
    ),
    session_id: str | None = typer.Option(
        None, "--session", help="Store session of the feed's first session (default: from its name)."
    ),
    database_url: str | None = DatabaseUrl,
) -> None:
    """Append an RMonitor feed's sessions, entries, laps, clock and pit-lane crossings to the store."""
    import asyncio

    from chequered.cli.rmonitor_ingest import RMonitorIngest
    from chequered.cli.server import open_store
    from chequered.core.errors import ChequeredError, ParseError
    from chequered.importers.rmonitor.records import read_capture
    from chequered.importers.rmonitor.stream import SystemClock, replay

    if (address is None) == (capture is None):
        raise typer.BadParameter("give either HOST:PORT to follow or --file CAPTURE to replay")
    host = parse_host(address) if address is not None else None
    data = b""
    if capture is not None:
        try:
            data = capture.read_bytes()
        except OSError as exc:
            raise ParseError(str(capture), None, None, f"cannot read: {exc.strerror}") from None
    source = capture.name if capture is not None else str(address)
    store = open_store(database_url)
    try:
        ingest = RMonitorIngest(store, source, session_id, report=_report, warn=_warn)
        if host is not None:
            print(f"following {host[0]}:{host[1]}; Ctrl-C stops", file=sys.stderr, flush=True)
            asyncio.run(follow_into_store(ingest, host[0], host[1], SystemClock()))
        else:
            asyncio.run(replay(read_capture(data), ingest.line, speed, SystemClock(), ingest.flush))
            ingest.close()
    finally:
        store.close()
    if not ingest.sessions:
        raise ChequeredError(f"{source}: no RMonitor session came in; nothing stored")
    for count in ingest.sessions.values():
        created = " (created)" if count.created else ""
        print(
            f"session {count.session_id}{created} ({count.name}): {count.appended} events stored, "
            f"{count.duplicates} already stored; watch /live/{count.session_id}"
        )


async def follow_into_store(
    ingest: RMonitorIngest,
    host: str,
    port: int,
    clock: Clock,
    stop: asyncio.Event | None = None,
    status: Connection | None = None,
    min_backoff: float = 0.1,
) -> Connection:
    """Follow ``host:port`` into the store until ``stop`` is set (or SIGINT/SIGTERM), one append per
    read from the socket; connection news go to stderr. What the feed still holds is stored at the end.

    This is the command's own process: it may take SIGINT and SIGTERM, and gives them back at the end."""
    import asyncio
    import contextlib
    import signal

    from chequered.importers.rmonitor.stream import Connection, follow

    stop = stop if stop is not None else asyncio.Event()
    status = status if status is not None else Connection()
    loop = asyncio.get_running_loop()
    handled = []
    for signum in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):  # not the main thread
            loop.add_signal_handler(signum, stop.set)
            handled.append(signum)
    news = loop.create_task(_connection_news(status, stop))
    try:
        await follow(host, port, ingest.line, clock, stop, status, min_backoff, on_burst=ingest.flush)
    finally:
        for signum in handled:
            loop.remove_signal_handler(signum)
        stop.set()
        await news
        ingest.close()
    return status


async def _connection_news(status: Connection, stop: asyncio.Event) -> None:
    import asyncio
    import contextlib

    told = 0
    while True:
        for line in status.log[told:]:
            _warn(line)
        told = len(status.log)
        if stop.is_set():
            return
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), 0.5)
