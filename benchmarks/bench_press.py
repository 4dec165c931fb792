"""The press kit of a round from the store: the preview and the report in English and Swedish (PDF), and
every session's six documents as PDF. Goal: under 5 s. The store is filled first (not timed).

PDFs are printed by Chromium (``chequered.media.pdf``): one browser for the process, launched before the
timing (as a server has it running), pages printed ``PARALLEL`` at a time while Python writes the next
page's HTML. Run 1 prints everything (cold); run 2 is the same kit asked again at the same log positions,
where the session documents come from the store's document cache.

CPU is this process's plus its children's (Playwright's driver and Chromium's processes, read from
/proc): Chromium does the printing, so this process's CPU alone would hide it. On the shared machine the
wall time is several times the CPU time; the load average is printed with each run."""

from __future__ import annotations

import os
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

from chequered import rulebooks
from chequered.cli.simulate import store_weekend
from chequered.media.documents import SESSION_KINDS, session_pdf
from chequered.media.pdf import PARALLEL, close_printer, render_pdf
from chequered.media.press import to_html, write_releases
from chequered.seasons import load_season
from chequered.sim.weekend import simulate_weekend
from chequered.store.store import Store

ROUND = 2
ENTRY = "racing-one-backman"


def press_kit(store: Store, session_ids: list[str]) -> int:
    """Every PDF of the kit; the total bytes written."""
    pages = [to_html(r) for r in write_releases(store, "gt4-europe-2023", ENTRY, ROUND)]
    with ThreadPoolExecutor(PARALLEL) as pool:
        pdfs = list(pool.map(render_pdf, pages))
        pdfs += pool.map(
            lambda job: session_pdf(store, *job), [(s, k) for s in session_ids for k in SESSION_KINDS]
        )
    return sum(map(len, pdfs))


def children_cpu() -> float:
    """CPU seconds used so far by this process's descendants still running (Linux /proc)."""
    tick = os.sysconf("SC_CLK_TCK")
    children: dict[int, list[int]] = {}
    used: dict[int, float] = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            fields = Path(f"/proc/{name}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(name))
        used[int(name)] = (int(fields[11]) + int(fields[12])) / tick
    total, todo = 0.0, list(children.get(os.getpid(), []))
    while todo:
        pid = todo.pop()
        total += used.get(pid, 0.0)
        todo += children.get(pid, [])
    return total


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
        start, cpu, kids = time.perf_counter(), time.process_time(), children_cpu()
        render_pdf("<p>warm</p>")  # Chromium's launch, once per process
        print(
            f"Chromium launched: {time.perf_counter() - start:.2f} s wall, "
            f"{time.process_time() - cpu + children_cpu() - kids:.2f} s CPU",
            flush=True,
        )
        for attempt in range(2):
            start, cpu, kids = time.perf_counter(), time.process_time(), children_cpu()
            size = press_kit(store, ids)
            took, used = time.perf_counter() - start, time.process_time() - cpu
            printer = children_cpu() - kids
            print(
                f"press kit of round {ROUND} (4 releases + {len(ids) * len(SESSION_KINDS)} documents, PDF): "
                f"{took:.2f} s wall, {used + printer:.2f} s CPU "
                f"({used:.2f} Python + {printer:.2f} Chromium), "
                f"{size / 1e6:.1f} MB, load {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores "
                f"(run {attempt + 1}{', cold' if attempt == 0 else ', same log positions'}; goal < 5 s)",
                flush=True,
            )
        close_printer()
        store.close()


if __name__ == "__main__":
    main()
