"""Registration: latency and DynamoDB round trips per registration (target ≤ 3), through the API
on moto's in-process backend, time inside AWS calls subtracted."""

from __future__ import annotations

import itertools
import json
import random

from bench.harness import Row, moto_api


def measure() -> list[Row]:
    from chalice.test import Client

    from tests import factories

    names = (f"普通用户{n}" for n in itertools.count())
    with moto_api("bench-accounts") as (application, key, calls):
        headers = {"X-Api-Key": key, "Content-Type": "application/json"}
        with Client(application, stage_name="prod") as api:
            api.http.put("/v1/policy", headers=headers,
                         body=json.dumps({"accounts": {"max_per_subject": {"PERSON": 100000}}}).encode())
            subject_id = json.loads(api.http.post("/v1/identity/verifications", headers=headers, body=json.dumps({
                "subject_type": "PERSON", "real_name": "甲",
                "document": {"type": "RESIDENT_ID",
                             "number": factories.resident_id(random.Random(1))}}).encode()).body)[
                "subject_id"]

            def register() -> object:
                body = {"subject_id": subject_id, "account_type": "USER", "name": next(names)}
                return api.http.post("/v1/accounts", headers=headers, body=json.dumps(body).encode())

            total, own, made = calls.per_request(register, 50)
            sources = itertools.count()

            def register_from_device() -> object:
                n = next(sources)
                body = {"subject_id": subject_id, "account_type": "USER", "name": next(names),
                        "registration_ip": f"198.51.{n // 250 % 250}.{n % 250}", "device_id": f"device-{n}"}
                return api.http.post("/v1/accounts", headers=headers, body=json.dumps(body).encode())

            _, _, with_device = calls.per_request(register_from_device, 20)
    trips = [c.rsplit(".", 1)[-1] for c in made]
    device_trips = [c.rsplit(".", 1)[-1] for c in with_device]
    return [
        Row("POST /v1/accounts: DynamoDB round trips per registration", len(trips), None, "calls", "≤ 3",
            len(trips) <= 3, ", ".join(trips)),
        Row("same, with registration IP and device (velocity counters, device blacklist)", len(device_trips), None,
            "calls", "≤ 3", len(device_trips) <= 3, ", ".join(device_trips)),
        Row("POST /v1/accounts: in-process time excluding AWS calls", own * 1000, None, "ms",
            note=f"{total * 1000:.0f} ms in all on moto"),
    ]
