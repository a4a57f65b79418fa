"""Start-up cost of ``import clientocracy`` and of the CLI, against the floor.

Run: ``python benchmarks/startup.py [--runs N] [--json FILE]``

Each case runs in N fresh processes; the figure is the median wall time. The
floor is ``python -c "import attrs, importlib_resources"``: what any program
that uses clientocracy's dependencies pays anyway. Budgets are stated as
"floor + N ms", because absolute times vary from machine to machine.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

PYTHON = sys.executable
SCRIPT = shutil.which("clientocracy", path=str(Path(PYTHON).parent)) or "clientocracy"

CASES: list[tuple[str, list[str], float | None]] = [
    (
        "floor: import attrs, importlib_resources",
        [PYTHON, "-c", "import attrs, importlib_resources"],
        None,
    ),
    ("import clientocracy", [PYTHON, "-c", "import clientocracy"], 5.0),
    (
        "import + first stories(company=...)",
        [PYTHON, "-c", "import clientocracy; clientocracy.stories(company='Zappos')"],
        15.0,
    ),
    ("clientocracy show ID", [SCRIPT, "show", "zappos-ten-hour-call"], 10.0),
    ("clientocracy list", [SCRIPT, "list"], 15.0),
]


# Installed packages run from compiled bytecode; let the warm-up write it even
# where the environment asks Python not to.
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def measure(command: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, stdout=subprocess.DEVNULL, check=True, env=ENV)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20, help="fresh processes per case")
    parser.add_argument("--json", metavar="FILE", help="also write the figures as JSON")
    args = parser.parse_args()

    for _, command, _ in CASES:  # warm the file cache and the bytecode cache
        subprocess.run(command, stdout=subprocess.DEVNULL, check=True, env=ENV)
    results = []
    floor = None
    for name, command, budget in CASES:
        median = measure(command, args.runs)
        floor = median if floor is None else floor
        over = median - floor
        verdict = "" if budget is None else ("ok" if over <= budget else "OVER")
        results.append(
            {
                "case": name,
                "median_ms": round(median, 2),
                "over_floor_ms": round(over, 2),
                "budget_over_floor_ms": budget,
                "verdict": verdict,
            }
        )
    print(f"{'case':42} {'median ms':>10} {'floor +':>9} {'budget':>8}  verdict")
    for r in results:
        budget = "" if r["budget_over_floor_ms"] is None else f"+{r['budget_over_floor_ms']:.0f}"
        print(
            f"{r['case']:42} {r['median_ms']:10.1f} {r['over_floor_ms']:+9.1f} "
            f"{budget:>8}  {r['verdict']}"
        )
    if args.json:
        Path(args.json).write_text(
            json.dumps({"python": sys.version, "runs": args.runs, "results": results}, indent=2)
            + "\n"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
