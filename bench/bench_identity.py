"""Identity: offline document validation per number (target ≤ 0.1 ms), against python-stdnum."""

from __future__ import annotations

import random
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
    return rows
