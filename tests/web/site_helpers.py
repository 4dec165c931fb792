"""Shared by the page tests: a module-wide store holding two rounds of the 2023 season (one car named
with HTML), and the visible text of a page."""

from __future__ import annotations

import re
from html import unescape

_SCRIPT = re.compile(r"<(script|style|svg)\b.*?</\1>", re.S | re.I)
_TAG = re.compile(r"<[^>]+>")


def visible_text(html: str) -> str:
    """What a reader sees: markup, scripts, styles and charts left out, entities decoded."""
    return re.sub(r"\s+", " ", unescape(_TAG.sub(" ", _SCRIPT.sub(" ", html))))
