"""The ``chequered`` command: one Typer app, commands registered from one module per subject.

Every deliberate error (a bad file, a bad rulebook) ends as one line on stderr and exit code 2.
"""

from __future__ import annotations

import sys

import typer

from chequered.core.errors import ChequeredError

app = typer.Typer(
    name="chequered",
    help="Timing, scoring and championship software for multi-class GT racing.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


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
