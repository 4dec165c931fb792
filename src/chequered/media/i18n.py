"""Languages: gettext catalogs for UI text, Babel for dates, numbers and ordinals.

English is the source language (its strings are the msgids); every other language is a catalog at
``chequered/locale/<lang>/LC_MESSAGES/messages.po``, compiled in memory on first use. Adding a language
is adding a catalog: ``LANGUAGES`` lists what is there.
"""

from __future__ import annotations

import io
from collections import Counter
from datetime import date, datetime, tzinfo
from functools import lru_cache
from importlib import resources

from babel import Locale
from babel.core import get_global, negotiate_locale
from babel.dates import format_date, format_datetime, format_interval
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal
from babel.support import NullTranslations, Translations

from chequered.core.model import Status

SOURCE = "en"
DOMAIN = "messages"
# Babel's locale for each language: British English writes "3–4 June" and "21st", as the seeds do.
_LOCALES = {"en": "en_GB", "sv": "sv_SE"}


def _catalog_languages() -> tuple[str, ...]:
    root = resources.files("chequered") / "locale"
    found = [p.name for p in root.iterdir() if p.is_dir() and (p / "LC_MESSAGES" / f"{DOMAIN}.po").is_file()]
    return tuple(sorted(found))


LANGUAGES: tuple[str, ...] = (SOURCE, *_catalog_languages())


@lru_cache(maxsize=16)
def babel_locale(lang: str) -> Locale:
    """Babel's locale of a language, parsed once (parsing costs more than formatting)."""
    return Locale.parse(_LOCALES.get(lang, lang))


@lru_cache(maxsize=16)
def translations(lang: str) -> NullTranslations:
    """The compiled catalog of ``lang`` (English: the msgids as they are)."""
    if lang == SOURCE:
        return NullTranslations()
    if lang not in LANGUAGES:
        raise ValueError(f"no catalog for language {lang!r}; languages: {', '.join(LANGUAGES)}")
    path = resources.files("chequered") / "locale" / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
    with path.open("rb") as po:
        catalog = read_po(po, locale=babel_locale(lang), domain=DOMAIN)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translations(compiled, domain=DOMAIN)


def gettext(message: str, lang: str) -> str:
    return translations(lang).gettext(message)


def choose_language(asked: str | None, remembered: str | None, accept_language: str | None) -> str:
    """``?lang=`` first, then the remembered choice (cookie), then the browser's Accept-Language."""
    for candidate in (asked, remembered):
        if candidate in LANGUAGES:
            return candidate
    if accept_language:
        preferred = [part.split(";")[0].strip().replace("-", "_") for part in accept_language.split(",")]
        found = negotiate_locale(preferred, list(LANGUAGES), sep="_")
        if found:
            return found
        for tag in preferred:  # "sv_SE" for a catalog "sv"
            if tag.split("_")[0] in LANGUAGES:
                return tag.split("_")[0]
    return SOURCE


_SUFFIXES = {
    "en": {"one": "st", "two": "nd", "few": "rd", "other": "th"},
    "sv": {"one": ":a", "other": ":e"},
}


def ordinal(n: int, lang: str) -> str:
    """``42nd`` / ``42:a``: the number with the language's ordinal suffix (Babel's ordinal plural rule)."""
    form = babel_locale(lang).ordinal_form(n)
    suffixes = _SUFFIXES.get(lang, {})
    return f"{n}{suffixes.get(form, suffixes.get('other', '.'))}"


_STATUS = {
    Status.CLASSIFIED: "Classified",
    Status.NOT_CLASSIFIED: "NC (Not classified)",
    Status.RETIRED: "DNF (Retired)",
    Status.DID_NOT_START: "DNS (Did not start)",
    Status.DISQUALIFIED: "DSQ (Disqualified)",
    Status.EXCLUDED: "EXC (Excluded)",
}


def status_text(status: Status, lang: str) -> str:
    """A result's status in words, as press releases print it: "DNF (Retired)" / "DNF (Bröt)"."""
    return gettext(_STATUS[status], lang)


@lru_cache(maxsize=1)
def _territory_codes() -> dict[str, str]:
    """Country names as CLDR writes them in English → their ISO 3166 codes."""
    return {name: code for code, name in Locale.parse(SOURCE).territories.items()}


def country_name(country: str, lang: str) -> str:
    """A country named in English (as the season files name them), in ``lang`` from CLDR; a name CLDR
    does not know is kept."""
    code = _territory_codes().get(country)
    return babel_locale(lang).territories.get(code, country) if code else country


# Entry lists write nationalities in the sporting codes of the FIA and the IOC; where one differs from
# ISO 3166 alpha-3 (which CLDR knows), the ISO code of the same country.
SPORTING_CODES = {
    "ALG": "DZA", "BAH": "BHS", "BUL": "BGR", "CHI": "CHL", "CRC": "CRI", "CRO": "HRV", "DEN": "DNK",
    "GER": "DEU", "GRE": "GRC", "GUA": "GTM", "INA": "IDN", "IRI": "IRN", "KSA": "SAU", "KUW": "KWT",
    "LAT": "LVA", "LIB": "LBN", "MAS": "MYS", "MON": "MCO", "NED": "NLD", "PAR": "PRY", "PHI": "PHL",
    "POR": "PRT", "PUR": "PRI", "RSA": "ZAF", "SLO": "SVN", "SUI": "CHE", "TPE": "TWN", "UAE": "ARE",
    "URU": "URY", "VIE": "VNM", "ZIM": "ZWE",
}  # fmt: skip


@lru_cache(maxsize=256)
def country_zone(nationality: str) -> str | None:
    """The home zone of a nationality's country, from CLDR: the code (a sporting code or ISO 3166
    alpha-3) names a country, the country its zones. A country of several zones has a home clock when
    most of its zones keep one (Berlin and Büsingen; Madrid and Ceuta, not the Canaries; Lisbon and
    Madeira, not the Azores): the first zone keeping it. None when the code or the clock is unknown."""
    code = SPORTING_CODES.get(nationality, nationality)
    countries: list[str] = get_global("territory_aliases").get(code, [])
    zones: list[str] = get_global("territory_zones").get(countries[0], []) if len(countries) == 1 else []
    if not zones:
        return None
    clocks = get_global("meta_zones")
    clock, count = Counter(clocks.get(zone, zone) for zone in zones).most_common(1)[0]
    if count * 2 <= len(zones):
        return None
    return next(zone for zone in zones if clocks.get(zone, zone) == clock)


def format_date_range(start: date, end: date, lang: str) -> str:
    """A weekend's dates as the seeds write them: "June 2nd-4th", "June 29th-July 2nd" in English,
    "2–4 juni", "29 juni–2 juli" in Swedish (other languages: Babel's interval)."""
    locale = babel_locale(lang)
    same_month = (start.year, start.month) == (end.year, end.month)
    if lang == "en":
        first = f"{format_date(start, 'MMMM', locale=locale)} {ordinal(start.day, lang)}"
        if start == end:
            return first
        if same_month:
            return f"{first}-{ordinal(end.day, lang)}"
        return f"{first}-{format_date(end, 'MMMM', locale=locale)} {ordinal(end.day, lang)}"
    if start == end:
        return format_date(start, "d MMMM", locale=locale)
    if lang == "sv":
        if same_month:
            return f"{start.day}–{format_date(end, 'd MMMM', locale=locale)}"
        return f"{format_date(start, 'd MMMM', locale=locale)}–{format_date(end, 'd MMMM', locale=locale)}"
    text = format_interval(start, end, "MMMMd", locale=locale)
    return text.replace(" – ", "–").replace("\u2009–\u2009", "–")


def format_day(when: date | datetime, lang: str) -> str:
    """ "Sat 3 June" / "lör 3 juni"."""
    return format_date(when, "EEE d MMMM", locale=babel_locale(lang))


def format_clock(when: datetime, zone: tzinfo, lang: str) -> str:
    """A wall-clock time in ``zone`` with the zone's abbreviation, DST-correct: "14:30 CEST"."""
    local = when.astimezone(zone)
    return f"{format_datetime(local, 'HH:mm', locale=babel_locale(lang))} {local.strftime('%Z')}"


def format_number(value: float, lang: str) -> str:
    return format_decimal(value, locale=babel_locale(lang))
