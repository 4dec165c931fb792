"""A child process for the crash and concurrency tests: appends a real session's events in random batches
and prints ``ACK n`` after each acknowledged append (events[:n] are then durable).

    python -m tests.store.crash_writer URL LAPS_FILE SESSION SEED [STEP START]

With STEP and START it appends only events[START::STEP] (two writers sharing the work).
"""

from __future__ import annotations

import random
import sys
from datetime import UTC, datetime
from pathlib import Path

from chequered import rulebooks
from chequered.importers import alkamel
from chequered.store.imports import timing_events
from chequered.store.store import Store


def main(argv: list[str]) -> None:
    url, laps_file, session_id, seed = argv[:4]
    step, start = (int(argv[4]), int(argv[5])) if len(argv) > 5 else (1, 0)
    events = timing_events(alkamel.read_laps(Path(laps_file)))[start::step]
    store = Store.open(url, lambda: datetime.now(UTC), rulebooks.load)
    chooser = random.Random(int(seed))
    print("READY", flush=True)
    done = 0
    while done < len(events):
        size = chooser.randint(1, 40)
        store.append(session_id, events[done : done + size], f"writer-{seed}")
        done = min(done + size, len(events))
        print(f"ACK {done}", flush=True)
    print("DONE", flush=True)
    store.close()


if __name__ == "__main__":
    main(sys.argv[1:])
