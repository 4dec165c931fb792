"""Timekeeper writes: a timing file or a batch of laps into a session's log."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request

from chequered.core.events import LapCompleted
from chequered.core.model import Lap
from chequered.importers import alkamel
from chequered.store.imports import import_timing
from chequered.store.tokens import Role, TokenInfo
from chequered.web.auth import require
from chequered.web.decisions import appended
from chequered.web.deps import store_of
from chequered.web.inputs import LapsIn
from chequered.web.problems import Problem
from chequered.web.seasons import Id

router = APIRouter(prefix="/api/sessions/{session_id}", tags=["timing"])
Timekeeper = Annotated[TokenInfo, Depends(require(Role.TIMEKEEPER))]

_CSV_BODY = {
    "requestBody": {
        "required": True,
        "content": {"text/csv": {"schema": {"type": "string", "format": "binary"}}},
        "description": "An Al Kamel lap analysis CSV (semicolon separated), as the timing system exports it.",
    }
}


@router.post("/timing/alkamel", openapi_extra=_CSV_BODY)
async def import_alkamel(request: Request, session_id: Id, token: Timekeeper) -> dict[str, Any]:
    """Import an Al Kamel lap analysis file: its entries and laps. Re-importing it changes nothing."""
    store = store_of(request)
    store.session(session_id)
    data = await request.body()
    if not data:
        raise Problem(422, "the request body is empty: send the lap analysis CSV as the body (text/csv)")
    timing = alkamel.parse_laps(data, f"upload for {session_id}")
    return {**appended(import_timing(store, session_id, timing, token.actor)), "notes": list(timing.notes)}


@router.post("/laps")
def add_laps(request: Request, session_id: Id, body: LapsIn, token: Timekeeper) -> dict[str, Any]:
    """Laps as a feed sends them; each car must be entered in the session."""
    store = store_of(request)
    state = store.state(session_id, store.position(session_id))
    unknown = sorted({lap.car for lap in body.laps} - state.entered)
    if unknown:
        raise Problem(
            422, f"cars not entered in session {session_id}: {', '.join(unknown)}; enter them first"
        )
    laps = [
        LapCompleted(
            Lap(
                lap.car,
                lap.lap,
                lap.lap_time_ms,
                lap.elapsed_ms,
                lap.driver,
                lap.driver_name,
                tuple(lap.sectors),
                lap.in_pit,
                lap.pit_time_ms,
                lap.flag,
                lap.kph,
            )
        )
        for lap in body.laps
    ]
    return appended(store.append(session_id, laps, token.actor))
