"""Packaged rulebooks, one TOML file per series and year, and the loader for them or any file."""

from __future__ import annotations

from pathlib import Path

from chequered.core.errors import RulebookError
from chequered.core.rulebook import DEFAULT_RULEBOOK, Rulebook, parse_rulebook

HERE = Path(__file__).parent  # the installed package's own directory


def packaged() -> list[str]:
    """Names of the rulebooks shipped with chequered."""
    return sorted(path.stem for path in HERE.glob("*.toml"))


def load(name_or_path: str | None) -> Rulebook:
    """A packaged rulebook by name (``imsa-2023``), a TOML file by path, or the default when None."""
    if name_or_path is None:
        return DEFAULT_RULEBOOK
    if name_or_path in packaged():
        text = (HERE / f"{name_or_path}.toml").read_text(encoding="utf-8")
        return parse_rulebook(text, f"rulebook {name_or_path}")
    path = Path(name_or_path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        known = ", ".join(packaged())
        raise RulebookError(
            str(path), "(file)", f"cannot read it ({exc}); packaged rulebooks: {known}"
        ) from None
    return parse_rulebook(text, str(path))
