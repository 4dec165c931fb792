"""Live timing out: the WebSocket ``/ws/live/{session}`` and the passings endpoint for decoders.

Everything shown is folded from the session's event log: the app's ``LiveHub`` (``web/live_hub.py``)
follows each watched session's log (one reader per session across all server processes, fanned out over
the bus) and hands every client the same deltas.
A client gets a full snapshot on connect, then deltas numbered by log position (``seq``), and a
keyframe (a full snapshot) every ``keyframe_s``; reconnecting with ``?after=<last seq>`` resumes with
the deltas after that position, so nothing is missed.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, WebSocket, WebSocketDisconnect
from pydantic import BaseModel, Field

from chequered.core.events import LapCompleted, PitCrossed, SectorCompleted
from chequered.core.passings import Passing, PassingAssembler, Timeline
from chequered.store.errors import NotFoundError
from chequered.store.store import Store
from chequered.store.tokens import Role, TokenInfo
from chequered.web.auth import require
from chequered.web.deps import store_of
from chequered.web.live_hub import ClientQueue, LiveHub
from chequered.web.problems import Problem

router = APIRouter(tags=["live"])
Timekeeper = Annotated[TokenInfo, Depends(require(Role.TIMEKEEPER))]


@router.websocket("/ws/live/{session_id}")
async def live_socket(websocket: WebSocket, session_id: str, after: int | None = None) -> None:
    hub: LiveHub = websocket.app.state.live_hub
    try:
        first, queue = await hub.subscribe(session_id, after)
    except NotFoundError:
        await websocket.close(code=4404, reason=f"no session {session_id}")
        return
    await websocket.accept()
    closing = asyncio.get_running_loop().create_task(_until_closed(websocket, hub, session_id, queue))
    try:
        for text in first:
            await websocket.send_text(text)
        while True:
            frame = await queue.get()
            if frame is None:
                if not closing.done():
                    reason = "too far behind or shutting down: reconnect with ?after=<last seq>"
                    await websocket.close(code=4008, reason=reason)
                return
            await websocket.send_text(frame)
    except (WebSocketDisconnect, RuntimeError):  # RuntimeError: sending after the peer closed
        pass
    finally:
        closing.cancel()
        hub.unsubscribe(session_id, queue)


async def _until_closed(websocket: WebSocket, hub: LiveHub, session_id: str, queue: ClientQueue) -> None:
    """Read (and ignore) what the client sends until it disconnects, then wake the sender: a client
    that never hears another delta, or a server shutting down, does not leave the handler waiting."""
    with contextlib.suppress(WebSocketDisconnect, RuntimeError):
        while (await websocket.receive())["type"] != "websocket.disconnect":
            pass
    hub.unsubscribe(session_id, queue)
    hub.stop(queue)


class PassingIn(BaseModel):
    car: str = Field(min_length=1, max_length=16)
    timeline: Timeline
    at_ms: int = Field(ge=0, description="Session time of the passing, milliseconds.")
    sector: int = Field(default=0, ge=0, le=64)
    driver: str = Field(default="", max_length=120)


class PassingsIn(BaseModel):
    passings: list[PassingIn] = Field(max_length=5000)


def _assembler(request: Request, store: Store, session_id: str) -> PassingAssembler:
    """The session's assembler, primed from the log (a restart loses nothing): the laps, and the pit-lane
    crossings and sector splits of the lap each car is on."""
    assemblers: dict[str, PassingAssembler] = getattr(request.app.state, "assemblers", None) or {}
    request.app.state.assemblers = assemblers
    if session_id not in assemblers:
        state = store.state(session_id, store.position(session_id))
        assembler = PassingAssembler(set(state.entered))
        for stored in store.events(session_id, kinds=("lap", "pit", "sector")):
            event = stored.event()
            if isinstance(event, LapCompleted):
                lap = event.lap
                assembler.resume(lap.car, lap.lap, lap.elapsed_ms, lap.driver_name)
            elif isinstance(event, PitCrossed | SectorCompleted):
                assembler.resume_crossing(event)
        assemblers[session_id] = assembler
    return assemblers[session_id]


@router.post("/api/sessions/{session_id}/passings")
def add_passings(request: Request, session_id: str, body: PassingsIn, token: Timekeeper) -> dict[str, Any]:
    """Passings from a decoder or bridge: the laps, pit-lane crossings and sector splits made of them are
    appended to the session's log in one append, so the board shows a car in the pit lane or a sector
    time before its lap is complete."""
    store = store_of(request)
    try:
        store.session(session_id)
    except NotFoundError:
        raise Problem(404, f"no session {session_id}") from None
    assembler = _assembler(request, store, session_id)
    before = len(assembler.rejected)
    events: list[LapCompleted | PitCrossed | SectorCompleted] = []
    for p in body.passings:
        passing = Passing(p.car, p.timeline, p.at_ms, p.sector, p.driver)
        events.extend(
            e for e in assembler.add(passing) if isinstance(e, LapCompleted | PitCrossed | SectorCompleted)
        )
    result = store.append(session_id, events, token.actor) if events else None
    laps = sum(isinstance(e, LapCompleted) for e in events)
    return {
        "laps": laps,
        "pit_crossings": sum(isinstance(e, PitCrossed) for e in events),
        "sectors": sum(isinstance(e, SectorCompleted) for e in events),
        "appended": result.appended if result else 0,
        "duplicates": assembler.duplicates,
        "rejected": [str(r) for r in assembler.rejected[before:]],
        "as_of": result.last_seq if result else store.head(session_id),
    }
