"""Season directories for tests: the three IMSA races laid out as a season of three rounds, by links
to the real files (read in place, never copied)."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import IMSA, real_file

IMSA_RACES = (
    "2023/08-long-beach-street-circuit/202304151405-race",
    "2023/12-watkins-glen-international/202306251040-race",
    "2024/05-sebring-international-raceway/202403160940-race",
)


def imsa_three_races(into: Path) -> Path:
    """Long Beach 2023, Watkins Glen 2023 and Sebring 2024 as rounds 1, 2 and 3 under ``into``."""
    for i, race in enumerate(IMSA_RACES, start=1):
        folder = into / f"{i:02d}-{race.split('/')[1]}"
        folder.mkdir(parents=True)
        for kind in ("results", "laps"):
            source = real_file(IMSA / f"{race}-{kind}.csv")
            (folder / source.name).symlink_to(source)
    return into
