"""Public reads of a session's results, all folded from its log: classification (overall or per class,
as of a seq, a time or a publication), laps, stints, pit stops, and the log itself as an audit trail."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any

import orjson
from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from chequered.core.documents import classification_document, stints_document
from chequered.core.events import Publication
from chequered.store.store import Store
from chequered.web.deps import store_of
from chequered.web.problems import Problem
from chequered.web.seasons import Id

router = APIRouter(prefix="/api/sessions/{session_id}", tags=["results"])

CarQuery = Annotated[
    str | None, Query(max_length=32, description="One car, as printed (numbers are strings).")
]
AsOf = Annotated[int | None, Query(ge=0, le=2**62, description="A log position (seq): the results then.")]
At = Annotated[datetime | None, Query(description="An instant (ISO 8601 with offset): the results then.")]


class Version(StrEnum):
    PROVISIONAL = "provisional"
    FINAL = "final"


def _json(document: object) -> Response:
    return Response(orjson.dumps(document), media_type="application/json")


def position(store: Store, session_id: str, as_of: int | None, at: datetime | None) -> int:
    if at is not None and at.tzinfo is None:
        raise Problem(422, "query field 'at' needs a UTC offset, e.g. 2023-04-22T14:00:00Z")
    return store.position(session_id, as_of, at)


@router.get("/classification")
async def get_classification(
    request: Request,
    session_id: Id,
    car_class: Annotated[str | None, Query(alias="class", max_length=64)] = None,
    as_of: AsOf = None,
    at: At = None,
    version: Annotated[
        Version | None, Query(description="The published provisional or final results.")
    ] = None,
) -> Response:
    """The classification as the log stands (or stood): ``classify --format json`` plus ``as_of``.

    The common read (now, cached) answers on the event loop; anything that touches the database more
    than once or folds the log runs in the thread pool."""
    store = store_of(request)
    if version is not None:
        if as_of is not None or at is not None:
            raise Problem(422, "give either version or as_of/at, not both")
        seq = await run_in_threadpool(store.publication, session_id, Publication(version.value))
    elif as_of is None and at is None:
        seq = store.latest(session_id)
    else:
        seq = await run_in_threadpool(position, store, session_id, as_of, at)
    key = ("classification", session_id, car_class, seq)
    body = store.cached(key)
    if body is None and as_of is None and at is None and version is None:
        body = store.previous_while_building(key)  # the head moved on and another reader is building it
    if body is None:

        def build() -> bytes:
            classification = store.state(session_id, seq).classification
            if car_class and not classification.in_class(car_class):
                known = sorted({r.entry.car_class for r in classification.results})
                detail = f"no car in class {car_class!r} in {session_id}; classes: {', '.join(known)}"
                raise Problem(404, detail)
            document = classification_document(classification, car_class)
            document["as_of"] = seq
            return orjson.dumps(document)

        body = await run_in_threadpool(store.document, key, build)
    return Response(body, media_type="application/json")


@router.get("/laps")
def get_laps(
    request: Request, session_id: Id, car: CarQuery = None, as_of: AsOf = None, at: At = None
) -> Response:
    store = store_of(request)
    seq = position(store, session_id, as_of, at)
    state = store.state(session_id, seq)
    laps = [lap for lap in state.laps if car is None or lap.car == car]
    if car is not None and not laps:
        raise Problem(404, f"car {car!r} has no laps in {session_id}")
    return _json({"as_of": seq, "laps": [lap._asdict() for lap in laps]})


def _stints(store: Store, session_id: str, car: str | None, seq: int) -> dict[str, Any]:
    state = store.state(session_id, seq)
    by_car = state.stints()
    cars = [
        by_car[e.car] for e in state.entries if e.car in by_car and (car is None or car in (e.car, e.number))
    ]
    if car is not None and not cars:
        raise Problem(404, f"car {car!r} has no laps in {session_id}")
    return {"as_of": seq, **stints_document(cars)}


@router.get("/stints")
def get_stints(
    request: Request, session_id: Id, car: CarQuery = None, as_of: AsOf = None, at: At = None
) -> Response:
    store = store_of(request)
    return _json(_stints(store, session_id, car, position(store, session_id, as_of, at)))


@router.get("/pit-stops")
def get_pit_stops(
    request: Request, session_id: Id, car: CarQuery = None, as_of: AsOf = None, at: At = None
) -> Response:
    store = store_of(request)
    document = _stints(store, session_id, car, position(store, session_id, as_of, at))
    return _json(
        {
            "as_of": document["as_of"],
            "cars": [{"car": c["car"], "stops": c["stops"]} for c in document["cars"]],
        }
    )


def _event_document(event: Any) -> dict[str, Any]:
    return {
        "seq": event.seq,
        "id": event.event_id,
        "kind": event.kind,
        "payload": event.payload,
        "actor": event.actor,
        "recorded_at": event.recorded_at.isoformat(),
    }


@router.get("/events")
def get_events(
    request: Request,
    session_id: Id,
    after: Annotated[int, Query(ge=0, le=2**62)] = 0,
    limit: Annotated[int, Query(ge=1, le=10_000)] = 1_000,
) -> Response:
    """The session's log, in order, a page at a time (``after`` = the last seq you have)."""
    events = store_of(request).events(session_id, after=after, limit=limit)
    return _json({"events": [_event_document(e) for e in events]})


@router.get("/audit")
def get_audit(request: Request, session_id: Id) -> Response:
    """Every decision, publication, entry change and import withdrawal: who (the token), what, when.
    Laps are left out."""
    kinds = ["time_penalty", "lap_deleted", "lap_penalty", "status", "published", "entry", "import_withdrawn"]
    events = store_of(request).events(session_id, kinds=kinds)
    return _json({"events": [_event_document(e) for e in events]})
