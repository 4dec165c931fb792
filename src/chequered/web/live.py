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

from chequered.core.events import LapCompleted, PitCrossed, SectorCompleted
from chequered.core.passings import Passing
from chequered.store.errors import NotFoundError
from chequered.store.tokens import Role, TokenInfo
from chequered.web.auth import require
from chequered.web.deps import store_of
from chequered.web.inputs import PassingsIn
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


@router.post("/api/sessions/{session_id}/passings")
def add_passings(request: Request, session_id: str, body: PassingsIn, token: Timekeeper) -> dict[str, Any]:
    """Passings from a decoder or bridge: the laps, pit-lane crossings and sector splits made of them are
    appended to the session's log in one append, so the board shows a car in the pit lane or a sector
    time before its lap is complete. What a passing makes is decided from the log in the write itself:
    any number of server processes give what one gives, and a failed write changes nothing."""
    store = store_of(request)
    try:
        entered = store.state(session_id, store.position(session_id)).entered
    except NotFoundError:
        raise Problem(404, f"no session {session_id}") from None
    passings = [Passing(p.car, p.timeline, p.at_ms, p.sector, p.driver) for p in body.passings]
    done = store.append_passings(session_id, passings, entered, token.actor)
    events = done.events
    return {
        "laps": sum(isinstance(e, LapCompleted) for e in events),
        "pit_crossings": sum(isinstance(e, PitCrossed) for e in events),
        "sectors": sum(isinstance(e, SectorCompleted) for e in events),
        "appended": done.result.appended,
        "duplicates": done.duplicates,
        "rejected": [str(r) for r in done.rejected],
        "as_of": done.result.last_seq,
    }
