"""Identity: offline document validation per number (target ≤ 0.1 ms) against python-stdnum, and
end-to-end verification latency with the AWS calls it makes."""

from __future__ import annotations

import json
import random
import time
from datetime import date

from bench.harness import Row, per_call
from chalicelib.domain import documents
from chalicelib.domain.documents import DocumentType as T
from tests import factories

TODAY = date(2026, 11, 25)
LIMIT_MS = 0.1


def measure() -> list[Row]:
    from stdnum.cn import ric, uscc

    rng = random.Random(42)
    samples = {
        T.RESIDENT_ID: [factories.resident_id(rng) for _ in range(200)],
        T.USCC: [factories.uscc(rng) for _ in range(200)],
        T.MOBILE: [factories.mobile(rng, prefix=p) for p in ("138", "170", "145", "199") for _ in range(50)],
        T.PR_CARD: [factories.pr_card(rng) for _ in range(200)],
    }
    rows = []
    baselines = {T.RESIDENT_ID: ric.is_valid, T.USCC: uscc.is_valid}
    for kind, numbers in samples.items():
        cycle = iter(numbers * 10_000)
        ours = per_call(lambda: documents.validate(kind, next(cycle), TODAY), repeat=2000) * 1000
        baseline = None
        if kind in baselines:
            other = iter(numbers * 10_000)
            fn = baselines[kind]
            baseline = per_call(lambda: fn(next(other)), repeat=2000) * 1000
        rows.append(Row(f"validate {kind.value}", ours, baseline, "ms", f"≤ {LIMIT_MS} ms", ours <= LIMIT_MS,
                        "baseline: python-stdnum is_valid (fewer checks)" if baseline else ""))
    return rows + _verification_rows()


def _verification_rows() -> list[Row]:
    """End-to-end verification (sandbox provider) through the API on moto, and its AWS calls."""
    import contextlib
    import os

    os.environ.update({"AWS_ACCESS_KEY_ID": "bench", "AWS_SECRET_ACCESS_KEY": "bench",
                       "AWS_DEFAULT_REGION": "cn-north-1", "AWS_REGION": "cn-north-1"})
    from chalice import Chalice
    from chalice.test import Client
    from moto import mock_aws

    from infra import resources

    bare = Chalice(app_name="bare")

    @bare.route("/v1/bare", methods=["POST"])
    def bare_post() -> dict:
        return {"echo": bare.current_request.json_body}

    with mock_aws():
        os.environ.update(resources.environment(resources.create_all("dev", "cn-north-1")))
        import app as application
        from chalicelib import aws
        from chalicelib.services import tenants

        _, key, _ = tenants.create_tenant("Bench", tenant_id="bench-identity", sandbox=True)
        headers = {"X-Api-Key": key, "Content-Type": "application/json"}
        calls: list[str] = []
        in_aws = [0.0, 0.0]  # started, total seconds inside AWS calls (moto here, the network when deployed)

        def before(**kw: object) -> None:
            calls.append(str(kw["event_name"]))
            in_aws[0] = time.perf_counter()

        def after(**kw: object) -> None:
            in_aws[1] += time.perf_counter() - in_aws[0]

        for service in ("dynamodb", "kms"):
            aws.client(service).meta.events.register(f"before-call.{service}", before)
            aws.client(service).meta.events.register(f"after-call.{service}", after)
        rng = random.Random(7)
        bodies = iter([json.dumps({"subject_type": "PERSON", "real_name": "测试",
                                   "document": {"type": "RESIDENT_ID", "number": factories.resident_id(rng)}}).encode()
                       for _ in range(3000)])
        with Client(application.app, stage_name="prod") as ours, Client(bare) as baseline, \
                contextlib.redirect_stdout(open(os.devnull, "w")):
            ours.http.post("/v1/identity/verifications", headers=headers, body=next(bodies))
            calls.clear()
            assert ours.http.post("/v1/identity/verifications", headers=headers, body=next(bodies)).status_code == 201
            per_verification = list(calls)
            in_aws[1] = 0.0
            started = time.perf_counter()
            for _ in range(200):
                ours.http.post("/v1/identity/verifications", headers=headers, body=next(bodies))
            verify_s = (time.perf_counter() - started) / 200
            own_s = verify_s - in_aws[1] / 200
            sample = json.dumps({"subject_type": "PERSON"}).encode()
            bare_s = per_call(lambda: baseline.http.post("/v1/bare", headers=headers, body=sample), repeat=100, rounds=3)
    dynamo = sum(1 for c in per_verification if ".dynamodb." in c)
    kms = sum(1 for c in per_verification if ".kms." in c)
    return [
        Row("POST /v1/identity/verifications, total on moto (sandbox provider)", verify_s * 1000, None, "ms",
            note="moto's in-process DynamoDB and KMS take most of it"),
        Row("POST /v1/identity/verifications, in-process time excluding AWS calls", own_s * 1000, bare_s * 1000, "ms",
            note="baseline: bare Chalice POST route echoing its body"),
        Row("AWS calls per verification (warm container)", dynamo + kms, None, "calls",
            note=f"{dynamo} DynamoDB (attempt counter, transaction) + {kms} KMS (data key for sealing)"),
    ]
