"""Public reads of the season: seasons, rounds with their schedules, entries, sessions."""

from __future__ import annotations

from typing import Annotated, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from fastapi import APIRouter, Path, Query, Request

from chequered.core.documents import entry_document
from chequered.web.deps import store_of
from chequered.web.documents import (
    round_document,
    season_document,
    session_document,
    session_info_document,
)
from chequered.web.problems import Problem

router = APIRouter(prefix="/api", tags=["season"])

Id = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$")]
Tz = Annotated[
    str | None,
    Query(max_length=64, description="An IANA time zone (Europe/Stockholm) to show session starts in."),
]


def zone(name: str | None) -> ZoneInfo | None:
    if name is None:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise Problem(
            422, f"unknown time zone {name!r}: give an IANA name such as Europe/Paris or America/New_York"
        ) from None


@router.get("/seasons")
def list_seasons(request: Request) -> list[dict[str, Any]]:
    return [season_document(s) for s in store_of(request).seasons()]


@router.get("/seasons/{season_id}")
def get_season(request: Request, season_id: Id) -> dict[str, Any]:
    return season_document(store_of(request).season(season_id))


@router.get("/seasons/{season_id}/rounds")
def list_rounds(request: Request, season_id: Id, tz: Tz = None) -> list[dict[str, Any]]:
    """Rounds with their circuit and sessions; starts in UTC, circuit-local, and in ``tz`` if given."""
    reader_zone = zone(tz)
    return [round_document(r, reader_zone) for r in store_of(request).rounds(season_id)]


@router.get("/seasons/{season_id}/rounds/{round_id}")
def get_round(request: Request, season_id: Id, round_id: Id, tz: Tz = None) -> dict[str, Any]:
    reader_zone = zone(tz)
    for event in store_of(request).rounds(season_id):
        if event.id == round_id:
            return round_document(event, reader_zone)
    raise Problem(404, f"season {season_id} has no round {round_id!r}; see /api/seasons/{season_id}/rounds")


@router.get("/seasons/{season_id}/entries")
def list_entries(request: Request, season_id: Id) -> list[dict[str, Any]]:
    return [entry_document(e) for e in store_of(request).season_entries(season_id)]


@router.get("/sessions")
def list_sessions(request: Request) -> list[dict[str, Any]]:
    return [session_info_document(s) for s in store_of(request).sessions()]


@router.get("/sessions/{session_id}")
def get_session(request: Request, session_id: Id, tz: Tz = None) -> dict[str, Any]:
    reader_zone = zone(tz)
    store = store_of(request)
    info = store.session(session_id)
    circuit_zone = None
    if info.season_id and info.round_id:
        circuit_zone = next(
            (r.circuit.timezone for r in store.rounds(info.season_id) if r.id == info.round_id), None
        )
    return {**session_document(info.session, circuit_zone, reader_zone), "season": info.season_id}
