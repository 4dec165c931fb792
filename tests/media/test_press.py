"""Press releases written from the store, and the result card."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from chequered.core.errors import ParseError
from chequered.core.model import Driver, Entry
from chequered.media.card import result_card
from chequered.media.press import (
    PressError,
    home_zone,
    read_team_text,
    to_html,
    write_release,
    write_releases,
)
from chequered.store.store import Store

ENTRY = "racing-one-backman"


def test_report_in_the_seeds_form(press_store: Store) -> None:
    en = write_release(press_store, "gt4-europe-2023", ENTRY, 2, "report", "en").markdown
    for line in (
        "Free Practice 1: 7th place",
        "Free Practice 2: 45th place",
        "Timed Qualifying 1 (Q1): 42nd place",
        "Timed Qualifying 2 (Q2): 13th place",
        "Race 1: DNF (Retired)",
        "Race 2: DNS (Did not start)",
        "June 2nd-4th",
        "57 cars",
        "Silver",
    ):
        assert line in en
    sv = write_release(press_store, "gt4-europe-2023", ENTRY, 2, "report", "sv").markdown
    for line in (
        "Tidskval 1 (Q1): 42:a plats",
        "Race 1: DNF (Bröt)",
        "Race 2: DNS (Startade inte)",
        "2–4 juni",
    ):
        assert line in sv
    assert "[QUOTE" in en and "[CITAT" in sv


def test_preview_schedule_in_home_time_and_quotes_from_the_team(tmp_path: Path, press_store: Store) -> None:
    quotes = tmp_path / "team.toml"
    quotes.write_text(
        'photo = "GTPhotography"\n[[quotes]]\nwho = "Jessica Bäckman"\ntext = "Hot weekend ahead"\n', "utf-8"
    )
    sv = write_release(
        press_store, "gt4-europe-2023", ENTRY, 4, "preview", "sv", read_team_text(quotes)
    ).markdown
    assert (
        "alla tidsangivelser avser svensk tid" in sv
        and "Hot weekend ahead" in sv
        and "Foto: GTPhotography" in sv
    )
    assert "Längd: 4,064 km" in sv and "Antal kurvor: 16" in sv and "48-bilar" in sv
    en = write_release(press_store, "gt4-europe-2023", ENTRY, 4, "preview", "en")
    assert "(all times CEST" in en.markdown and "17:30" in en.markdown
    assert "<li>" in to_html(en)
    bad = tmp_path / "bad.toml"
    bad.write_text("[[quotes]]\nwho = 3\n", "utf-8")
    with pytest.raises(ParseError, match=r"quotes\[0\]"):
        read_team_text(bad)
    with pytest.raises(PressError, match="no entry"):
        write_release(press_store, "gt4-europe-2023", "nobody", 4, "preview", "en")


def test_result_card_is_1200_by_630(press_store: Store) -> None:
    image = Image.open(io.BytesIO(result_card(press_store, "2023-misano-R2", "19")))
    assert image.size == (1200, 630) and image.format == "PNG"


def test_a_kit_folds_the_season_once_and_writes_the_same_releases(press_store: Store) -> None:
    kit = write_releases(press_store, "gt4-europe-2023", ENTRY, 2)
    assert [(r.kind, r.lang) for r in kit] == [
        ("preview", "en"),
        ("preview", "sv"),
        ("report", "en"),
        ("report", "sv"),
    ]
    for release in kit:
        alone = write_release(press_store, "gt4-europe-2023", ENTRY, 2, release.kind, release.lang)
        assert alone.markdown == release.markdown
    assert kit[2].facts["championship"] == kit[3].facts["championship"] is not None


@pytest.mark.parametrize(
    ("nationalities", "zone"),
    [
        (("SWE", "SWE"), "Europe/Stockholm"),
        (("", "FIN"), "Europe/Helsinki"),  # the first driver whose country has one zone
        (("NOR",), "Europe/Oslo"),
        (("GER",), "Europe/Berlin"),  # a sporting code (ISO: DEU); Büsingen keeps Berlin's clock
        (("NED", "GER"), "Europe/Amsterdam"),
        (("ESP",), "Africa/Ceuta"),  # Madrid's clock, which two of Spain's three zones keep
        (("USA", "SUI"), "Europe/Zurich"),  # no one clock in the United States: the next driver's
        (("USA",), "Europe/Paris"),  # nobody's: the circuit's
        (("",), "Europe/Paris"),
    ],
)
def test_home_zone_from_the_drivers_country(nationalities: tuple[str, ...], zone: str) -> None:
    entry = Entry(
        "1", "1", drivers=tuple(Driver(f"D{i}", nationality=n) for i, n in enumerate(nationalities))
    )
    assert home_zone(entry, "Europe/Paris") == zone


def test_a_british_crew_reads_its_schedule_in_london_time(press_store: Store) -> None:
    en = write_release(press_store, "gt4-europe-2023", "48", 4, "preview", "en").markdown
    assert "(all times BST; at the circuit CEST)" in en
