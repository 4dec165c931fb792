"""The CLI reference (``docs/cli.md``), generated from the commands' own help.

``python -m chequered.cli.reference > docs/cli.md``; a test regenerates it and fails when the checked-in
file differs. The help is rendered at a fixed width, without colour, so the output is the same anywhere.
"""

from __future__ import annotations

import sys
from typing import Any

import typer.main

from chequered.cli.app import _register, app

WIDTH = 100


def _sections(command: Any, path: list[str], parent: Any) -> list[str]:
    """A command's help, then its subcommands' (Typer's Click command objects: typed loosely, as Typer
    vendors Click under a private name)."""
    context = command.make_context(
        path[-1], [], parent=parent, resilient_parsing=True, terminal_width=WIDTH, max_content_width=WIDTH
    )
    context.color = False
    title = "#" * min(len(path) + 1, 4)
    sections = [f"{title} `{' '.join(path)}`\n\n```text\n{command.get_help(context)}\n```\n"]
    if hasattr(command, "list_commands"):
        for name in command.list_commands(context):
            sub = command.get_command(context, name)
            if sub is not None and not sub.hidden:
                sections.extend(_sections(sub, [*path, name], context))
    return sections


def reference() -> str:
    """Every command's help, top level first, each group followed by its commands."""
    _register()
    root = typer.main.get_command(app)
    head = (
        "# CLI reference\n\n"
        "Generated from the commands' own help by `python -m chequered.cli.reference > docs/cli.md`;\n"
        "do not edit by hand (`tests/cli/test_reference.py` fails when this file is out of date).\n\n"
    )
    return head + "\n".join(_sections(root, ["chequered"], None))


if __name__ == "__main__":
    sys.stdout.write(reference())
