"""``chequered press preview|report`` and ``chequered documents``: the press kit from the store."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from chequered.cli.app import app
from chequered.cli.server import DEFAULT_SEASON, DatabaseUrl, open_store

press = typer.Typer(help="Press releases written from the store.", no_args_is_help=True)
app.add_typer(press, name="press")


def _write(data: bytes, out: Path | None) -> None:
    if out is None:
        sys.stdout.buffer.write(data)
    else:
        out.write_bytes(data)
        typer.echo(f"wrote {out}", err=True)


def _release(
    kind: str,
    entry: str,
    round_: int,
    lang: str,
    fmt: str,
    quotes: Path | None,
    season: str,
    out: Path | None,
    database_url: str | None,
) -> None:
    from chequered.media.pdf import render_pdf
    from chequered.media.press import read_team_text, to_html, write_release

    if fmt not in ("md", "html", "pdf"):
        raise typer.BadParameter(f"{fmt!r}: use md, html or pdf", param_hint="--format")
    team = read_team_text(quotes) if quotes else None
    store = open_store(database_url)
    try:
        release = write_release(store, season, entry, round_, kind, lang, team)
    finally:
        store.close()
    if fmt == "md":
        data = release.markdown.encode("utf-8")
    else:
        page = to_html(release)
        data = page.encode("utf-8") if fmt == "html" else render_pdf(page)
    _write(data, out)


def _options(kind: str):  # type: ignore[no-untyped-def]
    def command(
        entry: str = typer.Option(..., "--entry", help="The entry's key in the season (racing-one-backman)."),
        round_: int = typer.Option(..., "--round", help="Round number."),
        lang: str = typer.Option("en", "--lang", help="en or sv."),
        fmt: str = typer.Option("md", "--format", help="md, html or pdf."),
        quotes: Path | None = typer.Option(
            None, "--quotes", help="The team's TOML: quotes, photo, boilerplate."
        ),
        season: str = typer.Option(DEFAULT_SEASON, "--season"),
        out: Path | None = typer.Option(None, "--out", help="Write here (default: standard output)."),
        database_url: str | None = DatabaseUrl,
    ) -> None:
        _release(kind, entry, round_, lang, fmt, quotes, season, out, database_url)

    command.__doc__ = f"The {kind} press release of an entry at a round."
    return command


press.command("preview")(_options("preview"))
press.command("report")(_options("report"))


@app.command("documents")
def documents_command(
    session: str = typer.Argument(
        ..., help="Session id (2023-paul-ricard-R1), or a round/season for entry-list/standings."
    ),
    kind: str = typer.Option(
        "classification",
        "--kind",
        help="classification, sectors, best-laps, driving-time, pit-stops, decisions, "
        "entry-list (SESSION = round number), standings.",
    ),
    fmt: str = typer.Option("pdf", "--format", help="pdf, csv, json or html."),
    version: int | None = typer.Option(
        None, "--version", help="A classification's version (default: the latest)."
    ),
    season: str = typer.Option(DEFAULT_SEASON, "--season"),
    out: Path | None = typer.Option(None, "--out", help="Write here (default: standard output)."),
    database_url: str | None = DatabaseUrl,
) -> None:
    """An official document of a session, a round or the season."""
    from chequered.media.documents import entry_list, session_document, standings_document

    store = open_store(database_url)
    try:
        if kind == "entry-list":
            if not session.isdigit():
                raise typer.BadParameter("give the round number for entry-list", param_hint="SESSION")
            doc = entry_list(store, season, int(session))
        elif kind == "standings":
            doc = standings_document(store, season)
        else:
            doc = session_document(store, session, kind, version)
        data = doc.render(fmt)
    finally:
        store.close()
    _write(data, out)
