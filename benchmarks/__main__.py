"""Run every benchmark module (``benchmarks/bench_*.py``), or only those named on the command line;
``module.function`` runs one function of a module (``python -m benchmarks store.le_mans``)."""

from __future__ import annotations

import importlib
import pkgutil
import sys
from pathlib import Path


def main() -> None:
    wanted = set(sys.argv[1:])
    for name, _, function in (arg.partition(".") for arg in sys.argv[1:] if "." in arg):
        print(f"== {name}.{function}", flush=True)
        getattr(importlib.import_module(f"benchmarks.bench_{name}"), function)()
    wanted = {arg for arg in wanted if "." not in arg}
    if len(sys.argv) > 1 and not wanted:
        return
    here = Path(__file__).parent
    for module in sorted(m.name for m in pkgutil.iter_modules([str(here)]) if m.name.startswith("bench_")):
        if wanted and module.removeprefix("bench_") not in wanted:
            continue
        print(f"== {module.removeprefix('bench_')}", flush=True)
        importlib.import_module(f"benchmarks.{module}").main()


if __name__ == "__main__":
    main()
