"""Championship commands: ``standings``, ``scenarios`` and ``check``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from chequered.cli.app import Format, app

if TYPE_CHECKING:
    from chequered.core.points import Line, Points, SessionResult
    from chequered.core.rulebook import Rulebook


def load_results(path: Path, rulebook: Rulebook) -> list[SessionResult]:
    """RESULTS.csv, or a season directory of Al Kamel results files."""
    from chequered.importers.alkamel.season import read_season_dir
    from chequered.importers.results_csv import read_results_csv

    if path.is_dir():
        needs_drive_times = rulebook.scoring.min_drive_minutes is not None
        return read_season_dir(path, fastest_scope=rulebook.points.scope, drive_times=needs_drive_times)
    return read_results_csv(path)


def _check_class(results: list[SessionResult], car_class: str | None) -> None:
    if car_class is None:
        return
    known = sorted({r.car_class for r in results})
    if car_class not in known:
        raise typer.BadParameter(f"no class {car_class!r}; classes: {', '.join(known)}", param_hint="--class")


def _check_round(results: list[SessionResult], after: int | None) -> None:
    if after is None:
        return
    rounds = sorted({r.round for r in results})
    if after not in rounds:
        raise typer.BadParameter(
            f"no round {after} in the results; rounds: {', '.join(map(str, rounds))}", param_hint="--after"
        )


def _points(value: Points) -> str:
    if isinstance(value, int) or value.denominator == 1:
        return str(int(value))
    if (value * 100).denominator == 1:
        return f"{float(value):g}"
    return f"{float(value):.2f}"


def _cell(line: Line) -> str:
    text = _points(line.points) if line.status == "classified" else line.status.upper()
    text += "P" if line.pole else ""
    text += "F" if line.fastest_lap else ""
    return f"({text})" if line.dropped else text


@app.command("standings")
def standings_command(
    rules: str = typer.Option(..., "--rules", help="Rulebook: a packaged name or a TOML file."),
    results: Path = typer.Option(
        ..., "--results", help="RESULTS.csv, or a season directory of Al Kamel results files."
    ),
    car_class: str | None = typer.Option(None, "--class", help="One class only."),
    after: int | None = typer.Option(None, "--after", help="Standings after this round."),
    teams: bool = typer.Option(False, "--teams", help="Teams' standings instead of drivers'."),
    output: Format = typer.Option(Format.TABLE, "--format", help="table, csv or json."),
) -> None:
    """Drivers' (or teams') standings with the per-round breakdown, poles (P), fastest laps (F) and
    dropped results in brackets."""
    from chequered import rulebooks
    from chequered.core.standings import season_standings, standings_document

    rulebook = rulebooks.load(rules)
    rows = load_results(results, rulebook)
    _check_class(rows, car_class)
    _check_round(rows, after)
    standings = season_standings(rows, rulebook, teams=teams, after_round=after, car_class=car_class)
    who = "team" if teams else "driver"
    if output is Format.JSON:
        import orjson

        document = standings_document(standings, who)
        sys.stdout.buffer.write(orjson.dumps(document, option=orjson.OPT_INDENT_2) + b"\n")
        return
    rounds = sorted({r.round for r in rows if after is None or r.round <= after})
    if output is Format.CSV:
        import csv

        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(["position", who, "class", "points", *[f"round_{r}" for r in rounds], "dropped"])
        for s in standings:
            writer.writerow(
                [s.position, s.competitor, s.car_class, _points(s.points)]
                + [" ".join(_cell(line) for line in s.lines if line.round == r) for r in rounds]
                + [len(s.dropped)]
            )
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"{rulebook.name}: {who}s" + (f", {car_class}" if car_class else ""))
    for column in ("pos", who, "class", "points", *[f"round {r}" for r in rounds]):
        table.add_column(column, justify="right" if column in ("pos", "points") else "left")
    for s in standings:
        table.add_row(
            str(s.position),
            s.competitor,
            s.car_class,
            _points(s.points),
            *[" ".join(_cell(line) for line in s.lines if line.round == r) for r in rounds],
        )
    Console(width=max(120, 40 + 24 * len(rounds))).print(table)


@app.command("scenarios")
def scenarios_command(
    rules: str = typer.Option(..., "--rules", help="Rulebook: a packaged name or a TOML file."),
    results: Path = typer.Option(
        ..., "--results", help="RESULTS.csv, or a season directory of Al Kamel results files."
    ),
    after: int = typer.Option(..., "--after", help="The last round run."),
    car_class: str | None = typer.Option(None, "--class", help="One class only."),
    output: Format = typer.Option(Format.TABLE, "--format", help="table or json."),
) -> None:
    """Title scenarios after a round: who can still win, the points still available, what each needs."""
    import orjson

    from chequered import rulebooks
    from chequered.core.scenarios import title_scenarios

    rulebook = rulebooks.load(rules)
    rows = load_results(results, rulebook)
    _check_class(rows, car_class)
    _check_round(rows, after)
    classes = [car_class] if car_class else sorted({r.car_class for r in rows})
    if rulebook.points.scope != "class":
        classes = [car_class] if car_class else [""]
    documents = []
    for name in classes:
        report = title_scenarios(rows, rulebook, after, name or None)
        documents.append(report.document())
        if output is not Format.JSON:
            print(f"{name or 'Overall'} after round {after}: {report.summary}")
            for c in report.contenders:
                print(f"  {c.describe()}")
    if output is Format.JSON:
        sys.stdout.buffer.write(orjson.dumps({"scenarios": documents}, option=orjson.OPT_INDENT_2) + b"\n")


@app.command("check")
def check_command(
    laps_file: Path = typer.Argument(..., help="Al Kamel lap analysis CSV of a race."),
    rules: str = typer.Option(..., "--rules", help="Rulebook: a packaged name or a TOML file."),
    results: Path | None = typer.Option(None, "--results", help="Official results CSV (crews, classes)."),
    previous: Path | None = typer.Option(
        None, "--previous", help="Results of the previous race (success penalties)."
    ),
    output: Format = typer.Option(Format.TABLE, "--format", help="table or json."),
) -> None:
    """Compliance report of a race: pit window, stop time (with success penalty), driving times, class
    eligibility. Each finding names the car, the rule and the measured value."""
    from chequered import rulebooks
    from chequered.core.compliance import check_race, compliance_document, success_places
    from chequered.core.model import Session, SessionKind
    from chequered.core.session_kind import read_kind
    from chequered.importers import alkamel

    rulebook = rulebooks.load(rules)
    timing = alkamel.read_laps(laps_file)
    if results is not None:
        timing, _ = alkamel.merge_entries(timing, alkamel.read_results(results))
    previous_places: dict[str, int] = {}
    if previous is not None:
        finishers = sorted(
            (o for o in alkamel.read_results(previous) if o.position is not None),
            key=lambda o: o.position or 0,
        )
        previous_places = success_places(((o.number, o.entry.car_class) for o in finishers), rulebook)
    kind = read_kind(timing.laps, laps_file.name).kind
    if kind is not SessionKind.RACE:
        raise typer.BadParameter(f"{laps_file.name} is not a race (it reads as {kind.value})")
    session = Session(id=laps_file.stem, name=laps_file.stem, kind=kind)
    report = check_race(session, timing.entries, timing.laps, rulebook, previous_places)
    if output is Format.JSON:
        import orjson

        document = compliance_document(report)
        sys.stdout.buffer.write(orjson.dumps(document, option=orjson.OPT_INDENT_2) + b"\n")
        return
    found = len(report.violations)
    print(f"{laps_file.name} under {rulebook.id}: {found} finding(s), {report.cars} cars checked")
    for v in report.violations:
        print(f"  #{v.number} {v.rule}: {v.message}")
    for note in report.notes:
        print(f"  note: {note}")
