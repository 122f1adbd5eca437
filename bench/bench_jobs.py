"""Scheduled work fanned out on SQS, on a moto server in its own process.

Many tenants; one has a feedback webhook that never answers (every attempt waits its whole timeout) and
a hundred deliveries in its outbox (BENCH_JOBS_OUTBOX), another a large filing. The sweep and the export run as
deployed (fan-out, the queues, one unit per handler call): every other tenant's sweep and filing must
complete, and no handler call may take longer than its function's timeout. Then the re-confirmation
sweep: the items it reads must stay the same as the subjects it expired before grow.

Scale with BENCH_JOBS_TENANTS (default 8), BENCH_JOBS_OUTBOX (deliveries of the dead webhook, default 30),
BENCH_JOBS_FILING_ROWS (default 500), BENCH_JOBS_EXPIRED (default "100,1000") and
BENCH_JOBS_WEBHOOK_TIMEOUT_MS (default 50); the README's figures name theirs.
"""

from __future__ import annotations

import os
import sys
import time
from typing import Any

from bench.bench_filings import _seed as seed_filing, _server
from bench.harness import Row

SLOW, LARGE = "bench-slow-webhook", "bench-large-filing"
PAST = "2025-01-01T00:00:00Z"


def _setting(name: str, default: str) -> str:
    return os.environ.get(name, default)


def _never_answers(timeout_ms: int) -> Any:
    """The slow tenant's endpoint: each attempt waits out its timeout and fails (the others have none)."""
    def post(tenant_id: str, settings: dict[str, Any], body: dict[str, Any]) -> dict[str, Any]:
        time.sleep(timeout_ms / 1000)
        return {"status": "FAILED", "error": "TIMEOUT"}

    return post


def _timed_handler(durations: list[tuple[str, float]]) -> Any:
    from chalicelib.jobs import runner

    real = runner.handle

    def handle(body: str, context: Any) -> dict[str, Any]:
        started = time.perf_counter()
        try:
            return real(body, context)
        finally:
            durations.append((body, time.perf_counter() - started))

    return handle


def _fan_out_rows(tenant_count: int, outbox: int, filing_rows: int, timeout_ms: int) -> list[Row]:
    from chalicelib.core import clock, stores
    from chalicelib.core.work_queues import Unit
    from chalicelib.jobs import drain, lambdas, now, runner
    from chalicelib.jobs.store import JobStore
    from chalicelib.reports import webhooks
    from chalicelib.tenants import service as tenants

    names = [f"bench-{n:04d}" for n in range(tenant_count - 2)] + [SLOW, LARGE]
    for name in names:
        tenants.create_tenant("Bench", tenant_id=name, sandbox=True)
    for n in range(outbox):
        webhooks._store().queue_delivery(SLOW, PAST, f"whd_{n:04d}", {"n": n}, "TIMEOUT", next_attempt_at=PAST,
                                         deadline_at="2099-01-01T00:00:00Z")
    seed_filing(LARGE, filing_rows)
    webhooks._post = _never_answers(timeout_ms)
    durations: list[tuple[str, float]] = []
    timed = _timed_handler(durations)
    drain.handle = timed
    started = time.perf_counter()
    reports = [now.run_and_report(job) for job in ("sweep-report-cases", "export-filings")]
    wall = time.perf_counter() - started
    ledger, others = JobStore(stores.main_table()), [n for n in names if n != SLOW]
    swept = sum(1 for t in others for i in ledger.run(t, reports[0]["run"]) if i.get("status") == "DONE")
    filed = set(reports[1]["did"].get("exported", []))
    longest: dict[str, float] = {}
    for body, seconds in durations:
        queue = runner.queue_of(Unit.decode(body).job)
        longest[queue] = max(longest.get(queue, 0.0), seconds)
    over = [q for q, s in longest.items() if s * 1000 > lambdas.TIMEOUTS[q] * 1000 - 5_000]
    complete = swept == len(others) and all(any(f.startswith(f"{t}/") for f in filed) for t in names)
    print(f"  {len(durations)} units in {wall:.1f} s; longest per queue {longest}; at {clock.iso()}",
          file=sys.stderr, flush=True)
    return [
        Row("fan-out: every tenant's sweep and filing complete beside a dead webhook and a large filing",
            float(swept + len(filed)), float(len(others) + len(names)), "units", "all", complete,
            f"{tenant_count} tenants; {SLOW}: {outbox} deliveries to an endpoint that never answers "
            f"({timeout_ms} ms timeout each, its own units); {LARGE}: {filing_rows:,} source records"),
        Row("fan-out: units handled per second (sweeps, exports, deliveries)", len(durations) / wall, None,
            "units/s", note="one consumer, in process, against a moto server on the same cores"),
        Row("fan-out: longest handler call, against its function's timeout less the 5 s reserve",
            max(longest.values()), None, "s", "≤ timeout − reserve", not over,
            ", ".join(f"{q} {s:.2f} s of {lambdas.TIMEOUTS[q]} s" for q, s in sorted(longest.items()))),
    ]


def _lapsed(tenant_id: str, start: int, count: int) -> None:
    from chalicelib.core import keys, stores

    stores.main_table().batch_put([
        {**keys.subject_item(tenant_id, f"sub_{n:08d}"), "subject_id": f"sub_{n:08d}", "status": "VERIFIED",
         "subject_type": "PERSON", "document_type": "RESIDENT_ID", "document_masked": "1**1", "reconfirm_by": PAST,
         "GSI1PK": keys.reconfirm_index(tenant_id), "GSI1SK": f"{PAST}#sub_{n:08d}"}
        for n in range(start, start + count)])


def _expiry_row(sizes: list[int]) -> Row:
    from chalicelib.identity import store as identity_store, subjects
    from chalicelib.tenants import service as tenants

    real = identity_store.IdentityStore.due_for_reconfirmation
    reads: dict[int, int] = {}
    for size in sizes:
        tenant_id = f"bench-expiry-{size}"
        tenants.create_tenant("Bench", tenant_id=tenant_id, sandbox=True)
        _lapsed(tenant_id, 0, size)
        subjects.expire_lapsed(tenant_id)  # the earlier runs: `size` subjects expired
        _lapsed(tenant_id, size, 10)       # lapsed since
        counted = [0]

        def counting(self: Any, *args: Any, counted: list[int] = counted) -> Any:
            items, cursor = real(self, *args)
            counted[0] += len(items)
            return items, cursor

        identity_store.IdentityStore.due_for_reconfirmation = counting  # type: ignore[method-assign,assignment]
        try:
            subjects.expire_lapsed(tenant_id)
        finally:
            identity_store.IdentityStore.due_for_reconfirmation = real  # type: ignore[method-assign]
        reads[size] = counted[0]
    small, large = sizes[0], sizes[-1]
    return Row(f"re-confirmation sweep: items read with {large:,} vs {small:,} already expired", float(reads[large]),
               float(reads[small]), "items", "≤ 1× baseline", reads[large] <= reads[small],
               "10 newly lapsed each time; expired subjects left the index")


def measure() -> list[Row]:
    process, url = _server()
    try:
        os.environ.update({"AWS_ACCESS_KEY_ID": "bench", "AWS_SECRET_ACCESS_KEY": "bench",
                           "AWS_DEFAULT_REGION": "cn-north-1", "AWS_REGION": "cn-north-1", "AWS_ENDPOINT_URL": url,
                           "AWS_READ_TIMEOUT_SECONDS": "120", "POWERTOOLS_METRICS_DISABLED": "true",
                           "POWERTOOLS_LOG_LEVEL": "ERROR", "STAGE": "dev"})
        from chalicelib.core import aws
        from infra import resources

        aws.reset()
        os.environ.update(resources.environment(resources.create_all("bench", "cn-north-1")))
        rows = _fan_out_rows(int(_setting("BENCH_JOBS_TENANTS", "8")), int(_setting("BENCH_JOBS_OUTBOX", "30")),
                             int(_setting("BENCH_JOBS_FILING_ROWS", "500")),
                             int(_setting("BENCH_JOBS_WEBHOOK_TIMEOUT_MS", "50")))
        rows.append(_expiry_row([int(s) for s in _setting("BENCH_JOBS_EXPIRED", "100,1000").split(",")]))
        return rows
    finally:
        process.kill()
        os.environ.pop("AWS_ENDPOINT_URL", None)
        os.environ.pop("AWS_READ_TIMEOUT_SECONDS", None)
