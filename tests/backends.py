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
REDIS_URL = os.environ.get("CHEQUERED_TEST_REDIS", "redis://127.0.0.1:6379/0")
_skipped_for_redis: list[str] = []


def redis_or_skip() -> str:
    """The real Redis's URL; the test skips (and the summary says so loudly) when it does not answer."""
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3).ping()
    except (redis.RedisError, OSError) as exc:
        _skipped_for_redis.append(str(exc) or "no answer")
        pytest.skip(f"Redis at {REDIS_URL} does not answer: {exc}")
    return REDIS_URL


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
    if _skipped_for_redis:
        terminalreporter.write_sep("!", "REDIS TESTS SKIPPED: the server did not answer", red=True)
        terminalreporter.write_line(f"{len(_skipped_for_redis)} tests: {_skipped_for_redis[0]}")
