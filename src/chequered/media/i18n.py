"""Language helpers of the press kit and the public pages: ordinals, status words and date ranges written
as each language writes them ("42nd" / "42:a", "June 2nd-4th" / "2–4 juni"), by Babel's CLDR data."""

from __future__ import annotations

from datetime import date

from babel import Locale
from babel.dates import format_date

from chequered.core.model import Status

_EN_SUFFIX = {"one": "st", "two": "nd", "few": "rd", "other": "th"}
_STATUS = {
    "en": {
        Status.CLASSIFIED: "Classified",
        Status.NOT_CLASSIFIED: "NC (Not classified)",
        Status.RETIRED: "DNF (Retired)",
        Status.DID_NOT_START: "DNS (Did not start)",
        Status.DISQUALIFIED: "DSQ (Disqualified)",
        Status.EXCLUDED: "Excluded",
    },
    "sv": {
        Status.CLASSIFIED: "Klassad",
        Status.NOT_CLASSIFIED: "NC (ej klassad)",
        Status.RETIRED: "DNF (bröt)",
        Status.DID_NOT_START: "DNS (startade inte)",
        Status.DISQUALIFIED: "DSQ (diskvalificerad)",
        Status.EXCLUDED: "Utesluten",
    },
}


def _locale(lang: str) -> Locale:
    if lang not in _STATUS:
        raise ValueError(f"language {lang!r} is not supported; use one of {', '.join(sorted(_STATUS))}")
    return Locale.parse(lang)


def ordinal(n: int, lang: str) -> str:
    """``42nd`` in English, ``42:a`` in Swedish (CLDR's ordinal plural forms: sv "one" = :a, else :e)."""
    form = _locale(lang).ordinal_form(n)
    if lang == "sv":
        return f"{n}:{'a' if form == 'one' else 'e'}"
    return f"{n}{_EN_SUFFIX[form]}"


def status_text(status: Status, lang: str) -> str:
    """A result status as a press release writes it: "DNF (Retired)", "DNS (startade inte)"."""
    _locale(lang)
    return _STATUS[lang][status]


def format_date_range(start: date, end: date, lang: str) -> str:
    """A weekend's dates: "June 2nd-4th", "June 29th-July 2nd" / "2–4 juni", "29 juni–2 juli"."""
    locale = _locale(lang)
    if lang == "sv":
        if (start.year, start.month) == (end.year, end.month):
            return f"{start.day}–{format_date(end, 'd MMMM', locale=locale)}"
        return f"{format_date(start, 'd MMMM', locale=locale)}–{format_date(end, 'd MMMM', locale=locale)}"
    first = f"{format_date(start, 'MMMM', locale=locale)} {ordinal(start.day, lang)}"
    if (start.year, start.month) == (end.year, end.month):
        return f"{first}-{ordinal(end.day, lang)}"
    return f"{first}-{format_date(end, 'MMMM', locale=locale)} {ordinal(end.day, lang)}"
