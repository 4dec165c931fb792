"""Timing-file commands: ``classify`` and ``stints``."""

from __future__ import annotations

import gc
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from chequered.cli.app import Format, app
from chequered.core.model import SessionKind

if TYPE_CHECKING:
    from chequered.core.classification import Classification
    from chequered.core.reconcile import Reconciliation
    from chequered.core.session_kind import KindReading


def _ms(value: int | None) -> str:
    from chequered.core.timefmt import format_duration

    return "" if value is None else format_duration(value)


@app.command("classify")
def classify_command(
    laps_file: Path = typer.Argument(..., help="Al Kamel lap analysis CSV."),
    results: Path | None = typer.Option(None, "--results", help="Official results CSV to reconcile against."),
    penalties: Path | None = typer.Option(None, "--penalties", help="Penalties CSV (car,kind,value,reason)."),
    rules: str | None = typer.Option(None, "--rules", help="Rulebook: a packaged name or a TOML file."),
    car_class: str | None = typer.Option(None, "--class", help="Show one class only."),
    output: Format = typer.Option(Format.TABLE, "--format", help="table, csv or json."),
    kind: SessionKind | None = typer.Option(
        None, "--kind", help="Session kind; by default what the timing says (the file name as a hint)."
    ),
    duration_min: int | None = typer.Option(
        None, "--duration", min=1, help="Timed session length in minutes."
    ),
) -> None:
    """Classify a session from its lap analysis file."""
    # This command is a short-lived process of its own: what it allocates (a lap per row, 17,000 in a
    # 12-hour race) lives until it exits, so the cyclic collector's passes over it find nothing to free.
    # Measured on the Sebring 12 h file: some 170 collections, 55-90 ms of a 0.6 s run (see
    # docs/benchmarks.md). Its own process, so its own setting; library code never changes it.
    gc.disable()
    from chequered import rulebooks
    from chequered.core.classification import classify
    from chequered.core.model import Finish, FinishMode, Session
    from chequered.core.reconcile import OfficialLine, reconcile
    from chequered.core.session_kind import read_kind
    from chequered.importers import alkamel
    from chequered.importers.decisions import read_decisions

    rulebook = rulebooks.load(rules)
    timing = alkamel.read_laps(laps_file, sectors=False)
    official = alkamel.read_results(results) if results else None
    mapping: dict[str, str] = {}
    if official is not None:
        timing, mapping = alkamel.merge_entries(timing, official)
    decisions = read_decisions(penalties) if penalties else []
    finish = Finish(FinishMode.TIME, duration_min * 60_000) if duration_min else None
    reading = read_kind(timing.laps, laps_file.name, kind)
    session = Session(id=laps_file.stem, name=laps_file.stem, kind=reading.kind, finish=finish)
    classification = classify(session, timing.entries, timing.laps, decisions, rulebook)
    check = None
    if official is not None:
        lines = [
            OfficialLine(mapping[o.entry.car], o.number, o.position, o.laps, o.total_time_ms)
            for o in official
        ]
        check = reconcile(classification, lines)
    if car_class and not classification.in_class(car_class):
        known = sorted({e.car_class for e in timing.entries})
        raise typer.BadParameter(
            f"no car in class {car_class!r}; classes: {', '.join(known)}", param_hint="--class"
        )
    _print_classification(classification, car_class, output, check, reading)


def _print_classification(
    classification: Classification,
    car_class: str | None,
    output: Format,
    check: Reconciliation | None,
    reading: KindReading,
) -> None:
    if output is Format.JSON:
        import json  # not orjson: imported in a tenth of the time, and as fast for one document

        from chequered.core.documents import classification_document, reconciliation_document

        document = classification_document(classification, car_class)
        document["session_kind"] = {
            "kind": reading.kind.value,
            "from": reading.source,
            "reason": reading.reason,
        }
        if check is not None:
            document["reconciliation"] = reconciliation_document(check)
        sys.stdout.write(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
        return
    rows = classification.in_class(car_class) if car_class else classification.results
    columns = (
        "pos",
        "class_pos",
        "number",
        "class",
        "team",
        "drivers",
        "laps",
        "total_time",
        "best_lap",
        "gap",
    )
    values = [
        (
            str(r.position),
            str(r.class_position),
            r.entry.number,
            r.entry.car_class,
            r.entry.team,
            " / ".join(d.name for d in r.entry.drivers),
            str(r.laps),
            _ms(r.total_time_ms),
            _ms(r.best_lap_ms),
            str(r.class_gap if car_class else r.gap),
            r.status.value,
        )
        for r in rows
    ]
    if output is Format.CSV:
        import csv

        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow((*columns, "status"))
        writer.writerows(values)
    else:
        from rich.console import Console
        from rich.table import Table

        table = Table(title=f"{classification.session.name} ({classification.session.kind.value})")
        for column in (*columns, "status"):
            table.add_column(column, justify="right" if column in ("pos", "class_pos", "laps") else "left")
        for row in values:
            table.add_row(*row)
        Console().print(table)
    if check is not None:
        for d in check.differences:
            print(f"#{d.number}: {d.field} official {d.official}, computed {d.computed}")
        print(check.summary)


@app.command("stints")
def stints_command(
    laps_file: Path = typer.Argument(..., help="Al Kamel lap analysis CSV."),
    car: str | None = typer.Option(None, "--car", help="One car (its number, as printed)."),
    output: Format = typer.Option(Format.TABLE, "--format", help="table or json."),
) -> None:
    """Print each car's stints (driver, laps, driving time) and pit stops (in-lap, out-lap, pit time)."""
    from rich.console import Console
    from rich.table import Table

    from chequered.core.stints import stints_by_car
    from chequered.importers import alkamel

    timing = alkamel.read_laps(laps_file)
    by_car = stints_by_car(timing.laps)
    cars = [
        by_car[e.car] for e in timing.entries if e.car in by_car and (car is None or car in (e.car, e.number))
    ]
    if car is not None and not cars:
        raise typer.BadParameter(f"no car {car!r} in {laps_file}", param_hint="--car")
    if output is Format.JSON:
        import json  # not orjson: imported in a tenth of the time, and as fast for one document

        from chequered.core.documents import stints_document

        sys.stdout.write(json.dumps(stints_document(cars), indent=2, ensure_ascii=False) + "\n")
        return
    console = Console()
    for car_stints in cars:
        table = Table(title=f"Car {car_stints.car}")
        for column in ("stint", "driver", "laps", "from", "to", "time", "driving", "best"):
            table.add_column(column)
        for s in car_stints.stints:
            table.add_row(
                str(s.number),
                s.driver_name or str(s.driver),
                str(s.laps),
                str(s.first_lap),
                str(s.last_lap),
                _ms(s.time_ms),
                _ms(s.driving_ms),
                _ms(s.best_lap_ms),
            )
        console.print(table)
        for p in car_stints.stops:
            change = (
                f", {p.driver_in_name or p.driver_in} → {p.driver_out_name or p.driver_out}"
                if p.driver_change
                else ""
            )
            out = f"out-lap {p.out_lap}, pit lane {_ms(p.pit_time_ms)}" if p.out_lap else "did not rejoin"
            console.print(f"  stop {p.number}: in-lap {p.in_lap}, {out}{change}")
