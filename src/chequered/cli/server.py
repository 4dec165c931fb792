"""Server commands: ``serve``, ``token create|list|revoke``, ``import alkamel``.

The database is an SQLite file in the working directory unless ``--database-url`` (or the environment
variable ``CHEQUERED_DATABASE_URL``) names another, such as ``postgresql://user@host/db``.
"""

from __future__ import annotations

import getpass
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from chequered.cli.app import app, sub_app

if TYPE_CHECKING:  # the store pulls in SQLAlchemy and Alembic: loaded by the commands that need it
    import socket

    import uvicorn

    from chequered.store.store import Store

ENV_URL = "CHEQUERED_DATABASE_URL"
ROLES = ("timekeeper", "steward", "admin")
DEFAULT_SEASON = "gt4-europe-2023"

token_app = sub_app("token", "API tokens: create (shown once), list, revoke.")
import_app = sub_app("import", "Load timing files into the store.")

DatabaseUrl = typer.Option(
    None, "--database-url", envvar=ENV_URL, help="SQLAlchemy URL; default: chequered.sqlite here."
)


def utc_now() -> datetime:
    return datetime.now(UTC)


def open_store(url: str | None) -> Store:
    from chequered import rulebooks
    from chequered.store.database import default_url
    from chequered.store.store import Store

    return Store.open(url or default_url(Path.cwd()), utc_now, rulebooks.load)


def seed_packaged(store: Store, name: str) -> bool:
    """Seed a packaged season (calendar, circuits, sessions, entries) unless the store has it (then only
    its non-scoring marks, see ``seed_season``)."""
    from chequered.seasons import load_season

    data = load_season(name)
    return store.seed_season(data.season, data.entries, data.rulebook, data.non_scoring)


@app.command("serve")
def serve_command(
    database_url: str | None = DatabaseUrl,
    host: str = typer.Option("127.0.0.1", "--host", help="Interface to listen on."),
    port: int = typer.Option(8000, "--port", min=1, max=65535, help="TCP port."),
    season: str = typer.Option(DEFAULT_SEASON, "--season", help="Packaged season seeded on first start."),
    access_log: bool = typer.Option(True, "--access-log/--no-access-log", help="Log every request."),
    demo: bool = typer.Option(
        False,
        "--demo",
        help="Also run a simulated race of round 2 live (10x speed) into an empty race session.",
    ),
    bus_url: str | None = typer.Option(
        None,
        "--bus",
        envvar="CHEQUERED_BUS_URL",
        help="Fan-out of live deltas between server processes: redis://host:port/db; default in-process.",
    ),
    workers: int = typer.Option(
        1,
        "--workers",
        min=1,
        max=64,
        help="Server processes sharing the port (the kernel spreads connections over them); each one "
        "follows the log itself unless --bus names a Redis.",
    ),
    worker: bool = typer.Option(False, "--worker", hidden=True, help="Started by --workers: serve only."),
) -> None:
    """Serve the API and the index page; seeds the season into an empty store on first start."""
    import asyncio
    import signal

    import uvicorn

    from chequered.bus import check_bus, open_bus
    from chequered.web.app import create_app
    from chequered.web.deps import Settings
    from chequered.web.slow_clients import bounded_h11

    asyncio.run(check_bus(bus_url))  # a Redis that does not answer stops here, with one clear line
    store = open_store(database_url)
    if not worker and seed_packaged(store, season):
        typer.echo(f"seeded season {season} into {store.database.engine.url!r}")
    shared = workers > 1 or worker
    listening = _listening_socket(host, port, shared)  # bound before a worker starts: the port is ours
    passed_on = [*(["--bus", bus_url] if bus_url else []), *([] if access_log else ["--no-access-log"])]
    url = database_url or store.database.engine.url.render_as_string(hide_password=False)  # for children
    others = [] if worker else _start_workers(workers - 1, url, host, port, passed_on)
    simulator = _start_demo(store, url, host, port) if demo and not worker else None
    # uvicorn ends on SIGTERM by raising it again once it has shut down: as an exception here, so that
    # the workers and the demo's simulator are stopped and the store closed (the default would kill
    # this process on the spot and leave them running)
    signal.signal(signal.SIGTERM, _terminated)
    try:
        config = uvicorn.Config(
            create_app(store, Settings(), open_bus(bus_url)),
            host=host,
            port=port,
            log_level="info",
            access_log=access_log,
            # Deltas are a few hundred bytes: compressing each one per fan (deflate keeps a context per
            # connection) cost more CPU than the whole rest of the fan-out, and doubled its latency.
            ws_per_message_deflate=False,
            # Slow clients are cut off: headers within 10 s, an idle keep-alive connection after 5 s
            # (the body's deadline is the body-limit middleware's).
            http=bounded_h11(header_timeout_s=10.0),
            timeout_keep_alive=5,
            h11_max_incomplete_event_size=16 * 1024,
        )
        server = uvicorn.Server(config)
        with asyncio.Runner(loop_factory=config.get_loop_factory()) as runner:
            runner.run(_serve_paced(server, listening))
        if not server.started:
            sys.exit(3)  # as uvicorn.run: the server did not start (it logged why)
    finally:
        for other in others:
            other.terminate()
        for other in others:
            other.wait(timeout=30)
        if simulator is not None:
            simulator.terminate()
            simulator.wait(timeout=10)
        store.close()


def _terminated(signum: int, frame: object) -> None:
    raise SystemExit(0)  # stopped as asked


def _listening_socket(host: str, port: int, shared: bool) -> socket.socket:
    """The server's socket, bound and listening; ``shared``: with ``SO_REUSEPORT``, so that each worker
    binds its own and the kernel spreads new connections over them (evenly, unlike one socket that every
    worker accepts from)."""
    import socket

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if shared:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        sock.bind((host, port))
        sock.listen(2048)
    except OSError as exc:
        sock.close()
        typer.echo(f"cannot listen on {host}:{port}: {exc.strerror}", err=True)
        raise typer.Exit(3) from None
    return sock


def _start_workers(
    count: int, url: str, host: str, port: int, passed_on: list[str]
) -> list[subprocess.Popen[bytes]]:
    """The other server processes of ``--workers``: the same command serving only (the store is seeded
    and the demo started by this one)."""
    command = [sys.executable, "-m", "chequered.cli", "serve", "--worker", "--database-url", url]
    command += ["--host", host, "--port", str(port), *passed_on]
    return [subprocess.Popen(command) for _ in range(count)]


async def _serve_paced(server: uvicorn.Server, listening: socket.socket) -> None:
    """This process's garbage collector paced for a live server (``collector.py``) while it serves."""
    import asyncio
    import contextlib

    from chequered.cli.collector import pace_collections

    pacing = asyncio.get_running_loop().create_task(pace_collections())
    try:
        await server.serve(sockets=[listening])
    finally:
        pacing.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await pacing


DEMO_ROUND = 2
DEMO_SESSIONS = ("R1", "R2")


def _start_demo(store: Store, url: str, host: str, port: int) -> subprocess.Popen[bytes] | None:
    """A newcomer's first view: the whole 2023 season simulated around its known results and published
    (every session but one), then one race streamed live, by a second process (SQLite takes one writer at
    a time across processes) while the server already answers. The season takes some 30 s to fill."""
    from chequered.seasons import load_season

    event = load_season(DEFAULT_SEASON).event(DEMO_ROUND)
    for name in DEMO_SESSIONS:
        session_id = next(s.id for s in event.sessions if s.id.endswith(f"-{name}"))
        if store.count(session_id) == 0:
            break
    else:
        typer.echo("the demo races are already in this store; remove the database file to watch them again")
        return None
    command = [sys.executable, "-m", "chequered.cli", "simulate", "season", "--season", DEFAULT_SEASON]
    command += ["--seed", "7", "--store", "--live", session_id, "--speed", "10"]
    command += ["--database-url", url]
    typer.echo(f"simulating the {DEFAULT_SEASON} season into the store (about 30 s), then {name} live")
    typer.echo(f"live: http://{host}:{port}/live/{session_id}")
    return subprocess.Popen(command, stdout=subprocess.DEVNULL)


@token_app.command("create")
def token_create(
    role: str = typer.Option(..., "--role", help="timekeeper, steward or admin."),
    label: str = typer.Option("", "--label", help="Who or what the token is for."),
    database_url: str | None = DatabaseUrl,
) -> None:
    """Create a token; it is printed once and only its hash is stored."""
    from chequered.store.tokens import Role

    if role not in ROLES:
        raise typer.BadParameter(
            f"{role!r} is not a role; use one of {', '.join(ROLES)}", param_hint="--role"
        )
    store = open_store(database_url)
    info, token = store.create_token(Role(role), label)
    store.close()
    typer.echo(token)
    typer.echo(f"token {info.id} ({info.role.value}); store it now: it cannot be shown again", err=True)


@token_app.command("list")
def token_list(database_url: str | None = DatabaseUrl) -> None:
    store = open_store(database_url)
    for info in store.tokens():
        revoked = f" revoked {info.revoked_at.isoformat()}" if info.revoked_at else ""
        typer.echo(f"{info.id}  {info.role.value:<10}  {info.created_at.isoformat()}  {info.label}{revoked}")
    store.close()


@token_app.command("revoke")
def token_revoke(token_id: str = typer.Argument(...), database_url: str | None = DatabaseUrl) -> None:
    store = open_store(database_url)
    info = store.revoke_token(token_id, f"cli:{getpass.getuser()}")
    store.close()
    typer.echo(f"token {info.id} revoked")


@import_app.command("alkamel")
def import_alkamel(
    laps_file: Path = typer.Argument(..., help="Al Kamel lap analysis CSV."),
    session_id: str = typer.Option(..., "--session", help="The session to load it into."),
    database_url: str | None = DatabaseUrl,
) -> None:
    """Load a lap analysis file into a session (created from the file name if the store lacks it)."""
    from chequered.core.model import Session
    from chequered.importers import alkamel
    from chequered.store.errors import NotFoundError
    from chequered.store.imports import import_timing

    timing = alkamel.read_laps(laps_file)
    store = open_store(database_url)
    try:
        try:
            store.session(session_id)
        except NotFoundError:
            from chequered.core.session_kind import read_kind

            reading = read_kind(timing.laps, laps_file.name)
            store.create_session(Session(session_id, laps_file.stem, reading.kind))
            typer.echo(f"created session {session_id} ({reading.kind.value}, from the {reading.source})")
        imported = import_timing(store, session_id, timing, f"cli:{getpass.getuser()}")
    finally:
        store.close()
    result = imported.result
    typer.echo(
        f"{laps_file.name}: import {imported.import_id}, {result.appended} events appended, "
        f"{result.duplicates} already stored (session {session_id}, log at {result.last_seq})"
    )


@import_app.command("withdraw")
def import_withdraw(
    import_id: str = typer.Argument(..., help="The import's id, as `import alkamel` printed it."),
    session_id: str = typer.Option(..., "--session", help="The session it was imported into."),
    reason: str = typer.Option("", "--reason", help="Why, for the audit."),
    database_url: str | None = DatabaseUrl,
) -> None:
    """Withdraw a whole import: the session reads as before it; its events stay in the log."""
    from chequered.store.imports import withdraw_import

    store = open_store(database_url)
    try:
        info = withdraw_import(store, session_id, import_id, reason, f"cli:{getpass.getuser()}")
    finally:
        store.close()
    typer.echo(
        f"import {info.import_id} of session {session_id} withdrawn ({info.events} events, {info.laps} "
        f"laps; log at {info.withdrawn_seq})"
    )
