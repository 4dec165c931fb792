"""The press kit of a round from the store: the preview and the report in English and Swedish (PDF), and
every session's six documents as PDF. Goal: under 5 s. The store is filled first (not timed).

Run 1 prints everything (cold); run 2 is the same kit asked again at the same log positions, where the
session documents come from the store's document cache. Wall time and this process's CPU time are both
printed: on the shared machine the wall time is several times the CPU time."""

from __future__ import annotations

import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from chequered import rulebooks
from chequered.cli.simulate import store_weekend
from chequered.media.documents import SESSION_KINDS, session_pdf
from chequered.media.press import to_html, to_pdf, write_releases
from chequered.seasons import load_season
from chequered.sim.weekend import simulate_weekend
from chequered.store.store import Store

ROUND = 2
ENTRY = "racing-one-backman"


def press_kit(store: Store, session_ids: list[str]) -> int:
    """Every PDF of the kit; the total bytes written."""
    size = 0
    for release in write_releases(store, "gt4-europe-2023", ENTRY, ROUND):
        size += len(to_pdf(to_html(release)))
    for session_id in session_ids:
        for kind in SESSION_KINDS:
            size += len(session_pdf(store, session_id, kind))
    return size


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        store = Store.open(
            f"sqlite:///{Path(folder) / 'db.sqlite'}", lambda: datetime.now(UTC), rulebooks.load
        )
        data = load_season("gt4-europe-2023")
        store.seed_season(data.season, data.entries, data.rulebook, data.non_scoring)
        weekend = simulate_weekend(data, ROUND, 7)
        store_weekend(store, weekend)
        ids = [s.session.id for s in weekend.sessions]
        to_pdf("<p>warm</p>")  # WeasyPrint's import and font setup, once per process
        for attempt in range(2):
            start, cpu = time.perf_counter(), time.process_time()
            size = press_kit(store, ids)
            took, used = time.perf_counter() - start, time.process_time() - cpu
            print(
                f"press kit of round {ROUND} (4 releases + {len(ids) * len(SESSION_KINDS)} documents, PDF): "
                f"{took:.2f} s wall, {used:.2f} s CPU, {size / 1e6:.1f} MB "
                f"(run {attempt + 1}{', cold' if attempt == 0 else ', same log positions'}; goal < 5 s)",
                flush=True,
            )
        store.close()


if __name__ == "__main__":
    main()
