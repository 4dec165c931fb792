"""``chequered --help`` loads the CLI framework and nothing a command does."""

from __future__ import annotations

import subprocess
import sys

HEAVY = (
    "fastapi",
    "sqlalchemy",
    "uvicorn",
    "numpy",
    "pandas",
    "rich",
    "orjson",
    "asyncio",
    "chequered.store",
    "chequered.web",
    "chequered.sim",
    "chequered.importers",
    "chequered.bus",
    "chequered.media",
)

PROBE = """
import sys
from chequered.cli.app import main
sys.argv = ["chequered", *sys.argv[1:]]
try:
    main()
except SystemExit:
    pass
loaded = sorted({name.split(".")[0] if not name.startswith("chequered.") else ".".join(name.split(".")[:2])
                 for name in sys.modules})
print("LOADED", " ".join(loaded), file=sys.stderr)
"""


def _loaded(*args: str) -> set[str]:
    run = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True, text=True, check=True)
    line = next(line for line in run.stderr.splitlines() if line.startswith("LOADED "))
    return set(line.split()[1:])


def test_help_imports_no_command_dependencies() -> None:
    loaded = _loaded("--help")
    assert not loaded & set(HEAVY), sorted(loaded & set(HEAVY))


def test_a_group_help_imports_no_command_dependencies() -> None:
    for group in ("import", "token", "replay", "ingest", "simulate"):
        loaded = _loaded(group, "--help")
        assert not loaded & set(HEAVY), (group, sorted(loaded & set(HEAVY)))
