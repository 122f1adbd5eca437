"""Fuzz the API with schemathesis over its own OpenAPI document, against the `make run` stack.

    python infra/fuzz.py [--max-examples N]      (what `make fuzz` runs)

Starts infra/local.py on free ports with a known demo key, runs schemathesis's coverage and
fuzzing phases on every operation with the checks that must never fail here (no 5xx, every
answer matching its declared schema), prints schemathesis's summary and stops the stack.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KEY = "ck_fuzz_" + "f" * 32


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--max-examples", type=int, default=15)
    args = parser.parse_args()
    api_port = free_port()
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("AWS_")},
           "PORT": str(api_port), "AWS_PORT": str(free_port()), "DEMO_API_KEY": KEY, "PYTHONUNBUFFERED": "1"}
    # The stack logs every request: to a file, so a full pipe can never stall it.
    log = tempfile.NamedTemporaryFile("w+", prefix="fuzz-stack-", suffix=".log", delete=False)
    stack = subprocess.Popen([sys.executable, "infra/local.py"], cwd=ROOT, env=env, stdout=log,
                             stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 60
        while "Ctrl-C stops both servers" not in Path(log.name).read_text("utf-8", "replace"):
            if stack.poll() is not None or time.monotonic() > deadline:
                sys.exit(f"the local stack did not start; see {log.name}")
            time.sleep(0.2)
        schemathesis = Path(sys.executable).with_name("schemathesis")
        return subprocess.run([str(schemathesis), "run", f"http://127.0.0.1:{api_port}/v1/openapi.json",
                               "-H", f"X-Api-Key: {KEY}", "--checks", "not_a_server_error,response_schema_conformance",
                               "--phases", "coverage,fuzzing", "--max-examples", str(args.max_examples),
                               "--request-timeout", "20"], cwd=ROOT).returncode
    finally:
        stack.send_signal(signal.SIGINT)
        try:
            stack.wait(timeout=20)
        except subprocess.TimeoutExpired:
            stack.kill()


if __name__ == "__main__":
    sys.exit(main())
