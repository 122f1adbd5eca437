"""Filing export: peak memory for 100k records vs 10k (target ≤ 1.2×), on a moto server in its own
process, so only our process's allocations are traced (tracemalloc around the export)."""

from __future__ import annotations

import os
import sys
import time
import tracemalloc
from datetime import datetime, timedelta, timezone

from bench import moto_server
from bench.harness import Row

ACCOUNTS_PER_SUBJECT = 10


def _seed(tenant_id: str, records: int) -> None:
    """records/2 public accounts (10 per subject) and records/2 reportable dispositions, last month."""
    from chalicelib.core import crypto, keys, stores

    at = (datetime.now(timezone.utc).replace(day=1) - timedelta(days=10)).strftime("%Y-%m-%dT%H:%M:%SZ")
    items = []
    for s in range(records // 2 // ACCOUNTS_PER_SUBJECT):
        subject_id = f"sub_{s:040x}"
        sealed = crypto.seal(tenant_id, subject_id, {"name": f"主体{s}", "document_number": "x"})
        items.append({**keys.subject_item(tenant_id, subject_id), "subject_id": subject_id, "subject_type": "PERSON",
                      "document_type": "RESIDENT_ID", "document_masked": "1101**********0078",
                      "region_code": ["110101", "310104", "440305"][s % 3], "pii": sealed.ciphertext,
                      "pii_key": sealed.wrapped_key})
        for a in range(ACCOUNTS_PER_SUBJECT):
            account_id = f"acc_{s:08x}{a:04x}"
            items.append({"PK": keys.subject_pk(tenant_id, subject_id), "SK": f"ACCOUNT#{account_id}",
                          "account_id": account_id, "account_type": "PUBLIC_ACCOUNT", "name": f"公众号{s}-{a}",
                          "category": "NEWS", "business_scope": "信息服务", "status": "ACTIVE", "created_at": at,
                          "GSI1PK": keys.public_accounts_index(tenant_id), "GSI1SK": f"{subject_id}#{account_id}"})
    for d in range(records // 2):
        disposition_id = f"dsp_{d:016x}"
        items.append({"PK": keys.target_pk(tenant_id, "ACCOUNT", f"acct-{d}"), "SK": f"DISP#{disposition_id}",
                      "disposition_id": disposition_id, "type": "WARNING", "target_type": "ACCOUNT",
                      "target_id": f"acct-{d}", "subject_id": f"sub_{d % 100:040x}", "status": "ACTIVE",
                      "ground": {"article": "PA2020-19", "category": "SPAM"}, "statement": "违规", "starts_at": at,
                      "created_at": at, "effects": {"blacklist": []}, "GSI1PK": keys.reportable_index(tenant_id),
                      "GSI1SK": f"{at}#{disposition_id}"})
    stores.main_table().batch_put(items)


def _peak(tenant_id: str, period: str) -> tuple[float, float, int]:
    from chalicelib.filings import export as filings

    tracemalloc.start()
    started = time.perf_counter()
    answer = filings.export(tenant_id, period)
    seconds = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20, seconds, sum(answer["totals"].values())


def measure() -> list[Row]:
    process, url = moto_server.start()
    try:
        os.environ.update({"AWS_ACCESS_KEY_ID": "bench", "AWS_SECRET_ACCESS_KEY": "bench",
                           "AWS_DEFAULT_REGION": "cn-north-1",
                           "AWS_REGION": "cn-north-1", "AWS_ENDPOINT_URL": url,
                           "AWS_READ_TIMEOUT_SECONDS": "120"})
        from chalicelib.core import aws
        from chalicelib.filings.rules import last_complete_period
        from chalicelib.tenants import service as tenants
        from infra import resources

        aws.reset()
        os.environ.update(resources.environment(resources.create_all("bench", "cn-north-1")))
        period = last_complete_period(datetime.now(timezone.utc), "MONTHLY")
        figures = {}
        for records in (10_000, 100_000):
            tenant_id = f"bench-filings-{records}"
            tenants.create_tenant("Bench", tenant_id=tenant_id, sandbox=True)
            seeding = time.perf_counter()
            _seed(tenant_id, records)
            print(f"  seeded {records:,} in {time.perf_counter() - seeding:.0f} s", file=sys.stderr, flush=True)
            figures[records] = _peak(tenant_id, period)
    finally:
        process.kill()
        os.environ.pop("AWS_ENDPOINT_URL", None)
        os.environ.pop("AWS_READ_TIMEOUT_SECONDS", None)
    (small, small_s, small_n), (large, large_s, large_n) = figures[10_000], figures[100_000]
    return [
        Row("filing export peak memory, 100k vs 10k source records", large, small, "MiB", "≤ 1.2× baseline",
            large / small <= 1.2, f"{small_n:,} and {large_n:,} rows filed; {small_s:.1f} s and {large_s:.1f} s "
                                  "on a moto server (tracemalloc on)"),
    ]
