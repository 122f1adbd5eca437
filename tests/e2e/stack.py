"""`python infra/local.py` (what `make run` runs) started for an end-to-end test on free ports, its banner read
as a person reads it; its output keeps being read after the banner, so a full pipe never stalls the servers."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
READY = "Ctrl-C stops both servers"
START_SECONDS = 60


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass(frozen=True)
class LocalStack:
    base: str  # the API's base URL
    banner: str  # everything printed up to the ready line
    process: subprocess.Popen[str]


@contextlib.contextmanager
def local_stack(env: dict[str, str] | None = None, *, drop: tuple[str, ...] = ("AWS_",)) -> Iterator[LocalStack]:
    """The stack with this test's environment (`env` over ours, without the variables starting with `drop`);
    stopped on exit unless the test stopped it."""
    api_port = free_port()
    environment = {k: v for k, v in os.environ.items() if not k.startswith(drop)}
    environment.update({"PORT": str(api_port), "AWS_PORT": str(free_port()), "PYTHONUNBUFFERED": "1", **(env or {})})
    process = subprocess.Popen([sys.executable, "infra/local.py"], cwd=ROOT, env=environment, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
    try:
        banner = _banner(process)
        threading.Thread(target=_drain, args=(process,), daemon=True).start()
        yield LocalStack(f"http://127.0.0.1:{api_port}", banner, process)
    finally:
        _stop(process)


def _banner(process: subprocess.Popen[str]) -> str:
    assert process.stdout is not None
    output: list[str] = []
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line and process.poll() is not None:
            pytest.fail("local stack exited early:\n" + "".join(output))
        output.append(line)
        if READY in line:
            return "".join(output)
    pytest.fail("local stack did not start:\n" + "".join(output))


def _drain(process: subprocess.Popen[str]) -> None:
    assert process.stdout is not None
    for _ in process.stdout:
        pass


def _stop(process: subprocess.Popen[str]) -> None:
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
