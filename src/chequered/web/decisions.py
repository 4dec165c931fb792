"""Steward writes: penalties, status changes, publication of provisional and final results.

Each is a new event in the session's log, attributed to the token that wrote it."""

from __future__ import annotations

import re
import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Request

from chequered.core.events import Decision, LapDeleted, LapPenalty, StatusChanged, TimePenalty
from chequered.store.log import AppendResult
from chequered.store.store import Store
from chequered.store.tokens import Role, TokenInfo
from chequered.web.auth import require
from chequered.web.deps import store_of
from chequered.web.inputs import PenaltyIn, PublicationIn, StatusIn
from chequered.web.problems import Problem
from chequered.web.seasons import Id

router = APIRouter(prefix="/api/sessions/{session_id}", tags=["decisions"])
Steward = Annotated[TokenInfo, Depends(require(Role.STEWARD))]


def request_id(key: str | None, body_id: str | None) -> str:
    """The identity a decision is stored under: the client's request id (the ``Idempotency-Key``
    header, else the body's ``id``), so a request sent again is stored once; without one every request
    is a new decision (two identical 5 s penalties are 10 s), never judged a repeat by its content."""
    if key is not None:
        if not _KEY.fullmatch(key):
            raise Problem(422, "header Idempotency-Key: 1 to 56 letters, digits, '.', '_', ':' or '-'")
        return key
    return body_id if body_id is not None else f"request:{uuid.uuid4().hex}"


_KEY = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,55}")
IdempotencyKey = Annotated[
    str | None,
    Header(alias="Idempotency-Key", description="Your id for this request; sent again, it is stored once."),
]


def appended(result: AppendResult) -> dict[str, Any]:
    return {"appended": result.appended, "duplicates": result.duplicates, "as_of": result.last_seq}


def check_entered(store: Store, session_id: str, car: str) -> None:
    state = store.state(session_id, store.position(session_id))
    if car not in state.entered:
        listed = ", ".join(sorted(state.entered, key=lambda c: (len(c), c))[:60]) or "none yet"
        raise Problem(422, f"car {car!r} is not entered in session {session_id}; entered: {listed}")


@router.post("/penalties")
def add_penalty(
    request: Request, session_id: Id, body: PenaltyIn, token: Steward, key: IdempotencyKey = None
) -> dict[str, Any]:
    """A time penalty (``ms``), a lap penalty (``laps``) or a deleted lap (``lap``)."""
    store = store_of(request)
    check_entered(store, session_id, body.car)
    value = {"time": body.ms, "laps": body.laps, "lap_deleted": body.lap}[body.kind]
    field = {"time": "ms", "laps": "laps", "lap_deleted": "lap"}[body.kind]
    if value is None:
        raise Problem(422, f"a {body.kind} penalty needs the field {field!r}")
    decision: Decision
    if body.kind == "time":
        decision = TimePenalty(body.car, value, body.reason)
    elif body.kind == "laps":
        decision = LapPenalty(body.car, value, body.reason)
    else:
        decision = LapDeleted(body.car, value, body.reason)
    return appended(store.append(session_id, [decision], token.actor, [request_id(key, body.id)]))


@router.post("/statuses")
def change_status(
    request: Request, session_id: Id, body: StatusIn, token: Steward, key: IdempotencyKey = None
) -> dict[str, Any]:
    """Retired, did not start, disqualified, excluded, not classified, or back to classified."""
    store = store_of(request)
    check_entered(store, session_id, body.car)
    event = StatusChanged(body.car, body.status, body.reason)
    return appended(store.append(session_id, [event], token.actor, [request_id(key, body.id)]))


@router.post("/publications")
def publish(request: Request, session_id: Id, body: PublicationIn, token: Steward) -> dict[str, Any]:
    """Publish the results as they stand now, provisional or final; both stay readable (``?version=``)."""
    return appended(store_of(request).publish(session_id, body.status, token.actor))
