"""Al Kamel Systems CSV exports: ``laps`` reads lap analysis files, ``results`` results files and joins
the two, ``season`` a directory of a season's files, and ``writer`` writes both as Al Kamel does."""

from chequered.importers.alkamel.laps import parse_laps
from chequered.importers.alkamel.results import (
    OfficialResult,
    merge_entries,
    parse_results,
    read_laps,
    read_results,
)

__all__ = ["OfficialResult", "merge_entries", "parse_laps", "parse_results", "read_laps", "read_results"]
