"""Timekeeper writes: a timing file or a batch of laps into a session's log."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request

from chequered.core.events import LapCompleted
from chequered.core.model import Lap
from chequered.importers import alkamel
from chequered.store.imports import ImportInfo, check_timing, import_timing, list_imports, withdraw_import
from chequered.store.tokens import Role, TokenInfo
from chequered.web.auth import require
from chequered.web.decisions import appended
from chequered.web.deps import store_of
from chequered.web.inputs import LapsIn, WithdrawalIn
from chequered.web.problems import Problem
from chequered.web.seasons import Id

router = APIRouter(prefix="/api/sessions/{session_id}", tags=["timing"])
Timekeeper = Annotated[TokenInfo, Depends(require(Role.TIMEKEEPER))]
ImportId = Annotated[
    str, Path(pattern=r"^[0-9a-f]{16}$", description="An import's id, as its upload gave it.")
]

_CSV_BODY = {
    "requestBody": {
        "required": True,
        "content": {"text/csv": {"schema": {"type": "string", "format": "binary"}}},
        "description": "An Al Kamel lap analysis CSV (semicolon separated), as the timing system exports it.",
    }
}


@router.post("/timing/alkamel", openapi_extra=_CSV_BODY)
async def import_alkamel(
    request: Request, session_id: Id, token: Timekeeper, force: bool = False, apply_entries: bool = False
) -> dict[str, Any]:
    """Import an Al Kamel lap analysis file: its laps, and its entries for cars the season lacks.
    Re-importing it changes nothing. A file whose cars or kind do not fit the session is refused unless
    ``force``; entry data differing from the season's is reported, and applied only by an admin with
    ``apply_entries``."""
    store = store_of(request)
    store.session(session_id)
    data = await request.body()
    if not data:
        raise Problem(422, "the request body is empty: send the lap analysis CSV as the body (text/csv)")
    timing = alkamel.parse_laps(data, f"upload for {session_id}")
    check = check_timing(store, session_id, timing)
    if check.misfits and not force:
        raise Problem(
            409,
            f"the file does not fit session {session_id}: {'; '.join(check.misfits)}"
            " (force=true to import it all the same)",
        )
    if apply_entries and token.role is not Role.ADMIN:
        raise Problem(403, "applying a file's entry data to the season's entries is an admin's write")
    imported = import_timing(store, session_id, timing, token.actor, apply_entries=apply_entries)
    return {
        **appended(imported.result),
        "import_id": imported.import_id,
        "notes": list(timing.notes),
        "misfits": check.misfits,
        "entry_differences": [
            {"car": d.car, "field": d.field, "season": d.season, "file": d.file} for d in check.differences
        ],
        "entries_applied": apply_entries,
    }


def _import_document(info: ImportInfo) -> dict[str, Any]:
    withdrawn = None
    if info.withdrawn_seq is not None:
        withdrawn = {"seq": info.withdrawn_seq, "actor": info.withdrawn_by, "reason": info.reason}
    return {
        "import_id": info.import_id,
        "events": info.events,
        "laps": info.laps,
        "seqs": [info.first_seq, info.last_seq],
        "actor": info.actor,
        "recorded_at": info.recorded_at.isoformat(),
        "state": "withdrawn" if withdrawn else "standing",
        "withdrawn": withdrawn,
    }


@router.get("/imports")
def get_imports(request: Request, session_id: Id) -> dict[str, Any]:
    """The session's timing imports in log order, each standing or withdrawn (by whom, when, why)."""
    return {"imports": [_import_document(i) for i in list_imports(store_of(request), session_id)]}


@router.post("/imports/{import_id}/withdrawal")
def withdraw(
    request: Request, session_id: Id, import_id: ImportId, token: Timekeeper, body: WithdrawalIn | None = None
) -> dict[str, Any]:
    """Withdraw a whole import (the wrong file, the wrong session): one new event, after which every
    read of the session passes over the import's events, which stay in the log (``/events``) and the
    withdrawal in the audit. A timekeeper's write, as the import was: it corrects the timing data, not
    a result (stewards correct results with decisions). Withdrawn twice: 409. The same file imported
    again afterwards is a new import and reads again."""
    reason = body.reason if body is not None else ""
    info = withdraw_import(store_of(request), session_id, import_id, reason, token.actor)
    return _import_document(info)


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
                lap.counts,
            )
        )
        for lap in body.laps
    ]
    return appended(store.append(session_id, laps, token.actor))
