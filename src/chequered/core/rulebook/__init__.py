"""The rules of a series as data: ``book`` reads a TOML rulebook into ``Rulebook``; ``points`` holds the
scoring rules, ``race`` the class and pit rules, and ``reader`` the typed table reader every part uses."""

from chequered.core.rulebook.book import (
    DEFAULT_RULEBOOK,
    ClassificationRules,
    Rulebook,
    parse_rulebook,
)
from chequered.core.rulebook.reader import TableReader

__all__ = ["DEFAULT_RULEBOOK", "ClassificationRules", "Rulebook", "TableReader", "parse_rulebook"]
