"""Foundation: request overhead of an authenticated, validated endpoint, and cold import time.

- GET /v1/policy (API-key auth, tenant policy, response schema check in dev) against a bare
  Chalice route answering the same document, both through `chalice.test.Client` on moto's
  in-process DynamoDB.
- DynamoDB round trips for authentication, cold container and warm.
- `import app` against `import boto3, chalice`, each in fresh interpreters.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

from bench.harness import Row, moto_api, per_call, ratio_row

ROOT = Path(__file__).resolve().parent.parent


def _request_rows() -> list[Row]:
    from chalice import Chalice
    from chalice.test import Client

    bare = Chalice(app_name="bare")
    same_body: dict = {}

    @bare.route("/v1/bare")
    def bare_route() -> dict:
        # The same answer as GET /v1/policy (a 13-section document), without auth, policy cache or envelope.
        return same_body

    @bare.route("/v1/bare", methods=["POST"])
    def bare_post() -> dict:
        # The same business work as /v1/identity/validate, without auth, schema or envelope.
        from datetime import date

        from chalicelib.identity import documents

        body = bare.current_request.json_body
        result = documents.validate(documents.DocumentType(body["type"]), body["number"], date.today())
        return {"valid": result.valid, "normalized": result.normalized}

    with moto_api("bench") as (application, key, calls):
        from chalicelib.core import auth, policy

        headers = {"X-Api-Key": key}
        with Client(application, stage_name="dev") as dev, Client(application, stage_name="prod") as prod, \
                Client(bare) as baseline:
            auth.forget()
            policy.forget()
            calls.reset()
            assert prod.http.get("/v1/policy", headers=headers).status_code == 200
            cold_calls = sum(1 for c in calls.names if "GetItem" in c)
            calls.reset()
            same_body.update(json.loads(prod.http.get("/v1/policy", headers=headers).body))
            warm_calls = len(calls.names)

            bare_s = per_call(lambda: baseline.http.get("/v1/bare"), repeat=500)
            prod_s = per_call(lambda: prod.http.get("/v1/policy", headers=headers), repeat=500)
            dev_s = per_call(lambda: dev.http.get("/v1/policy", headers=headers), repeat=500)
            body = b'{"type": "MOBILE", "number": "13800138000"}'
            post_headers = {**headers, "Content-Type": "application/json"}
            validated_s = per_call(lambda: prod.http.post("/v1/identity/validate", headers=post_headers, body=body),
                                   repeat=500)
            bare_post_s = per_call(lambda: baseline.http.post("/v1/bare", headers=post_headers, body=body), repeat=500)
    return [
        ratio_row("authenticated GET /v1/policy, prod (no response check)", prod_s * 1e6, bare_s * 1e6, "µs", 2.0,
                  "bare Chalice route answering the same policy document, through the same local client"),
        ratio_row("authenticated + schema-validated POST /v1/identity/validate, prod", validated_s * 1e6,
                  bare_post_s * 1e6, "µs", 2.0,
                  "baseline: bare Chalice POST route doing the same mobile validation, no auth, schema or envelope"),
        Row("authenticated GET /v1/policy, dev (response schema check)", dev_s * 1e6, bare_s * 1e6, "µs",
            note="dev and tests validate every answer against its schema; prod does not"),
        Row("DynamoDB round trips for auth + policy, cold container", cold_calls, None, "calls",
            "auth ≤ 1 (+1 policy)", cold_calls <= 2),
        Row("DynamoDB round trips for auth + policy, warm container", warm_calls, None, "calls", "0", warm_calls == 0),
    ]


def _import_seconds(*statements: str, runs: int = 9) -> list[float]:
    """Median import time of each statement in fresh interpreters, the statements taken in turn
    so that drift on a busy machine weighs on all of them alike. Bytecode is written on a first,
    unmeasured run and then used, as in the package (which ships it) and as for the installed
    libraries (pip compiles them)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    samples: list[list[float]] = [[] for _ in statements]
    for run in range(runs + 1):
        for found, statement in zip(samples, statements, strict=True):
            code = f"import time; t = time.perf_counter(); {statement}; print(time.perf_counter() - t)"
            took = float(subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                                        check=True, env=env).stdout)
            if run:
                found.append(took)
    return [statistics.median(found) for found in samples]


def measure() -> list[Row]:
    rows = _request_rows()
    baseline, ours = _import_seconds("import boto3, chalice", "import app")
    rows.append(ratio_row("cold `import app`", ours * 1000, baseline * 1000, "ms", 1.5,
                          "baseline: `import boto3, chalice` in a fresh interpreter; medians of 9, taken in turn"))
    return rows
