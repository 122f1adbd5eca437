"""End to end: `make run` fires its schedules and consumes their queues against the moto server; `make job`
runs one schedule now and prints what it did; `make cli` reaches the same stack (README walk-through)."""

from __future__ import annotations

import json
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from infra import stack
from tests.api.test_metrics import readings

ROOT = Path(__file__).resolve().parents[2]
KEY = "ck_jobs_" + "j" * 32

pytestmark = pytest.mark.e2e


def call(method: str, url: str, body: object | None = None) -> dict:
    request = urllib.request.Request(url, method=method, data=None if body is None else json.dumps(body).encode(),
                                     headers={"X-Api-Key": KEY, "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as answer:
        return json.loads(answer.read())


def attach(aws_port: int, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "infra/attach.py", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=180, env={"PATH": "/usr/bin:/bin", "AWS_PORT": str(aws_port)})


def test_schedules_run_under_make_run_and_make_job_and_make_cli_reach_the_stack():
    aws_port = stack.free_port()
    with stack.running(KEY, {"AWS_PORT": str(aws_port), "SCHEDULE_EVERY_S": "2"}) as api:
        # GIVEN the local stack, its schedules firing every 2 s
        # WHEN a few seconds pass THEN the anchor schedule's units were consumed: the audit head is anchored
        deadline, anchor = time.monotonic() + 60, None
        while anchor is None and time.monotonic() < deadline:
            anchor = call("POST", f"{api}/v1/audit/verify", {})["anchor"]
            time.sleep(0.5)
        assert anchor is not None
        # AND the README walk-through: readings with a bought burst, `make job NAME=evaluate-metrics`, a flag
        points = readings("acct-bought", 25, 24 * 20 + 3)
        for start in range(0, len(points), 500):
            call("POST", f"{api}/v1/metrics", {"points": points[start:start + 500]})
        job = attach(aws_port, "job", "evaluate-metrics")
        assert job.returncode == 0, job.stderr
        report = json.loads(job.stdout)
        assert (report["job"], report["failed"], report["tenants"]) == ("evaluate-metrics", [], 1)
        flags = call("GET", f"{api}/v1/accounts/acct-bought/metric-flags")["items"]
        assert [f["article"] for f in flags] == ["PA2020-12"]
        # AND the operator CLI sees the same tenants
        listed = attach(aws_port, "cli", "tenants", "list")
        assert listed.returncode == 0, listed.stderr
        assert [t["tenant_id"] for t in json.loads(listed.stdout)] == ["demo"]
    # AND without a stack, make job says how to start one
    alone = attach(stack.free_port(), "job", "evaluate-metrics")
    assert alone.returncode != 0 and "make run" in alone.stderr
