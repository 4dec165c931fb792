"""The live hub: one log reader per session across every server process, deltas fanned out over a bus.

Each process watching a session subscribes to the session's bus channel. Whichever process holds the
session's reader lease (exactly one at a time; another takes over when it stops renewing) reads the log,
folds the new events, sends the delta to its own clients and publishes it once on the bus; every
other process forwards what it receives, byte for byte, to its clients. A delta carries its log position
(``seq``) and the position of the delta before it (``prev``): a process that sees ``prev`` beyond where
its clients are (it joined late, or the bus dropped messages) folds the gap from the log itself, so no
client ever misses a delta. Boards for snapshots are folded lazily, only when a client connects.
A client that reconnects with ``?after=<seq>`` gets the deltas it missed from the last few thousand kept
in memory, or, when it was gone longer (or this process started since), a snapshot: either way its board
has no gap, and a crowd of fans coming back at once costs no fold of the log per fan.
"""

from __future__ import annotations

import asyncio
import logging
from bisect import bisect_left
from collections import deque
from collections.abc import Awaitable
from dataclasses import dataclass, field
from typing import Any

import orjson

from chequered import rulebooks
from chequered.bus.base import Bus, BusError, Subscription
from chequered.core.errors import UnknownCarError
from chequered.core.events import ImportWithdrawn, ResultsPublished
from chequered.core.live import LiveState
from chequered.store import codec
from chequered.store.log import WITHDRAWN, StoredEvent
from chequered.store.store import Store

log = logging.getLogger(__name__)
ClientQueue = asyncio.Queue[str | None]  # text frames; None: the client fell too far behind
RECENT_DELTAS = 2_000  # deltas kept for fans that come back (at 10 a second, over three minutes)
KEYFRAME_SLICES = 10  # keyframes go to a tenth of the clients at a time: no burst of full boards to all


def fold_into(board: LiveState, stored: StoredEvent) -> dict[str, Any] | None:
    """Apply one stored event to a board; the delta message, or None when nothing changed."""
    event = stored.event()
    if isinstance(event, ResultsPublished | ImportWithdrawn):
        return None  # a withdrawal is folded by folding the board again (``board_at``)
    try:
        delta = board.apply(event)
    except UnknownCarError:
        return None  # the log refused nothing; a car without an entry is not on the board
    if delta is None:
        return None
    message: dict[str, Any] = {
        "type": "delta",
        "seq": stored.seq,
        "session": delta.session,
        "cars": delta.cars,
    }
    if delta.messages:  # race control's decisions, numbered by their log position
        message["messages"] = [{**m, "seq": stored.seq} for m in delta.messages]
    return message


_BUT_CLOCK = tuple(kind for kind in codec.SCORING_KINDS + codec.TIMING_KINDS if kind != "clock")


def board_at(store: Store, session_id: str, upto: int | None = None) -> tuple[LiveState, int]:
    """The live board of a session folded from its log up to ``upto`` (the head when None).

    Of the clock ticks (one a second: 28,800 in an 8-hour race, each visiting every car) only the last
    one before ``upto`` is read and folded. A tick sets the five clock fields and each car's ``stopped``
    mark, and the next tick sets all of them again, for every car on the board, whatever came between:
    a lap moves the clock's race time forward, but never past the next tick, which sets it anyway;
    laps and crossings clear ``stopped``, only a tick sets it, and nothing reads it but the car's row;
    whether a car is stopped is decided from its last crossing, pit lane, status and best lap, which
    no tick changes. The board is the one folded tick by tick, but for ``LiveState.seq``, the count of
    deltas this fold made (not a log position, and read by nobody)."""
    info = store.session(session_id)
    entries = store.season_entries(info.season_id) if info.season_id else []
    board = LiveState(info.session, rulebooks.load(info.rulebook), entries)
    events = store.standing_events(session_id, upto=upto, kinds=_BUT_CLOCK)
    last_tick = store.head(session_id, upto, kind="clock")
    if last_tick:  # (a clock tick never comes with an import: none is withdrawn)
        at = bisect_left(events, last_tick, key=lambda stored: stored.seq)
        events[at:at] = store.events(session_id, after=last_tick - 1, limit=1)
    for stored in events:
        fold_into(board, stored)
    return board, events[-1].seq if events else 0


def snapshot_message(kind: str, board: LiveState, seq: int) -> dict[str, Any]:
    return {"type": kind, "seq": seq, "board": board.snapshot()}


def encode(message: dict[str, Any]) -> str:
    return orjson.dumps(message, option=orjson.OPT_NON_STR_KEYS).decode()


@dataclass(slots=True)
class _Watch:
    session_id: str
    subscription: Subscription
    board: LiveState  # folded lazily: up to ``board_seq``, caught up to ``seq`` when a snapshot is due
    board_seq: int
    seq: int  # the log position this process's clients have been brought to
    last_delta: int  # seq of the last delta sent (the ``prev`` of the next)
    clients: set[ClientQueue] = field(default_factory=set)
    tasks: list[asyncio.Task[None]] = field(default_factory=list)
    snapshot: tuple[int, str] = (-1, "")  # the last snapshot frame, encoded once for a burst of connects
    recent: deque[tuple[int, int, str]] = field(default_factory=lambda: deque(maxlen=RECENT_DELTAS))
    """The last deltas sent: (prev, seq, frame)."""
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    """Held by whatever moves the board or the clients' position on: the log is read in a thread, so
    the reader, the listener and a connecting client take turns, and deltas go out in log order."""


class LiveHub:
    """The watched sessions of one server process and their clients."""

    def __init__(
        self,
        store: Store,
        bus: Bus,
        poll_s: float = 0.02,
        keyframe_s: float = 30.0,
        lease_s: float = 3.0,
        client_backlog: int = 10_000,
        close_s: float = 5.0,
        idle_s: float = 15.0,
    ) -> None:
        self.store = store
        self.bus = bus
        self.poll_s = poll_s
        self.keyframe_s = keyframe_s
        self.lease_s = lease_s
        self.client_backlog = client_backlog
        self.close_s = close_s  # the longest wait for each step of the shutdown
        self.idle_s = idle_s  # how long a session nobody watches is still followed (fans coming back)
        self._watches: dict[str, _Watch] = {}
        self._lock = asyncio.Lock()

    async def subscribe(self, session_id: str, after: int | None) -> tuple[list[str], ClientQueue]:
        """The frames that bring a client up to date, and the queue of what follows.
        ``NotFoundError`` when there is no such session."""
        watch = self._watches.get(session_id)
        if watch is None:
            async with self._lock:
                watch = self._watches.get(session_id) or await self._watch(session_id)
        async with watch.lock:  # no delta between the first frames and joining the clients
            missed = self._missed(watch, after) if after is not None else None
            if missed is not None:
                first = missed
            else:
                if watch.snapshot[0] != watch.seq:
                    await self._catch_up(watch)
                    snapshot = encode(snapshot_message("snapshot", watch.board, watch.seq))
                    watch.snapshot = (watch.seq, snapshot)
                first = [watch.snapshot[1]]
            queue: ClientQueue = asyncio.Queue(maxsize=self.client_backlog)
            watch.clients.add(queue)
        return first, queue

    @staticmethod
    def _missed(watch: _Watch, after: int) -> list[str] | None:
        """The deltas after log position ``after`` from the recent ones; None when they do not reach
        back that far (or ``after`` is ahead of this process), and a snapshot is due instead."""
        if after == watch.seq:
            return []
        if after > watch.seq or not watch.recent or watch.recent[0][0] > after:
            return None
        return [frame for _, seq, frame in watch.recent if seq > after]

    def unsubscribe(self, session_id: str, queue: ClientQueue) -> None:
        """Forget a client; the session's reader stops when its last client has gone."""
        watch = self._watches.get(session_id)
        if watch is not None and queue in watch.clients:
            watch.clients.discard(queue)
            if not watch.clients:
                asyncio.get_running_loop().create_task(self._forget(watch))

    async def _forget(self, watch: _Watch) -> None:
        """Stop a session nobody has watched for ``idle_s``: its reader, its listener, its bus
        subscription (a fan back within that time resumes from the recent deltas)."""
        await asyncio.sleep(self.idle_s)
        async with self._lock:
            if watch.clients or self._watches.get(watch.session_id) is not watch:
                return  # a client came back (or the hub is closing)
            del self._watches[watch.session_id]
        for task in watch.tasks:
            task.cancel()
        await _within(self.close_s, f"live {watch.session_id}: stopping its reader", *watch.tasks)
        leaving = self.bus.unsubscribe(watch.subscription)
        await _within(self.close_s, f"live {watch.session_id}: leaving the bus", leaving)

    def watched(self) -> list[str]:
        """The sessions this process follows now (those with clients)."""
        return list(self._watches)

    async def _watch(self, session_id: str) -> _Watch:
        await asyncio.to_thread(self.store.session, session_id)  # NotFoundError before anything starts
        subscription = await self.bus.subscribe(f"live:{session_id}")  # active before the log is read
        # the first fold of a long session takes a while: off the event loop, fans keep their deltas
        board, seq = await asyncio.to_thread(board_at, self.store, session_id)
        watch = _Watch(session_id, subscription, board, seq, seq, seq)
        loop = asyncio.get_running_loop()
        watch.tasks = [loop.create_task(self._listen(watch)), loop.create_task(self._read(watch))]
        self._watches[session_id] = watch
        return watch

    async def _events_after(self, watch: _Watch, after: int, upto: int | None = None) -> list[StoredEvent]:
        """The session's events after ``after`` (up to ``upto``), read in a thread: a database round trip
        never holds the event loop, and with it every fan's frames and every request."""
        return await asyncio.to_thread(self.store.events, watch.session_id, after=after, upto=upto)

    async def _catch_up(self, watch: _Watch) -> None:
        """Fold the events the clients have already been sent into the board (no messages).
        The caller holds ``watch.lock``."""
        if watch.board_seq >= watch.seq:
            return
        for stored in await self._events_after(watch, watch.board_seq, watch.seq):
            if stored.seq > watch.seq:
                break
            if stored.kind == WITHDRAWN:  # it takes back events folded already: fold again
                watch.board, _ = await asyncio.to_thread(board_at, self.store, watch.session_id, stored.seq)
            fold_into(watch.board, stored)
            watch.board_seq = stored.seq

    async def _advance(self, watch: _Watch, upto: int | None) -> list[str]:
        """Fold the log after the clients' position (up to ``upto``, the head when None) and send this
        process's clients one delta merging what changed (a pack of cars crossing the line within one
        poll is one frame per client, not one per car); the frames sent. The caller holds
        ``watch.lock``; the log is read in a thread, the fold (a poll's few events) is done here."""
        await self._catch_up(watch)
        merged: dict[str, Any] | None = None
        for stored in await self._events_after(watch, watch.seq, upto):
            if stored.kind == WITHDRAWN:
                # events shown already are taken back: no delta says so; the board is folded again, and
                # each client has it with its next keyframe
                watch.board, _ = await asyncio.to_thread(board_at, self.store, watch.session_id, stored.seq)
            message = fold_into(watch.board, stored)
            watch.board_seq = watch.seq = stored.seq
            if message is None:
                continue
            if merged is None:  # copied: the live state's own dicts are never touched
                cars = {car: dict(changes) for car, changes in message["cars"].items()}
                merged = {**message, "session": dict(message["session"]), "cars": cars}
                continue
            merged["seq"] = message["seq"]
            if "messages" in message:
                merged["messages"] = [*merged.get("messages", ()), *message["messages"]]
            merged["session"].update(message["session"])
            for car, changes in message["cars"].items():
                merged["cars"].setdefault(car, {}).update(changes)
        if upto is not None and upto > watch.seq:
            watch.seq = upto
        if merged is None:
            return []
        merged["prev"], watch.last_delta = watch.last_delta, merged["seq"]
        frame = encode(merged)
        self._send_delta(watch, merged["prev"], merged["seq"], frame)
        return [frame]

    async def _listen(self, watch: _Watch) -> None:
        """Forward what the reader (in this or another process) published."""
        while True:
            data = await watch.subscription.get()
            async with watch.lock:
                if data is None:  # the bus lost messages: recover from the log
                    await self._advance(watch, None)
                    continue
                header = orjson.loads(data)
                seq, prev = header["seq"], header["prev"]
                if seq <= watch.seq:
                    continue  # sent already (by this process as the reader, or recovered from the log)
                if prev > watch.seq:
                    await self._advance(watch, prev)
                watch.seq = watch.last_delta = seq
                self._send_delta(watch, prev, seq, data.decode())

    async def _read(self, watch: _Watch) -> None:
        """Poll the log while holding the session's reader lease; send keyframes to local clients."""
        loop = asyncio.get_running_loop()
        lease = f"live-reader:{watch.session_id}"
        slice_s = self.keyframe_s / KEYFRAME_SLICES
        next_keyframe, tick = loop.time() + slice_s, 0
        try:
            while True:
                await asyncio.sleep(self.poll_s)
                if await self.bus.claim(lease, self.lease_s):
                    async with watch.lock:
                        frames = await self._advance(watch, None)
                    for frame in frames:  # published in log order: only this task publishes
                        try:
                            await self.bus.publish(f"live:{watch.session_id}", frame.encode())
                        except BusError as error:  # other processes recover the gap from the log
                            log.warning("live %s: %s", watch.session_id, error)
                            break
                if loop.time() >= next_keyframe:  # each client every keyframe_s, a slice of them at a time
                    next_keyframe, tick = loop.time() + slice_s, (tick + 1) % KEYFRAME_SLICES
                    due = [queue for queue in watch.clients if id(queue) // 16 % KEYFRAME_SLICES == tick]
                    if due:
                        async with watch.lock:
                            await self._catch_up(watch)
                            frame = encode(snapshot_message("keyframe", watch.board, watch.seq))
                            self._send_to(watch, due, frame)
        finally:
            await self.bus.release(lease)

    @staticmethod
    def stop(queue: ClientQueue) -> None:
        """End a client's stream: what is queued is dropped and ``None`` tells its sender to close."""
        while not queue.empty():
            queue.get_nowait()
        queue.put_nowait(None)

    def _send_delta(self, watch: _Watch, prev: int, seq: int, frame: str) -> None:
        watch.recent.append((prev, seq, frame))
        self._send_to(watch, list(watch.clients), frame)

    def _send_to(self, watch: _Watch, queues: list[ClientQueue], frame: str) -> None:
        for queue in queues:
            if queue.full():  # a client that cannot keep up is closed; it reconnects and resumes
                watch.clients.discard(queue)
                self.stop(queue)
                continue
            queue.put_nowait(frame)

    async def close(self) -> None:
        """Stop every reader and listener and close the bus (at app shutdown).

        Each step gets ``close_s``: one that does not end by then (a Redis that stops answering in the
        middle of a lease release, say) is logged and left behind, and the server still stops."""
        timeout_s = self.close_s
        watches, self._watches = list(self._watches.values()), {}
        for watch in watches:
            for queue in watch.clients:
                self.stop(queue)
            watch.clients.clear()
            for task in watch.tasks:
                task.cancel()
            await _within(timeout_s, f"live {watch.session_id}: stopping its reader", *watch.tasks)
            leaving = self.bus.unsubscribe(watch.subscription)
            await _within(timeout_s, f"live {watch.session_id}: leaving the bus", leaving)
        await _within(timeout_s, "closing the bus", self.bus.close())


async def _within(timeout_s: float, what: str, *steps: Awaitable[Any]) -> None:
    """Wait up to ``timeout_s`` for ``steps``; log the ones still running and leave them (cancelled)."""
    tasks = [asyncio.ensure_future(step) for step in steps]
    _, pending = await asyncio.wait(tasks, timeout=timeout_s)
    for task in tasks:
        if task in pending:
            task.cancel()
        elif not task.cancelled() and task.exception() is not None:
            log.warning("%s: %r", what, task.exception())
    if pending:
        log.warning("%s: still running after %g s, left behind so that the server stops", what, timeout_s)
