"""Fuzz the API with schemathesis over its own OpenAPI document, against the `make run` stack.

    python infra/fuzz.py [--max-examples N]      (what `make fuzz` runs)

Starts infra/local.py on free ports with a known demo key, runs schemathesis's coverage and
fuzzing phases on every operation with the checks that must never fail here (no 5xx, every
answer matching its declared schema), prints schemathesis's summary and stops the stack.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

ROOT = Path(__file__).resolve().parent.parent
KEY = "ck_fuzz_" + "f" * 32


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--max-examples", type=int, default=15)
    args = parser.parse_args()
    from infra.stack import running

    with running(KEY) as base:
        schemathesis = Path(sys.executable).with_name("schemathesis")
        return subprocess.run([str(schemathesis), "run", f"{base}/v1/openapi.json",
                               "-H", f"X-Api-Key: {KEY}", "--checks", "not_a_server_error,response_schema_conformance",
                               "--phases", "coverage,fuzzing", "--max-examples", str(args.max_examples),
                               "--request-timeout", "20"], cwd=ROOT).returncode


if __name__ == "__main__":
    sys.exit(main())
