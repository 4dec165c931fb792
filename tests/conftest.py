"""Shared fixtures: the real timing files in ../shared/data, read in place and never copied.

On a user's fresh clone ``../shared`` does not exist and the tests that need it skip with a notice; in CI
(``CI`` set) it is present and they must run, so a missing directory there is a failure.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests import backends

SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
ALKAMEL = SHARED_DATA / "timing" / "alkamel"
IMSA = ALKAMEL / "imsa-tobi-imsa_data" / "data"
GRCUP = ALKAMEL / "grcup-sro-america-grosz99-hackthetrack" / "data" / "race_results"
WEC = ALKAMEL / "wec-y047aka-elm-motorsport-analysis"
WEC_2019 = ALKAMEL / "wec-f1datajunkie-WEC"
RMONITOR = SHARED_DATA / "timing" / "rmonitor"
PENALTIES = Path(__file__).resolve().parent / "data" / "penalties"

DATA_SKIP = "real timing data not present:"


def real_file(path: Path) -> Path:
    """The path of a real timing file, or a skip (fresh clone) / failure (CI) when it is absent."""
    if path.exists():
        return path
    if os.environ.get("CI"):
        pytest.fail(f"real timing data missing in CI: {path}")
    pytest.skip(f"{DATA_SKIP} {path} (../shared/data is only in the team's checkout)")
    raise AssertionError("unreachable")


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The same test on an SQLite file and on the real PostgreSQL (a schema of its own)."""
    if request.param == "sqlite":
        yield backends.sqlite_url(tmp_path)
    else:
        yield from backends.postgres_schema_url()


class FixedClock:
    """An injected clock that moves only when a test moves it."""

    def __init__(self, start: datetime = datetime(2023, 4, 22, 12, 0, tzinfo=UTC)) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    backends.report(terminalreporter)
    missing = backends.skip_reasons(terminalreporter, DATA_SKIP)
    if missing:
        terminalreporter.write_sep("!", "REAL-DATA TESTS SKIPPED: ../shared/data is absent", yellow=True)
        terminalreporter.write_line(f"{len(missing)} tests need files under {SHARED_DATA}")
