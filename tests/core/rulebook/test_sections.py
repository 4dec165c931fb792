from __future__ import annotations

from fractions import Fraction

import pytest

from chequered import rulebooks
from chequered.core.errors import RulebookError
from chequered.core.model import DriverCategory
from chequered.core.rulebook import parse_rulebook

S, B, G, P = DriverCategory.SILVER, DriverCategory.BRONZE, DriverCategory.GOLD, DriverCategory.PLATINUM


def test_gt4_europe_preset() -> None:
    rules = rulebooks.load("gt4-europe-2023")
    assert rules.points.scope == "class"
    assert rules.points.race == tuple(Fraction(p) for p in (25, 18, 15, 12, 10, 8, 6, 4, 2, 1))
    assert rules.points.qualifying == (Fraction(1),)
    assert rules.pit.window_open_min == 25 and rules.pit.window_close_min == 35
    assert rules.pit.stop_minimum_ms(None) == 88_000
    assert [c.id for c in rules.classes] == ["Silver", "Pro-Am", "Am"]
    silver, pro_am, am = rules.classes
    assert silver.admits((S, S)) and not silver.admits((S, B))
    assert pro_am.admits((S, B)) and pro_am.admits((B, G)) and not pro_am.admits((S, G))
    assert am.admits((B, B)) and not am.admits((B,))
    # every unconfirmed value is stated as an assumption
    for key in ("points.race", "pit.window_open_min", "pit.min_stop_s", "scoring.min_drive_minutes"):
        assert key in rules.assumptions
    assert [s.session for s in rules.calendar.sessions] == ["Q1", "Q2", "R1", "R2"]


def test_gtwc_sprint_scale_is_exact() -> None:
    rules = rulebooks.load("gtwc-europe-sprint-2023")
    assert rules.points.race[0] == Fraction(33, 2)
    assert sum(rules.points.race) == Fraction(125, 2)
    bronze = rules.class_rule("Bronze")
    assert bronze is not None and bronze.admits((B, P))
    pro = rules.class_rule("Pro")
    assert pro is not None and pro.admits((P, P, P))


def test_imsa_keeps_its_classification_values() -> None:
    rules = rulebooks.load("imsa-2023")
    assert rules.classification.min_distance == 0
    assert rules.classification.must_take_flag is False
    assert rules.points.race[:3] == (350, 320, 300)
    assert len(rules.points.race) == 30


def test_success_penalty_adds_to_the_minimum_stop() -> None:
    rules = parse_rulebook(
        '[rulebook]\nid = "x"\n[pit]\nmin_stop_s = 60\nsuccess_penalty_s = [15, 10, 5]\n', "x.toml"
    )
    assert [rules.pit.stop_minimum_ms(p) for p in (None, 1, 2, 3, 4)] == [
        60_000,
        75_000,
        70_000,
        65_000,
        60_000,
    ]


HEAD = '[rulebook]\nid = "bad"\n'


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('[points]\nscope = "team"\n', "points.scope: must be one of class, overall, not 'team'"),
        ("[points]\nrace = [25, 18, 20]\n", "points.race: must not increase"),
        ('[points]\nrace = [25, "x"]\n', r"points.race\[1\]: must be a number"),
        ("[points]\nrace = [25, -1]\n", r"points.race\[1\]: must not be negative"),
        ("[points]\nhalf_points_below = 1.5\n", "points.half_points_below: must be between 0 and 1"),
        ("[points]\ndouble_final = true\n", "points.double_final: is not a known key"),
        ("[[points.multipliers]]\nfactor = 2\n", r"points.multipliers\[0\].round: is required"),
        ("[[points.round_scales]]\nround = 8\n", r"points.round_scales\[0\].race: is required"),
        ("[[points.round_scales]]\nrace = [38, 27]\n", r"points.round_scales\[0\].round: is required"),
        ("[[points.round_scales]]\nround = 8\nrace = [2, 3]\n", r"points.round_scales\[0\].race: must not"),
        ('[scoring]\ncrew_share = "half"\n', "scoring.crew_share: must be one of full, split"),
        ("[scoring]\nteam_cars_counted = 0\n", "scoring.team_cars_counted: must be at least 1"),
        ('[non_scoring]\nplaces = "kept"\n', "non_scoring.places: must be one of passed_down, withheld"),
        ("[dropped]\nbest = 0\n", "dropped.best: must be at least 1"),
        ("[[dropped.parts]]\nrounds = []\nbest = 2\n", r"dropped.parts\[0\].rounds: must be a list"),
        ('[tie_break]\norder = ["coin_toss"]\n', r"tie_break.order\[0\]: must be one of countback"),
        ("[pit]\nwindow_open_min = 35\nwindow_close_min = 25\n", "pit.window_close_min: must be after"),
        ("[pit]\nmin_drive_min = 30\nmax_drive_min = 20\n", "pit.max_drive_min: must not be below"),
        ('[pit]\nmin_stop_s = "88s"\n', "pit.min_stop_s: must be a number"),
        (
            '[[classes]]\nid = "Am"\ncrews = [["Bronze", "Copper"]]\n',
            r"classes\[0\].crews\[0\]: 'Copper' is not",
        ),
        ('[[classes]]\nid = "Am"\n[[classes]]\nid = "Am"\n', "classes: class 'Am' is defined twice"),
        ('[calendar]\nsessions = [{ session = "R1", type = "heat" }]\n', r"calendar.sessions\[0\].type"),
        ("[points\n", "not valid TOML"),
    ],
)
def test_bad_rulebooks_name_the_key(body: str, message: str) -> None:
    with pytest.raises(RulebookError, match=message) as info:
        parse_rulebook(HEAD + body, "bad.toml")
    assert str(info.value).startswith("bad.toml: ")
    assert "\n" not in str(info.value).split(": not valid TOML")[0]


def test_wec_2024_scales_its_long_races_as_published() -> None:
    points = rulebooks.load("wec-2024").points
    assert points.round_scale(1, "R") == tuple(Fraction(p) for p in (38, 27, 23, 18, 15, 12, 9, 6, 3, 2))
    assert points.round_scale(4, "R") == tuple(Fraction(p) for p in (50, 36, 30, 24, 20, 16, 12, 8, 4, 2))
    assert points.round_scale(2, "R") is None  # six hours: the normal scale
