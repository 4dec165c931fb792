"""Championship read models: each scoring session's classification, folded from its log, as the
results the points rules score; standings and compliance from the championship core.

A penalty or status change added to a session's log moves that session's head, so the standings key
(every session's head) changes with it and the standings are recomputed.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from chequered.core.classification import Classification
from chequered.core.model import Event, SessionKind, Status
from chequered.core.points import SessionResult, SessionType
from chequered.core.rulebook import Rulebook
from chequered.core.standings import Standing, season_standings

_TYPES = {SessionKind.QUALIFYING: SessionType.QUALIFYING, SessionKind.RACE: SessionType.RACE}


def session_label(event: Event, session_id: str) -> str:
    """A round's session by its short name (Q1, R2), as the points rules and standings name them."""
    return session_id.removeprefix(f"{event.id}-")


def session_results(
    event: Event,
    session_id: str,
    kind: SessionKind,
    c: Classification,
    rulebook: Rulebook,
    non_scoring: Collection[str] = (),
) -> list[SessionResult]:
    """One scoring session's classification as points-rule input; practice sessions score nothing.

    The fastest lap is the class's or the race's, as the rulebook scores points (by class or overall);
    the ``non_scoring`` cars race without scoring (their places pass down or are withheld, as the
    rulebook says)."""
    session_type = _TYPES.get(kind)
    if session_type is None:
        return []
    if rulebook.points.scope == "class":
        fastest = {lap.car for lap in c.class_fastest.values()}
    else:
        fastest = {c.fastest_lap.car} if c.fastest_lap else set()
    rows = []
    for r in c.results:
        entry = r.entry
        classified = r.status is Status.CLASSIFIED
        rows.append(
            SessionResult(
                round=event.round,
                session=session_label(event, session_id),
                session_type=session_type,
                number=entry.number or entry.car,
                car_class=entry.car_class,
                team=entry.team,
                drivers=tuple(d.name for d in entry.drivers),
                position=r.position if classified else None,
                class_position=r.class_position if classified else None,
                status=r.status,
                laps=r.laps,
                fastest_lap=r.car in fastest,
                scores=r.car not in non_scoring,
            )
        )
    return rows


def standings(
    results: Sequence[SessionResult],
    rulebook: Rulebook,
    *,
    teams: bool = False,
    after_round: int | None = None,
    car_class: str | None = None,
) -> tuple[Standing, ...]:
    return season_standings(results, rulebook, teams=teams, after_round=after_round, car_class=car_class)
