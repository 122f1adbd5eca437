"""Identity: offline document validation per number (target ≤ 0.1 ms) against python-stdnum, and
end-to-end verification latency with the AWS calls it makes."""

from __future__ import annotations

import json
import random
from datetime import date

from bench.harness import Row, moto_api, per_call
from chalicelib.identity import documents
from chalicelib.identity.documents import DocumentType as T
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
        ours = per_call(lambda kind=kind, cycle=cycle: documents.validate(kind, next(cycle), TODAY), repeat=2000) * 1000
        baseline = None
        if kind in baselines:
            other = iter(numbers * 10_000)
            fn = baselines[kind]
            baseline = per_call(lambda fn=fn, other=other: fn(next(other)), repeat=2000) * 1000
        rows.append(Row(f"validate {kind.value}", ours, baseline, "ms", f"≤ {LIMIT_MS} ms", ours <= LIMIT_MS,
                        "baseline: python-stdnum is_valid (fewer checks)" if baseline else ""))
    return rows + _verification_rows()


def _verification_rows() -> list[Row]:
    """End-to-end verification (sandbox provider) through the API on moto, and its AWS calls."""
    from chalice import Chalice
    from chalice.test import Client

    bare = Chalice(app_name="bare")

    @bare.route("/v1/bare", methods=["POST"])
    def bare_post() -> dict:
        return {"echo": bare.current_request.json_body}

    with moto_api("bench-identity") as (application, key, calls):
        headers = {"X-Api-Key": key, "Content-Type": "application/json"}
        rng = random.Random(7)
        bodies = iter([json.dumps({"subject_type": "PERSON", "real_name": "测试",
                                   "document": {"type": "RESIDENT_ID", "number": factories.resident_id(rng)}}).encode()
                       for _ in range(3000)])
        with Client(application, stage_name="prod") as ours, Client(bare) as baseline:
            def verify() -> object:
                return ours.http.post("/v1/identity/verifications", headers=headers, body=next(bodies))

            verify_s, own_s, per_verification = calls.per_request(verify, 200)
            sample = json.dumps({"subject_type": "PERSON"}).encode()
            bare_s = per_call(lambda: baseline.http.post("/v1/bare", headers=headers, body=sample), repeat=100,
                              rounds=3)
    dynamo = sum(1 for c in per_verification if ".dynamodb." in c)
    kms = sum(1 for c in per_verification if ".kms." in c)
    return [
        Row("POST /v1/identity/verifications, total on moto (sandbox provider)", verify_s * 1000, None, "ms",
            note="moto's in-process DynamoDB and KMS take most of it"),
        Row("POST /v1/identity/verifications, in-process time excluding AWS calls", own_s * 1000, bare_s * 1000, "ms",
            note="baseline: bare Chalice POST route echoing its body"),
        Row("AWS calls per verification (warm container)", dynamo + kms, None, "calls",
            note=f"{dynamo} DynamoDB (attempt counter, audit head, one transaction) + {kms} KMS (data key)"),
    ]
