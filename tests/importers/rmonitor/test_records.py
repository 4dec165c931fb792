"""RMonitor records and capture wrappers."""

from __future__ import annotations

import pytest

from chequered.core.errors import ParseError
from chequered.importers.rmonitor.records import (
    ClassInfo,
    Competitor,
    Correction,
    Heartbeat,
    Init,
    LineCrossing,
    Passing,
    PracticeOrder,
    RaceOrder,
    Run,
    Setting,
    Track,
    Unknown,
    capture_lines,
    parse_record,
    read_capture,
)


def test_every_record_type() -> None:
    assert parse_record('$F,9999,"00:05:00","23:20:26","00:00:01","Green "') == Heartbeat(
        9999, 300_000, 84_026_000, 1000, "Green"
    )
    assert parse_record('$A,"21","21",8852130,"Farnbacher /","James","Panoz Esperante",1') == Competitor(
        "21", "21", "8852130", "Farnbacher /", "James", "Panoz Esperante", "1"
    )
    comp = parse_record('$COMP,"27","27",3,"MS2","","Retired",""')
    assert isinstance(comp, Competitor) and comp.extended and comp.class_no == "3"
    assert parse_record('$B,36,"Barber - Saturday - 8 Hour"') == Run("36", "Barber - Saturday - 8 Hour")
    assert parse_record('$C,1,"GTU"') == ClassInfo("1", "GTU")
    assert parse_record('$E,"TRACKLENGTH","3.700"') == Setting("TRACKLENGTH", "3.700")
    assert parse_record('$G,1,"185",,"00:01:29.517"') == RaceOrder(1, "185", None, 89_517)
    assert parse_record('$G,8,"1",244,"07:59:34.647"') == RaceOrder(8, "1", 244, 28_774_647)
    assert parse_record('$H,15,"65",0,"00:59:59.999"') == PracticeOrder(15, "65", 0, None)
    assert parse_record('$I, "00:00:00", "0/0/0000"') == Init("00:00:00", "0/0/0000")
    assert parse_record('$J,"15","00:01:48.519","00:27:49.553"') == Passing("15", 108_519, 1_669_553)
    assert parse_record('$COR,"15","15",12,"00:27:49.553","-1"') == Correction(
        "15", "15", 12, 1_669_553, "-1"
    )
    assert parse_record('$L,"45","P2","POP","01/27/2009","14:10:14.716"') == LineCrossing(
        "45", "P2", "POP", "01/27/2009", 51_014_716
    )
    track = parse_record('$T,"Sebring","SEB","3.700",2,"S1","T1","T2",90000,"S2","T2","T1",143000')
    assert isinstance(track, Track) and [s.name for s in track.sections] == ["S1", "S2"]
    assert parse_record('$SP,1,"752",0,"00:00:00",0') == Unknown("SP", ("1", "752", "0", "00:00:00", "0"))


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("##2025-1", "not an RMonitor record"),
        ('$COMP,"27","27",3,"MS2', "broken quoting"),
        ('$G,1,"185"', "truncated $G record"),
        ('$G,x,"185",3,"00:01:29.517"', "not a number"),
        ('$J,"15","1:xx","00:27:49.553"', "not a time"),
        ('$T,"Sebring","SEB","3.700",2,"S1","T1","T2",90000', "truncated $T"),
        ("garbage \x07 line", "not an RMonitor record"),
        ("$!?,1", "not an RMonitor record"),
    ],
)
def test_bad_lines_name_the_line(line: str, message: str) -> None:
    with pytest.raises(ParseError, match="cap, line 7") as info:
        parse_record(line, "cap", 7)
    assert message in str(info.value)


def test_capture_wrappers_line_endings_and_bom() -> None:
    redmist = (
        '\ufeff##2025-03-01 15:04:32.648\r\n$J,"82","00:02:53.048","00:04:32.138"\r\r\n\n'
        '##2025-03-01 15:04:33.000|flags\n$F,9999,"07:55:27","09:04:32","00:04:32","Green "\r'
    )
    lines = list(capture_lines([redmist]))
    assert [line.text[:2] for line in lines] == ["$J", "$F"]
    assert lines[1].received_ms is not None and lines[0].received_ms is not None
    assert lines[1].received_ms - lines[0].received_ms == 352
    offsets = list(read_capture(b'0 $F,0,"00:00:00","19:36:49","00:00:00","      "\n1572 $B,24,"Final"\n'))
    assert [(line.received_ms, line.text) for line in offsets] == [
        (0, '$F,0,"00:00:00","19:36:49","00:00:00","      "'),
        (1572, '$B,24,"Final"'),
    ]
    assert [line.line_no for line in offsets] == [1, 2]


def test_a_line_split_across_chunks_is_one_line() -> None:
    chunks = ['$B,36,"Bar', 'ber"\r', '\n$C,1,"GTU"\r\n$C,2', ',"GTO"']
    assert [line.text for line in capture_lines(chunks)] == ['$B,36,"Barber"', '$C,1,"GTU"', '$C,2,"GTO"']
