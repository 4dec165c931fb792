"""Championship reads: standings (drivers' or teams', per class, after a round) and compliance reports,
computed by the championship core from the sessions' logs."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import orjson
from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from chequered.core.compliance import check_race, compliance_document
from chequered.core.model import SessionKind
from chequered.core.standings import standings_document
from chequered.store.championship import standings
from chequered.web.deps import store_of
from chequered.web.problems import Problem
from chequered.web.results import AsOf, At, position
from chequered.web.seasons import Id

router = APIRouter(prefix="/api", tags=["championship"])


class Competitor(StrEnum):
    DRIVERS = "drivers"
    TEAMS = "teams"


@router.get("/seasons/{season_id}/standings")
def get_standings(
    request: Request,
    season_id: Id,
    of: Annotated[Competitor, Query(description="drivers or teams")] = Competitor.DRIVERS,
    car_class: Annotated[str | None, Query(alias="class", max_length=64)] = None,
    after_round: Annotated[int | None, Query(ge=1, le=100)] = None,
) -> Response:
    """The standings of the published results (provisional ones listed as such); a session in progress
    or never published counts for nothing. A new publication changes them."""
    store = store_of(request)
    published = store.season_results(season_id)
    rulebook, results = published.rulebook, published.results

    def build() -> bytes:
        known = sorted(
            {e.car_class for e in store.season_entries(season_id)} | {r.car_class for r in results}
        )
        if car_class and car_class not in known:
            known = known or ["none yet"]
            raise Problem(
                404, f"no result in class {car_class!r} in {season_id}; classes: {', '.join(known)}"
            )
        table = standings(
            results, rulebook, teams=of is Competitor.TEAMS, after_round=after_round, car_class=car_class
        )
        document = standings_document(table, "team" if of is Competitor.TEAMS else "driver")
        document["season"] = season_id
        document["rulebook"] = rulebook.id
        document["sessions_scored"] = len({(r.round, r.session) for r in results})
        document["provisional"] = [{"round": r, "session": s} for r, s in published.provisional]
        return orjson.dumps(document)

    cache_key = ("standings", season_id, of, car_class, after_round, published.key)
    return Response(store.document(cache_key, build), media_type="application/json")


@router.get("/sessions/{session_id}/compliance")
def get_compliance(request: Request, session_id: Id, as_of: AsOf = None, at: At = None) -> Response:
    """Pit-stop, driving-time and class-eligibility checks of a race under the season's rulebook."""
    store = store_of(request)
    seq = position(store, session_id, as_of, at)
    state = store.state(session_id, seq)
    if state.info.session.kind is not SessionKind.RACE:
        raise Problem(
            422, f"{session_id} is a {state.info.session.kind.value} session; compliance is for races"
        )
    report = check_race(state.info.session, state.entries, state.laps, store.rulebook(state.info.rulebook))
    return Response(
        orjson.dumps({**compliance_document(report), "as_of": seq}), media_type="application/json"
    )
