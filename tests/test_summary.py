"""The loud summary of skipped backends and data survives parallel runs (pytest-xdist): it is read from
the test reports the workers send to the controller, not from lists kept inside a worker."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

SKIPPING = """
import pytest
from tests.backends import POSTGRES_SKIP, REDIS_SKIP
from tests.conftest import DATA_SKIP


@pytest.mark.parametrize("n", range(4))
def test_redis(n):
    pytest.skip(f"{REDIS_SKIP} redis://nowhere does not answer: refused")


def test_postgres():
    pytest.skip(f"{POSTGRES_SKIP} postgresql://nowhere does not answer: refused")


def test_data():
    pytest.skip(f"{DATA_SKIP} /nowhere.csv")
"""


@pytest.mark.slow
def test_skipped_backends_are_summarised_under_xdist(tmp_path: Path) -> None:
    (tmp_path / "conftest.py").write_text(
        "from tests.conftest import pytest_terminal_summary  # noqa: F401\n"
    )
    (tmp_path / "test_skipping.py").write_text(SKIPPING)
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-n", "2", "-p", "no:cacheprovider", str(tmp_path)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
        check=False,
    )
    out = run.stdout
    assert "REDIS TESTS SKIPPED" in out and "4 tests: Redis at redis://nowhere" in out, out
    assert "POSTGRESQL TESTS SKIPPED" in out and "1 tests: PostgreSQL at postgresql://nowhere" in out, out
    assert "REAL-DATA TESTS SKIPPED" in out and "1 tests need files" in out, out
