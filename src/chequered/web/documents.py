"""JSON shapes of the store's season data (results use ``chequered.core.documents``)."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from chequered.core.documents import circuit_document
from chequered.core.model import Event, Session
from chequered.store.season import SeasonInfo, SessionInfo


def season_document(season: SeasonInfo) -> dict[str, Any]:
    return {
        "id": season.id,
        "series": {"id": season.series.id, "name": season.series.name},
        "year": season.year,
        "rulebook": season.rulebook,
        "links": {
            "rounds": f"/api/seasons/{season.id}/rounds",
            "entries": f"/api/seasons/{season.id}/entries",
            "standings": f"/api/seasons/{season.id}/standings",
        },
    }


def _instant(when: datetime, zone: ZoneInfo) -> dict[str, Any]:
    local = when.astimezone(zone)
    return {"time": local.isoformat(), "zone": zone.key, "abbreviation": local.tzname()}


def session_document(session: Session, circuit_zone: str | None, tz: ZoneInfo | None) -> dict[str, Any]:
    """A session with its start in UTC, at the circuit, and (``tz``) in the reader's zone."""
    finish = session.finish
    start = session.start
    document: dict[str, Any] = {
        "id": session.id,
        "name": session.name,
        "kind": session.kind.value,
        "round": session.event_id,
        "finish": None
        if finish is None
        else {"mode": finish.mode.value, "duration_ms": finish.duration_ms, "laps": finish.laps},
        "start_utc": start.isoformat() if start else None,
        "start_local": _instant(start, ZoneInfo(circuit_zone)) if start and circuit_zone else None,
        "links": {
            "classification": f"/api/sessions/{session.id}/classification",
            "laps": f"/api/sessions/{session.id}/laps",
            "stints": f"/api/sessions/{session.id}/stints",
        },
    }
    if tz is not None:
        document["start_in_zone"] = _instant(start, tz) if start else None
    return document


def round_document(event: Event, tz: ZoneInfo | None) -> dict[str, Any]:
    circuit = event.circuit
    return {
        "id": event.id,
        "round": event.round,
        "name": event.name,
        "start_date": event.start_date.isoformat(),
        "end_date": event.end_date.isoformat(),
        "circuit": circuit_document(circuit),
        "sessions": [session_document(s, circuit.timezone, tz) for s in event.sessions],
    }


def session_info_document(info: SessionInfo) -> dict[str, Any]:
    return {**session_document(info.session, None, None), "season": info.season_id}
