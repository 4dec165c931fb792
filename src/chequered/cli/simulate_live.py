"""``simulate weekend --live``: a simulated session streamed into the event store as it happens, where
the live-timing WebSocket (``/ws/live/{session}``) and every read model pick it up.

The session's cars are registered first (``EntryRegistered``), then each crossing's lap and decisions are
appended at their session time, ``speed`` times real time (0: as fast as possible). A session that
already holds events is refused: a second simulation would mix two races in one log.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from chequered.core.errors import ChequeredError
from chequered.core.events import EntryRegistered, LapCompleted, SessionEvent
from chequered.sim.weekend import SimulatedSession
from chequered.store.store import Store

ACTOR = "simulator"


def stream_into_store(
    store: Store,
    simulated: SimulatedSession,
    speed: float,
    sleep: Callable[[float], None] = time.sleep,
) -> int:
    """Append the session to its log in the store, paced by session time; the number of events stored."""
    session_id = simulated.session.id
    held = store.count(session_id)
    if held:
        raise ChequeredError(
            f"session {session_id} already holds {held} events in the store; simulate into a fresh store"
        )
    stored = store.append(session_id, [EntryRegistered(e) for e in simulated.entries], ACTOR).appended
    now = 0
    batch: list[SessionEvent] = []
    for event in simulated.events():
        at = event.lap.elapsed_ms if isinstance(event, LapCompleted) else now
        if at > now:
            if batch:
                stored += store.append(session_id, batch, ACTOR).appended
                batch = []
            if speed > 0:
                sleep((at - now) / 1000 / speed)
        now = max(now, at)
        batch.append(event)
    if batch:
        stored += store.append(session_id, batch, ACTOR).appended
    return stored
