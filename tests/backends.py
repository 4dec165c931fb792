"""Database backends for tests: an SQLite file per test, and the real PostgreSQL at 127.0.0.1:5432.

Each PostgreSQL test gets a schema of its own in database ``test`` (dropped afterwards), so runs never see
each other's rows. When the server does not answer, those tests skip and the summary says so loudly.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest

POSTGRES_URL = os.environ.get("CHEQUERED_TEST_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
_skipped_for_postgres: list[str] = []


def postgres_schema_url() -> Iterator[str]:
    """A URL whose search_path is a fresh schema; the schema is dropped when the generator closes."""
    import psycopg

    plain = POSTGRES_URL.replace("postgresql+psycopg://", "postgresql://")
    try:
        admin = psycopg.connect(plain, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as exc:
        _skipped_for_postgres.append(str(exc).splitlines()[0] if str(exc) else "no answer")
        pytest.skip(f"PostgreSQL at {plain} does not answer: {exc}")
    name = f"t_{uuid.uuid4().hex[:12]}"
    with admin:
        admin.execute(f'CREATE SCHEMA "{name}"')
        try:
            yield f"{POSTGRES_URL}?options={quote(f'-csearch_path={name}')}"
        finally:
            admin.execute(f'DROP SCHEMA "{name}" CASCADE')


def sqlite_url(directory: Path) -> str:
    return f"sqlite:///{directory / 'store.sqlite'}"


def report(terminalreporter: pytest.TerminalReporter) -> None:
    if _skipped_for_postgres:
        terminalreporter.write_sep("!", "POSTGRESQL TESTS SKIPPED: the server did not answer", red=True)
        terminalreporter.write_line(f"{len(_skipped_for_postgres)} tests: {_skipped_for_postgres[0]}")
