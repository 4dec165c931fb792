"""Championship read models: each scoring session's published classification, folded from its log,
as the results the points rules score; standings from the championship core's one scoring path.

Standings count published results only: a session's latest publication (provisional or final) gives
the log position its classification is read at; a session in progress, or never published, counts for
nothing. A new publication moves the standings key and the standings are recomputed.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from chequered.core.classification import Classification
from chequered.core.events import Publication, ResultsPublished
from chequered.core.model import Event, SessionKind
from chequered.core.points import SessionResult, SessionType, classification_results
from chequered.core.rulebook import Rulebook
from chequered.core.standings import Standing, season_standings
from chequered.store import season

if TYPE_CHECKING:
    from chequered.store.store import Store

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
    label = session_label(event, session_id)
    return classification_results(c, event.round, label, session_type, rulebook, non_scoring)


def standings(
    results: Sequence[SessionResult],
    rulebook: Rulebook,
    *,
    teams: bool = False,
    after_round: int | None = None,
    car_class: str | None = None,
) -> tuple[Standing, ...]:
    return season_standings(results, rulebook, teams=teams, after_round=after_round, car_class=car_class)


@dataclass(frozen=True, slots=True)
class SeasonResults:
    """A season's published results as points input. ``key`` (each session's publication position,
    then the cars that score nothing) is what standings are cached under; ``provisional`` names the
    sessions (round, label) whose latest publication is provisional."""

    rulebook: Rulebook
    results: list[SessionResult]
    key: tuple[int | str, ...]
    provisional: tuple[tuple[int, str], ...]


def published_results(store: Store, season_id: str) -> SeasonResults:
    """Every scoring session's classification as of its latest publication; sessions never
    published are left out. Which publications count is read on every call (a cached state per
    session); the results are built once per set of publications."""
    info = store.season(season_id)
    rounds = store.rounds(season_id)
    heads = store.heads([s.id for event in rounds for s in event.sessions])
    latest: list[tuple[Event, str, SessionKind, ResultsPublished | None]] = []
    for event in rounds:
        for session in event.sessions:
            head = heads.get(session.id, 0)
            publication = None
            if head and _TYPES.get(session.kind) is not None:  # a practice is never folded here
                publications = store.state(session.id, head).publications
                publication = publications[-1].publication if publications else None
            latest.append((event, session.id, session.kind, publication))
    with store.database.read() as conn:
        non_scoring = season.non_scoring_cars(conn, season_id)
    # the invited cars are marked when a season is seeded again, which another process may do
    key: tuple[int | str, ...] = (*(p.as_of if p else 0 for *_, p in latest), *sorted(non_scoring))

    def build() -> SeasonResults:
        rulebook = store.rulebook(info.rulebook)
        results: list[SessionResult] = []
        provisional: list[tuple[int, str]] = []
        for event, session_id, kind, publication in latest:
            if publication is None:
                continue
            if publication.status is Publication.PROVISIONAL:
                provisional.append((event.round, session_label(event, session_id)))
            classification = store.state(session_id, publication.as_of).classification
            results.extend(session_results(event, session_id, kind, classification, rulebook, non_scoring))
        return SeasonResults(rulebook, results, key, tuple(provisional))

    return store.derived(("season results", season_id, key), build)
