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
POSTGRES_SKIP = "PostgreSQL at"
REDIS_SKIP = "Redis at"
REDIS_URL = os.environ.get("CHEQUERED_TEST_REDIS", "redis://127.0.0.1:6379/0")


def redis_or_skip() -> str:
    """The real Redis's URL; the test skips (and the summary says so loudly) when it does not answer."""
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3).ping()
    except (redis.RedisError, OSError) as exc:
        pytest.skip(f"{REDIS_SKIP} {REDIS_URL} does not answer: {exc}")
    return REDIS_URL


def postgres_schema_url() -> Iterator[str]:
    """A URL whose search_path is a fresh schema; the schema is dropped when the generator closes."""
    import psycopg

    plain = POSTGRES_URL.replace("postgresql+psycopg://", "postgresql://")
    try:
        admin = psycopg.connect(plain, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as exc:
        pytest.skip(
            f"{POSTGRES_SKIP} {plain} does not answer: {str(exc).splitlines()[0] if str(exc) else exc}"
        )
    name = f"t_{uuid.uuid4().hex[:12]}"
    with admin:
        admin.execute(f'CREATE SCHEMA "{name}"')
        try:
            yield f"{POSTGRES_URL}?options={quote(f'-csearch_path={name}')}"
        finally:
            admin.execute(f'DROP SCHEMA "{name}" CASCADE')


def sqlite_url(directory: Path) -> str:
    return f"sqlite:///{directory / 'store.sqlite'}"


def skip_reasons(terminalreporter: pytest.TerminalReporter, prefix: str) -> list[str]:
    """The reasons of the tests skipped with a reason starting with ``prefix``, from the test reports: they
    reach the controller from every xdist worker, where a list kept by the tests would not."""
    reasons = []
    for report in terminalreporter.stats.get("skipped", []):
        longrepr = getattr(report, "longrepr", None)
        if isinstance(longrepr, tuple) and len(longrepr) == 3:
            reason = str(longrepr[2]).removeprefix("Skipped: ")
            if reason.startswith(prefix):
                reasons.append(reason)
    return reasons


def report(terminalreporter: pytest.TerminalReporter) -> None:
    postgres = skip_reasons(terminalreporter, POSTGRES_SKIP)
    if postgres:
        terminalreporter.write_sep("!", "POSTGRESQL TESTS SKIPPED: the server did not answer", red=True)
        terminalreporter.write_line(f"{len(postgres)} tests: {postgres[0]}")
    redis = skip_reasons(terminalreporter, REDIS_SKIP)
    if redis:
        terminalreporter.write_sep("!", "REDIS TESTS SKIPPED: the server did not answer", red=True)
        terminalreporter.write_line(f"{len(redis)} tests: {redis[0]}")
