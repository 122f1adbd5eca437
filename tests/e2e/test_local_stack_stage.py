"""The local stack is the dev stage even when the shell has no STAGE (an unset STAGE means prod)."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

from tests.e2e.test_local_stack import ROOT, free_port, http

pytestmark = pytest.mark.e2e


def test_the_local_stack_runs_as_dev_without_stage_in_the_environment():
    # GIVEN a shell without STAGE or VALIDATE_RESPONSES
    api_port, aws_port = free_port(), free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_") and k not in {"STAGE", "VALIDATE_RESPONSES"}}
    env.update({"PORT": str(api_port), "AWS_PORT": str(aws_port), "PYTHONUNBUFFERED": "1"})
    # WHEN `make run` starts the stack
    process = subprocess.Popen([sys.executable, "infra/local.py"], cwd=ROOT, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline, output = time.monotonic() + 60, []
        while time.monotonic() < deadline and "Ctrl-C stops both servers" not in "".join(output):
            line = process.stdout.readline() if process.stdout else ""
            if not line and process.poll() is not None:
                pytest.fail("local stack exited early:\n" + "".join(output))
            output.append(line)
        # THEN it answers as dev
        status, _, health = http("GET", f"http://127.0.0.1:{api_port}/v1/health")
        assert (status, health["stage"]) == (200, "dev")
    finally:
        process.kill()
        process.wait(10)
