"""The public site: server-rendered pages of the season as fans, teams and press read it (the season
they read, built once per store change, is ``season_view``).

Every page is a Jinja2 template over what the store holds; UI text goes through the reader's gettext
catalog (``?lang=``, else the remembered choice, else Accept-Language) and times are shown in the
circuit's zone and the reader's (``?tz=``, else the remembered zone, which ``static/site.js`` sets from
the browser). A rendered page is cached under every session's log head and the start moves, so a new lap,
penalty or publication, or a moved session, renders it anew. No page carries inline script.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from datetime import datetime, timedelta
from importlib import resources
from typing import Any, cast
from urllib.parse import unquote
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from fastapi import APIRouter, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from markupsafe import Markup

from chequered.core.classification import Classification, Result
from chequered.core.events import LapDeleted, LapPenalty, Publication, StatusChanged, TimePenalty
from chequered.core.live.state import RECENT_MESSAGES
from chequered.core.model import Entry, Event, Session, SessionKind, Status
from chequered.core.points import Award, award_points
from chequered.core.timefmt import format_duration, format_gap
from chequered.media import charts
from chequered.media.calendar import season_calendar
from chequered.media.i18n import (
    LANGUAGES,
    choose_language,
    format_clock,
    format_date_range,
    format_day,
    gettext,
    ordinal,
    status_text,
)
from chequered.store.championship import session_results
from chequered.store.errors import NotFoundError
from chequered.store.readmodels import SessionState
from chequered.store.store import Store
from chequered.web.deps import store_of
from chequered.web.problems import Problem
from chequered.web.season_view import (
    SeasonView,
    SessionView,
    q,
    season_view,
    site_key,
)

router = APIRouter(include_in_schema=False)
COOKIE_AGE = 365 * 24 * 3600
STATIC = ("site.js", "site.css", "live.js", "live.css", "docs.js")


# -- the reader: language and zone ------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Reader:
    lang: str
    zone: ZoneInfo | None
    set_cookies: tuple[tuple[str, str], ...] = ()

    def _(self, message: str) -> str:
        return gettext(message, self.lang)


def _zone(name: str | None) -> ZoneInfo | None:
    if not name or len(name) > 96:
        return None
    name = unquote(name.strip('"'))  # a cookie set by site.js is URL-encoded, one set here quoted
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def reader_of(request: Request) -> Reader:
    asked_lang = request.query_params.get("lang")
    lang = choose_language(asked_lang, request.cookies.get("lang"), request.headers.get("accept-language"))
    asked_tz = request.query_params.get("tz")
    zone = _zone(asked_tz) or _zone(request.cookies.get("tz"))
    cookies = []
    if asked_lang in LANGUAGES:
        cookies.append(("lang", lang))
    if asked_tz and _zone(asked_tz):
        cookies.append(("tz", asked_tz))
    return Reader(lang, zone, tuple(cookies))


# -- formatting -------------------------------------------------------------------------------------
def _ms(value: int | None) -> str:
    return format_duration(value) if value else ""


def _gap(result: Result, per_class: bool) -> str:
    if result.status is not Status.CLASSIFIED and result.laps == 0:
        return ""
    gap = result.class_gap if per_class else result.gap
    return format_gap(gap.ms, gap.laps) if (gap.ms or gap.laps) else ""


class Formatter:
    """Everything a template formats, in the reader's language and zone."""

    def __init__(self, reader: Reader) -> None:
        self.reader = reader
        self.lang = reader.lang

    def __call__(self, message: str) -> str:
        return gettext(message, self.lang)

    def ordinal(self, n: int | None) -> str:
        return ordinal(n, self.lang) if n else ""

    def status(self, status: Status) -> str:
        return status_text(status, self.lang)

    def dates(self, event: Event) -> str:
        return format_date_range(event.start_date, event.end_date, self.lang)

    def when(self, start: datetime | None, circuit_zone: str) -> Markup:
        """A start in the circuit's zone, and in the reader's when it differs: "Sat 3 June 14:30 CEST"."""
        if start is None:
            return Markup(gettext("time to be announced", self.lang))
        zone = ZoneInfo(circuit_zone)
        local = start.astimezone(zone)
        text = f"{format_day(local, self.lang)} {format_clock(start, zone, self.lang)}"
        reader = self.reader.zone
        if reader is not None and reader.key != zone.key:
            mine = start.astimezone(reader)
            yours = f"{format_day(mine, self.lang)} {format_clock(start, reader, self.lang)}"
            if yours == text:  # another zone name with the same clock and abbreviation
                return Markup("{}").format(text)
            return Markup('{} <span class="yours">({}: {})</span>').format(
                text, gettext("your time", self.lang), yours
            )
        return Markup("{}").format(text)

    def duration(self, session: Session) -> str:
        if session.finish is None:
            return ""
        parts = []
        if session.finish.duration_ms:
            minutes = session.finish.duration_ms // 60_000
            parts.append(f"{minutes} min")
        if session.finish.laps:
            parts.append(f"{session.finish.laps} {gettext('laps', self.lang)}")
        return " + ".join(parts)

    def session_name(self, name: str) -> str:
        return gettext(name, self.lang)

    def ms(self, value: int | None) -> str:
        return _ms(value)

    def gap(self, result: Result, per_class: bool = False) -> str:
        gap = result.class_gap if per_class else result.gap
        if gap.laps:
            unit = gettext("lap" if gap.laps == 1 else "laps", self.lang)
            return f"+{gap.laps} {unit}"
        return _gap(result, per_class)

    def stamp(self, when: datetime) -> str:
        zone = self.reader.zone or ZoneInfo("UTC")
        return f"{format_day(when.astimezone(zone), self.lang)} {format_clock(when, zone, self.lang)}"


# -- rendering and caching --------------------------------------------------------------------------
def _render(request: Request, reader: Reader, template: str, context: dict[str, Any]) -> bytes:
    templates: Jinja2Templates = request.app.state.templates
    path = request.url.path
    context = {
        **context,
        "_": Formatter(reader),
        "lang": reader.lang,
        "languages": LANGUAGES,
        "zone": reader.zone.key if reader.zone else "",
        "zones": ZONES,
        "path": path,
        "q": q,
    }
    return templates.get_template(template).render(context).encode("utf-8")


ZONES = (
    "UTC",
    "Europe/London",
    "Europe/Stockholm",
    "Europe/Paris",
    "Europe/Rome",
    "Europe/Berlin",
    "Europe/Madrid",
    "Europe/Brussels",
    "Europe/Amsterdam",
    "America/New_York",
    "Asia/Tokyo",
    "Australia/Sydney",
)


def _respond(reader: Reader, body: bytes, media_type: str = "text/html; charset=utf-8") -> Response:
    response = Response(body, media_type=media_type, headers={"Vary": "Cookie, Accept-Language"})
    for name, value in reader.set_cookies:
        response.set_cookie(name, value, max_age=COOKIE_AGE, samesite="lax")
    return response


async def _page(
    request: Request, key: Hashable, build: Callable[[Store, SeasonView, Reader], tuple[str, dict[str, Any]]]
) -> Response:
    """A page from the cache (answered on the event loop), else rendered in the thread pool."""
    store = store_of(request)
    reader = reader_of(request)
    cache_key = ("page", key, reader.lang, reader.zone.key if reader.zone else "", site_key(store))

    def render() -> bytes:
        template, context = build(store, season_view(request), reader)
        return _render(request, reader, template, context)

    body = store.cached(cache_key)
    if body is None:
        body = await run_in_threadpool(store.document, cache_key, render)
    return _respond(reader, body)


# -- pages ------------------------------------------------------------------------------------------
def _winners(view: SessionView) -> list[Result]:
    """The overall winner, then each class's winner."""
    if view.state is None:
        return []
    results = view.state.classification.results
    seen: dict[str, Result] = {}
    for r in results:
        if r.status is Status.CLASSIFIED and r.entry.car_class not in seen:
            seen[r.entry.car_class] = r
    return sorted(seen.values(), key=lambda r: r.position)


@router.get("/", response_class=HTMLResponse)
async def home(request: Request) -> Response:
    def build(store: Store, view: SeasonView, reader: Reader) -> tuple[str, dict[str, Any]]:
        now = store.clock()
        live = [s for s in view.sessions if s.phase == "running"]
        upcoming = [s for s in view.sessions if s.phase == "not-started" and s.session.start]
        upcoming.sort(key=lambda s: s.session.start or now)
        following = next((s for s in upcoming if s.session.start and s.session.start > now), None)
        latest = [s for s in view.sessions if s.published and s.session.kind is SessionKind.RACE][-2:]
        leaders = [(c, view.standings(False, c)[:3]) for c in view.classes]
        countdown = None
        if following and following.session.start:
            countdown = _countdown(following.session.start - now, reader)
        return "home.html", {
            "view": view,
            "live": live,
            "next": following,
            "countdown": countdown,
            "latest": [
                (s, _winners(s), s.state.classification.results[:10] if s.state else ()) for s in latest
            ],
            "leaders": leaders,
            "now": now,
        }

    return await _page(request, "home", build)


def _countdown(left: timedelta, reader: Reader) -> str:
    days, rest = divmod(int(left.total_seconds()), 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    return f"{days} {reader._('d')} {hours} {reader._('h')} {minutes} {reader._('min')}"


@router.get("/calendar", response_class=HTMLResponse)
async def calendar_page(request: Request) -> Response:
    def build(store: Store, view: SeasonView, reader: Reader) -> tuple[str, dict[str, Any]]:
        return "calendar.html", {"view": view}

    return await _page(request, "calendar", build)


@router.get("/calendar.ics")
def calendar_ics(request: Request) -> Response:
    store = store_of(request)
    reader = reader_of(request)

    def build() -> bytes:
        view = season_view(request)
        name = f"{view.info.series.name} {view.info.year}"
        return season_calendar(
            name, view.rounds, view.changes, store.clock(), reader.lang, str(request.base_url)
        )

    key = ("calendar.ics", reader.lang, str(request.base_url), site_key(store))
    return _respond(reader, store.document(key, build), "text/calendar; charset=utf-8")


@router.get("/entries/{car}/calendar.ics")
def entry_ics(request: Request, car: str) -> Response:
    store = store_of(request)
    reader = reader_of(request)
    view = season_view(request)
    rounds = _entry_rounds(view, car)
    if not rounds:
        raise Problem(404, f"no car {car!r} in {view.info.id}")
    name = f"{view.info.series.name} {view.info.year} · #{car}"
    body = season_calendar(name, rounds, view.changes, store.clock(), reader.lang, str(request.base_url))
    return _respond(reader, body, "text/calendar; charset=utf-8")


def _season_cars(store: Store, view: SeasonView) -> dict[str, Entry]:
    cars = {e.car: e for e in store.season_entries(view.info.id)}
    for s in view.sessions:
        if s.state is not None:
            for entry in s.state.entries:
                cars.setdefault(entry.car, entry)
    return cars


def _all_entries(store: Store, view: SeasonView) -> list[Entry]:
    """Every distinct entry of the season: a number raced by another crew in another round is two."""

    def build() -> list[Entry]:
        found = {e: None for e in store.season_entries(view.info.id)}
        for s in view.sessions:
            if s.state is not None:
                for entry in s.state.entries:
                    found.setdefault(entry, None)
        return list(found)

    return cast(list[Entry], view.memo("entries", build))


def _entry_rounds(view: SeasonView, car: str) -> list[Event]:
    """The rounds a car is entered in (registered in one of its sessions, or every round when the
    round has not started yet and the car is in the season's entry list)."""
    rounds = []
    for event in view.rounds:
        states = [view.by_id[s.id].state for s in event.sessions]
        started = [st for st in states if st is not None]
        if not started or any(car in st.entered for st in started):
            rounds.append(event)
    return rounds


@router.get("/rounds/{round_id}", response_class=HTMLResponse)
async def round_page(request: Request, round_id: str) -> Response:
    def build(store: Store, view: SeasonView, reader: Reader) -> tuple[str, dict[str, Any]]:
        event = next((e for e in view.rounds if e.id == round_id or str(e.round) == round_id), None)
        if event is None:
            raise Problem(404, f"no round {round_id!r} in {view.info.id}")
        sessions = [view.by_id[s.id] for s in event.sessions]
        entries: dict[str, Entry] = {}
        for s in sessions:
            if s.state is not None:
                for e in s.state.entries:
                    entries.setdefault(e.car, e)
        if not entries:
            entries = {e.car: e for e in store.season_entries(view.info.id)}
        listed = sorted(entries.values(), key=lambda e: (e.car_class, len(e.number), e.number))
        summary = [(s, _winners(s)) for s in sessions if s.published]
        return "round.html", {
            "view": view,
            "event": event,
            "sessions": sessions,
            "entries": listed,
            "guests": view.non_scoring,
            "summary": summary,
        }

    return await _page(request, ("round", round_id), build)


def _points_of(view: SeasonView, s: SessionView, c: Classification) -> dict[str, Award]:
    results = session_results(s.event, s.id, s.session.kind, c, view.rulebook, view.non_scoring)
    return {a.result.number: a for a in award_points(results, view.rulebook)}


def _version(s: SessionView, as_of: int | None) -> tuple[int, str, datetime | None]:
    """The log position to show and what it is: an asked seq, else the latest final, else the latest
    provisional, else live."""
    pubs = list(s.published)
    if as_of is not None:
        for p in pubs:
            if p.seq == as_of:
                return p.publication.as_of, p.publication.status.value, p.recorded_at
        return as_of, "live", None
    for status in (Publication.FINAL, Publication.PROVISIONAL):
        found = [p for p in pubs if p.publication.status is status]
        if found:
            return found[-1].publication.as_of, status.value, found[-1].recorded_at
    return s.seq, "live", None


@router.get("/sessions/{session_id}", response_class=HTMLResponse)
async def session_page(request: Request, session_id: str, version: int | None = None) -> Response:
    def build(store: Store, view: SeasonView, reader: Reader) -> tuple[str, dict[str, Any]]:
        s = view.by_id.get(session_id)
        if s is None:
            raise Problem(404, f"no session {session_id!r} in {view.info.id}")
        context: dict[str, Any] = {"view": view, "s": s, "event": s.event, "circuit": s.event.circuit}
        if s.state is None or not s.seq:
            return "session.html", {**context, "state": None}
        seq, kind, published_at = _version(s, version)
        state = store.state(s.id, seq) if seq != s.seq else s.state
        c = state.classification
        classes = sorted({r.entry.car_class for r in c.results if r.entry.car_class})
        order = [r.car for r in c.results]
        labels = {r.car: f"#{r.entry.number}" for r in c.results}
        text = _chart_text(reader)
        top = order[:10]
        stints = view.stints(state)

        def draw() -> dict[str, str]:
            return {
                "lap": charts.lap_chart(state.laps, top, labels, text),
                "gap": charts.gap_chart(state.laps, top, labels, text),
                "times": charts.lap_time_chart(state.laps, order[:15], labels, text),
                "stints": charts.stint_chart(stints, order[:15], labels, text),
            }

        def tables() -> Markup:
            stops = {car: len(cs.stops) for car, cs in stints.items()}
            awards = _points_of(view, s, c) if s.session.kind is not SessionKind.PRACTICE else {}
            fragment = {"c": c, "classes": classes, "awards": awards, "stops": stops}
            return Markup(_render(request, reader, "session_tables.html", fragment).decode("utf-8"))

        drawn = view.memo(("charts", s.id, seq, reader.lang), draw)
        return "session.html", {
            **context,
            "state": state,
            "c": c,
            "kind": kind,
            "published_at": published_at,
            "shown_seq": seq,
            "tables": view.memo(("tables", s.id, seq, reader.lang), tables),
            "decisions": _decisions(state, reader),
            "charts": {k: Markup(v) for k, v in drawn.items()},
        }

    return await _page(request, ("session", session_id, version), build)


def _decisions(state: SessionState, reader: Reader) -> list[tuple[str, str, str]]:
    """Race control's decisions as (car, what, reason)."""
    _ = reader._
    rows: list[tuple[str, str, str]] = []
    for d in state.decisions:
        if isinstance(d, TimePenalty):
            rows.append((d.car, f"+{d.ms / 1000:g} s", d.reason))
        elif isinstance(d, LapDeleted):
            rows.append((d.car, _("lap {lap} deleted").format(lap=d.lap), d.reason))
        elif isinstance(d, LapPenalty):
            rows.append((d.car, _("{laps} lap(s) deducted").format(laps=d.laps), d.reason))
        elif isinstance(d, StatusChanged):
            rows.append((d.car, status_text(d.status, reader.lang), d.reason))
    return rows


def _chart_text(reader: Reader) -> dict[str, str]:
    _ = reader._
    return {
        "lap": _("Lap"),
        "laps": _("laps"),
        "position": _("Position"),
        "gap_s": _("Gap to leader (s)"),
        "lap_chart": _("Lap chart"),
        "lap_chart_desc": _("Position of the leading cars at the end of each lap."),
        "gap_chart": _("Gap to the leader"),
        "gap_chart_desc": _("Seconds behind the leader at the end of each lap."),
        "lap_times": _("Lap-time distribution"),
        "lap_times_desc": _(
            "Spread of each car's green-flag lap times: quartiles, median, fastest, slowest."
        ),
        "stints": _("Stints"),
        "stints_desc": _("Who drove when: one segment per stint, pit stops marked."),
    }


@router.get("/standings", response_class=HTMLResponse)
async def standings_page(request: Request) -> Response:
    car_class = request.query_params.get("class") or None
    of = request.query_params.get("of", "drivers")
    if of not in ("drivers", "teams"):
        raise Problem(422, "of must be drivers or teams")

    def build(store: Store, view: SeasonView, reader: Reader) -> tuple[str, dict[str, Any]]:
        classes = view.classes
        if car_class and car_class not in classes:
            raise Problem(404, f"no published result in class {car_class!r}; classes: {', '.join(classes)}")
        chosen = [car_class] if car_class else classes
        tables = [(c, view.standing_rows(of == "teams", c, reader.lang)) for c in chosen]
        columns = view.columns()
        provisional = {
            (s.event.round, s.label) for s in view.sessions if s.published and s.phase == "provisional"
        }
        return "standings.html", {
            "view": view,
            "tables": tables,
            "columns": columns,
            "provisional": provisional,
            "classes": classes,
            "car_class": car_class,
            "of": of,
            "unpublished": [s for s in view.sessions if s.phase == "running"],
        }

    return await _page(request, ("standings", car_class, of), build)


def _entry_sessions(view: SeasonView, car: str) -> list[tuple[SessionView, Result]]:
    """A car's published results, session by session (every car's indexed once per season version)."""

    def build() -> dict[str, list[tuple[SessionView, Result]]]:
        found: dict[str, list[tuple[SessionView, Result]]] = defaultdict(list)
        for s in view.sessions:
            if s.state is not None and s.published:
                for result in s.state.classification.results:
                    found[result.car].append((s, result))
        return found

    return list(cast(dict[str, list[tuple[SessionView, Result]]], view.memo("by car", build)).get(car, ()))


@router.get("/entries/{car}", response_class=HTMLResponse)
async def entry_page(request: Request, car: str) -> Response:
    def build(store: Store, view: SeasonView, reader: Reader) -> tuple[str, dict[str, Any]]:
        cars = _season_cars(store, view)
        entry = cars.get(car)
        if entry is None:
            raise Problem(404, f"no car {car!r} in {view.info.id}")
        rows = _entry_sessions(view, car)
        points: dict[int, Any] = defaultdict(int)
        scored: dict[str, Any] = {}
        for s, _result in rows:
            award = view.award(s.event.round, s.label, entry.number or car)
            if award is not None:
                points[s.event.round] += award.points
                scored[s.id] = award.points
        stints = []
        text = _chart_text(reader)
        for s, _result in rows:
            if s.session.kind is SessionKind.RACE and s.state is not None:
                car_stints = view.stints(s.state).get(car)
                if car_stints is not None:
                    driving: dict[str, int] = defaultdict(int)
                    for stint in car_stints.stints:
                        driving[stint.driver_name] += stint.driving_ms
                    chart = charts.stint_chart({car: car_stints}, [car], {car: f"#{entry.number}"}, text)
                    stints.append((s, car_stints, dict(driving), Markup(chart)))
        return "entry.html", {
            "view": view,
            "entry": entry,
            "rows": rows,
            "points": sorted(points.items()),
            "scored": scored,
            "stints": stints,
            "guest": car in view.non_scoring,
        }

    return await _page(request, ("entry", car), build)


@router.get("/drivers/{name:path}", response_class=HTMLResponse)
async def driver_page(request: Request, name: str) -> Response:
    def build(store: Store, view: SeasonView, reader: Reader) -> tuple[str, dict[str, Any]]:
        cars = [e for e in _all_entries(store, view) if any(d.name == name for d in e.drivers)]
        if not cars:
            raise Problem(404, f"no driver {name!r} in {view.info.id}")
        driver = next(d for d in cars[0].drivers if d.name == name)
        rows = [(s, r) for e in cars for s, r in _entry_sessions(view, e.car) if r.entry == e]
        rows.sort(key=lambda sr: (sr[0].event.round, sr[0].session.start or datetime.min))
        mine = [(c, st) for c in view.classes for st in view.standings(False, c) if st.competitor == name]
        return "driver.html", {"view": view, "driver": driver, "cars": cars, "rows": rows, "standing": mine}

    return await _page(request, ("driver", name), build)


@router.get("/teams/{name:path}", response_class=HTMLResponse)
async def team_page(request: Request, name: str) -> Response:
    def build(store: Store, view: SeasonView, reader: Reader) -> tuple[str, dict[str, Any]]:
        cars = [e for e in _all_entries(store, view) if e.team == name]
        if not cars:
            raise Problem(404, f"no team {name!r} in {view.info.id}")
        rows = [(s, r) for e in cars for s, r in _entry_sessions(view, e.car) if r.entry == e]
        rows.sort(key=lambda sr: (sr[0].event.round, sr[0].session.start or datetime.min, sr[1].position))
        mine = [(c, st) for c in view.classes for st in view.standings(True, c) if st.competitor == name]
        return "team.html", {"view": view, "team": name, "cars": cars, "rows": rows, "standing": mine}

    return await _page(request, ("team", name), build)


@router.get("/favicon.ico")
def favicon() -> Response:
    return Response(status_code=204)


@router.get("/static/{name}")
def static_file(name: str) -> Response:
    if name not in STATIC:
        raise Problem(404, f"no static file {name!r}")
    media = "text/javascript" if name.endswith(".js") else "text/css"
    body = resources.files("chequered.web").joinpath(f"static/{name}").read_bytes()
    return Response(body, media_type=f"{media}; charset=utf-8", headers={"Cache-Control": "max-age=300"})


_BOARD_TEXT = (
    "Car",
    "Flag",
    "laps to go",
    "to go",
    "green",
    "yellow",
    "red",
    "finish",
    "PIT",
    "OUT",
    "STOP",
    "Team",
    "Laps",
    "Int",
    "Best",
    "Stops",
    "live",
    "reconnecting…",
    "lap {lap} deleted",
    "{laps} lap(s) deducted",
)


@router.get("/live/{session_id}", response_class=HTMLResponse)
def live_page(request: Request, session_id: str) -> Response:
    """The live timing board: HTML and a static script over the WebSocket; the title names the event
    and the session, and a session not yet started says when it starts."""
    store = store_of(request)
    reader = reader_of(request)
    try:
        info = store.session(session_id)
    except NotFoundError:
        raise Problem(404, f"no session {session_id}") from None
    session = info.session
    event = None
    if info.season_id:
        event = next((e for e in store.rounds(info.season_id) if e.id == info.round_id), None)
    fmt = Formatter(reader)
    title = f"{event.name}: {fmt.session_name(session.name)}" if event else session.name
    starts = fmt.when(session.start, event.circuit.timezone if event else "UTC")
    context = {
        "session_id": session_id,
        "title": title,
        "starts": starts,
        "ticker": RECENT_MESSAGES,  # the notes a snapshot carries: the ticker keeps as many
        "board_text": {
            **{key: reader._(key) for key in _BOARD_TEXT},
            **{f"status:{status.value}": status_text(status, reader.lang) for status in Status},
        },
        "view": None,
    }
    return _respond(reader, _render(request, reader, "live.html", context))


_SWAGGER = {"swagger-ui.css": "text/css", "swagger-ui-bundle.js": "text/javascript"}


@router.get("/docs", response_class=HTMLResponse)
def api_docs() -> Response:
    """Swagger UI from the files of the ``swagger-ui-bundle`` package: the docs work with no internet."""
    body = resources.files("chequered.web").joinpath("templates/docs.html").read_bytes()
    return HTMLResponse(body)


@router.get("/static/swagger/{name}")
def swagger_file(name: str) -> Response:
    from pathlib import Path

    import swagger_ui_bundle

    if name not in _SWAGGER:
        raise Problem(404, f"no Swagger UI file {name!r}")
    body = (Path(swagger_ui_bundle.swagger_ui_path) / name).read_bytes()
    return Response(
        body, media_type=f"{_SWAGGER[name]}; charset=utf-8", headers={"Cache-Control": "max-age=3600"}
    )
