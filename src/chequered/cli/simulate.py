"""``chequered simulate weekend``: a simulated race weekend as Al Kamel files, or served live as an
RMonitor feed."""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import typer

from chequered.cli.app import sub_app
from chequered.cli.server import DatabaseUrl

if TYPE_CHECKING:  # NumPy and the store load with the command that needs them, not with every command
    from chequered.core.events import LogEvent
    from chequered.sim.weekend import SimulatedSession, SimulatedWeekend
    from chequered.store.store import Store

ACTOR = "simulator"

simulate = sub_app("simulate", "Simulate race weekends.")


def session_folder(weekend: SimulatedWeekend, simulated: SimulatedSession) -> str:
    """Al Kamel's folder name: local start ``yyyymmddhhmm`` then the session name."""
    session = simulated.session
    if session.start is None:
        return session.name
    local = session.start.astimezone(ZoneInfo(weekend.event.circuit.timezone))
    return f"{local:%Y%m%d%H%M}_{session.name}"


def write_weekend(weekend: SimulatedWeekend, out: Path) -> list[Path]:
    """Write each session's lap analysis, classification and decisions under ``out``."""
    from chequered.importers.alkamel.writer import analysis_csv, classification_csv, decisions_csv

    written: list[Path] = []
    zone = ZoneInfo(weekend.event.circuit.timezone)
    for simulated in weekend.sessions:
        folder = out / session_folder(weekend, simulated)
        folder.mkdir(parents=True, exist_ok=True)
        name = simulated.session.name
        start = simulated.session.start.astimezone(zone) if simulated.session.start else None
        classification = simulated.classify(weekend.rulebook)
        kph = {(lap.car, lap.lap): lap.kph for lap in simulated.laps if lap.kph is not None}
        files = {
            f"23_AnalysisEnduranceWithSections_{name}.CSV": analysis_csv(
                simulated.entries, simulated.laps, start, weekend.track.split_shares
            ),
            f"03_Classification_{name}.CSV": classification_csv(classification, kph),
            "decisions.csv": decisions_csv(simulated.decisions),
        }
        for file_name, data in files.items():
            path = folder / file_name
            path.write_bytes(data)
            written.append(path)
    return written


def _session(weekend: SimulatedWeekend, wanted: str) -> SimulatedSession:
    for simulated in weekend.sessions:
        if simulated.session.id.endswith(f"-{wanted}") or simulated.session.name == wanted:
            return simulated
    names = ", ".join(s.session.id.rsplit("-", 1)[-1] for s in weekend.sessions)
    raise typer.BadParameter(f"no session {wanted!r}; sessions: {names}", param_hint="--session")


@simulate.command("weekend")
def weekend_command(
    season: str = typer.Option("gt4-europe-2023", "--season", help="A packaged season."),
    round_: int = typer.Option(..., "--round", help="Round number of the season."),
    seed: int = typer.Option(..., "--seed", help="Random seed: the same seed gives the same weekend."),
    out: Path | None = typer.Option(None, "--out", help="Write Al Kamel files for every session here."),
    rmonitor: str | None = typer.Option(None, "--rmonitor", help="Serve a session as RMonitor on HOST:PORT."),
    session: str = typer.Option("R1", "--session", help="The session to serve (FP1, FP2, Q1, Q2, R1, R2)."),
    speed: float = typer.Option(
        1.0, "--speed", min=0, help="N x real time for --rmonitor / --live; 0 = as fast as possible."
    ),
    live: bool = typer.Option(False, "--live", help="Stream a session into the event store (live timing)."),
    database_url: str | None = DatabaseUrl,
) -> None:
    """Simulate one round of a packaged season: FP1, FP2, Q1, Q2, Race 1, Race 2."""

    from chequered.cli.server import open_store, seed_packaged
    from chequered.cli.simulate_live import stream_into_store
    from chequered.core.errors import ChequeredError
    from chequered.seasons import list_seasons, load_season
    from chequered.sim.rmonitor import parse_address, serve_session
    from chequered.sim.weekend import simulate_weekend

    if season not in list_seasons():
        raise typer.BadParameter(f"no season {season!r}; packaged: {', '.join(list_seasons())}")
    data = load_season(season)
    rounds = [e.round for e in data.season.events]
    if round_ not in rounds:
        raise typer.BadParameter(
            f"no round {round_}; rounds: {', '.join(map(str, rounds))}", param_hint="--round"
        )
    address = None
    if rmonitor is not None:
        try:
            address = parse_address(rmonitor)
        except ChequeredError as exc:
            raise typer.BadParameter(str(exc), param_hint="--rmonitor") from None
    if out is None and rmonitor is None and not live:
        raise typer.BadParameter("say where the weekend goes: --out DIR, --rmonitor HOST:PORT and/or --live")
    weekend = simulate_weekend(data, round_, seed)
    if out is not None:
        written = write_weekend(weekend, out)
        print(
            f"{weekend.event.name}: {len(weekend.sessions)} sessions, {len(weekend.cars)} cars, "
            f"{len(written)} files under {out}"
        )
    if live:
        store = open_store(database_url)
        try:
            seed_packaged(store, season)
            chosen = _session(weekend, session)
            print(
                f"streaming {chosen.session.name} into the store as session {chosen.session.id} at {speed:g}x"
            )
            stored = stream_into_store(store, chosen, speed)
        finally:
            store.close()
        print(f"{stored} events stored; watch /ws/live/{chosen.session.id} on `chequered serve`")
    if address is not None:
        import asyncio

        host, port = address
        chosen = _session(weekend, session)
        print(f"serving {chosen.session.name} as RMonitor on {host}:{port} at {speed:g}x")
        asyncio.run(serve_session(chosen, weekend.track, host, port, speed))


def store_weekend(store: Store, weekend: SimulatedWeekend, skip: Collection[str] = ()) -> int:
    """Append every session of a simulated weekend (but ``skip``) to the store and publish its results,
    provisional then final, as a timekeeper would; a session already holding events is left as it is.
    The number of events stored."""
    from chequered.core.events import EntryRegistered, Publication

    stored = 0
    for simulated in weekend.sessions:
        sid = simulated.session.id
        if sid in skip or store.count(sid):
            continue
        events: list[LogEvent] = [EntryRegistered(e) for e in simulated.entries]
        events.extend(simulated.events())
        stored += store.append(sid, events, ACTOR).appended
        store.publish(sid, Publication.PROVISIONAL, ACTOR)
        store.publish(sid, Publication.FINAL, ACTOR)
    return stored


@simulate.command("season")
def season_command(
    season: str = typer.Option("gt4-europe-2023", "--season", help="A packaged season."),
    seed: int = typer.Option(..., "--seed", help="Random seed: the same seed gives the same season."),
    out: Path | None = typer.Option(None, "--out", help="Write Al Kamel files of every round here."),
    into_store: bool = typer.Option(False, "--store", help="Store and publish every session's results."),
    live: str | None = typer.Option(
        None, "--live", help="With --store: a session id left out, then streamed in live (the demo)."
    ),
    speed: float = typer.Option(10.0, "--speed", min=0, help="N x real time for --live."),
    database_url: str | None = DatabaseUrl,
) -> None:
    """Simulate every round of a packaged season around its known results."""
    from chequered.cli.server import open_store, seed_packaged
    from chequered.cli.simulate_live import stream_into_store
    from chequered.seasons import list_seasons, load_season
    from chequered.sim.weekend import simulate_weekend

    if season not in list_seasons():
        raise typer.BadParameter(f"no season {season!r}; packaged: {', '.join(list_seasons())}")
    if out is None and not into_store:
        raise typer.BadParameter("say where the season goes: --out DIR and/or --store")
    data = load_season(season)
    store = open_store(database_url) if into_store else None
    live_session: SimulatedSession | None = None
    try:
        if store is not None:
            seed_packaged(store, season)
        for event in data.season.events:
            weekend = simulate_weekend(data, event.round, seed)
            line = f"round {event.round} {event.name}: {len(weekend.cars)} cars"
            if out is not None:
                files = write_weekend(weekend, out / f"R{event.round:02d}-{event.id}")
                line += f", {len(files)} files"
            if store is not None:
                line += f", {store_weekend(store, weekend, {live} if live else ())} events stored"
                live_session = next((s for s in weekend.sessions if s.session.id == live), live_session)
            print(line, flush=True)
        if store is not None and live is not None:
            if live_session is None:
                raise typer.BadParameter(f"no session {live!r} in {season}", param_hint="--live")
            if not store.count(live):
                print(f"streaming {live} live at {speed:g}x", flush=True)
                stream_into_store(store, live_session, speed)
    finally:
        if store is not None:
            store.close()
