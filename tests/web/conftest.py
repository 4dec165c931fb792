"""An app over a real store (SQLite file or PostgreSQL schema), an in-process client, and tokens."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from chequered import rulebooks
from chequered.store.store import Store
from chequered.store.tokens import Role
from chequered.web.app import create_app
from chequered.web.deps import Settings
from tests.conftest import FixedClock
from tests.store import season_fixture

SEASON = "gt4-test-2023"
RACE = "r1-ricard-r1"


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock()


@pytest.fixture
def store(database_url: str, clock: FixedClock) -> Iterator[Store]:
    opened = Store.open(database_url, clock, rulebooks.load)
    opened.seed_season(season_fixture.season(), season_fixture.entries(), "gt4-europe-2023")
    yield opened
    opened.close()


@pytest.fixture
def client(store: Store) -> Iterator[TestClient]:
    settings = Settings(max_upload_bytes=8 * 1024 * 1024, max_json_bytes=16 * 1024)
    with TestClient(create_app(store, settings)) as test_client:
        yield test_client


@pytest.fixture
def tokens(store: Store) -> dict[str, str]:
    return {role.value: store.create_token(role, f"test {role.value}")[1] for role in Role}


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}
