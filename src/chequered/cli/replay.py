"""``chequered replay``: run a recorded timing stream through the live path and print the final board."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from chequered.cli.app import Format, sub_app
from chequered.cli.server import DatabaseUrl

if TYPE_CHECKING:  # the store and the web app pull in SQLAlchemy and FastAPI: loaded by `replay session`
    from chequered.core.live import LiveState
    from chequered.importers.rmonitor.feed import Problem
    from chequered.importers.rmonitor.stream import SystemClock
    from chequered.store.store import Store

replay_app = sub_app("replay", "Replay a recorded timing stream through the live state.")


def _report(problem: Problem) -> None:
    print(f"chequered: warning: {problem}", file=sys.stderr)


@replay_app.command("rmonitor")
def replay_rmonitor(
    capture: Path = typer.Argument(..., help="RMonitor capture (raw, RedMist ## or ms-offset wrapped)."),
    speed: float = typer.Option(0.0, "--speed", min=0, help="N× the recorded pace; 0 = as fast as possible."),
    rules: str | None = typer.Option(
        "imsa-2023", "--rules", help="Rulebook: a packaged name or a TOML file."
    ),
    output: Format = typer.Option(Format.TABLE, "--format", help="table or json."),
) -> None:
    """Replay an RMonitor capture and print the live board of its last session at the end."""
    from chequered import rulebooks
    from chequered.core.errors import ParseError
    from chequered.importers.rmonitor.records import read_capture
    from chequered.importers.rmonitor.stream import LiveFeed, SystemClock, replay

    try:
        data = capture.read_bytes()
    except OSError as exc:
        raise ParseError(str(capture), None, None, f"cannot read: {exc.strerror}") from None
    feed = LiveFeed(rulebooks.load(rules), capture.name, report=_report)
    import asyncio

    asyncio.run(replay(read_capture(data), feed.line, speed, SystemClock()))
    feed.close()
    if feed.live is None:
        raise ParseError(str(capture), None, None, "no RMonitor session in the capture")
    _print_board(feed.live, output)


@replay_app.command("session")
def replay_session(
    session_id: str = typer.Argument(..., help="A session in the store."),
    speed: float = typer.Option(0.0, "--speed", min=0, help="N× the race pace; 0 = as fast as possible."),
    output: Format = typer.Option(Format.TABLE, "--format", help="table or json."),
    database_url: str | None = DatabaseUrl,
) -> None:
    """Replay a stored session's event log through the live state (paced by the laps' race time)."""
    import asyncio

    from chequered.cli.server import open_store
    from chequered.importers.rmonitor.stream import SystemClock

    store = open_store(database_url)
    try:
        board, _ = asyncio.run(_replay_stored(store, session_id, speed, SystemClock()))
    finally:
        store.close()
    _print_board(board, output)


async def _replay_stored(
    store: Store, session_id: str, speed: float, clock: SystemClock
) -> tuple[LiveState, int]:
    from chequered.core.events import LapCompleted
    from chequered.web.live_hub import board_at, fold_into

    board, seq = board_at(store, session_id, upto=0)
    start, first = clock.monotonic(), None
    for stored in store.events(session_id):
        event = stored.event()
        if speed > 0 and isinstance(event, LapCompleted):
            first = event.lap.elapsed_ms if first is None else first
            wait = (event.lap.elapsed_ms - first) / 1000 / speed - (clock.monotonic() - start)
            if wait > 0:
                await clock.sleep(wait)
        fold_into(board, stored)
        seq = stored.seq
    return board, seq


def _print_board(board: LiveState, output: Format) -> None:
    from chequered.core.documents import classification_document

    classification = board.classification()
    if output is Format.JSON:
        import orjson

        document = classification_document(classification)
        document["live"] = board.snapshot()["session"]
        sys.stdout.buffer.write(orjson.dumps(document, option=orjson.OPT_INDENT_2) + b"\n")
        return
    from rich.console import Console
    from rich.table import Table

    from chequered.core.timefmt import format_duration

    table = Table(title=f"{classification.session.name} ({classification.session.kind.value})")
    for column in ("pos", "class_pos", "number", "class", "team", "laps", "total_time", "best_lap", "gap"):
        table.add_column(column)
    for r in classification.results:
        table.add_row(
            str(r.position),
            str(r.class_position),
            r.entry.number,
            r.entry.car_class,
            r.entry.team,
            str(r.laps),
            format_duration(r.total_time_ms) if r.total_time_ms is not None else "",
            format_duration(r.best_lap_ms) if r.best_lap_ms is not None else "",
            str(r.gap),
        )
    Console().print(table)
