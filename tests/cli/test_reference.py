"""``docs/cli.md`` is the commands' own help, regenerated: it fails here when a command changed and the
reference was not regenerated (``python -m chequered.cli.reference > docs/cli.md``)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

CHECKED_IN = Path(__file__).resolve().parents[2] / "docs" / "cli.md"


def test_checked_in_reference_is_current() -> None:
    # in a process of its own: commands list in the order they are registered, and a test module that
    # imports one command module early would change it here
    run = subprocess.run(
        [sys.executable, "-m", "chequered.cli.reference"], capture_output=True, text=True, check=True
    )
    assert CHECKED_IN.read_text() == run.stdout, "run: python -m chequered.cli.reference > docs/cli.md"


def test_reference_ignores_the_terminal() -> None:
    """Another width and forced colour give the same text."""
    env = {**os.environ, "COLUMNS": "40", "FORCE_COLOR": "1", "TERM": "xterm-256color"}
    run = subprocess.run(
        [sys.executable, "-m", "chequered.cli.reference"], capture_output=True, text=True, env=env, check=True
    )
    assert run.stdout == CHECKED_IN.read_text()


def test_every_command_is_in_the_reference() -> None:
    text = CHECKED_IN.read_text()
    for command in (
        "classify",
        "stints",
        "standings",
        "scenarios",
        "check",
        "serve",
        "token create",
        "import alkamel",
        "ingest rmonitor",
        "replay rmonitor",
        "replay session",
        "simulate weekend",
    ):
        assert f"`chequered {command}`" in text, command
