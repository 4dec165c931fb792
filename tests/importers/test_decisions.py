from __future__ import annotations

import pytest

from chequered.core.errors import ParseError
from chequered.core.events import LapDeleted, LapPenalty, StatusChanged, TimePenalty
from chequered.core.model import Status
from chequered.importers.decisions import parse_decisions


def test_each_kind_of_decision() -> None:
    data = b"car,kind,value,reason\n77,time,35.000,late\n12,lap_deleted,7,track limits\n"
    data += b"5,laps,1,\n9,status,DSQ,x\n"
    assert parse_decisions(data, "p.csv") == [
        TimePenalty("77", 35_000, "late"),
        LapDeleted("12", 7, "track limits"),
        LapPenalty("5", 1, ""),
        StatusChanged("9", Status.DISQUALIFIED, "x"),
    ]


@pytest.mark.parametrize(
    ("data", "line", "column"),
    [
        (b"car,what,value\n1,time,3\n", 1, "kind"),
        (b"car,kind,value\n1,time,3x\n", 2, "value"),
        (b"car,kind,value\n1,fine,3\n", 2, "kind"),
        (b"car,kind,value\n1,status,banned\n", 2, "value"),
        (b"car,kind,value\n1,lap_deleted,0\n", 2, "value"),
        (b"car,kind,value\n,time,3\n", 2, "car"),
        (b"car,kind,value\n1,time\n", 2, "value"),
    ],
)
def test_bad_rows_name_line_and_column(data: bytes, line: int, column: str) -> None:
    with pytest.raises(ParseError) as caught:
        parse_decisions(data, "p.csv")
    assert (caught.value.line, caught.value.column) == (line, column)


def test_a_header_without_a_needed_column_names_it_and_a_row_of_separators_is_blank() -> None:
    with pytest.raises(ParseError) as caught:
        parse_decisions(b"car,value,reason\n7,5,x\n", "p.csv")
    assert (caught.value.line, caught.value.column) == (1, "kind")
    assert "columns: car, kind, value, reason" in str(caught.value)
    assert parse_decisions(b"car,kind,value,reason\n,,,\n7,time,5,x\n", "p.csv") == [
        TimePenalty("7", 5_000, "x")
    ]
