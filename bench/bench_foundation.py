"""Foundation: request overhead of an authenticated, validated endpoint, and cold import time.

- GET /v1/policy (API-key auth, tenant policy, response schema check in dev) against a bare
  Chalice route, both through `chalice.test.Client` on moto's in-process DynamoDB.
- DynamoDB round trips for authentication, cold container and warm.
- `import app` against `import boto3, chalice`, each in fresh interpreters.
"""

from __future__ import annotations

import contextlib
import os
import statistics
import subprocess
import sys
from pathlib import Path

from bench.harness import Row, per_call, ratio_row

ROOT = Path(__file__).resolve().parent.parent


def _quiet() -> contextlib.AbstractContextManager:
    return contextlib.redirect_stdout(open(os.devnull, "w"))  # EMF metrics lines go to stdout


def _request_rows() -> list[Row]:
    os.environ.update({"AWS_ACCESS_KEY_ID": "bench", "AWS_SECRET_ACCESS_KEY": "bench",
                       "AWS_DEFAULT_REGION": "cn-north-1", "AWS_REGION": "cn-north-1"})
    os.environ.pop("AWS_ENDPOINT_URL", None)
    from chalice import Chalice
    from chalice.test import Client
    from moto import mock_aws

    from infra import resources

    bare = Chalice(app_name="bare")

    @bare.route("/v1/bare")
    def bare_route() -> dict:
        return {"status": "ok"}

    @bare.route("/v1/bare", methods=["POST"])
    def bare_post() -> dict:
        # The same business work as /v1/identity/validate, without auth, schema or envelope.
        from datetime import date

        from chalicelib.domain import documents

        body = bare.current_request.json_body
        result = documents.validate(documents.DocumentType(body["type"]), body["number"], date.today())
        return {"valid": result.valid, "normalized": result.normalized}

    with mock_aws():
        os.environ.update(resources.environment(resources.create_all("dev", "cn-north-1")))
        import app as application
        from chalicelib import auth, aws
        from chalicelib.services import policy, tenants

        _, key, _ = tenants.create_tenant("Bench", tenant_id="bench")
        headers = {"X-Api-Key": key}
        calls: list[str] = []
        aws.client("dynamodb").meta.events.register("before-call.dynamodb", lambda **kw: calls.append(kw["event_name"]))

        rows = []
        with Client(application.app, stage_name="dev") as dev, Client(application.app, stage_name="prod") as prod, \
                Client(bare) as baseline, _quiet():
            auth.forget()
            policy.forget()
            calls.clear()
            assert prod.http.get("/v1/policy", headers=headers).status_code == 200
            cold_calls = sum(1 for c in calls if "GetItem" in c)
            calls.clear()
            prod.http.get("/v1/policy", headers=headers)
            warm_calls = len(calls)

            bare_s = per_call(lambda: baseline.http.get("/v1/bare"), repeat=500)
            prod_s = per_call(lambda: prod.http.get("/v1/policy", headers=headers), repeat=500)
            dev_s = per_call(lambda: dev.http.get("/v1/policy", headers=headers), repeat=500)
            body = b'{"type": "MOBILE", "number": "13800138000"}'
            post_headers = {**headers, "Content-Type": "application/json"}
            validated_s = per_call(lambda: prod.http.post("/v1/identity/validate", headers=post_headers, body=body),
                                   repeat=500)
            bare_post_s = per_call(lambda: baseline.http.post("/v1/bare", headers=post_headers, body=body), repeat=500)
        rows.append(ratio_row("authenticated GET /v1/policy, prod (no response check)", prod_s * 1e6, bare_s * 1e6,
                              "µs", 2.0, "bare Chalice route through the same local client"))
        rows.append(ratio_row("authenticated + schema-validated POST /v1/identity/validate, prod", validated_s * 1e6,
                              bare_post_s * 1e6, "µs", 2.0,
                              "baseline: bare Chalice POST route doing the same mobile validation, no auth, schema or envelope"))
        rows.append(Row("authenticated GET /v1/policy, dev (response schema check)", dev_s * 1e6, bare_s * 1e6, "µs",
                        note="dev and tests validate every answer against its schema; prod does not"))
        rows.append(Row("DynamoDB round trips for auth + policy, cold container", cold_calls, None, "calls",
                        "auth ≤ 1 (+1 policy)", cold_calls <= 2))
        rows.append(Row("DynamoDB round trips for auth + policy, warm container", warm_calls, None, "calls", "0", warm_calls == 0))
    return rows


def _import_seconds(statement: str, runs: int = 9) -> float:
    code = f"import time; t = time.perf_counter(); {statement}; print(time.perf_counter() - t)"
    samples = [float(subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                                    check=True).stdout) for _ in range(runs)]
    return statistics.median(samples)


def measure() -> list[Row]:
    rows = _request_rows()
    baseline = _import_seconds("import boto3, chalice")
    ours = _import_seconds("import app")
    rows.append(ratio_row("cold `import app`", ours * 1000, baseline * 1000, "ms", 1.5,
                          "baseline: `import boto3, chalice` in a fresh interpreter; median of 9"))
    return rows
