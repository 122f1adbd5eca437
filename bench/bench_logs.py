"""Log ingestion: BatchWriteItem calls for a 500-event batch (≤ 20) and in-process cost per event
(≤ 0.2 ms), through the API on moto's in-process backend, time inside AWS calls subtracted."""

from __future__ import annotations

import itertools
import json

from bench.harness import Row, moto_api


def measure() -> list[Row]:
    from chalice.test import Client

    counter = itertools.count()
    with moto_api("bench-logs") as (application, key, calls):
        headers = {"X-Api-Key": key, "Content-Type": "application/json"}

        def batch() -> bytes:
            start = next(counter) * 500
            return json.dumps({"events": [
                {"event_id": f"e{start + n}", "account_id": f"acct-{n % 20}", "type": "PUBLISH",
                 "at": "2026-11-20T08:00:00Z", "ip": "203.0.113.7", "content_sha256": "a" * 64}
                for n in range(500)]}).encode()

        with Client(application, stage_name="prod") as api:
            total, own, made = calls.per_request(lambda: api.http.post("/v1/logs", headers=headers, body=batch()), 5)
    writes = sum(1 for c in made if c.endswith("BatchWriteItem"))
    per_event_ms = own / 500 * 1000
    return [
        Row("500-event log batch: BatchWriteItem calls", writes, None, "calls", "≤ 20", writes <= 20,
            f"plus {len(made) - writes} other calls (last_active_at of 20 accounts)"),
        Row("500-event log batch: in-process cost per event", per_event_ms, None, "ms", "≤ 0.2 ms", per_event_ms <= 0.2,
            f"whole batch {total * 1000:.0f} ms on moto, {own * 1000:.0f} ms of it ours"),
    ]
