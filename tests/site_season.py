"""A store holding a season with results, as the public site shows it: the packaged 2023 calendar and
entries, each round simulated (the same events a real feed carries) and appended to the sessions' logs,
published provisional then final, with one race running (laps, no publication) and the rest not started.

Used by the page tests and ``benchmarks/bench_pages.py``; the demo store of ``chequered serve --demo`` is
built elsewhere (cli/server.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime

from chequered import rulebooks
from chequered.core.events import EntryRegistered, Publication, TimePenalty
from chequered.seasons import load_season
from chequered.sim.weekend import simulate_weekend
from chequered.store.store import Store

SEASON = "gt4-europe-2023"
SEASON_ID = "gt4-europe-2023"
HOSTILE_TEAM = "<img src=x onerror=window.__xss=1>"
HOSTILE_DRIVER = "<script>window.__xss=2</script>Eve"


def build_season_store(
    url: str,
    clock: Callable[[], datetime],
    *,
    rounds: int = 2,
    grid_size: int | None = 24,
    live_round: int | None = None,
    hostile: bool = False,
) -> Store:
    """Seed the season and fill ``rounds`` rounds. Every session of rounds before the last is published
    final (one race with a penalty added between provisional and final); in the last round (or
    ``live_round``) the practices and qualifyings are final, Race 1 is running (unpublished) and Race 2
    has not started. ``hostile`` names one car's team and driver with HTML."""
    data = load_season(SEASON)
    store = Store.open(url, clock, rulebooks.load)
    store.seed_season(data.season, data.entries, data.rulebook, data.non_scoring)
    last = live_round if live_round is not None else rounds
    for round_ in range(1, rounds + 1):
        weekend = simulate_weekend(data, round_, seed=round_, grid_size=grid_size)
        entries = list(weekend.sessions[0].entries)
        if hostile and round_ == 1:
            first = entries[0]
            crew = (replace(first.drivers[0], name=HOSTILE_DRIVER), *first.drivers[1:])
            entries[0] = replace(first, team=HOSTILE_TEAM, drivers=crew)
        for simulated in weekend.sessions:
            session_id = simulated.session.id
            name = session_id.rsplit("-", 1)[-1]
            if round_ == last and name == "R2":
                continue  # not started
            store.append(session_id, [EntryRegistered(e) for e in entries], "simulator")
            store.append(session_id, list(simulated.events()), "simulator")
            if round_ == last and name == "R1":
                continue  # running: laps, nothing published
            store.publish(session_id, Publication.PROVISIONAL, "steward")
            if name == "R1":
                winner = simulated.classify(weekend.rulebook).results[0].entry.car
                store.append(session_id, [TimePenalty(winner, 5000, "Track limits")], "steward")
            store.publish(session_id, Publication.FINAL, "steward")
    return store
