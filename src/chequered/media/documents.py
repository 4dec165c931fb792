"""Official documents, as timing providers publish them, from the store's log: per session the
classification (stamped provisional or official, versioned), best sector times, best laps per driver,
driving time per driver, pit stops and race control's decisions; per round the entry list; per season the
standings per class. Each is one ``Document`` (a table with its heading) written as JSON, CSV, HTML or PDF.

Every publication of a session's results is a version: the classification as of the seq the publication
names (``ResultsPublished.as_of``). Earlier versions stay readable, and each says what changed since the
one before: the decisions logged in between and the positions they moved.
"""

from __future__ import annotations

import csv
import html
import io
import re
from dataclasses import dataclass, field
from typing import Any

import orjson

from chequered.core.classification import Classification
from chequered.core.errors import ChequeredError
from chequered.core.events import LapDeleted, LapPenalty, Publication, StatusChanged, TimePenalty
from chequered.core.model import Status
from chequered.core.timefmt import format_duration
from chequered.media.pdf import render_pdf
from chequered.media.press import page
from chequered.store.championship import standings
from chequered.store.store import Store

SESSION_KINDS = ("classification", "sectors", "best-laps", "driving-time", "pit-stops", "decisions")
FORMATS = ("pdf", "csv", "json", "html")
_DECISION_KINDS = ("time_penalty", "lap_deleted", "lap_penalty", "status")


class DocumentError(ChequeredError):
    """A document that does not exist: unknown kind, format or version."""


@dataclass(frozen=True, slots=True)
class Document:
    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    meta: dict[str, str] = field(default_factory=dict)
    stamp: str = ""
    changes: tuple[str, ...] = ()

    def json(self) -> bytes:
        return orjson.dumps(
            {
                "title": self.title,
                "stamp": self.stamp,
                "meta": self.meta,
                "changes": list(self.changes),
                "columns": list(self.columns),
                "rows": [dict(zip(self.columns, row, strict=True)) for row in self.rows],
            }
        )

    def csv(self) -> bytes:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(self.columns)
        writer.writerows(tuple(_inert(cell) for cell in row) for row in self.rows)
        return out.getvalue().encode("utf-8")

    def html(self) -> str:
        e = html.escape
        parts = [f"<h1>{e(self.title)}</h1>"]
        if self.stamp:
            parts.append(f'<p><span class="stamp">{e(self.stamp)}</span></p>')
        if self.meta:
            parts.append(
                '<p class="meta">' + "<br>".join(f"{e(k)}: {e(v)}" for k, v in self.meta.items()) + "</p>"
            )
        if self.changes:
            parts.append("<h2>Changes since the previous version</h2><ul>")
            parts.extend(f"<li>{e(c)}</li>" for c in self.changes)
            parts.append("</ul>")
        cols = "".join(f'<col style="width: {w}%">' for w in self.widths())
        parts.append(
            f"<table><colgroup>{cols}</colgroup><thead><tr>"
            + "".join(f"<th>{e(c)}</th>" for c in self.columns)
            + "</tr></thead><tbody>"
        )
        parts.extend("<tr>" + "".join(f"<td>{e(v)}</td>" for v in row) + "</tr>" for row in self.rows)
        parts.append("</tbody></table>")
        return page(self.title, "\n".join(parts))

    def widths(self) -> list[int]:
        """Each column's share of the table's width (per cent), from its longest text (capped, so that a
        long team name wraps rather than squeezes the numbers). The table is laid out with these fixed
        widths: the PDF printer then never measures every cell twice for an automatic layout, which was
        a quarter of a long table's printing time."""
        lengths = [
            min(28, max([len(c), *(len(row[i]) for row in self.rows)])) + 4
            for i, c in enumerate(self.columns)
        ]
        total = sum(lengths) or 1
        return [max(1, round(100 * n / total)) for n in lengths]

    def render(self, fmt: str) -> bytes:
        if fmt == "json":
            return self.json()
        if fmt == "csv":
            return self.csv()
        if fmt == "html":
            return self.html().encode("utf-8")
        if fmt == "pdf":
            return render_pdf(self.html())
        raise DocumentError(f"format {fmt!r}: use one of {', '.join(FORMATS)}")


_FORMULA = re.compile(r"[=+\-@\t\r]")
_GAP = re.compile(r"[+-](?:[\d.:]+(?: laps?)?)?")


def _inert(cell: str) -> str:
    """A cell a spreadsheet shows as text: one that would start a formula (a team named "=HYPERLINK(...)"
    in a timing file) gets a leading apostrophe; a gap ("+1:02.345", "+2 laps", the leader's "-") is
    left alone."""
    return "'" + cell if _FORMULA.match(cell) and not _GAP.fullmatch(cell) else cell


def _ms(ms: int | None) -> str:
    return format_duration(ms) if ms is not None else ""


def _status(status: Status) -> str:
    return {
        Status.CLASSIFIED: "",
        Status.RETIRED: "DNF",
        Status.DID_NOT_START: "DNS",
        Status.NOT_CLASSIFIED: "NC",
        Status.DISQUALIFIED: "DSQ",
        Status.EXCLUDED: "EXC",
    }[status]


def session_document(store: Store, session_id: str, kind: str, version: int | None = None) -> Document:
    """One of a session's documents; the classification at a version (1 = first publication; default
    the latest publication, or the live state when nothing is published yet)."""
    if kind == "classification":
        return classification(store, session_id, version)
    if kind not in SESSION_KINDS:
        raise DocumentError(
            f"document {kind!r}: use one of {', '.join(SESSION_KINDS)}, entry-list, standings"
        )
    state = store.state(session_id, store.position(session_id))
    session = state.info.session
    number = {e.car: e.number for e in state.entries}
    title = f"{session.name} — "
    rows: list[tuple[str, ...]] = []
    if kind == "sectors":
        best: dict[int, tuple[int, str, str]] = {}
        for lap in state.laps:
            for i, s in enumerate(lap.sectors):
                if s is not None and (i not in best or s < best[i][0]):
                    best[i] = (s, number.get(lap.car, lap.car), lap.driver_name)
        rows = [(f"S{i + 1}", _ms(ms), car, driver) for i, (ms, car, driver) in sorted(best.items())]
        return Document(title + "best sector times", ("Sector", "Time", "Car", "Driver"), tuple(rows))
    if kind == "best-laps":
        deleted = {(d.car, d.lap) for d in state.decisions if isinstance(d, LapDeleted)}
        per: dict[tuple[str, str], tuple[int, int]] = {}
        for lap in state.laps:
            if lap.lap_time_ms is None or (lap.car, lap.lap) in deleted:
                continue
            key = (lap.car, lap.driver_name)
            if key not in per or lap.lap_time_ms < per[key][0]:
                per[key] = (lap.lap_time_ms, lap.lap)
        ordered = sorted(per.items(), key=lambda kv: kv[1][0])
        rows = [
            (str(i + 1), number.get(c, c), d, _ms(ms), str(n)) for i, ((c, d), (ms, n)) in enumerate(ordered)
        ]
        return Document(
            title + "best laps per driver", ("Pos", "Car", "Driver", "Best lap", "Lap"), tuple(rows)
        )
    if kind == "driving-time":
        for car, stints in sorted(state.stints().items(), key=lambda kv: number.get(kv[0], kv[0])):
            drivers: dict[str, int] = {}
            for stint in stints.stints:
                drivers[stint.driver_name] = drivers.get(stint.driver_name, 0) + stint.driving_ms
            rows.extend((number.get(car, car), name, _ms(ms)) for name, ms in drivers.items())
        return Document(title + "driving time per driver", ("Car", "Driver", "Driving time"), tuple(rows))
    if kind == "pit-stops":
        for car, stints in sorted(state.stints().items(), key=lambda kv: number.get(kv[0], kv[0])):
            rows.extend(
                (
                    number.get(car, car),
                    str(s.in_lap),
                    _ms(s.entry_elapsed_ms),
                    _ms(s.pit_time_ms),
                    s.driver_in_name,
                    s.driver_out_name,
                )
                for s in stints.stops
            )
        columns = ("Car", "In lap", "Pit in at", "Pit time", "Driver in", "Driver out")
        return Document(title + "pit stops", columns, tuple(rows))
    rows = [_decision_row(d, number) for d in state.decisions]
    return Document(title + "race control decisions", ("Car", "Decision", "Reason"), tuple(rows))


def session_pdf(store: Store, session_id: str, kind: str, version: int | None = None) -> bytes:
    """A session document as PDF, kept in the store's document cache under the session's log position:
    printing is the costly part of the press kit, and the same position prints the same PDF."""
    key = ("pdf", session_id, kind, version, store.position(session_id))
    return store.document(key, lambda: session_document(store, session_id, kind, version).render("pdf"))


def _decision_row(d: object, number: dict[str, str]) -> tuple[str, str, str]:
    if isinstance(d, TimePenalty):
        return (number.get(d.car, d.car), f"{d.ms / 1000:g} s time penalty", d.reason)
    if isinstance(d, LapDeleted):
        return (number.get(d.car, d.car), f"lap {d.lap} deleted", d.reason)
    if isinstance(d, LapPenalty):
        return (number.get(d.car, d.car), f"{d.laps} lap(s) penalty", d.reason)
    if isinstance(d, StatusChanged):
        return (number.get(d.car, d.car), f"status: {d.status.value}", d.reason)
    raise DocumentError(f"not a decision: {d!r}")


def versions(store: Store, session_id: str) -> list[tuple[int, Publication, int, str]]:
    """The session's publications in order: (version, status, as_of seq, published at)."""
    state = store.state(session_id, store.position(session_id))
    return [
        (i + 1, p.publication.status, p.publication.as_of, p.recorded_at.isoformat(timespec="seconds"))
        for i, p in enumerate(state.publications)
    ]


def _rows(classification: Classification) -> tuple[tuple[str, ...], ...]:
    return tuple(
        (
            str(r.position) if r.status is Status.CLASSIFIED else _status(r.status),
            r.entry.number,
            r.entry.car_class,
            str(r.class_position) if r.status is Status.CLASSIFIED else "",
            " / ".join(d.name for d in r.entry.drivers),
            r.entry.team,
            str(r.laps),
            _ms(r.total_time_ms),
            str(r.gap),
            _ms(r.best_lap_ms),
            f"+{r.penalty_ms / 1000:g} s" if r.penalty_ms else "",
        )
        for r in classification.results
    )


COLUMNS = ("Pos", "No", "Class", "Cl pos", "Drivers", "Team", "Laps", "Time", "Gap", "Best lap", "Penalty")


def classification(store: Store, session_id: str, version: int | None = None) -> Document:
    published = versions(store, session_id)
    state = store.state(session_id, store.position(session_id))
    session = state.info.session
    rules = store.rulebook(state.info.rulebook)
    threshold = rules.classification.min_distance
    meta = {"Session": session.name, "Rulebook": rules.name}
    meta["Classification threshold"] = f"{float(threshold):.0%} of the winner's laps" if threshold else "none"
    if not published:
        if version is not None:
            raise DocumentError(f"session {session_id!r} has no published results yet")
        return Document(
            f"{session.name} — classification", COLUMNS, _rows(state.classification), meta, "unofficial"
        )
    if version is None:
        version = len(published)
    if not 1 <= version <= len(published):
        raise DocumentError(f"session {session_id!r} has versions 1-{len(published)}, not {version}")
    number, status, as_of, at = published[version - 1]
    current = store.state(session_id, as_of).classification
    meta |= {"Version": f"{number} of {len(published)}", "Published at": at, "As of log position": str(as_of)}
    changes: tuple[str, ...] = ()
    if version > 1:
        before_seq = published[version - 2][2]
        changes = change_list(
            store, session_id, before_seq, as_of, store.state(session_id, before_seq).classification, current
        )
    stamp = "official" if status is Publication.FINAL else "provisional"
    return Document(f"{session.name} — classification", COLUMNS, _rows(current), meta, stamp, changes)


def change_list(
    store: Store, session_id: str, before: int, after: int, old: Classification, new: Classification
) -> tuple[str, ...]:
    """What changed between two log positions: each decision logged in between (with its reason), then
    every car whose place or status moved."""
    number = {r.entry.car: r.entry.number for r in new.results}
    lines = []
    for stored in store.events(session_id, after=before, upto=after, kinds=_DECISION_KINDS):
        car, what, reason = _decision_row(stored.event(), number)
        lines.append(f"#{car}: {what}" + (f" ({reason})" if reason else ""))
    was = {r.car: r for r in old.results}
    for r in new.results:
        prior = was.get(r.car)
        if prior is None:
            continue
        if (prior.position, prior.status) != (r.position, r.status):
            old_place = str(prior.position) if prior.status is Status.CLASSIFIED else _status(prior.status)
            new_place = str(r.position) if r.status is Status.CLASSIFIED else _status(r.status)
            lines.append(f"#{r.entry.number}: position {old_place} → {new_place}")
    return tuple(lines) if lines else ("no change in the classification",)


def entry_list(store: Store, season_id: str, round_: int) -> Document:
    """The round's entry list as its first session registered it (the season's otherwise)."""
    event = next((e for e in store.rounds(season_id) if e.round == round_), None)
    if event is None:
        raise DocumentError(f"no round {round_} in {season_id}")
    heads = store.heads([s.id for s in event.sessions])
    entries = store.season_entries(season_id)
    for session in event.sessions:
        if heads.get(session.id):
            entries = list(store.state(session.id, heads[session.id]).entries)
            break
    rows = tuple(
        (
            e.number,
            e.car_class,
            e.team,
            e.car_model,
            " / ".join(d.name for d in e.drivers),
            " / ".join(d.category.value if d.category else "" for d in e.drivers),
        )
        for e in sorted(entries, key=lambda e: (len(e.number), e.number))
    )
    columns = ("No", "Class", "Team", "Car", "Drivers", "FIA categories")
    return Document(
        f"{event.name} — entry list", columns, rows, {"Round": str(round_), "Cars": str(len(rows))}
    )


def standings_document(store: Store, season_id: str) -> Document:
    """The drivers' standings per class, as the store's standings compute them."""
    published = store.season_results(season_id)
    rulebook, results = published.rulebook, published.results
    rows: list[tuple[str, ...]] = []
    for car_class in sorted({r.car_class for r in results}):
        rows.extend(
            (car_class, str(s.position), s.competitor, f"{float(s.points):g}")
            for s in standings(results, rulebook, car_class=car_class)
        )
    return Document(
        f"{season_id} — drivers' standings per class", ("Class", "Pos", "Driver", "Points"), tuple(rows)
    )


def document_payload(doc: Document) -> dict[str, Any]:
    return dict(orjson.loads(doc.json()))
