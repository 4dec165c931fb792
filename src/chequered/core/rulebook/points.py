"""Rulebook sections for the championship: points, who scores, non-scoring entries, dropped scores,
tie-breaks and the calendar the title scenarios look ahead on.

Points are exact fractions (``16.5`` is 33/2), so halving and sharing never lose a hundredth.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from fractions import Fraction

from chequered.core.rulebook.reader import TableReader

SCOPES = ("class", "overall")
SESSION_TYPES = ("race", "sprint", "qualifying", "sprint_qualifying")
RACE_TYPES = ("race", "sprint")
TIE_BREAKS = ("countback", "earliest_best")


@dataclass(frozen=True, slots=True)
class Multiplier:
    """Points of ``round`` (and only ``session`` when given) are multiplied by ``factor``."""

    round: int
    session: str | None
    factor: Fraction


@dataclass(frozen=True, slots=True)
class RoundScale:
    """The races of ``round`` (only ``session`` when given) score ``race`` instead of the normal scale:
    a published scale of a longer race that is not the normal one times a factor."""

    round: int
    session: str | None
    race: tuple[Fraction, ...]


@dataclass(frozen=True, slots=True)
class DistanceTier:
    """A race run over less than ``below`` of its planned distance (and at least the tiers below it)
    scores ``scale`` when given, else its normal points times ``factor``."""

    below: Fraction
    factor: Fraction = Fraction(1)
    scale: tuple[Fraction, ...] | None = None


@dataclass(frozen=True, slots=True)
class PointsRules:
    """How many points a result is worth.

    ``scope``: points by class position or by overall position. ``race`` and ``sprint`` are scales by
    place; ``qualifying`` the points for the fastest cars of each qualifying session (``[1]`` = a pole
    point), by ``qualifying_scope``. ``fastest_lap`` goes to the fastest car of each race (within the
    scope), only when it finishes at or above ``fastest_lap_within`` if set. A race run over less than
    ``half_points_below`` of its planned distance or time scores ``reduced_factor`` of its points, below
    ``no_points_below`` none. ``ties``: cars sharing a place ``share`` the points of the places they span,
    or each get the ``higher`` place's points.

    ``sprint_qualifying`` scores the qualifying for a sprint (none by default: a pole point for the main
    race only). ``fastest_lap_sessions`` are the session types a fastest-lap point is given in;
    ``fastest_lap_classified`` false gives it also to a car that is not classified; ``fastest_lap_ties``
    ``split`` divides it between cars that set the same fastest lap, ``each`` gives each of them all of it.
    ``distance_tiers`` (sorted by ``below``) replace ``half_points_below`` with several tiers, and
    ``min_green_laps`` is the number of green-flag laps a race needs before anything is scored.
    ``round_scales`` give a round's races (or one session's) a scale of their own; multipliers and
    distance tiers apply to it as to the normal scale, and a tier's own scale replaces it.
    """

    scope: str = "class"
    race: tuple[Fraction, ...] = ()
    sprint: tuple[Fraction, ...] | None = None
    qualifying: tuple[Fraction, ...] = ()
    qualifying_scope: str = "class"
    fastest_lap: Fraction = Fraction(0)
    fastest_lap_within: int | None = None
    multipliers: tuple[Multiplier, ...] = ()
    half_points_below: Fraction = Fraction(0)
    reduced_factor: Fraction = Fraction(1, 2)
    no_points_below: Fraction = Fraction(0)
    ties: str = "share"
    sprint_qualifying: tuple[Fraction, ...] = ()
    fastest_lap_sessions: tuple[str, ...] = RACE_TYPES
    fastest_lap_classified: bool = True
    fastest_lap_ties: str = "each"
    distance_tiers: tuple[DistanceTier, ...] = ()
    min_green_laps: int = 0
    round_scales: tuple[RoundScale, ...] = ()

    def scale(self, session_type: str) -> tuple[Fraction, ...]:
        if session_type == "qualifying":
            return self.qualifying
        if session_type == "sprint_qualifying":
            return self.sprint_qualifying
        if session_type == "sprint" and self.sprint is not None:
            return self.sprint
        return self.race

    def round_scale(self, round_: int, session: str) -> tuple[Fraction, ...] | None:
        """The race scale of ``round_``'s ``session`` where the round has one of its own."""
        mine = [own for own in self.round_scales if own.round == round_ and own.session in (None, session)]
        # one session's own scale before the round's
        mine.sort(key=lambda own: own.session is None)
        return mine[0].race if mine else None

    def tier(self, fraction: Fraction | None) -> DistanceTier | None:
        """The distance tier of a race run over ``fraction`` of its planned distance, if any."""
        if fraction is None:
            return None
        return next((t for t in self.distance_tiers if fraction < t.below), None)

    def factor(self, round_: int, session: str) -> Fraction:
        factor = Fraction(1)
        for m in self.multipliers:
            if m.round == round_ and (m.session is None or m.session == session):
                factor *= m.factor
        return factor

    def distance_factor(self, fraction: Fraction | None) -> Fraction:
        if fraction is None:
            return Fraction(1)
        if fraction < self.no_points_below:
            return Fraction(0)
        if fraction < self.half_points_below:
            return self.reduced_factor
        return Fraction(1)


@dataclass(frozen=True, slots=True)
class ScoringRules:
    """Who scores: ``crew_share`` ``full`` gives every driver of the crew the car's points, ``split``
    divides them among the drivers who qualify to score; a driver needs ``min_drive_minutes`` at the
    wheel to score (checked only where driving times are known); a team scores with its best
    ``team_cars_counted`` cars of each session (all when None), per class or overall."""

    crew_share: str = "full"
    min_drive_minutes: int | None = None
    team_cars_counted: int | None = None
    team_scope: str = "class"


@dataclass(frozen=True, slots=True)
class NonScoringRules:
    """Entries that race but do not score: their places are ``passed_down`` to the scoring cars behind,
    or ``withheld`` (the places they took score nobody)."""

    places: str = "passed_down"


@dataclass(frozen=True, slots=True)
class DropPart:
    rounds: tuple[int, ...]
    best: int


@dataclass(frozen=True, slots=True)
class DroppedRules:
    """Dropped scores: count only the ``best`` race results of the season and/or the best of each part.

    Qualifying points are never dropped. A race a competitor did not take part in counts as a zero
    result and is the first to be dropped.
    """

    best: int | None = None
    parts: tuple[DropPart, ...] = ()


@dataclass(frozen=True, slots=True)
class CalendarSession:
    session: str
    session_type: str


@dataclass(frozen=True, slots=True)
class CalendarRules:
    """The scoring sessions of the season, for title scenarios before the results exist."""

    rounds: int | None = None
    sessions: tuple[CalendarSession, ...] = ()


def parse_points(reader: TableReader) -> PointsRules:
    multipliers = []
    for table in reader.tables("multipliers"):
        round_ = table.integer("round", None, minimum=1)
        if round_ is None:
            raise table.error("round", "is required")
        session = table.string("session", "") or None
        factor = table.amount("factor", Fraction(1))
        table.finish()
        multipliers.append(Multiplier(round_, session, factor))
    tiers = []
    for table in reader.tables("distance_tiers"):
        below = table.fraction("below", Fraction(-1))
        if below < 0:
            raise table.error("below", "is required")
        scale_raw = table.raw("race", None)
        tier = DistanceTier(
            below=below,
            factor=table.amount("factor", Fraction(1)),
            scale=table.amounts("race") if scale_raw is not None else None,
        )
        table.finish()
        tiers.append(tier)
    round_scales = []
    for table in reader.tables("round_scales"):
        round_ = table.integer("round", None, minimum=1)
        if round_ is None:
            raise table.error("round", "is required")
        table.raw("race", None, required=True)
        own = RoundScale(round_, table.string("session", "") or None, table.amounts("race"))
        if any(b > a for a, b in itertools.pairwise(own.race)):
            raise table.error("race", "must not increase from one place to the next")
        table.finish()
        round_scales.append(own)
    if any(b.below <= a.below for a, b in itertools.pairwise(tiers)):
        raise reader.error("distance_tiers", "must be in increasing order of below")
    fastest_sessions = reader.strings("fastest_lap_sessions", RACE_TYPES)
    for i, name in enumerate(fastest_sessions):
        if name not in RACE_TYPES:
            raise reader.error(f"fastest_lap_sessions[{i}]", f"must be race or sprint, not {name!r}")
    race = reader.amounts("race")
    sprint_raw = reader.raw("sprint", None)
    rules = PointsRules(
        scope=reader.choice("scope", SCOPES, "class"),
        race=race,
        sprint=reader.amounts("sprint") if sprint_raw is not None else None,
        qualifying=reader.amounts("qualifying"),
        qualifying_scope=reader.choice("qualifying_scope", SCOPES, "class"),
        fastest_lap=reader.amount("fastest_lap", Fraction(0)),
        fastest_lap_within=reader.integer("fastest_lap_within", None, minimum=1),
        multipliers=tuple(multipliers),
        half_points_below=reader.fraction("half_points_below", Fraction(0)),
        reduced_factor=reader.fraction("reduced_factor", Fraction(1, 2)),
        no_points_below=reader.fraction("no_points_below", Fraction(0)),
        ties=reader.choice("ties", ("share", "higher"), "share"),
        sprint_qualifying=reader.amounts("sprint_qualifying"),
        fastest_lap_sessions=fastest_sessions,
        fastest_lap_classified=reader.boolean("fastest_lap_classified", True),
        fastest_lap_ties=reader.choice("fastest_lap_ties", ("each", "split"), "each"),
        distance_tiers=tuple(tiers),
        min_green_laps=reader.integer("min_green_laps", 0, minimum=0) or 0,
        round_scales=tuple(round_scales),
    )
    if any(b > a for a, b in itertools.pairwise(race)):
        raise reader.error("race", "must not increase from one place to the next")
    if rules.no_points_below > rules.half_points_below and rules.half_points_below:
        raise reader.error("no_points_below", "must not be above half_points_below")
    reader.finish()
    return rules


def parse_scoring(reader: TableReader) -> ScoringRules:
    rules = ScoringRules(
        crew_share=reader.choice("crew_share", ("full", "split"), "full"),
        min_drive_minutes=reader.integer("min_drive_minutes", None, minimum=0),
        team_cars_counted=reader.integer("team_cars_counted", None, minimum=1),
        team_scope=reader.choice("team_scope", SCOPES, "class"),
    )
    reader.finish()
    return rules


def parse_non_scoring(reader: TableReader) -> NonScoringRules:
    rules = NonScoringRules(places=reader.choice("places", ("passed_down", "withheld"), "passed_down"))
    reader.finish()
    return rules


def parse_dropped(reader: TableReader) -> DroppedRules:
    parts = []
    for table in reader.tables("parts"):
        rounds = table.raw("rounds", None, required=True)
        if (
            not isinstance(rounds, list)
            or not rounds
            or not all(isinstance(r, int) and not isinstance(r, bool) and r >= 1 for r in rounds)
        ):
            raise table.error("rounds", f"must be a list of round numbers, not {rounds!r}")
        best = table.integer("best", None, minimum=1)
        if best is None:
            raise table.error("best", "is required")
        table.finish()
        parts.append(DropPart(tuple(rounds), best))
    rules = DroppedRules(best=reader.integer("best", None, minimum=1), parts=tuple(parts))
    reader.finish()
    return rules


@dataclass(frozen=True, slots=True)
class CountbackRules:
    """What countback counts: places in ``sessions`` (session types), the places that ``scored``
    (after non-scoring places were passed down, points or not) or the finishing positions as
    ``classified`` in the results, including finishes in entries that do not score."""

    sessions: tuple[str, ...] = RACE_TYPES
    places: str = "scored"


def parse_tie_break(reader: TableReader) -> tuple[tuple[str, ...], CountbackRules]:
    order = reader.strings("order", TIE_BREAKS)
    for i, name in enumerate(order):
        if name not in TIE_BREAKS:
            raise reader.error(f"order[{i}]", f"must be one of {', '.join(TIE_BREAKS)}, not {name!r}")
    sessions = reader.strings("countback_sessions", RACE_TYPES)
    for i, name in enumerate(sessions):
        if name not in SESSION_TYPES:
            raise reader.error(
                f"countback_sessions[{i}]", f"must be one of {', '.join(SESSION_TYPES)}, not {name!r}"
            )
    rules = CountbackRules(
        sessions=sessions, places=reader.choice("countback_places", ("scored", "classified"), "scored")
    )
    reader.finish()
    return order, rules


def parse_calendar(reader: TableReader) -> CalendarRules:
    sessions = []
    for table in reader.tables("sessions"):
        sessions.append(
            CalendarSession(
                session=table.string("session", required=True),
                session_type=table.choice("type", SESSION_TYPES, "race"),
            )
        )
        table.finish()
    rules = CalendarRules(rounds=reader.integer("rounds", None, minimum=1), sessions=tuple(sessions))
    reader.finish()
    return rules
