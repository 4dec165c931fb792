"""Language helpers: ordinals, status words and date ranges as the seeds print them, in both languages."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from chequered.core.model import Status
from chequered.media.i18n import (
    LANGUAGES,
    choose_language,
    country_name,
    format_clock,
    format_date_range,
    ordinal,
    status_text,
)


@pytest.mark.parametrize(
    ("n", "en", "sv"),
    [
        (1, "1st", "1:a"),
        (2, "2nd", "2:a"),
        (3, "3rd", "3:e"),
        (4, "4th", "4:e"),
        (11, "11th", "11:e"),
        (12, "12th", "12:e"),
        (13, "13th", "13:e"),
        (21, "21st", "21:a"),
        (42, "42nd", "42:a"),
        (43, "43rd", "43:e"),
    ],
)
def test_ordinals(n: int, en: str, sv: str) -> None:
    assert ordinal(n, "en") == en
    assert ordinal(n, "sv") == sv


def test_status_words_in_both_languages() -> None:
    assert status_text(Status.RETIRED, "en") == "DNF (Retired)"
    assert status_text(Status.DID_NOT_START, "en") == "DNS (Did not start)"
    assert status_text(Status.DISQUALIFIED, "en") == "DSQ (Disqualified)"
    assert status_text(Status.NOT_CLASSIFIED, "en") == "NC (Not classified)"
    for status in Status:
        assert status_text(status, "sv") != status_text(status, "en")
    assert status_text(Status.RETIRED, "sv") == "DNF (Bröt)"


def test_date_ranges() -> None:
    assert format_date_range(date(2023, 6, 3), date(2023, 6, 4), "en") == "June 3rd-4th"  # the seeds' form
    assert format_date_range(date(2023, 6, 3), date(2023, 6, 4), "sv") == "3–4 juni"
    assert "July" in format_date_range(date(2023, 6, 30), date(2023, 7, 2), "en")
    assert format_date_range(date(2023, 6, 29), date(2023, 7, 2), "en") == "June 29th-July 2nd"
    assert format_date_range(date(2023, 6, 29), date(2023, 7, 2), "sv") == "29 juni–2 juli"


def test_clock_names_the_zone_and_follows_daylight_saving() -> None:
    stockholm = ZoneInfo("Europe/Stockholm")
    assert format_clock(datetime(2023, 6, 3, 12, 30, tzinfo=UTC), stockholm, "sv") == "14:30 CEST"
    assert format_clock(datetime(2023, 10, 29, 12, 30, tzinfo=UTC), stockholm, "en") == "13:30 CET"


def test_language_choice() -> None:
    assert "sv" in LANGUAGES
    assert choose_language("sv", "en", "en-GB") == "sv"
    assert choose_language(None, "sv", "en-GB") == "sv"
    assert choose_language(None, None, "sv-SE,sv;q=0.9,en;q=0.5") == "sv"
    assert choose_language("xx", None, "de-DE") == "en"


def test_country_names_come_from_cldr_in_each_language() -> None:
    # The circuits' countries as the season file spells them (English), in Swedish as the seeds write them.
    assert [country_name(c, "sv") for c in ("France", "Belgium", "Germany", "Netherlands")] == [
        "Frankrike",
        "Belgien",
        "Tyskland",
        "Nederländerna",
    ]
    assert country_name("Italy", "en") == "Italy"
    assert country_name("Atlantis", "sv") == "Atlantis"  # a name CLDR does not know is kept
