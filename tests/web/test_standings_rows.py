"""The standings table as the site lays it out: shared places shown "=2", and the tie-break that put a
competitor ahead of another on the same points named ("ahead on countback: 1 wins to 0")."""

from __future__ import annotations

from chequered.core.points import Line, SessionType
from chequered.core.rulebook import DEFAULT_RULEBOOK
from chequered.core.standings import rank
from chequered.web.season_view import standing_rows

RACE = SessionType.RACE


def _line(round_: int, session: str, place: int, points: int, dropped: bool = False) -> Line:
    return Line(round_, session, RACE, "7", place, "classified", points, dropped=dropped)


def test_ties_and_countback_are_shown() -> None:
    held = [(1, "R1"), (1, "R2")]
    competitors = [
        ("Ann", "Silver", [_line(1, "R1", 1, 20), _line(1, "R2", 3, 10)]),
        ("Bo", "Silver", [_line(1, "R1", 2, 15), _line(1, "R2", 2, 15)]),
        ("Cy", "Silver", [_line(1, "R1", 2, 15), _line(1, "R2", 2, 15)]),
        ("<i>Di</i>", "Silver", [_line(1, "R1", 4, 8, dropped=True), _line(1, "R2", 5, 6)]),
    ]
    table = rank(competitors, held, DEFAULT_RULEBOOK)
    assert "countback" in DEFAULT_RULEBOOK.tie_break
    rows = standing_rows(table, held, DEFAULT_RULEBOOK.tie_break, "en")
    assert [(r.standing.competitor, r.place) for r in rows] == [
        ("Ann", "1"),
        ("Bo", "=2"),
        ("Cy", "=2"),
        ("<i>Di</i>", "4"),
    ]
    assert rows[0].note == "ahead on countback: 1 wins to 0"
    assert rows[1].note == rows[2].note == rows[3].note == ""
    assert rows[3].cells.count("<td") == 2 and '<s title="dropped">8</s>' in rows[3].cells
    assert rows[1].html.startswith("<tr><td>=2</td>") and "ahead on countback: 1 wins to 0" in rows[0].html
    assert "&lt;i&gt;Di&lt;/i&gt;" in rows[3].html and "<i>" not in rows[3].html
    swedish = standing_rows(table, held, DEFAULT_RULEBOOK.tie_break, "sv")
    assert swedish[0].note == "före på särskiljning: 1 segrar mot 0"


def test_countback_past_the_wins_names_the_place() -> None:
    held = [(1, "R1"), (1, "R2")]
    competitors = [
        ("Ann", "Silver", [_line(1, "R1", 2, 15), _line(1, "R2", 4, 10)]),
        ("Bo", "Silver", [_line(1, "R1", 3, 12), _line(1, "R2", 3, 13)]),
    ]
    rows = standing_rows(rank(competitors, held, DEFAULT_RULEBOOK), held, DEFAULT_RULEBOOK.tie_break, "en")
    assert [r.place for r in rows] == ["1", "2"]
    assert rows[0].note == "ahead on countback: 1 2nd places to 0"
