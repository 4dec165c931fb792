"""Live timing out: the WebSocket ``/ws/live/{session}`` and the passings endpoint for decoders.

Everything shown is folded from the session's event log: one ``LiveHub`` per app follows each watched
session's log (one reader per session, however many clients) and hands every client the same deltas.
A client gets a full snapshot on connect, then deltas numbered by log position (``seq``), and a
keyframe (a full snapshot) every ``keyframe_s``; reconnecting with ``?after=<last seq>`` resumes with
the deltas after that position, so nothing is missed.
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass, field
from importlib import resources
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response, WebSocket, WebSocketDisconnect
from fastapi.responses import HTMLResponse
from pydantic import BaseModel, Field

from chequered import rulebooks
from chequered.core.errors import UnknownCarError
from chequered.core.events import LapCompleted
from chequered.core.feed import EntryRegistered
from chequered.core.live import LiveState
from chequered.core.passings import Passing, PassingAssembler, Timeline
from chequered.store import codec
from chequered.store.errors import NotFoundError
from chequered.store.log import StoredEvent
from chequered.store.store import Store
from chequered.store.tokens import Role, TokenInfo
from chequered.web.auth import require
from chequered.web.deps import store_of
from chequered.web.problems import Problem

router = APIRouter(tags=["live"])
Timekeeper = Annotated[TokenInfo, Depends(require(Role.TIMEKEEPER))]


def fold_into(board: LiveState, stored: StoredEvent) -> dict[str, Any] | None:
    """Apply one stored event to a board; the delta message, or None when nothing changed."""
    event = stored.event()
    if isinstance(event, codec.ResultsPublished):
        return None
    live_event = EntryRegistered(event.entry) if isinstance(event, codec.EntryRegistered) else event
    try:
        delta = board.apply(live_event)
    except UnknownCarError:
        return None  # the log refused nothing; a car without an entry is not on the board
    if delta is None:
        return None
    return {"type": "delta", "seq": stored.seq, "session": delta.session, "cars": delta.cars}


def board_at(store: Store, session_id: str, upto: int | None = None) -> tuple[LiveState, int]:
    """The live board of a session folded from its log up to ``upto`` (the head when None)."""
    info = store.session(session_id)
    entries = store.season_entries(info.season_id) if info.season_id else []
    board = LiveState(info.session, rulebooks.load(info.rulebook), entries)
    seq = 0
    for stored in store.events(session_id):
        if upto is not None and stored.seq > upto:
            break
        fold_into(board, stored)
        seq = stored.seq
    return board, seq


def snapshot_message(kind: str, board: LiveState, seq: int) -> dict[str, Any]:
    return {"type": kind, "seq": seq, "board": board.snapshot()}


@dataclass(slots=True)
class _Watch:
    board: LiveState
    seq: int
    clients: set[asyncio.Queue[dict[str, Any]]] = field(default_factory=set)
    task: asyncio.Task[None] | None = None


class LiveHub:
    """One log reader per watched session; every client of the session gets the same messages."""

    def __init__(self, store: Store, poll_s: float = 0.1, keyframe_s: float = 30.0) -> None:
        self.store = store
        self.poll_s = poll_s
        self.keyframe_s = keyframe_s
        self._watches: dict[str, _Watch] = {}

    def subscribe(
        self, session_id: str, after: int | None
    ) -> tuple[list[dict[str, Any]], asyncio.Queue[dict[str, Any]]]:
        """The messages that bring a client up to date, and the queue of what follows."""
        watch = self._watches.get(session_id)
        if watch is None:
            board, seq = board_at(self.store, session_id)
            watch = self._watches[session_id] = _Watch(board, seq)
            watch.task = asyncio.get_running_loop().create_task(self._follow(session_id, watch))
        if after is None or after > watch.seq:
            first = [snapshot_message("snapshot", watch.board, watch.seq)]
        else:
            board, _ = board_at(self.store, session_id, after)
            first = []
            for stored in self.store.events(session_id, after=after):
                if stored.seq > watch.seq:
                    break
                message = fold_into(board, stored)
                if message is not None:
                    first.append(message)
        queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue(maxsize=10_000)
        watch.clients.add(queue)
        return first, queue

    def unsubscribe(self, session_id: str, queue: asyncio.Queue[dict[str, Any]]) -> None:
        watch = self._watches.get(session_id)
        if watch is not None:
            watch.clients.discard(queue)

    async def _follow(self, session_id: str, watch: _Watch) -> None:
        loop = asyncio.get_running_loop()
        next_keyframe = loop.time() + self.keyframe_s
        while True:
            await asyncio.sleep(self.poll_s)
            for stored in self.store.events(session_id, after=watch.seq):
                watch.seq = stored.seq
                message = fold_into(watch.board, stored)
                if message is not None:
                    self._send(watch, message)
            if loop.time() >= next_keyframe:
                next_keyframe = loop.time() + self.keyframe_s
                self._send(watch, snapshot_message("keyframe", watch.board, watch.seq))

    @staticmethod
    def _send(watch: _Watch, message: dict[str, Any]) -> None:
        for queue in list(watch.clients):
            if queue.full():
                watch.clients.discard(queue)  # a client that cannot keep up reconnects and resumes
                continue
            queue.put_nowait(message)

    async def close(self) -> None:
        for watch in self._watches.values():
            if watch.task is not None:
                watch.task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await watch.task


def hub_of(app_state: Any, store: Store) -> LiveHub:
    hub = getattr(app_state, "live_hub", None)
    if hub is None:
        hub = app_state.live_hub = LiveHub(store)
    return hub


@router.websocket("/ws/live/{session_id}")
async def live_socket(websocket: WebSocket, session_id: str, after: int | None = None) -> None:
    store: Store = websocket.app.state.store
    hub = hub_of(websocket.app.state, store)
    try:
        first, queue = hub.subscribe(session_id, after)
    except NotFoundError:
        await websocket.close(code=4404, reason=f"no session {session_id}")
        return
    await websocket.accept()
    try:
        for message in first:
            await websocket.send_json(message)
        while True:
            await websocket.send_json(await queue.get())
    except WebSocketDisconnect:
        pass
    finally:
        hub.unsubscribe(session_id, queue)


@router.get("/live/{session_id}", response_class=HTMLResponse, include_in_schema=False)
def live_page(request: Request, session_id: str) -> Response:
    """The live timing board: HTML and plain JavaScript over the WebSocket."""
    try:
        info = store_of(request).session(session_id)
    except NotFoundError:
        raise Problem(404, f"no session {session_id}") from None
    templates = request.app.state.templates
    context = {"session_id": session_id, "name": info.session.name}
    return templates.TemplateResponse(request, "live.html", context)  # type: ignore[no-any-return]


@router.get("/static/live.js", include_in_schema=False)
def live_script() -> Response:
    script = resources.files("chequered.web").joinpath("static/live.js").read_text(encoding="utf-8")
    return Response(script, media_type="text/javascript", headers={"Cache-Control": "max-age=300"})


class PassingIn(BaseModel):
    car: str = Field(min_length=1, max_length=16)
    timeline: Timeline
    at_ms: int = Field(ge=0, description="Session time of the passing, milliseconds.")
    sector: int = Field(default=0, ge=0, le=64)
    driver: str = Field(default="", max_length=120)


class PassingsIn(BaseModel):
    passings: list[PassingIn] = Field(max_length=5000)


def _assembler(request: Request, store: Store, session_id: str) -> PassingAssembler:
    """The session's assembler, primed from the laps already in the log (a restart loses nothing)."""
    assemblers: dict[str, PassingAssembler] = getattr(request.app.state, "assemblers", None) or {}
    request.app.state.assemblers = assemblers
    if session_id not in assemblers:
        state = store.state(session_id, store.position(session_id))
        assembler = PassingAssembler(set(state.entered))
        for lap in state.laps:
            assembler.resume(lap.car, lap.lap, lap.elapsed_ms)
        assemblers[session_id] = assembler
    return assemblers[session_id]


@router.post("/api/sessions/{session_id}/passings")
def add_passings(request: Request, session_id: str, body: PassingsIn, token: Timekeeper) -> dict[str, Any]:
    """Passings from a decoder or bridge: laps made of them are appended to the session's log."""
    store = store_of(request)
    try:
        store.session(session_id)
    except NotFoundError:
        raise Problem(404, f"no session {session_id}") from None
    assembler = _assembler(request, store, session_id)
    before = len(assembler.rejected)
    laps: list[LapCompleted] = []
    for p in body.passings:
        passing = Passing(p.car, p.timeline, p.at_ms, p.sector, p.driver)
        laps.extend(e for e in assembler.add(passing) if isinstance(e, LapCompleted))
    result = store.append(session_id, laps, token.actor) if laps else None
    return {
        "laps": len(laps),
        "appended": result.appended if result else 0,
        "duplicates": assembler.duplicates,
        "rejected": [str(r) for r in assembler.rejected[before:]],
        "as_of": result.last_seq if result else store.head(session_id),
    }
