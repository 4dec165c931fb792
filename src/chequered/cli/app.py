"""The ``chequered`` command: one Typer app, commands registered from one module per subject.

A command module imports at its top only Typer, the standard library and the names its options are typed
with; everything a command does (the store, the web app, SQLAlchemy, NumPy, the importers) is imported in
the command's own function, so ``chequered --help`` and each command load only what that command uses.
Help is plain text (no Rich markup): it prints the same on every terminal and costs no Rich import.

Every deliberate error (a bad file, a bad rulebook) ends as one line on stderr and exit code 2.
"""

from __future__ import annotations

import sys
from enum import StrEnum

import typer

from chequered.core.errors import ChequeredError

app = typer.Typer(
    name="chequered",
    help="Timing, scoring and championship software for multi-class GT racing.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


class Format(StrEnum):
    """How a command prints what it computed."""

    TABLE = "table"
    CSV = "csv"
    JSON = "json"


def sub_app(name: str, help: str) -> typer.Typer:
    """A group of commands (``chequered NAME ...``) with the same plain help as the top level."""
    group = typer.Typer(help=help, no_args_is_help=True, rich_markup_mode=None)
    app.add_typer(group, name=name)
    return group


def _register() -> None:
    # Imported for their side effect of adding commands to ``app``; kept out of import time of this module.
    from chequered.cli import championship, ingest, media, replay, server, simulate, timing  # noqa: F401


def main() -> None:
    _register()
    try:
        app()  # standalone: Typer prints usage errors itself and exits 2
    except ChequeredError as exc:
        print(f"chequered: error: {exc}", file=sys.stderr)
        sys.exit(2)
