"""The `make run` stack started for a tool (fuzzing, load) on free ports, with a known key."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def running(key: str, extra_env: dict[str, str] | None = None) -> Iterator[str]:
    """Yields the API's base URL; stops both servers on exit. `extra_env` (AWS_PORT, SCHEDULE_EVERY_S...)
    overrides the stack's environment."""
    api_port = free_port()
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("AWS_")},
           "PORT": str(api_port), "AWS_PORT": str(free_port()), "DEMO_API_KEY": key, "PYTHONUNBUFFERED": "1",
           "DEMO_DATA": "0", **(extra_env or {})}  # measured against an empty tenant
    # The stack logs every request: to a file, so a full pipe can never stall it.
    log = tempfile.NamedTemporaryFile("w+", prefix="stack-", suffix=".log", delete=False)
    stack = subprocess.Popen([sys.executable, "infra/local.py"], cwd=ROOT, env=env, stdout=log,
                             stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 60
        while "Ctrl-C stops both servers" not in Path(log.name).read_text("utf-8", "replace"):
            if stack.poll() is not None or time.monotonic() > deadline:
                sys.exit(f"the local stack did not start; see {log.name}")
            time.sleep(0.2)
        yield f"http://127.0.0.1:{api_port}"
    finally:
        stack.send_signal(signal.SIGINT)
        try:
            stack.wait(timeout=20)
        except subprocess.TimeoutExpired:
            stack.kill()
