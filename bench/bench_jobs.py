"""Scheduled work fanned out on SQS, on a moto server in its own process.

Many tenants, each with an open case past its deadline; one has a feedback webhook that never answers (every
attempt waits its whole timeout) and deliveries in its outbox, another a large filing. The sweep and the export
run as deployed (fan-out, the queues, one unit per handler call; a filing is a plan and one unit per province):
every other tenant's sweep, breach marking and filing must complete, and no handler call may take longer than
its function's timeout less the reserve. Then the re-confirmation sweep: the items it reads must stay the same
as the subjects it expired before grow.

    python bench/run.py jobs                    # the small scale (make bench)
    python bench/bench_jobs.py --scale issue    # 1,000 tenants, 100 deliveries, a 100k-record filing,
                                                # 1k vs 100k subjects expired before

Each figure of a scale can be changed with BENCH_JOBS_TENANTS, BENCH_JOBS_OUTBOX (deliveries of the dead webhook),
BENCH_JOBS_FILING_ROWS, BENCH_JOBS_EXPIRED ("1000,100000") and BENCH_JOBS_WEBHOOK_TIMEOUT_MS. Everything is seeded
with BatchWriteItem in the shape the product writes it, not through the API. The moto server is
bench/moto_server.py: moto's transactions copy whole tables, and its queries (on a table or an index) read and sort
the whole table, which at this scale measures moto; infra/moto_transactions.py and infra/moto_queries.py make both
cost what they touch, so the issue's scale (over 200,000 items) runs in about 18 minutes on a shared 2-core machine,
10 of them the dead webhook's attempts waited out. The figures of a run name its scale."""

from __future__ import annotations

import argparse
import os
import sys
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import moto_server  # noqa: E402
from bench.bench_filings import _seed as seed_filing  # noqa: E402
from bench.harness import Row, render  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SLOW, LARGE = "bench-slow-webhook", "bench-large-filing"
PAST = "2025-01-01T00:00:00Z"
SEED_BATCH = 2_000  # items handed to one batch_put (BatchWriteItem, 25 a request)


@dataclass(frozen=True)
class Scale:
    tenants: int
    outbox: int
    filing_rows: int
    expired: tuple[int, ...]
    webhook_timeout_ms: int


SCALES = {"small": Scale(8, 30, 500, (100, 1_000), 50),
          "issue": Scale(1_000, 100, 100_000, (1_000, 100_000), 1_000)}


def _scale(name: str) -> Scale:
    """The named scale, each figure overridden by its environment variable when set."""
    base, env = SCALES[name], os.environ.get
    return replace(base, tenants=int(env("BENCH_JOBS_TENANTS", base.tenants)),
                   outbox=int(env("BENCH_JOBS_OUTBOX", base.outbox)),
                   filing_rows=int(env("BENCH_JOBS_FILING_ROWS", base.filing_rows)),
                   expired=tuple(int(n) for n in env("BENCH_JOBS_EXPIRED",
                                                     ",".join(map(str, base.expired))).split(",")),
                   webhook_timeout_ms=int(env("BENCH_JOBS_WEBHOOK_TIMEOUT_MS", base.webhook_timeout_ms)))


def _say(text: str) -> None:
    print(f"  {text}", file=sys.stderr, flush=True)


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


def _batch_put(items: list[dict[str, Any]]) -> None:
    from chalicelib.core import stores

    for start in range(0, len(items), SEED_BATCH):
        stores.main_table().batch_put(items[start:start + SEED_BATCH])


def _seed_tenants(names: list[str]) -> None:
    """Each tenant with an open case past its deadline (PA2020-20), for the sweep to mark breached."""
    from chalicelib.core import keys
    from chalicelib.tenants import service as tenants

    started = time.perf_counter()
    for name in names:
        tenants.create_tenant("Bench", tenant_id=name, sandbox=True)
    _batch_put([{**keys.case_item(name, "case_bench"), "case_id": "case_bench", "status": "OPEN", "category": "SPAM",
                 "opened_at": PAST, "due_at": PAST, "reports": 1, "GSI1PK": keys.cases_index(name, "OPEN"),
                 "GSI1SK": f"{PAST}#case_bench"} for name in names])
    _say(f"seeded {len(names):,} tenants with an overdue case each in {time.perf_counter() - started:.0f} s")


def _breached(names: list[str]) -> int:
    from chalicelib.core import keys, stores

    found = stores.main_table().batch_get([keys.case_item(name, "case_bench") for name in names])
    return sum(1 for item in found if item.get("breached_at"))


def _fan_out_rows(scale: Scale) -> list[Row]:
    from chalicelib.core import clock, policy, stores
    from chalicelib.core.work_queues import Unit
    from chalicelib.jobs import drain, lambdas, now, runner
    from chalicelib.jobs.store import JobStore
    from chalicelib.reports import webhooks

    names = [f"bench-{n:04d}" for n in range(scale.tenants - 2)] + [SLOW, LARGE]
    _seed_tenants(names)
    # the slow tenant's feedback webhook: without a URL its deliveries would be abandoned unsent, never waited on
    policy.apply_patch(SLOW, {"reports": {"webhook": {"url": "https://feedback.bench.example/hook"}}})
    for n in range(scale.outbox):
        webhooks._store().queue_delivery(SLOW, PAST, f"whd_{n:04d}", {"n": n}, "TIMEOUT", next_attempt_at=PAST,
                                         deadline_at="2099-01-01T00:00:00Z")
    started = time.perf_counter()
    seed_filing(LARGE, scale.filing_rows)
    _say(f"seeded a {scale.filing_rows:,}-record filing in {time.perf_counter() - started:.0f} s")
    webhooks._post = _never_answers(scale.webhook_timeout_ms)
    durations: list[tuple[str, float]] = []
    drain.handle = _timed_handler(durations)
    started = time.perf_counter()
    reports = []
    for job in ("sweep-report-cases", "export-filings"):
        reports.append(now.run_and_report(job))
        _say(f"{job}: {reports[-1]['units']:,} units, {len(reports[-1]['failed'])} failed, "
             f"{len(reports[-1]['waiting'])} tenant(s) waiting, "
             f"{time.perf_counter() - started:.0f} s so far")
    wall = time.perf_counter() - started
    ledger, others = JobStore(stores.main_table()), [n for n in names if n != SLOW]
    swept = sum(1 for t in others for i in ledger.run(t, reports[0]["run"]) if i.get("status") == "DONE"
                and i.get("job") == "sweep-report-cases")
    breached = _breached(others)
    filed = set(reports[1]["did"].get("exported", []))
    longest: dict[str, float] = {}
    for body, seconds in durations:
        queue = runner.queue_of(Unit.decode(body).job)
        longest[queue] = max(longest.get(queue, 0.0), seconds)
    over = [q for q, s in longest.items() if s * 1000 > lambdas.TIMEOUTS[q] * 1000 - 5_000]
    complete = swept == breached == len(others) and all(any(f.startswith(f"{t}/") for f in filed) for t in names)
    large_units = sorted(seconds for body, seconds in durations if Unit.decode(body).tenant == LARGE
                         and Unit.decode(body).job.startswith("export-filing"))
    _say(f"{len(durations):,} units in {wall:.1f} s; longest per queue {longest}; the large filing's export units "
         f"{[round(s, 1) for s in large_units]} s; at {clock.iso()}")
    return [
        Row("fan-out: every other tenant's sweep, breach marking and filing complete beside a dead webhook and a "
            "large filing", float(swept + breached + len(filed)), float(2 * len(others) + len(names)), "units", "all",
            complete, f"{scale.tenants:,} tenants; {SLOW}: {scale.outbox} deliveries to an endpoint that never answers "
            f"({scale.webhook_timeout_ms} ms timeout each, its own units); {LARGE}: {scale.filing_rows:,} source "
            f"records (a plan and one unit per province: {', '.join(f'{s:.1f}' for s in large_units)} s)"),
        Row("fan-out: units handled per second (sweeps, plans, provinces, deliveries)", len(durations) / wall, None,
            "units/s", note=f"{len(durations):,} units in {wall:.0f} s; one consumer, in process, against a moto "
                            "server on the same cores"),
        Row("fan-out: longest handler call, against its function's timeout less the 5 s reserve",
            max(longest.values()), None, "s", "≤ timeout − reserve", not over,
            ", ".join(f"{q} {s:.2f} s of {lambdas.TIMEOUTS[q]} s" for q, s in sorted(longest.items()))),
    ]


def _lapsed(tenant_id: str, start: int, count: int, *, expired: bool = False) -> None:
    """`count` subjects past their re-confirmation date: VERIFIED in the re-confirmation index, or (`expired`)
    as the sweep leaves them, EXPIRED in the lapsed index (identity/store.py expire)."""
    from chalicelib.core import keys

    def item(n: int) -> dict[str, Any]:
        sid = f"sub_{n:08d}"
        base = {**keys.subject_item(tenant_id, sid), "subject_id": sid, "subject_type": "PERSON",
                "document_type": "RESIDENT_ID", "document_masked": "1**1", "reconfirm_by": PAST}
        if expired:
            return {**base, "status": "EXPIRED", "expired_at": PAST, "GSI1PK": keys.lapsed_index(tenant_id),
                    "GSI1SK": f"{PAST}#{sid}"}
        return {**base, "status": "VERIFIED", "GSI1PK": keys.reconfirm_index(tenant_id), "GSI1SK": f"{PAST}#{sid}"}

    _batch_put([item(n) for n in range(start, start + count)])


SWEPT_UP_TO = 10_000  # below this, the earlier runs are the sweep itself; above, their result is seeded


def _expiry_row(sizes: tuple[int, ...]) -> Row:
    from chalicelib.identity import store as identity_store, subjects
    from chalicelib.tenants import service as tenants

    real = identity_store.IdentityStore.due_for_reconfirmation
    reads: dict[int, int] = {}
    for size in sizes:
        tenant_id = f"bench-expiry-{size}"
        tenants.create_tenant("Bench", tenant_id=tenant_id, sandbox=True)
        started = time.perf_counter()
        if size <= SWEPT_UP_TO:
            _lapsed(tenant_id, 0, size)
            subjects.expire_lapsed(tenant_id)  # the earlier runs: `size` subjects expired
        else:
            _lapsed(tenant_id, 0, size, expired=True)
        _say(f"{size:,} subjects expired before, in {time.perf_counter() - started:.0f} s")
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
    seeded = f"; above {SWEPT_UP_TO:,} the earlier runs' result is seeded as the sweep writes it" if (
        large > SWEPT_UP_TO) else ""
    return Row(f"re-confirmation sweep: items read with {large:,} vs {small:,} already expired", float(reads[large]),
               float(reads[small]), "items", "≤ 1× baseline", reads[large] <= reads[small],
               f"10 newly lapsed each time; expired subjects left the index{seeded}")


def measure(scale_name: str = "small") -> list[Row]:
    scale = _scale(scale_name)
    process, url = moto_server.start()
    try:
        os.environ.update({"AWS_ACCESS_KEY_ID": "bench", "AWS_SECRET_ACCESS_KEY": "bench",
                           "AWS_DEFAULT_REGION": "cn-north-1", "AWS_REGION": "cn-north-1", "AWS_ENDPOINT_URL": url,
                           "AWS_READ_TIMEOUT_SECONDS": "120", "POWERTOOLS_METRICS_DISABLED": "true",
                           "POWERTOOLS_LOG_LEVEL": "ERROR", "STAGE": "dev"})
        from chalicelib.core import aws
        from infra import resources

        aws.reset()
        names = resources.create_all("bench", "cn-north-1")
        # every queue by its URL, so no queue is looked up by the name of another stage
        os.environ.update({**resources.environment(names), "RESOURCE_PREFIX": "compliance-api-bench",
                           **{f"{q.removesuffix('Queue').upper()}_QUEUE_URL": url for q, url in names.items()
                              if q.endswith("Queue") and "DeadLetter" not in q}})
        started = time.perf_counter()
        rows = _fan_out_rows(scale)
        rows.append(_expiry_row(scale.expired))
        _say(f"scale {scale_name} {scale}: {time.perf_counter() - started:.0f} s in all")
        return rows
    finally:
        process.kill()
        os.environ.pop("AWS_ENDPOINT_URL", None)
        for name in ("AWS_READ_TIMEOUT_SECONDS", "RESOURCE_PREFIX", "ANCHORS_QUEUE_URL"):
            os.environ.pop(name, None)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description="Scheduled work on a moto server, at a named scale.")
    parser.add_argument("--scale", choices=sorted(SCALES), default="small")
    rows = measure(parser.parse_args(argv).scale)
    print(render(rows))
    return 0 if all(row.met is not False for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
