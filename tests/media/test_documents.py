"""Official documents: versions with change lists, the PDF read back with poppler."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
from pathlib import Path

import orjson
import pytest

from chequered.core.events import Publication, TimePenalty
from chequered.media.documents import (
    SESSION_KINDS,
    Document,
    classification,
    entry_list,
    session_document,
    standings_document,
)
from chequered.store.store import Store

R1 = "2023-misano-R1"


def test_every_session_document_has_rows_in_every_format(press_store: Store) -> None:
    for kind in SESSION_KINDS:
        doc = session_document(press_store, R1, kind)
        assert doc.rows, kind
        assert doc.csv().decode().splitlines()[0].split(",")[0] == doc.columns[0]
        assert len(orjson.loads(doc.json())["rows"]) == len(doc.rows)
    assert len(entry_list(press_store, "gt4-europe-2023", 4).rows) == 48  # seed 003: "48-cars strong grid"
    assert standings_document(press_store, "gt4-europe-2023").rows


def test_a_csv_cell_that_would_start_a_formula_is_text(press_store: Store) -> None:
    """A spreadsheet opening a document's CSV runs no formula from a name in a timing file; figures
    (gaps "+1.234", "+2 laps", the leader's "-") are left as they are."""
    for kind in SESSION_KINDS:  # the real documents: no cell changed
        doc = session_document(press_store, R1, kind)
        assert list(csv.reader(io.StringIO(doc.csv().decode()))) == [list(doc.columns), *map(list, doc.rows)]
    hostile = ('=HYPERLINK("http://x","Team")', "@SUM(A1)", "+1+cmd|' /C calc'!A0", "-2+3", "\t=1")
    figures = ("+1.234", "+2 laps", "+1 lap", "+1:02.345", "-1", "-", "Eve-Marie")
    doc = Document("hostile", ("cell",), tuple((cell,) for cell in hostile + figures))
    read = [row[0] for row in csv.reader(io.StringIO(doc.csv().decode()))][1:]
    assert read == [f"'{cell}" for cell in hostile] + list(figures)
    assert orjson.loads(doc.json())["rows"][0] == {"cell": hostile[0]}  # the data itself is unchanged


def test_a_penalty_after_the_provisional_results_is_a_new_version_that_names_it(
    tmp_path: Path, press_store: Store
) -> None:
    session = "2023-misano-R2"
    first = classification(press_store, session)
    assert first.stamp == "official" and first.meta["Version"] == "2 of 2"
    winner = first.rows[0][1]
    car = next(
        r.car
        for r in press_store.state(session, press_store.position(session)).classification.results
        if r.entry.number == winner
    )
    press_store.append(session, [TimePenalty(car, 30_000, "causing a collision")], "steward")
    press_store.publish(session, Publication.FINAL, "steward")
    third = classification(press_store, session)
    assert third.meta["Version"] == "3 of 3"
    assert f"#{winner}: 30 s time penalty (causing a collision)" in third.changes
    assert any(c.startswith(f"#{winner}: position 1 → ") for c in third.changes)
    assert classification(press_store, session, 1).stamp == "provisional"  # earlier versions kept
    assert classification(press_store, session, 2).rows == first.rows


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils missing: run make test")
def test_the_pdf_reads_back_with_numbers_positions_and_stamp(tmp_path: Path, press_store: Store) -> None:
    doc = classification(press_store, R1, 1)
    pdf = tmp_path / "c.pdf"
    pdf.write_bytes(doc.render("pdf"))
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "PROVISIONAL" in text.upper() and "Version: 1 of 2" in text
    for row in doc.rows[-5:] + doc.rows[:5]:
        assert row[1] in text
    assert "75% of the winner" in text
    subprocess.run(
        ["pdftoppm", "-png", "-r", "40", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "p")], check=True
    )
    png = next(tmp_path.glob("p*.png"))
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 2000
