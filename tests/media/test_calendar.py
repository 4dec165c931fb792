"""Calendars read back with the icalendar library: stable UIDs, UTC times with the circuit zone named, and
a session moved in the store keeps its UID and bumps its SEQUENCE."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from icalendar import Calendar

from chequered import rulebooks
from chequered.seasons import load_season
from chequered.store.errors import NotFoundError
from chequered.store.schedule import reschedule, start_changes
from chequered.store.store import Store
from chequered.web.app import create_app
from chequered.web.deps import Settings
from tests.conftest import FixedClock

SESSION = "2023-paul-ricard-R1"


@pytest.fixture
def seeded(database_url: str) -> Iterator[Store]:
    store = Store.open(database_url, FixedClock(), rulebooks.load)
    data = load_season("gt4-europe-2023")
    store.seed_season(data.season, data.entries, data.rulebook, data.non_scoring)
    yield store
    store.close()


def _events(body: bytes) -> dict[str, object]:
    calendar = Calendar.from_ical(body)
    return {str(e["uid"]): e for e in calendar.walk("VEVENT")}


def test_season_calendar_reads_back(seeded: Store) -> None:
    with TestClient(create_app(seeded, Settings())) as client:
        response = client.get("/calendar.ics")
    assert response.headers["content-type"].startswith("text/calendar")
    events = _events(response.content)
    assert len(events) == 36
    race = events[f"{SESSION}@chequered"]
    start = race["dtstart"].dt  # type: ignore[index]
    assert start == datetime(2023, 6, 3, 14, 50, tzinfo=UTC) - timedelta(hours=2)  # 14:50 CEST
    assert start.tzinfo is not None and start.utcoffset() == timedelta(0)
    assert race["dtend"].dt - start == timedelta(minutes=60)  # type: ignore[index]
    assert "Europe/Paris" in str(race["location"])  # type: ignore[index]
    assert int(race["sequence"]) == 0  # type: ignore[index]


def test_a_moved_session_keeps_its_uid_and_bumps_its_sequence(seeded: Store) -> None:
    with TestClient(create_app(seeded, Settings())) as client:
        before = _events(client.get("/calendar.ics").content)[f"{SESSION}@chequered"]
        moved = datetime(2023, 6, 3, 13, 20, tzinfo=UTC)
        assert reschedule(seeded.database, SESSION, moved) == 1
        assert reschedule(seeded.database, SESSION, moved) == 1  # the same start again is no move
        after = _events(client.get("/calendar.ics").content)[f"{SESSION}@chequered"]
        page = client.get("/calendar?tz=UTC").text
    assert after["dtstart"].dt == moved != before["dtstart"].dt  # type: ignore[index]
    assert int(after["sequence"]) == int(before["sequence"]) + 1  # type: ignore[index]
    assert "13:20 UTC" in page and "15:20 CEST" in page  # the calendar page shows the move too
    assert start_changes(seeded.database, [SESSION, "2023-monza-R1"]) == {SESSION: 1, "2023-monza-R1": 0}


def test_moving_needs_a_known_session_and_a_zone(seeded: Store) -> None:
    with pytest.raises(NotFoundError, match="no session 'nope'"):
        reschedule(seeded.database, "nope", datetime(2023, 6, 3, tzinfo=UTC))
    with pytest.raises(ValueError, match="needs a time zone"):
        reschedule(seeded.database, SESSION, datetime(2023, 6, 3))
    assert start_changes(seeded.database, [SESSION]) == {SESSION: 0}
