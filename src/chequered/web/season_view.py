"""The season as the site's pages read it, built once per change of the store and shared by every
page, language and zone: each session's folded state at its log head, the points of the published
results (the store's one scoring path, as of each session's latest publication), and the standings
tables laid out once per season version and language."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Any, cast
from urllib.parse import quote

from fastapi import Request
from markupsafe import Markup, escape

from chequered.core.events import Publication
from chequered.core.model import Event, Session
from chequered.core.points import Award, SessionResult, award_points
from chequered.core.rulebook import Rulebook
from chequered.core.standings import Standing, countback, driver_standings, earliest_best, team_standings
from chequered.media.i18n import gettext, ordinal
from chequered.store.championship import published_results, session_label
from chequered.store.readmodels import Cache, SessionState
from chequered.store.schedule import start_changes
from chequered.store.season import SeasonInfo, non_scoring_cars
from chequered.store.store import Store
from chequered.web.deps import store_of
from chequered.web.problems import Problem


@dataclass(slots=True)
class SessionView:
    event: Event
    session: Session
    seq: int
    state: SessionState | None

    @property
    def id(self) -> str:
        return self.session.id

    @property
    def label(self) -> str:
        return session_label(self.event, self.session.id)

    @property
    def published(self) -> tuple[Any, ...]:
        return self.state.publications if self.state else ()

    @property
    def phase(self) -> str:
        """not-started, running (laps, nothing published), provisional or final."""
        if not self.seq or self.state is None or not self.state.laps:
            return "not-started"
        statuses = {p.publication.status for p in self.state.publications}
        if Publication.FINAL in statuses:
            return "final"
        return "provisional" if Publication.PROVISIONAL in statuses else "running"


@dataclass(slots=True)
class Scoring:
    """Points and standings of one set of published results: shared by every season view with the
    same published sessions at the same log positions, so laps of a running (unpublished) race, or a
    moved start, do not award the season's points again."""

    awards: tuple[Award, ...] | None = None
    tables: dict[tuple[bool, str], tuple[Standing, ...]] = field(default_factory=dict)
    by_result: dict[tuple[int, str, str], Award] | None = None
    rows: dict[tuple[bool, str, str], list[StandingRow]] = field(default_factory=dict)


@dataclass(slots=True)
class SeasonView:
    info: SeasonInfo
    rounds: list[Event]
    sessions: list[SessionView]
    changes: dict[str, int]
    non_scoring: frozenset[str]
    rulebook: Rulebook
    results: list[SessionResult]
    scoring: Scoring = field(default_factory=Scoring)
    by_id: dict[str, SessionView] = field(default_factory=dict)
    _memo: dict[Hashable, Any] = field(default_factory=dict)

    def memo(self, key: Hashable, build: Callable[[], Any]) -> Any:
        """What a page works out from this version of the season (stints, charts, a car's sessions),
        worked out once and shared by every page, language and zone that reads it."""
        if key not in self._memo:
            self._memo[key] = build()
        return self._memo[key]

    def stints(self, s: SessionState) -> dict[str, Any]:
        return cast(dict[str, Any], self.memo(("stints", s.info.session.id, s.seq), s.stints))

    def __post_init__(self) -> None:
        self.by_id = {s.id: s for s in self.sessions}

    @property
    def classes(self) -> list[str]:
        return sorted({r.car_class for r in self.results if r.car_class})

    def awards(self) -> tuple[Award, ...]:
        if self.scoring.awards is None:
            self.scoring.awards = award_points(self.results, self.rulebook)
        return self.scoring.awards

    def award(self, round_: int, label: str, number: str) -> Award | None:
        """What a car's published result in one session scored."""
        if self.scoring.by_result is None:
            awards = self.awards()
            self.scoring.by_result = {(a.result.round, a.result.session, a.result.number): a for a in awards}
        return self.scoring.by_result.get((round_, label, number))

    def standings(self, teams: bool, car_class: str) -> tuple[Standing, ...]:
        """One class's drivers' or teams' standings from the published results, points awarded once
        for the season (a render of a page after a new event reuses them)."""
        key = (teams, car_class)
        tables = self.scoring.tables
        if key not in tables:
            compute = team_standings if teams else driver_standings
            tables[key] = compute(self.awards(), self.rulebook, None, car_class)
        return tables[key]

    def columns(self) -> list[tuple[int, str]]:
        """The standings' round-by-round columns: every published scoring session, in running order."""
        return sorted(
            {(r.round, r.session) for r in self.results}, key=lambda k: (k[0], _session_order(k[1]))
        )

    def standing_rows(self, teams: bool, car_class: str, lang: str) -> list[StandingRow]:
        """One class's standings as the page shows them (place with ties, the tie-break that decided,
        each round's cells as HTML), built once per season version and language: the reader's zone
        does not change a standings table, and a table of hundreds of drivers is too slow to lay out
        cell by cell in the template on every render."""
        key = (teams, car_class, lang)
        rows = self.scoring.rows
        if key not in rows:
            table = self.standings(teams, car_class)
            rows[key] = standing_rows(table, self.columns(), self.rulebook.tie_break, lang, teams)
        return rows[key]


def current_season(store: Store) -> SeasonInfo:
    """The season the site shows: the store's latest."""
    seasons = store.seasons()
    if not seasons:
        raise Problem(404, "no season in the store yet; seed one with `chequered serve`")
    return seasons[-1]


_SITE_KEY = (
    "SELECT CAST((SELECT coalesce(max(seq), 0) FROM event) AS TEXT) || ':' || "
    "CAST((SELECT coalesce(sum(start_changes), 0) FROM session) AS TEXT) || ':' || "
    "CAST((SELECT count(*) FROM session) AS TEXT)"
)


def site_key(store: Store) -> str:
    """What every page depends on, in one cheap query: the store's last event (a lap, penalty or
    publication anywhere), the start moves and the sessions there are."""
    return str(store.database.quick_scalar(_SITE_KEY, ()))


def season_view(request: Request) -> SeasonView:
    """The season as every page reads it, built once per change of the store (``site_key``) and shared
    by every page, language and zone."""
    store = store_of(request)
    state = request.app.state
    cache: Cache | None = getattr(state, "site_cache", None)
    if cache is None:
        cache = state.site_cache = Cache(4)
        state.site_scoring = Cache(8)
    scoring: Cache = state.site_scoring
    return cast(
        SeasonView, cache.get_or_build(("season", site_key(store)), lambda: _build_view(store, scoring))
    )


def _build_view(store: Store, scored: Cache) -> SeasonView:
    """The season at the store's heads. A session whose log has not moved reuses its folded state (the
    store caches it per log position). Points come from the store's published results (each session as
    of its latest publication, the API's and the CLI's one path), scored once per set of publications
    (``scored``): laps of a running race, or a penalty not yet republished, award nothing."""
    info = current_season(store)
    rounds = store.rounds(info.id)
    ids = [s.id for event in rounds for s in event.sessions]
    heads = store.heads(ids)
    sessions = [
        SessionView(event, s, heads.get(s.id, 0), store.state(s.id, heads[s.id]) if heads.get(s.id) else None)
        for event in rounds
        for s in event.sessions
    ]
    with store.database.read() as conn:
        guests = non_scoring_cars(conn, info.id)
    published = published_results(store, info.id)
    scoring = cast(Scoring, scored.get_or_build(("scoring", info.id, info.rulebook, published.key), Scoring))
    changes = start_changes(store.database, ids)
    return SeasonView(info, rounds, sessions, changes, guests, published.rulebook, published.results, scoring)


def q(text: str) -> str:
    """A name as one path segment."""
    return quote(text, safe="")


def _session_order(label: str) -> tuple[int, str]:
    kind = {"Q": 0, "R": 1}.get(label[:1], 2)
    return kind, label


@dataclass(frozen=True, slots=True)
class StandingRow:
    standing: Standing
    place: str  # "2", or "=2" for competitors level after every tie-break
    note: str  # why the competitor is ahead of the next one level on points, or ""
    cells: Markup  # the round-by-round cells, <td> each
    html: Markup  # the whole <tr>


def standing_rows(
    table: tuple[Standing, ...],
    columns: list[tuple[int, str]],
    tie_break: tuple[str, ...],
    lang: str,
    teams: bool = False,
) -> list[StandingRow]:
    index = {k: i for i, k in enumerate(columns)}
    dropped = escape(gettext("dropped", lang))
    rows = []
    for i, st in enumerate(table):
        shared = any(
            0 <= j < len(table) and j != i and table[j].position == st.position for j in (i - 1, i + 1)
        )
        place = f"={st.position}" if shared else str(st.position)
        after = table[i + 1] if i + 1 < len(table) else None
        note = ""
        if after is not None and after.points == st.points and after.position != st.position:
            note = _tie_note(st, after, tie_break, lang)
        cells: list[list[str]] = [[] for _ in columns]
        for line in st.lines:
            at = index.get((line.round, line.session))
            if at is None:
                continue
            text = f"{line.points}{'P' if line.pole else ''}"
            cells[at].append(f'<s title="{dropped}">{text}</s>' if line.dropped else text)
        html = Markup("".join(f'<td class="num">{" ".join(c)}</td>' for c in cells))
        link = f"/{'teams' if teams else 'drivers'}/{q(st.competitor)}"
        tie = Markup(' <small class="tie">{}</small>').format(note) if note else ""
        row = Markup(
            '<tr><td>{}</td><td><a href="{}">{}</a>{}</td><td class="num"><strong>{}</strong></td>'
        ).format(place, link, st.competitor, tie, st.points)
        rows.append(StandingRow(st, place, note, html, row + html + Markup("</tr>\n")))
    return rows


def _tie_note(ahead: Standing, behind: Standing, tie_break: tuple[str, ...], lang: str) -> str:
    """Why ``ahead`` is placed before ``behind`` on the same points: the first tie-break that told them
    apart, as the rulebook orders them ("ahead on countback: 2 wins to 1")."""
    for rule in tie_break:
        if rule == "countback":
            mine, theirs = countback(ahead.lines), countback(behind.lines)
            width = max(len(mine), len(theirs))
            mine, theirs = mine + (0,) * (width - len(mine)), theirs + (0,) * (width - len(theirs))
            for place, (a, b) in enumerate(zip(mine, theirs, strict=True), start=1):
                if a != b:
                    if place == 1:
                        return gettext("ahead on countback: {a} wins to {b}", lang).format(a=a, b=b)
                    return gettext("ahead on countback: {a} {place} places to {b}", lang).format(
                        a=a, b=b, place=ordinal(place, lang)
                    )
        elif rule == "earliest_best" and earliest_best(ahead.lines) != earliest_best(behind.lines):
            return gettext("ahead on the earliest best result", lang)
    return ""
