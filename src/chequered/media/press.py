"""Press releases from the store: a team's preview before a round and its report after, in English or
Swedish, as Markdown, HTML or PDF.

Every fact comes from the store (series, the round's sessions and circuit, the field, the car's results,
the standings): nothing is typed by hand. What only the team can write (quotes, photo credits, a word
about the team and drivers) comes from a TOML file it supplies; without one the release leaves a marked
slot. Each language has its own templates (``templates/press/<kind>.<lang>.md``): Swedish is written as
Swedish, not translated word by word.
"""

from __future__ import annotations

import html
import re
import tomllib
from dataclasses import dataclass, field
from datetime import date, datetime
from importlib import resources
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_date
from jinja2 import Environment, StrictUndefined

from chequered.core.errors import ChequeredError, ParseError
from chequered.core.model import Entry, Event, Session, SessionKind, Status
from chequered.media.i18n import country_name, country_zone, format_date_range, ordinal, status_text
from chequered.store.championship import SeasonResults, standings
from chequered.store.store import Store

KINDS = ("preview", "report")
LANGS = ("en", "sv")


class PressError(ChequeredError):
    """A release that cannot be written: no such entry, round, language or kind."""


@dataclass(frozen=True, slots=True)
class SessionLine:
    name: str
    kind: str
    start_home: datetime | None
    start_circuit: datetime | None
    minutes: int | None
    position: int | None = None
    class_position: int | None = None
    status: Status | None = None


@dataclass(frozen=True, slots=True)
class TeamText:
    """What the team writes: quotes (who, text), a photo credit, a boilerplate."""

    quotes: tuple[tuple[str, str], ...] = ()
    photo: str = ""
    boilerplate: str = ""


@dataclass(frozen=True, slots=True)
class Release:
    kind: str
    lang: str
    title: str
    markdown: str
    facts: dict[str, Any] = field(default_factory=dict)


def read_team_text(path: Path) -> TeamText:
    """The team's TOML: ``[[quotes]] who/text``, ``photo = "..."``, ``boilerplate = "..."``."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ParseError(str(path), None, None, f"cannot read the team's text: {exc}") from None
    quotes = []
    for i, q in enumerate(data.get("quotes", [])):
        if not isinstance(q, dict) or not isinstance(q.get("who"), str) or not isinstance(q.get("text"), str):
            raise ParseError(str(path), None, f"quotes[{i}]", "needs who and text (strings)")
        quotes.append((q["who"], q["text"]))
    for key in ("photo", "boilerplate"):
        if key in data and not isinstance(data[key], str):
            raise ParseError(str(path), None, key, "must be a string")
    return TeamText(tuple(quotes), data.get("photo", ""), data.get("boilerplate", ""))


def _environment() -> Environment:
    env = Environment(
        autoescape=False,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["ordinal"] = ordinal
    return env


_ENV = _environment()


def _template(kind: str, lang: str) -> str:
    return resources.files("chequered.media").joinpath(f"templates/press/{kind}.{lang}.md").read_text("utf-8")


def home_zone(entry: Entry, circuit_zone: str) -> str:
    """The zone a team's readers live in (the seeds' "svensk tid"): that of the first driver whose country
    keeps one clock, else the circuit's."""
    for driver in entry.drivers:
        zone = country_zone(driver.nationality)
        if zone is not None:
            return zone
    return circuit_zone


def _find_result(classification: Any, entry: Entry) -> Any:
    """The entry's result in a session: by number, or by crew where the season file has no number (the
    simulator gave one)."""
    names = {d.name for d in entry.drivers}
    for r in classification.results:
        if entry.number and r.entry.number == entry.number:
            return r
        if not entry.number and names and {d.name for d in r.entry.drivers} == names:
            return r
    return None


def facts(
    store: Store,
    season_id: str,
    car: str,
    round_: int,
    lang: str,
    season_results: SeasonResults | None = None,
) -> dict[str, Any]:
    """Everything a release states, read from the store. ``season_results`` is the store's
    ``season_results`` when the caller already holds it (a press kit folds the season once for its
    four releases, not once per release)."""
    if lang not in LANGS:
        raise PressError(f"language {lang!r}: use one of {', '.join(LANGS)}")
    info = store.season(season_id)
    entries = {e.car: e for e in store.season_entries(season_id)}
    entry = entries.get(car)
    if entry is None:
        raise PressError(f"no entry {car!r} in {season_id}; entries: {', '.join(sorted(entries))}")
    rounds = store.rounds(season_id)
    event = next((e for e in rounds if e.round == round_), None)
    if event is None:
        raise PressError(
            f"no round {round_} in {season_id}; rounds: {', '.join(str(e.round) for e in rounds)}"
        )
    circuit_zone = event.circuit.timezone
    zone = home_zone(entry, circuit_zone)
    heads = store.heads([s.id for s in event.sessions])
    lines: list[SessionLine] = []
    field_size = 0
    for session in event.sessions:
        minutes = (
            session.finish.duration_ms // 60_000 if session.finish and session.finish.duration_ms else None
        )
        start = session.start
        line = SessionLine(
            session.name,
            session.kind.value,
            start.astimezone(ZoneInfo(zone)) if start else None,
            start.astimezone(ZoneInfo(circuit_zone)) if start else None,
            minutes,
        )
        if heads.get(session.id):
            state = store.state(session.id, heads[session.id])
            field_size = max(field_size, len(state.classification.results))
            result = _find_result(state.classification, entry)
            if result is not None:
                placed = result.status is Status.CLASSIFIED
                line = SessionLine(
                    line.name,
                    line.kind,
                    line.start_home,
                    line.start_circuit,
                    minutes,
                    result.position if placed else None,
                    result.class_position if placed else None,
                    result.status,
                )
        lines.append(line)
    championship = _championship(season_results or store.season_results(season_id), entry, round_)
    later = [e for e in rounds if e.round > round_]
    return {
        "lang": lang,
        "series": info.series.name,
        "year": info.year,
        "rounds_total": len(rounds),
        "entry": entry,
        "crew": [d.name for d in entry.drivers],
        "car_class": entry.car_class,
        "event": event,
        "dates": format_date_range(event.start_date, event.end_date, lang),
        "circuit": event.circuit,
        "country": country_name(event.circuit.country, lang),
        "length_km": _km(event.circuit.length_m, lang),
        "zone_name": _zone_words(zone, event, lang),
        "home_is_circuit": _same_clock(zone, circuit_zone, event),
        "circuit_zone_name": _abbreviation(circuit_zone, event),
        "days": _days(lines, lang),
        "format": _format(event),
        "field_size": field_size or None,
        "sessions": lines,
        "championship": championship,
        "next": later[0] if later else None,
        "next_dates": format_date_range(later[0].start_date, later[0].end_date, lang) if later else "",
        "next_country": country_name(later[0].circuit.country, lang) if later else "",
        "calendar": [
            (e, format_date_range(e.start_date, e.end_date, lang), country_name(e.circuit.country, lang))
            for e in rounds
        ],
        "status_text": lambda s: status_text(s, lang),
        "labels": _labels(lines, lang),
        "result_text": lambda line, label: _result_text(line, label, entry.car_class, lang),
    }


_NAMES = {
    "en": {"practice": "Free Practice {n}", "qualifying": "Timed Qualifying {n} (Q{n})", "race": "Race {n}"},
    "sv": {"practice": "Fri träning {n}", "qualifying": "Tidskval {n} (Q{n})", "race": "Race {n}"},
}


def _labels(lines: list[SessionLine], lang: str) -> list[str]:
    """Each session as the seeds name it: "Timed Qualifying 1 (Q1)" / "Tidskval 1 (Q1)"."""
    count: dict[str, int] = {}
    out = []
    for line in lines:
        count[line.kind] = count.get(line.kind, 0) + 1
        out.append(_NAMES[lang].get(line.kind, line.name).format(n=count[line.kind]))
    return out


def _result_text(line: SessionLine, label: str, car_class: str, lang: str) -> str:
    """ "Race 1: DNF (Retired)", "Free Practice 1: 45th place overall, 20th place in Silver"."""
    if line.status is None:
        return f"{label}: –"
    if line.position is None:
        return f"{label}: {status_text(line.status, lang)}"
    place = "place" if lang == "en" else "plats"
    overall, within = ("overall", "in") if lang == "en" else ("totalt", "i")
    text = f"{label}: {ordinal(line.position, lang)} {place} {overall}"
    if line.class_position is not None:
        text += f", {ordinal(line.class_position, lang)} {place} {within} {car_class}"
    return text


def _same_clock(zone: str, other: str, event: Event) -> bool:
    """True when the two zones read the same wall clock over the weekend (Stockholm and Le Castellet)."""
    start = next((s.start for s in event.sessions if s.start), None)
    if start is None:
        return zone == other
    return start.astimezone(ZoneInfo(zone)).utcoffset() == start.astimezone(ZoneInfo(other)).utcoffset()


def _km(length_m: int | None, lang: str) -> str:
    if length_m is None:
        return ""
    return f"{length_m / 1000:.3f}".replace(".", ",") + " km"


def _abbreviation(zone: str, event: Event) -> str:
    start = next((s.start for s in event.sessions if s.start), None)
    return (start.astimezone(ZoneInfo(zone)).tzname() or zone) if start else zone


def _zone_words(zone: str, event: Event, lang: str) -> str:
    if lang == "sv" and zone == "Europe/Stockholm":
        return "svensk tid"
    return _abbreviation(zone, event)


def _days(lines: list[SessionLine], lang: str) -> list[tuple[str, list[SessionLine]]]:
    days: dict[date, list[SessionLine]] = {}
    for line in lines:
        if line.start_home is not None:
            days.setdefault(line.start_home.date(), []).append(line)
    pattern = "EEEE d MMMM" if lang == "sv" else "EEEE MMMM"
    out = []
    for day, day_lines in sorted(days.items()):
        text = format_date(day, pattern, locale=lang)
        text = text.capitalize() if lang == "sv" else f"{text} {ordinal(day.day, lang)}"
        out.append((text, day_lines))
    return out


def _minutes(sessions: list[Session]) -> list[int]:
    return sorted({s.finish.duration_ms // 60_000 for s in sessions if s.finish and s.finish.duration_ms})


def _format(event: Event) -> dict[str, Any]:
    kinds = [s.kind for s in event.sessions]
    race = [s for s in event.sessions if s.kind is SessionKind.RACE]
    quali = [s for s in event.sessions if s.kind is SessionKind.QUALIFYING]
    return {
        "practice": kinds.count(SessionKind.PRACTICE),
        "qualifying": len(quali),
        "qualifying_minutes": _minutes(quali),
        "races": len(race),
        "race_minutes": _minutes(race),
    }


def _championship(season_results: SeasonResults, entry: Entry, round_: int) -> dict[str, Any] | None:
    """The crew's place and points in its class after the round (the store's standings)."""
    rulebook, results = season_results.rulebook, season_results.results
    results = [r for r in results if r.round <= round_]
    if not results:
        return None
    table = standings(results, rulebook, after_round=round_, car_class=entry.car_class)
    names = {d.name for d in entry.drivers}
    for standing in table:
        if standing.competitor in names:
            points = standing.points
            return {
                "position": standing.position,
                "points": int(points) if float(points).is_integer() else float(points),
                "of": len(table),
            }
    return None


def write_release(
    store: Store,
    season_id: str,
    car: str,
    round_: int,
    kind: str,
    lang: str,
    team: TeamText | None = None,
    season_results: SeasonResults | None = None,
) -> Release:
    """The release as Markdown (``to_html`` makes the page, ``media.pdf.render_pdf`` its PDF)."""
    if kind not in KINDS:
        raise PressError(f"kind {kind!r}: use one of {', '.join(KINDS)}")
    values = facts(store, season_id, car, round_, lang, season_results)
    values["team"] = team or TeamText()
    text = _ENV.from_string(_template(kind, lang)).render(**values)
    title = text.splitlines()[0].lstrip("# ").strip()
    return Release(kind, lang, title, text, values)


_INLINE = re.compile(r"\*\*(.+?)\*\*")


def to_html(release: Release) -> str:
    """The release as an HTML page (headings, paragraphs, lists: the Markdown the templates write)."""
    body: list[str] = []
    in_list = False
    for raw in release.markdown.splitlines():
        line = raw.rstrip()
        if line.startswith("- ") and not in_list:
            body.append("<ul>")
            in_list = True
        if not line.startswith("- ") and in_list:
            body.append("</ul>")
            in_list = False
        text = _INLINE.sub(r"<strong>\1</strong>", html.escape(line.lstrip("#- ").strip()))
        if not line:
            continue
        if line.startswith("# "):
            body.append(f"<h1>{text}</h1>")
        elif line.startswith("## "):
            body.append(f"<h2>{text}</h2>")
        elif line.startswith("- "):
            body.append(f"<li>{text}</li>")
        else:
            body.append(f"<p>{text}</p>")
    if in_list:
        body.append("</ul>")
    return page(release.title, "\n".join(body), release.lang)


def page(title: str, body: str, lang: str = "en") -> str:
    """The one HTML page around a release or a document: what the browser shows and the PDF prints."""
    layout = resources.files("chequered.media").joinpath("templates/page.html").read_text("utf-8")
    return _ENV.from_string(layout).render(title=title, body=body, lang=lang)


def write_releases(
    store: Store, season_id: str, car: str, round_: int, team: TeamText | None = None
) -> list[Release]:
    """Every release of a round's press kit (preview and report, each language), the season's results
    folded once for all of them."""
    season_results = store.season_results(season_id)
    return [
        write_release(store, season_id, car, round_, kind, lang, team, season_results)
        for kind in KINDS
        for lang in LANGS
    ]
