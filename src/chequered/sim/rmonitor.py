"""A simulated session served as an RMonitor feed (RMonitor Timing Protocol v1.0, as summarised in
shared/research/timing-formats.md §2): ASCII records ``$<cmd>,<fields>`` + CR LF over TCP.

On connection a client gets the session header (``$B`` run, ``$C`` classes, ``$E`` track name and
length, ``$A`` and ``$COMP`` per car), then the session replayed in session time: a ``$J`` passing at
each line crossing, the changed places in the race order as ``$G`` (laps and total time; every session,
as Orbits sends it) and, in practice and qualifying, in the best-lap order as ``$H``; and a ``$F``
heartbeat each second of session time. The feed is a pure function of the session
(``feed_records``); only the pacing reads a clock, and the clock is injected.
"""

from __future__ import annotations

import asyncio
import zlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from chequered.core.errors import ChequeredError
from chequered.core.model import SessionKind
from chequered.sim.track import Track
from chequered.sim.weekend import SimulatedSession

FLAGS = {"GF": "Green ", "FCY": "Yellow", "FF": "Finish", "": "Green "}
Sleep = Callable[[float], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class Record:
    """One feed line at a session time (ms)."""

    at_ms: int
    line: str


def clock(ms: int) -> str:
    """``HH:MM:SS.mmm``; hours run past 24 in a long race."""
    hours, rest = divmod(max(0, ms), 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    return f"{hours:02d}:{minutes:02d}:{rest // 1000:02d}.{rest % 1000:03d}"


def _q(text: str) -> str:
    return '"' + text.replace('"', "'") + '"'


def header_records(simulated: SimulatedSession, track: Track, run: int = 1) -> list[str]:
    classes = sorted({e.car_class for e in simulated.entries})
    class_no = {c: i + 1 for i, c in enumerate(classes)}
    lines = [f"$B,{run},{_q(simulated.session.name)}"]
    lines += [f"$C,{class_no[c]},{_q(c)}" for c in classes]
    lines.append(f"$E,{_q('TRACKNAME')},{_q(track.circuit.name)}")
    lines.append(f"$E,{_q('TRACKLENGTH')},{_q(f'{track.length_m / 1609.344:.3f}')}")
    for e in simulated.entries:
        first, _, last = (e.drivers[0].name if e.drivers else "").partition(" ")
        nation = e.drivers[0].nationality if e.drivers else ""
        transponder = zlib.crc32(e.car.encode()) % 9_000_000 + 1_000_000
        lines.append(
            f"$A,{_q(e.car)},{_q(e.number)},{transponder},{_q(first)},{_q(last)},{_q(nation)},{class_no[e.car_class]}"
        )
        lines.append(
            f"$COMP,{_q(e.car)},{_q(e.number)},{class_no[e.car_class]},{_q(first)},{_q(last)},{_q(nation)},{_q(e.team)}"
        )
    return lines


def feed_records(simulated: SimulatedSession, track: Track, start_of_day_ms: int = 0) -> list[Record]:
    """The timed records of a session, in order (the header comes separately)."""
    session = simulated.session
    duration = session.finish.duration_ms if session.finish and session.finish.duration_ms else 0
    race = session.kind is SessionKind.RACE
    laps = sorted(simulated.laps, key=lambda lap: (lap.elapsed_ms, lap.car))
    end = laps[-1].elapsed_ms if laps else duration
    records: list[Record] = []
    count: dict[str, int] = {}
    total: dict[str, int] = {}
    best: dict[str, tuple[int, int]] = {}
    sent: dict[str, int] = {}
    sent_best: dict[str, tuple[int, int]] = {}
    flag = "GF"
    next_beat = 0
    for lap in laps:
        while next_beat <= lap.elapsed_ms:
            records.append(_heartbeat(next_beat, duration, start_of_day_ms, flag))
            next_beat += 1000
        flag = lap.flag or "GF"
        count[lap.car] = lap.lap
        total[lap.car] = lap.elapsed_ms
        if lap.lap_time_ms is not None and (lap.car not in best or lap.lap_time_ms < best[lap.car][0]):
            best[lap.car] = (lap.lap_time_ms, lap.lap)
        records.append(
            Record(
                lap.elapsed_ms,
                f"$J,{_q(lap.car)},{_q(clock(lap.lap_time_ms or 0))},{_q(clock(lap.elapsed_ms))}",
            )
        )
        order = sorted(count, key=lambda car: (-count[car], total[car]))
        for position, car in enumerate(order, start=1):
            if sent.get(car) != position or car == lap.car:
                sent[car] = position
                records.append(
                    Record(lap.elapsed_ms, f"$G,{position},{_q(car)},{count[car]},{_q(clock(total[car]))}")
                )
        if race:
            continue
        timed = sorted(best, key=lambda car: (best[car][0], car))
        for position, car in enumerate(timed, start=1):
            if sent_best.get(car) != (position, best[car][0]):
                sent_best[car] = (position, best[car][0])
                records.append(
                    Record(
                        lap.elapsed_ms, f"$H,{position},{_q(car)},{best[car][1]},{_q(clock(best[car][0]))}"
                    )
                )
    records.append(_heartbeat(max(next_beat, end), duration, start_of_day_ms, "FF"))
    return records


def _heartbeat(at: int, duration: int, start_of_day_ms: int, flag: str) -> Record:
    to_go = _q(clock(max(0, duration - at)))
    flag_text = _q(FLAGS.get(flag, "Green "))
    line = f"$F,9999,{to_go},{_q(clock(start_of_day_ms + at))},{_q(clock(at))},{flag_text}"
    return Record(at, line)


async def stream(
    writer: asyncio.StreamWriter, header: list[str], records: list[Record], speed: float, sleep: Sleep
) -> None:
    """Write the header at once, then each record when its session time comes (``speed`` x real time)."""
    writer.write("".join(f"{line}\r\n" for line in header).encode("ascii", "replace"))
    now = 0
    batch: list[str] = []
    for record in records:
        if record.at_ms > now:
            if batch:
                writer.write("".join(batch).encode("ascii", "replace"))
                batch = []
                await writer.drain()
                if writer.is_closing():
                    return  # the client hung up
            if speed > 0:  # 0: as fast as the client reads
                await sleep((record.at_ms - now) / 1000 / speed)
            now = record.at_ms
        batch.append(f"{record.line}\r\n")
    writer.write("".join(batch).encode("ascii", "replace"))
    await writer.drain()


async def start_feed_server(
    simulated: SimulatedSession,
    track: Track,
    host: str,
    port: int,
    speed: float,
    sleep: Sleep = asyncio.sleep,
) -> asyncio.Server:
    """A TCP server that replays the session from its start to every client that connects."""
    header = header_records(simulated, track)
    start = simulated.session.start
    if start is not None:
        start = start.astimezone(ZoneInfo(track.circuit.timezone))
    day_ms = (start.hour * 3600 + start.minute * 60 + start.second) * 1000 if start else 0
    records = feed_records(simulated, track, day_ms)

    async def client(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        # RMonitor is one-way: whatever a client sends is read and dropped, so that closing the
        # connection never finds unread bytes (which would reset it under the client's last records)
        ignored = asyncio.create_task(_discard(reader))
        try:
            await stream(writer, header, records, speed, sleep)
            if writer.can_write_eof():
                writer.write_eof()
            await asyncio.wait_for(ignored, timeout=10)
        except (ConnectionError, OSError, TimeoutError):
            pass  # the client went away or never hung up: nothing to clean up but the socket
        finally:
            ignored.cancel()
            writer.close()

    return await asyncio.start_server(client, host, port)


async def serve_session(
    simulated: SimulatedSession, track: Track, host: str, port: int, speed: float
) -> None:
    server = await start_feed_server(simulated, track, host, port, speed)
    async with server:
        await server.serve_forever()


async def _discard(reader: asyncio.StreamReader) -> None:
    while await reader.read(4096):
        pass


def parse_address(text: str) -> tuple[str, int]:
    host, sep, port = text.rpartition(":")
    if not sep or not host or not port.isdigit() or not 0 <= int(port) <= 65535:
        raise ChequeredError(f"--rmonitor wants HOST:PORT (e.g. 127.0.0.1:50000), not {text!r}")
    return host, int(port)
