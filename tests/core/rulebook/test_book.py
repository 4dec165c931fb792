from __future__ import annotations

from fractions import Fraction

import pytest

from chequered import rulebooks
from chequered.core.errors import RulebookError
from chequered.core.rulebook import parse_rulebook

GOOD = """
[rulebook]
id = "test"
name = "Test series"
season = 2023

[classification]
min_distance = 0.75
distance_basis = "class"
must_take_flag = true

[assumptions]
"classification.min_distance" = "75 % as in GTWC 2023"
"""


def test_a_rulebook_reads_into_typed_rules() -> None:
    book = parse_rulebook(GOOD, "test.toml")
    assert book.classification.min_distance == Fraction(3, 4)
    assert book.classification.distance_basis == "class"
    assert book.classification.must_take_flag is True
    assert book.assumptions["classification.min_distance"].startswith("75 %")


@pytest.mark.parametrize(
    ("change", "key", "why"),
    [
        (("min_distance = 0.75", "min_distance = 1.5"), "classification.min_distance", "between 0 and 1"),
        (("min_distance = 0.75", 'min_distance = "most"'), "classification.min_distance", "fraction"),
        (('distance_basis = "class"', 'distance_basis = "team"'), "classification.distance_basis", "one of"),
        (("must_take_flag = true", "must_take_flag = 1"), "classification.must_take_flag", "true or false"),
        (
            ("must_take_flag = true", "must_take_flg = true"),
            "classification.must_take_flg",
            "not a known key",
        ),
        (('id = "test"', ""), "rulebook.id", "required"),
        (("season = 2023", "season = 23"), "rulebook.season", "at least 1900"),
        (("[classification]", "[classification"), "(file)", "not valid TOML"),
    ],
)
def test_errors_name_the_key_and_why(change: tuple[str, str], key: str, why: str) -> None:
    with pytest.raises(RulebookError) as caught:
        parse_rulebook(GOOD.replace(*change), "test.toml")
    assert caught.value.key == key
    assert why in caught.value.message
    assert str(caught.value).startswith(f"test.toml: {key}: ")


def test_packaged_rulebooks_load_by_name_and_unknown_names_say_what_exists() -> None:
    assert "imsa-2023" in rulebooks.packaged()
    for name in rulebooks.packaged():
        assert rulebooks.load(name).id == name
    with pytest.raises(RulebookError, match=r"packaged rulebooks: .*imsa-2023"):
        rulebooks.load("no-such-series")
