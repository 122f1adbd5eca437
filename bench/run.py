"""Run every benchmark in bench/ and print one table of ratios against same-run baselines.

Each `bench/bench_*.py` module has `measure() -> list[Row]`. A row compares our figure with
a baseline measured in the same run on the same machine, so the ratio (not the absolute
time) is what carries across machines. `python bench/run.py [name-filter]`.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.harness import Row, render  # noqa: E402


def main(argv: list[str]) -> int:
    wanted = argv[0] if argv else ""
    rows: list[Row] = []
    for path in sorted((ROOT / "bench").glob("bench_*.py")):
        if wanted in path.stem:
            print(f"running {path.stem} ...", file=sys.stderr, flush=True)
            rows.extend(importlib.import_module(f"bench.{path.stem}").measure())
    print(render(rows))
    return 0 if all(row.met is not False for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
