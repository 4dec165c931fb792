"""Administrator writes: sessions of their own (a file to analyse), entries, tokens."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request

from chequered.core.events import EntryRegistered
from chequered.core.model import Driver, Entry, Finish, FinishMode, Session
from chequered.store.tokens import Role, TokenInfo
from chequered.web.auth import require
from chequered.web.decisions import appended
from chequered.web.deps import store_of
from chequered.web.documents import session_info_document
from chequered.web.inputs import EntryIn, SessionIn, TokenIn
from chequered.web.problems import Problem
from chequered.web.seasons import Id

router = APIRouter(prefix="/api", tags=["admin"])
Admin = Annotated[TokenInfo, Depends(require(Role.ADMIN))]


@router.post("/sessions", status_code=201)
def create_session(request: Request, body: SessionIn, _token: Admin) -> dict[str, Any]:
    if body.start is not None and body.start.tzinfo is None:
        raise Problem(422, "body field 'start' needs a UTC offset, e.g. 2023-04-22T14:00:00Z")
    finish = None
    if body.duration_min and body.laps:
        finish = Finish(FinishMode.TIME_AND_LAPS, body.duration_min * 60_000, body.laps)
    elif body.duration_min:
        finish = Finish(FinishMode.TIME, body.duration_min * 60_000)
    elif body.laps:
        finish = Finish(FinishMode.LAPS, laps=body.laps)
    session = Session(body.id, body.name, body.kind, finish, body.start, body.round)
    store = store_of(request)
    store.create_session(session, body.round)
    return session_info_document(store.session(body.id))


@router.post("/sessions/{session_id}/entries")
def register_entry(request: Request, session_id: Id, body: EntryIn, token: Admin) -> dict[str, Any]:
    """Enter a car in the session, or change its entry (a new event; the old one stays in the log)."""
    entry = Entry(
        car=body.car,
        number=body.number,
        car_class=body.car_class,
        team=body.team,
        car_model=body.car_model,
        group=body.group,
        manufacturer=body.manufacturer,
        drivers=tuple(Driver(d.name, d.category, d.nationality, d.short_name) for d in body.drivers),
    )
    return appended(store_of(request).append(session_id, [EntryRegistered(entry)], token.actor))


def _token_document(info: TokenInfo) -> dict[str, Any]:
    return {
        "id": info.id,
        "role": info.role.value,
        "label": info.label,
        "created_at": info.created_at.isoformat(),
        "revoked_at": info.revoked_at.isoformat() if info.revoked_at else None,
    }


@router.get("/tokens")
def list_tokens(request: Request, _token: Admin) -> list[dict[str, Any]]:
    return [_token_document(t) for t in store_of(request).tokens()]


@router.post("/tokens", status_code=201)
def create_token(request: Request, body: TokenIn, _token: Admin) -> dict[str, Any]:
    """A new token; the ``token`` field is shown this once and is not stored."""
    info, secret = store_of(request).create_token(body.role, body.label)
    return {**_token_document(info), "token": secret}


@router.delete("/tokens/{token_id}")
def revoke_token(
    request: Request,
    token_id: Annotated[str, Path(min_length=1, max_length=32, pattern=r"^[a-f0-9]+$")],
    token: Admin,
) -> dict[str, Any]:
    """Revoke a token: from now on it is refused (401). Its past writes stay attributed to it."""
    return _token_document(store_of(request).revoke_token(token_id, token.actor))
