"""The rules of a series as data: a TOML rulebook, validated into frozen dataclasses.

Every key is checked for type and range, unknown keys are refused (a typo must not silently fall back
to a default), and each error names the key and why it is wrong. Values that no source confirms are
listed under ``[assumptions]`` with the reason, so a reader can tell a rule from a guess.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction

from chequered.core.errors import RulebookError
from chequered.core.rulebook.points import (
    TIE_BREAKS,
    CalendarRules,
    CountbackRules,
    DroppedRules,
    NonScoringRules,
    PointsRules,
    ScoringRules,
    parse_calendar,
    parse_dropped,
    parse_non_scoring,
    parse_points,
    parse_scoring,
    parse_tie_break,
)
from chequered.core.rulebook.race import ClassRule, PitRules, parse_classes, parse_pit
from chequered.core.rulebook.reader import TableReader


@dataclass(frozen=True, slots=True)
class ClassificationRules:
    """Who is classified.

    ``min_distance`` is the fraction of the winner's laps a car must cover (0 = no threshold);
    ``distance_basis`` says whose laps: the overall winner's or the car's class winner's.
    ``must_take_flag``: a car that did not cross the line under the chequered flag is not classified.
    """

    min_distance: Fraction = Fraction(0)
    distance_basis: str = "overall"
    must_take_flag: bool = False


@dataclass(frozen=True, slots=True)
class Rulebook:
    id: str
    name: str
    season: int | None = None
    classification: ClassificationRules = field(default_factory=ClassificationRules)
    assumptions: Mapping[str, str] = field(default_factory=dict)
    classes: tuple[ClassRule, ...] = ()
    points: PointsRules = field(default_factory=PointsRules)
    scoring: ScoringRules = field(default_factory=ScoringRules)
    non_scoring: NonScoringRules = field(default_factory=NonScoringRules)
    dropped: DroppedRules = field(default_factory=DroppedRules)
    tie_break: tuple[str, ...] = TIE_BREAKS
    countback: CountbackRules = field(default_factory=CountbackRules)
    pit: PitRules = field(default_factory=PitRules)
    calendar: CalendarRules = field(default_factory=CalendarRules)

    def class_rule(self, car_class: str) -> ClassRule | None:
        return next((c for c in self.classes if c.id == car_class), None)


DEFAULT_RULEBOOK = Rulebook(id="default", name="No threshold, flag not required")


def _classification(reader: TableReader) -> ClassificationRules:
    rules = ClassificationRules(
        min_distance=reader.fraction("min_distance", Fraction(0)),
        distance_basis=reader.choice("distance_basis", ("overall", "class"), "overall"),
        must_take_flag=reader.boolean("must_take_flag", False),
    )
    reader.finish()
    return rules


def parse_rulebook(text: str, source: str = "<rulebook>") -> Rulebook:
    """Parse and validate a rulebook; raise ``RulebookError`` naming the key on any problem."""
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RulebookError(source, "(file)", f"not valid TOML: {exc}") from None
    root = TableReader(source, document, "")
    head = root.table_("rulebook")
    identity = head.string("id", required=True)
    name = head.string("name", identity)
    season = head.integer("season", None, minimum=1900)
    head.finish()
    classification = _classification(root.table_("classification"))
    classes = parse_classes(root, "classes")
    points = parse_points(root.table_("points"))
    scoring = parse_scoring(root.table_("scoring"))
    non_scoring = parse_non_scoring(root.table_("non_scoring"))
    dropped = parse_dropped(root.table_("dropped"))
    tie_break, countback = parse_tie_break(root.table_("tie_break"))
    pit = parse_pit(root.table_("pit"))
    calendar = parse_calendar(root.table_("calendar"))
    assumptions_reader = root.table_("assumptions")
    assumptions: dict[str, str] = {}
    for key in list(assumptions_reader.table):
        assumptions[key] = assumptions_reader.string(key)
    root.finish()
    return Rulebook(
        id=identity,
        name=name,
        season=season,
        classification=classification,
        assumptions=assumptions,
        classes=classes,
        points=points,
        scoring=scoring,
        non_scoring=non_scoring,
        dropped=dropped,
        tie_break=tie_break,
        countback=countback,
        pit=pit,
        calendar=calendar,
    )
