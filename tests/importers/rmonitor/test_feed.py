"""Replaying each real RMonitor capture ends with the order of its own last $G (race) / $H (practice)."""

from __future__ import annotations

import asyncio

import pytest

from chequered import rulebooks
from chequered.core.classification import Classification
from chequered.core.errors import ParseError
from chequered.core.events import LapCompleted, LapPenalty, LiveEvent, SessionOpened
from chequered.core.model import SessionKind
from chequered.importers.rmonitor.feed import Problem, RMonitorFeed
from chequered.importers.rmonitor.records import PracticeOrder, RaceOrder, RawLine, parse_record, read_capture
from chequered.importers.rmonitor.stream import LiveFeed, SystemClock, replay
from tests.conftest import RMONITOR, real_file

REDMIST = RMONITOR / "redmist-orbits-wrl" / "RedMist.TimingAndScoringService.Tests"
PIPELINE = REDMIST / "EventStatus" / "ProcessingPipeline"
BARBER = REDMIST / "event-finish-with-reset.log"
MOCK = RMONITOR / "bradfier-rmonitor" / "sample" / "Orbits_Mock_Session.txt"
CAPTURES = {
    "sebring-2009-s4": RMONITOR / "bradfier-rmonitor" / "sample" / "2009_Sebring_ALMS_Session_4.txt",
    "sebring-2009-s5": RMONITOR / "bradfier-rmonitor" / "sample" / "2009_Sebring_ALMS_Session_5.txt",
    "orbits-mock": MOCK,
    "barber-8h": BARBER,
    "sebring-14h-finish": PIPELINE / "TestEventEndSessionFinialization.txt",
    "cota-gap": PIPELINE / "TestGap.txt",
    "road-america-7h": PIPELINE / "TestMissingLaps.txt",
    "road-america-session-changes": PIPELINE / "TestSessionChanges.txt",
    "inline-skating": RMONITOR
    / "rmonitorleaderboard-inline-skating"
    / "recordings"
    / "leaderboard-recording_AGI-2022_Dobbin_Seniors_Finale.txt",
}


def official_orders(lines: list[RawLine]) -> dict[str, dict[str, tuple[int, int]]]:
    """Per session name, each car's last position in the capture's own $G and timed $H records
    (race position, practice position; 0 where absent)."""
    orders: dict[str, dict[str, tuple[int, int]]] = {}
    current = orders.setdefault("", {})
    for raw in lines:
        if raw.text.startswith("$B"):
            name = raw.text.split(",", 2)[2].strip('"')
            current = orders.setdefault(name, {})
        if not raw.text.startswith(("$G", "$H")):
            continue
        try:
            record = parse_record(raw.text)
        except ParseError:
            continue  # reported by the feed; not part of the order
        race, practice = current.get(record.reg_no, (0, 0))
        if isinstance(record, RaceOrder):
            current[record.reg_no] = (record.position, practice)
        elif isinstance(record, PracticeOrder) and record.best_lap_ms:
            current[record.reg_no] = (race, record.position)
    return orders


def run(lines: list[RawLine], source: str = "capture") -> tuple[LiveFeed, list[Problem]]:
    problems: list[Problem] = []
    feed = LiveFeed(rulebooks.load("imsa-2023"), source, report=problems.append)
    asyncio.run(replay(lines, feed.line, 0, SystemClock()))
    feed.close()
    return feed, problems


def ranked(result: Classification, kind: SessionKind) -> list[str]:
    """Cars that were scored (a lap in a race, a time in practice), in the live order."""
    if kind is SessionKind.RACE:
        return [r.car for r in result.results if r.laps > 0]
    return [r.car for r in result.results if r.best_lap_ms is not None]


@pytest.mark.realdata
@pytest.mark.parametrize("name", list(CAPTURES))
def test_replay_ends_with_the_captures_own_order(name: str) -> None:
    lines = list(read_capture(real_file(CAPTURES[name]).read_bytes()))
    feed, _ = run(lines, name)
    assert feed.live is not None
    session, result = feed.live.session, feed.live.classification()
    race = session.kind is SessionKind.RACE
    orders = official_orders(lines)
    positions = {car: p[0] if race else p[1] for car, p in orders.get(session.name, {}).items()}
    want = sorted((car for car in positions if positions[car]), key=lambda car: positions[car])
    scored = ranked(result, session.kind)
    assert [car for car in want if car in scored] == scored
    # every car Orbits ranks without a lap/time is behind the scored ones
    assert set(want) - set(scored) <= {r.car for r in result.results[len(scored) :]}
    if name != "inline-skating":  # its last session (the men's final) ends before any lap
        assert len(scored) >= 2


@pytest.mark.realdata
def test_barber_8_hours_whole_race() -> None:
    lines = list(read_capture(real_file(BARBER).read_bytes()))
    feed, problems = run(lines, "barber")
    assert feed.live is not None and not problems
    assert [s.session.name for s in feed.sessions] == ["Barber - Saturday - 8 Hour"]  # resets: one session
    result = feed.live.classification()
    assert (result.results[0].car, result.results[0].laps) == ("60", 249)
    # Orbits' last $G says 07:58:24.950; the lap as first sent said .952 and a same-lap re-timing is
    # not applied (see the report)
    assert abs((result.results[0].total_time_ms or 0) - 28_704_950) <= 5
    assert result.results[1].car == "58" and str(result.results[1].gap) == "+0.047"
    assert len(result.results) == 59


@pytest.mark.realdata
def test_garbage_and_truncated_lines_are_reported_once_and_skipped() -> None:
    clean = list(read_capture(real_file(MOCK).read_bytes()))
    bad = ["@@@ line noise", '$G,3,"2",4', '$J,"1","00:01', "@@@ line noise"]
    dirty: list[RawLine] = []
    for index, raw in enumerate(clean):
        dirty.append(RawLine(len(dirty) + 1, raw.text))
        if index % 97 == 50:
            for text in bad:
                dirty.append(RawLine(len(dirty) + 1, text))
    want, _ = run(clean)
    got, problems = run(dirty)
    assert want.live is not None and got.live is not None
    assert got.live.classification() == want.live.classification()
    assert [p.line for p in problems] == bad[:3]
    assert (
        "truncated $G record" in problems[1].message
        and problems[1].line_no == dirty.index(RawLine(problems[1].line_no, bad[1])) + 1
    )


@pytest.mark.realdata
def test_a_reset_mid_race_loses_nothing() -> None:
    lines = list(read_capture(real_file(BARBER).read_bytes()))
    feed, _ = run(lines)
    assert feed.live is not None
    want = feed.live.classification()
    middle = len(lines) // 2
    reset = [RawLine(0, '$I, "00:00:00", "0/0/0000"'), RawLine(0, '$B,36,"Barber - Saturday - 8 Hour"')]
    reset += [RawLine(0, f'$G,{i + 1},"{r.car}",,"00:00:00.000"') for i, r in enumerate(want.results)]
    again, problems = run([*lines[:middle], *reset, *lines[middle:]])
    assert again.live is not None and not problems
    assert again.live.classification() == want


def test_session_change_opens_a_new_board() -> None:
    lines = [
        RawLine(1, '$B,1,"Race Practice 1"'),
        RawLine(2, '$C,1,"GTO"'),
        RawLine(3, '$A,"7","7",1,"Team Seven","","",1'),
        RawLine(4, '$J,"7","00:01:40.000","00:01:40.000"'),
        RawLine(5, '$G,1,"7",1,"00:01:40.000"'),
        RawLine(6, '$B,2,"GP1 Race"'),
        RawLine(7, '$A,"8","8",2,"Team Eight","","",1'),
        RawLine(8, '$G,1,"8",1,"00:01:50.000"'),
        RawLine(9, '$B,3,"GP1 Race"'),  # the same session again under a new run number
        RawLine(10, '$G,1,"8",1,"00:01:50.000"'),
    ]
    feed, problems = run(lines)
    assert not problems
    assert [(s.session.name, s.session.kind) for s in feed.sessions] == [
        ("Race Practice 1", SessionKind.PRACTICE),
        ("GP1 Race", SessionKind.RACE),
    ]
    first, second = feed.sessions
    assert [r.car for r in first.classification().results] == ["7"]
    assert first.classification().results[0].entry.car_class == "GTO"
    assert [(r.car, r.laps) for r in second.classification().results] == [("8", 1)]


def test_replay_paces_by_the_capture_clock() -> None:
    class FakeClock:
        def __init__(self) -> None:
            self.now = 0.0
            self.slept: list[float] = []

        def monotonic(self) -> float:
            return self.now

        async def sleep(self, seconds: float) -> None:
            self.slept.append(seconds)
            self.now += seconds

    lines = [
        RawLine(i + 1, f'$F,9999,"00:10:00","10:00:{i:02d}","00:00:{i:02d}","Green "') for i in range(11)
    ]
    clock = FakeClock()
    seen: list[int] = []
    count = asyncio.run(replay(lines, lambda raw: seen.append(raw.line_no), 2, clock))
    assert count == 11 and seen == list(range(1, 12))
    assert clock.now == pytest.approx(5.0)  # 10 s of heartbeats at 2x
    clock = FakeClock()
    asyncio.run(replay(lines, lambda raw: None, 0, clock))
    assert clock.slept == []


def _said(lines: list[RawLine], feed: RMonitorFeed) -> dict[str, list[LiveEvent]]:
    """What ``feed`` says of ``lines``, per session id (as an ingest stores it)."""
    said: dict[str, list[LiveEvent]] = {}
    current: list[LiveEvent] = []
    for event in [e for raw in lines for e in feed.feed_line(raw)] + feed.flush():
        if isinstance(event, SessionOpened):
            current = said.setdefault(event.session.id, [])
        else:
            current.append(event)
    return said


@pytest.mark.realdata
@pytest.mark.parametrize("name", ["barber-8h", "sebring-2009-s4", "orbits-mock", "road-america-7h"])
def test_a_feed_resumed_from_what_was_said_repeats_no_lap(name: str) -> None:
    """A feed stops before a heartbeat; a new one resumes each session from what the first said in it,
    then reads Orbits' refresh and the rest of the capture: its laps and lap-count corrections are
    exactly the ones the whole capture makes after the stop, none again."""
    from tests.importers.rmonitor.test_stream import refresh_burst

    data = real_file(CAPTURES[name]).read_bytes()
    lines = list(read_capture(data))
    scored = (LapCompleted, LapPenalty)
    straight = [e for said in _said(lines, RMonitorFeed()).values() for e in said if isinstance(e, scored)]
    named = next(i for i, raw in enumerate(lines) if raw.text.startswith("$B"))  # a session to resume
    beats = [i for i, raw in enumerate(lines) if raw.text.startswith("$F") and i > named]
    for cut in (beats[len(beats) // 4], beats[len(beats) // 2], beats[3 * len(beats) // 4]):
        before = _said(lines[:cut], RMonitorFeed())
        resumed = RMonitorFeed()
        resumed.on_session = lambda session, feed=resumed, said=before: feed.resume(said.get(session.id, []))
        sent = b"\r\n".join(raw.text.encode() for raw in lines[:cut]) + b"\r\n"
        after = _said([*read_capture(refresh_burst(sent)), *lines[cut:]], resumed)
        first = [e for events in before.values() for e in events if isinstance(e, scored)]
        then = [e for events in after.values() for e in events if isinstance(e, scored)]
        assert first and first + then == straight, f"cut before line {cut}"
