"""RMonitor in motion: replaying a recorded capture at N× speed, and following an Orbits host over TCP.

Both hand RMonitor lines to a callback; the clock is injected (``Clock``) so tests and the CLI decide
what time is. The TCP client reconnects with exponential backoff when the connection drops or cannot be
made; what was received before a drop is kept, and Orbits' refresh burst after a reconnect changes
nothing (``RMonitorFeed`` is idempotent).
"""

from __future__ import annotations

import asyncio
import codecs
import time
from collections.abc import Awaitable, Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Protocol

from chequered.core.errors import ParseError, UnknownCarError
from chequered.core.events import LiveEvent, SessionOpened
from chequered.core.live import LiveDelta, LiveState
from chequered.core.rulebook import Rulebook
from chequered.importers.rmonitor.feed import UNNAMED, Problem, RMonitorFeed
from chequered.importers.rmonitor.records import Heartbeat, LineSplitter, RawLine, parse_record


class Clock(Protocol):
    def monotonic(self) -> float: ...

    async def sleep(self, seconds: float) -> None: ...


class SystemClock:
    """The real clock."""

    def monotonic(self) -> float:
        return time.monotonic()

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)


LineHandler = Callable[[RawLine], Awaitable[None] | None]
BurstHandler = Callable[[], Awaitable[None] | None]
"""Called after each burst of lines: what one read from the socket held, or what a replay hands out
between two waits. The place to write what the lines made in one transaction, not one per line."""


def timeline(lines: Iterable[RawLine]) -> Iterator[tuple[int | None, RawLine]]:
    """Each line with its time on the capture's clock in ms: the receive time when the capture has one,
    else the ``$F`` heartbeats' time of day (a bare stream has no other clock)."""
    virtual: int | None = None
    last_tod: int | None = None
    for raw in lines:
        if raw.received_ms is not None:
            yield raw.received_ms, raw
            continue
        if raw.text.startswith("$F"):
            try:
                record = parse_record(raw.text)
            except ParseError:
                record = None
            if isinstance(record, Heartbeat):
                if last_tod is not None and virtual is not None:
                    step = record.time_of_day_ms - last_tod
                    virtual += step if 0 <= step <= 60_000 else 1000
                else:
                    virtual = 0
                last_tod = record.time_of_day_ms
        yield virtual, raw


async def replay(
    lines: Iterable[RawLine],
    on_line: LineHandler,
    speed: float,
    clock: Clock,
    on_burst: BurstHandler | None = None,
) -> int:
    """Hand every line to ``on_line`` at ``speed``× the capture's own pace (0: as fast as possible),
    and ``on_burst`` before each wait and at the end; the number of lines replayed."""
    start = clock.monotonic()
    first: int | None = None
    count = 0
    for at, raw in timeline(lines):
        if speed > 0 and at is not None:
            if first is None:
                first = at
            wait = (at - first) / 1000 / speed - (clock.monotonic() - start)
            if wait > 0:
                await _burst(on_burst)
                await clock.sleep(wait)
        await _deliver(on_line, raw)
        count += 1
    await _burst(on_burst)
    return count


@dataclass(slots=True)
class Connection:
    """What the TCP client reports: connections made, drops, and failed attempts."""

    connects: int = 0
    drops: int = 0
    failures: int = 0
    log: list[str] = field(default_factory=list)


async def follow(
    host: str,
    port: int,
    on_line: LineHandler,
    clock: Clock,
    stop: asyncio.Event,
    status: Connection | None = None,
    min_backoff: float = 0.1,
    max_backoff: float = 10.0,
    on_burst: BurstHandler | None = None,
) -> None:
    """Read RMonitor lines from ``host:port`` until ``stop`` is set, reconnecting with backoff;
    ``on_burst`` after the lines of each read from the socket."""
    status = status if status is not None else Connection()
    backoff = min_backoff
    splitter = LineSplitter()  # one line count over all connections, so reports stay unambiguous
    while not stop.is_set():
        try:
            reader, writer = await asyncio.open_connection(host, port)
        except OSError as exc:
            status.failures += 1
            status.log.append(f"connect to {host}:{port} failed ({exc}); retrying in {backoff:.1f} s")
            await _pause(clock, stop, backoff)
            backoff = min(backoff * 2, max_backoff)
            continue
        status.connects += 1
        backoff = min_backoff
        try:
            await _read(reader, splitter, on_line, stop, on_burst)
        except (ConnectionError, OSError) as exc:
            status.log.append(f"connection to {host}:{port} lost: {exc}")
        finally:
            writer.close()
            try:
                await writer.wait_closed()
            except (ConnectionError, OSError):
                status.log.append(f"connection to {host}:{port} closed uncleanly")
        for raw in splitter.close():
            await _deliver(on_line, raw)
        await _burst(on_burst)
        if not stop.is_set():
            status.drops += 1
            status.log.append(f"connection to {host}:{port} dropped; reconnecting in {backoff:.1f} s")
            await _pause(clock, stop, backoff)


async def _read(
    reader: asyncio.StreamReader,
    splitter: LineSplitter,
    on_line: LineHandler,
    stop: asyncio.Event,
    on_burst: BurstHandler | None,
) -> None:
    stopped = asyncio.ensure_future(stop.wait())
    decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
    try:
        while True:
            chunk = asyncio.ensure_future(reader.read(65536))
            done, _ = await asyncio.wait({chunk, stopped}, return_when=asyncio.FIRST_COMPLETED)
            if chunk not in done:
                chunk.cancel()
                return
            data = chunk.result()
            if not data:
                return
            for raw in splitter.feed(decoder.decode(data)):
                await _deliver(on_line, raw)
            await _burst(on_burst)
    finally:
        stopped.cancel()


async def _deliver(on_line: LineHandler, raw: RawLine) -> None:
    result = on_line(raw)
    if result is not None:
        await result


async def _burst(on_burst: BurstHandler | None) -> None:
    if on_burst is not None:
        result = on_burst()
        if result is not None:
            await result


async def _pause(clock: Clock, stop: asyncio.Event, seconds: float) -> None:
    if not stop.is_set():
        await clock.sleep(seconds)


class LiveFeed:
    """RMonitor lines → events → the live state of the current session, with problems reported once.

    ``on_events`` sees every event before it is folded (the place to append it to the event log);
    ``on_delta`` sees what changed on the board.
    """

    def __init__(
        self,
        rules: Rulebook,
        source: str = "rmonitor",
        report: Callable[[Problem], None] | None = None,
        on_events: Callable[[list[LiveEvent]], None] | None = None,
        on_delta: Callable[[LiveDelta], None] | None = None,
    ) -> None:
        self.rules = rules
        self.feed = RMonitorFeed(source, report)
        self.live: LiveState | None = None
        self.sessions: list[LiveState] = []
        self.events = 0
        self._on_events = on_events
        self._on_delta = on_delta

    @property
    def problems(self) -> list[Problem]:
        return self.feed.problems

    def line(self, raw: RawLine) -> None:
        self._fold(self.feed.feed_line(raw), raw)

    def close(self) -> None:
        """The end of a capture or connection: score what the feed still holds."""
        self._fold(self.feed.flush(), RawLine(0, "(end of stream)"))

    def _fold(self, events: list[LiveEvent], raw: RawLine) -> None:
        if not events:
            return
        if self._on_events is not None:
            self._on_events(events)
        for event in events:
            self.events += 1
            if isinstance(event, SessionOpened):
                if self.live is not None and self.live.session.id == UNNAMED:
                    self.sessions.pop()  # named now: its events follow under the real session
                self.live = LiveState(event.session, self.rules)
                self.sessions.append(self.live)
                continue
            if self.live is None:
                continue
            try:
                delta = self.live.apply(event)
            except UnknownCarError as exc:
                self.feed.report_problem(raw, str(exc))
                continue
            if delta is not None and self._on_delta is not None:
                self._on_delta(delta)
