"""Dispositions and blacklists: round trips and in-process cost of the two hot lookups.

- Blacklist check of 100 keys: AWS calls made, and in-process time beyond them (target ≤ 1 ms),
  against a bare POST route that parses the same body.
- Restrictions of a subject with 1,000 historical dispositions: queries made, and in-process
  time beyond them (target ≤ 5 ms).
Both run through the API on moto's in-process backend; time inside SDK calls (from botocore
building the request to parsing the answer, see harness.AwsCalls) is subtracted, and the part
botocore spends building the 100-key request is reported on its own.
"""

from __future__ import annotations

import json
import random

from bench.harness import Row, moto_api, per_call


def measure() -> list[Row]:
    from chalice import Chalice
    from chalice.test import Client

    bare = Chalice(app_name="bare")

    @bare.route("/v1/bare", methods=["POST"])
    def bare_post() -> dict:
        body = bare.current_request.json_body
        return {"checked": sum(len(keys) for keys in body["keys"].values())}

    with moto_api("bench-dispositions") as (application, key, calls):
        from chalicelib.core import keys, stores
        from tests import factories

        headers = {"X-Api-Key": key, "Content-Type": "application/json"}
        with Client(application, stage_name="prod") as api, Client(bare) as baseline:
            check_body = json.dumps({"keys": {"PUBLIC_ACCOUNT": [f"acct-{n}" for n in range(100)]}}).encode()
            check = lambda: api.http.post("/v1/blacklist/check", headers=headers, body=check_body)  # noqa: E731
            _, check_own, check_calls = calls.per_request(check, 50)
            check_serializing = calls.serializing
            mixed_body = json.dumps({"items": [{"type": "PUBLIC_ACCOUNT",
                                                "key": f"acct-{n}"} for n in range(100)]}).encode()
            _, mixed_own, _ = calls.per_request(
                lambda: api.http.post("/v1/blacklist/check", headers=headers, body=mixed_body), 50)
            bare_s = per_call(lambda: baseline.http.post("/v1/bare", headers=headers, body=check_body), repeat=200)

            verification = {"subject_type": "PERSON", "real_name": "甲",
                            "document": {"type": "RESIDENT_ID", "number": factories.resident_id(random.Random(1))}}
            subject_id = json.loads(api.http.post("/v1/identity/verifications", headers=headers,
                                                  body=json.dumps(verification).encode()).body)["subject_id"]
            table = stores.main_table()
            pk = keys.target_pk("bench-dispositions", "SUBJECT", subject_id)
            for n in range(1000):  # a long history, mostly expired; written directly to keep set-up short
                table.put({"PK": pk, "SK": f"DISP#dsp_{n:020d}", "disposition_id": f"dsp_{n:020d}",
                           "type": "SUSPEND_PUBLISHING", "target_type": "SUBJECT", "target_id": subject_id,
                           "ground": {"article": "PA2020-19", "category": "SPAM"}, "statement": "history",
                           "starts_at": "2025-01-01T00:00:00Z",
                           "ends_at": "2099-01-01T00:00:00Z" if n % 100 == 0 else "2025-01-02T00:00:00Z",
                           "status": "ACTIVE", "restricts": ["PUBLISH"], "created_at": "2025-01-01T00:00:00Z"})
            def restrictions() -> object:
                return api.http.get(f"/v1/subjects/{subject_id}/restrictions", headers=headers)

            _, restrictions_own, restrictions_calls = calls.per_request(restrictions, 20)
            in_force = len(json.loads(restrictions().body)["restrictions"])
    queries = sum(1 for c in restrictions_calls if c.endswith(".Query"))
    return [
        Row("blacklist check of 100 keys: DynamoDB calls", len(check_calls), None, "calls", "1 BatchGetItem",
            check_calls == ["before-call.dynamodb.BatchGetItem"]),
        Row("blacklist check of 100 keys (compact form): in-process time beyond the round trip", check_own * 1000,
            bare_s * 1000, "ms", "≤ 1 ms", check_own <= 0.001,
            "baseline: bare Chalice POST route parsing the same body; the round trip is the SDK call, from building "
            "the request to parsing the answer"),
        Row("same: botocore building the BatchGetItem request (inside the round trip above)", check_serializing * 1000,
            None, "ms"),
        Row("same, 100 keys as items (per-item schema)", mixed_own * 1000, None, "ms"),
        Row("restrictions of a subject with 1,000 dispositions: DynamoDB queries", queries, None, "queries",
            "1 (plus the subject check)", queries == 1,
            f"{in_force} of 1,000 in force; calls made: {', '.join(c.rsplit('.', 1)[-1] for c in restrictions_calls)}"),
        Row("restrictions of a subject with 1,000 dispositions: in-process time", restrictions_own * 1000, None, "ms",
            "≤ 5 ms", restrictions_own <= 0.005),
    ]
