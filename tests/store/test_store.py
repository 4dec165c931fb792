"""The store on SQLite and on the real PostgreSQL: seeding, idempotent appends, "as of" reads, caching."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from importlib import resources

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.config import Config

from chequered import rulebooks
from chequered.core.events import EntryRegistered, LapCompleted, Publication, StatusChanged, TimePenalty
from chequered.core.model import Session, SessionKind, Status
from chequered.store import schema
from chequered.store.database import open_database
from chequered.store.errors import ConflictError, NotFoundError, StoreError
from chequered.store.store import Store
from tests.conftest import FixedClock
from tests.store import season_fixture


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock()


@pytest.fixture
def store(database_url: str, clock: FixedClock) -> Iterator[Store]:
    opened = Store.open(database_url, clock, rulebooks.load)
    yield opened
    opened.close()


def _seed(store: Store) -> None:
    assert store.seed_season(season_fixture.season(), season_fixture.entries(), None)


def test_seeding_stores_rounds_circuits_sessions_and_crews(store: Store) -> None:
    _seed(store)
    assert [s.id for s in store.seasons()] == ["gt4-test-2023"]
    rounds = store.rounds("gt4-test-2023")
    assert [(r.round, r.circuit.timezone) for r in rounds] == [(1, "Europe/Paris"), (2, "Europe/Rome")]
    assert [s.id for s in rounds[0].sessions] == ["r1-ricard-q1", "r1-ricard-r1"]
    assert rounds[0].sessions[1].finish is not None and rounds[0].sessions[1].start is not None
    assert rounds[0].sessions[1].start.utcoffset() == timedelta(0)
    entries = {e.car: e for e in store.season_entries("gt4-test-2023")}
    assert set(entries) == {"7", "07", "21"}  # "7" and "07" are different cars
    assert [d.name for d in entries["07"].drivers] == ["Carl Gamma", "Dora Delta"]
    assert entries["07"].drivers[1].category is not None
    # A second seed of the same season changes nothing.
    assert not store.seed_season(season_fixture.season(), season_fixture.entries(), None)
    assert len(store.season_entries("gt4-test-2023")) == 3


def test_appending_the_same_events_twice_stores_them_once(store: Store) -> None:
    _seed(store)
    laps = [LapCompleted(lap) for lap in season_fixture.race_laps()]
    first = store.append("r1-ricard-r1", laps, "test")
    assert (first.appended, first.duplicates) == (len(laps), 0)
    again = store.append("r1-ricard-r1", [*laps, *laps[:5]], "test")
    assert (again.appended, again.duplicates) == (0, len(laps) + 5)
    assert store.count("r1-ricard-r1") == len(laps)
    # A source-supplied id is the identity: the same id twice is one event, whatever the content.
    penalty = TimePenalty("21", 5_000, "track limits")
    store.append("r1-ricard-r1", [penalty], "steward", source_ids=["decision-12"])
    store.append("r1-ricard-r1", [TimePenalty("21", 10_000, "typo")], "steward", source_ids=["decision-12"])
    assert store.state("r1-ricard-r1", store.position("r1-ricard-r1")).decisions == (penalty,)


def test_appending_to_an_unknown_session_is_refused(store: Store) -> None:
    with pytest.raises(NotFoundError, match="no session 'nope'"):
        store.append("nope", [TimePenalty("7", 1000)], "test")
    with pytest.raises(ConflictError):
        store.create_session(Session("x", "X", SessionKind.RACE))
        store.create_session(Session("x", "X", SessionKind.RACE))


def test_state_as_of_a_seq_and_a_time_and_the_cache(store: Store, clock: FixedClock) -> None:
    _seed(store)
    sid = "r1-ricard-r1"
    store.append(sid, [LapCompleted(lap) for lap in season_fixture.race_laps()], "timekeeper")
    before = store.position(sid)
    provisional = store.state(sid, before).classification
    assert [r.car for r in provisional.results] == ["7", "21", "07"]
    assert store.state(sid, before) is store.state(sid, before)  # cached
    clock.now += timedelta(minutes=30)
    store.append(sid, [TimePenalty("7", 30_000, "pit lane speeding")], "steward")
    after = store.position(sid)
    assert after > before
    assert [r.car for r in store.state(sid, after).classification.results] == ["21", "7", "07"]
    # As of the seq before the penalty, or a time before it, the old order stands.
    assert store.position(sid, as_of=before) == before
    assert store.position(sid, at=clock.now - timedelta(minutes=1)) == before
    assert [r.car for r in store.state(sid, store.position(sid, as_of=before)).classification.results] == [
        "7",
        "21",
        "07",
    ]


def test_publications_and_registered_entries(store: Store) -> None:
    _seed(store)
    sid = "r1-ricard-r1"
    store.append(sid, [LapCompleted(lap) for lap in season_fixture.race_laps()], "timekeeper")
    store.publish(sid, Publication.PROVISIONAL, "steward")
    store.append(sid, [StatusChanged("7", Status.DISQUALIFIED, "technical")], "steward")
    store.publish(sid, Publication.FINAL, "steward")
    provisional = store.state(sid, store.publication(sid, Publication.PROVISIONAL)).classification
    final = store.state(sid, store.publication(sid, Publication.FINAL)).classification
    assert provisional.results[0].car == "7"
    assert final.result("7").status is Status.DISQUALIFIED
    with pytest.raises(NotFoundError, match="no final results"):
        store.publication("r1-ricard-q1", Publication.FINAL)
    renamed = season_fixture.entries()[0]
    from dataclasses import replace

    store.append(sid, [EntryRegistered(replace(renamed, team="Team A Racing"))], "admin")
    assert store.state(sid, store.position(sid)).classification.result("7").entry.team == "Team A Racing"


def test_the_log_is_never_updated_or_deleted(store: Store) -> None:
    """Every write path leaves existing rows as they were: the rows before are a prefix of the rows after."""
    _seed(store)
    sid = "r1-ricard-r1"
    store.append(sid, [LapCompleted(lap) for lap in season_fixture.race_laps(5)], "timekeeper")
    with store.database.read() as conn:
        before = conn.execute(sa.select(schema.event).order_by(schema.event.c.seq)).all()
    store.append(sid, [LapCompleted(lap) for lap in season_fixture.race_laps(8)], "timekeeper")
    store.append(sid, [TimePenalty("21", 1_000)], "steward")
    store.publish(sid, Publication.PROVISIONAL, "steward")
    with store.database.read() as conn:
        after = conn.execute(sa.select(schema.event).order_by(schema.event.c.seq)).all()
    assert after[: len(before)] == before
    assert len(after) == 8 * 3 + 2


def test_migrations_are_applied_once_and_reopening_keeps_data(database_url: str, clock: FixedClock) -> None:
    first = Store.open(database_url, clock, rulebooks.load)
    _seed(first)
    first.close()
    again = Store.open(database_url, clock, rulebooks.load)
    assert [s.id for s in again.seasons()] == ["gt4-test-2023"]
    with again.database.read() as conn:
        assert conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar() == "0003"
    again.close()


def test_a_database_of_the_first_schema_is_upgraded_and_keeps_its_entries(
    database_url: str, clock: FixedClock
) -> None:
    """A store written before entries could be marked non-scoring: opening it adds the column, and
    every entry already there scores."""
    database = open_database(database_url)
    config = Config()
    config.set_main_option("script_location", str(resources.files("chequered.store") / "migrations"))
    with database.write() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, "0001")
        conn.execute(
            sa.text("INSERT INTO season (id, series_id, series_name, year) VALUES ('s', 'x', 'X', 2023)")
        )
        conn.execute(sa.text("INSERT INTO entry (season_id, car, number) VALUES ('s', '7', '7')"))
    database.engine.dispose()
    store = Store.open(database_url, clock, rulebooks.load)
    with store.database.read() as conn:
        assert conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar() == "0003"
        assert conn.execute(sa.select(schema.entry.c.car, schema.entry.c.scores)).all() == [("7", True)]
    store.close()


def test_seeding_again_marks_the_invited_cars_a_first_schema_store_held_as_scoring(store: Store) -> None:
    _seed(store)
    cars = [entry.car for entry in season_fixture.entries()]
    with store.database.read() as conn:
        assert set(conn.execute(sa.select(schema.entry.c.scores)).scalars()) == {True}
    again = store.seed_season(season_fixture.season(), season_fixture.entries(), None, non_scoring={cars[0]})
    assert again is False  # nothing else is stored twice
    with store.database.read() as conn:
        stored = conn.execute(sa.select(schema.entry.c.car, schema.entry.c.scores))
        rows = {car: scores for car, scores in stored}
    assert rows == {car: car != cars[0] for car in cars}


def test_bad_urls_are_refused_with_a_message() -> None:
    with pytest.raises(StoreError, match="unsupported database URL 'mysql'"):
        open_database("mysql://localhost/x")
    with pytest.raises(StoreError, match="does not exist"):
        open_database("sqlite:////nonexistent/dir/x.sqlite")
    with pytest.raises(StoreError, match="in-memory"):
        open_database("sqlite://")


def test_a_write_by_another_process_invalidates_cached_reads(database_url: str, clock: FixedClock) -> None:
    """Two stores on one database stand for two processes: the reader's cache is keyed by the log head,
    so the other's append is seen at once."""
    reader = Store.open(database_url, clock, rulebooks.load)
    writer = Store.open(database_url, clock, rulebooks.load)
    _seed(writer)
    sid = "r1-ricard-r1"
    writer.append(sid, [LapCompleted(lap) for lap in season_fixture.race_laps()], "timekeeper")
    before = reader.latest(sid)
    assert reader.state(sid, before).classification.results[0].car == "7"
    writer.append(sid, [TimePenalty("7", 30_000)], "steward")
    after = reader.latest(sid)
    assert after == before + 1
    assert reader.state(sid, after).classification.results[0].car == "21"
    with pytest.raises(NotFoundError):
        reader.latest("no-such-session")
    assert reader.latest("r1-ricard-q1") == 0
    reader.close()
    writer.close()


def test_a_feeds_clock_pit_and_sector_events_are_stored_once_and_not_classified(store: Store) -> None:
    """The live feed's events between laps are kept in the log (the live board is folded from them),
    deduplicated like any other, and change nothing in the classification or the stints."""
    from chequered.core.events import ClockTicked, DriverChanged, PitCrossed, PitLine, SectorCompleted

    _seed(store)
    sid = "r1-ricard-r1"
    laps = [LapCompleted(lap) for lap in season_fixture.race_laps(10)]
    timing = [
        ClockTicked(600_000, 2_400_000, None, "green"),
        ClockTicked(601_000, 2_399_000, None, "yellow", "FCY"),
        PitCrossed("07", PitLine.IN, 605_000),
        SectorCompleted("7", 1, 40_100, 640_100),
        DriverChanged("07", "Dora Delta", 690_000),
        PitCrossed("07", PitLine.OUT, 690_000),
    ]
    mixed = [*laps[:15], *timing, *laps[15:]]
    first = store.append(sid, mixed, "rmonitor")
    assert (first.appended, first.duplicates) == (len(mixed), 0)
    again = store.append(sid, [*timing, ClockTicked(600_000, 2_400_000, None, "green")], "rmonitor")
    assert (again.appended, again.duplicates) == (0, len(timing) + 1)
    stored = [e.event() for e in store.events(sid)]
    assert stored == mixed
    assert [e.kind for e in store.events(sid, kinds=["clock"])] == ["clock", "clock"]
    # the classification is the one of the laps alone
    from chequered.core.classification import classify

    state = store.state(sid, store.position(sid))
    assert state.seq == store.head(sid) and state.decisions == ()
    assert state.laps == tuple(e.lap for e in laps)
    laps_only = classify(state.info.session, state.entries, state.laps, (), rulebooks.load(None))
    assert state.classification == laps_only
    # "as of" a clock tick: the state is folded up to that position
    tick_seq = store.events(sid, kinds=["clock"])[0].seq
    assert store.state(sid, tick_seq).seq == tick_seq
    assert len(store.state(sid, tick_seq).laps) == 15
